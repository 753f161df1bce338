// libFuzzer target: the .npy reader on arbitrary bytes (header parsing, dtype, shape, Fortran
// order, truncation). Every input must either give a matrix or throw InputError; anything else is
// a bug. The bytes go through a file because read_npy reads files.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/rnndyn_fuzz_npy_" + std::to_string(getpid()) + ".npy";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const rnndyn::Matrix m = rnndyn::read_npy(path, "W");
    (void)m.sum();
  } catch (const rnndyn::InputError&) {
  }
  return 0;
}
