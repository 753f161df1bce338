#include "rnndyn/io/npy.hpp"

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <vector>

#include "rnndyn/core/errors.hpp"

namespace rnndyn {

namespace {

template <typename T>
void read_values(std::ifstream& in, std::vector<double>& out, size_t count, const std::string& field,
                 const std::string& path) {
  std::vector<T> raw(count);
  in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(count * sizeof(T)));
  if (static_cast<size_t>(in.gcount()) != count * sizeof(T))
    throw InputError(field, "file '" + path + "' is truncated: expected " + std::to_string(count) + " values");
  out.assign(raw.begin(), raw.end());
}

}  // namespace

Matrix read_npy(const std::string& path, const std::string& field) {
  // An ifstream opens a directory without complaint and then reads nothing.
  if (std::filesystem::is_directory(path)) throw InputError(field, "'" + path + "' is a directory, not a .npy file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(field, "cannot open .npy file '" + path + "'");
  char magic[8] = {};
  in.read(magic, 8);
  if (in.gcount() != 8 || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    throw InputError(field, "'" + path + "' is not a .npy file (bad magic string)");
  const int major = static_cast<unsigned char>(magic[6]);
  uint32_t header_len = 0;
  if (major == 1) {
    unsigned char b[2];
    in.read(reinterpret_cast<char*>(b), 2);
    header_len = b[0] | (b[1] << 8);
  } else if (major == 2 || major == 3) {
    unsigned char b[4];
    in.read(reinterpret_cast<char*>(b), 4);
    header_len = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint32_t>(b[3]) << 24);
  } else {
    throw InputError(field, "'" + path + "': unsupported .npy format version " + std::to_string(major));
  }
  if (!in || header_len > (1u << 20)) throw InputError(field, "'" + path + "': malformed .npy header");
  std::string header(header_len, '\0');
  in.read(header.data(), header_len);
  if (static_cast<uint32_t>(in.gcount()) != header_len)
    throw InputError(field, "'" + path + "': truncated .npy header");

  std::smatch m;
  if (!std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([^']*)')")))
    throw InputError(field, "'" + path + "': .npy header has no descr");
  const std::string descr = m[1];
  const bool fortran = std::regex_search(header, std::regex(R"('fortran_order'\s*:\s*True)"));
  if (!std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
    throw InputError(field, "'" + path + "': .npy header has no shape");
  std::vector<long long> shape;
  const std::string dims = m[1];
  const std::regex integer(R"(\d+)");
  for (std::sregex_iterator it(dims.begin(), dims.end(), integer), end; it != end; ++it)
    shape.push_back(std::stoll(it->str()));
  if (shape.size() > 2)
    throw InputError(field, "'" + path + "': expected a 0-, 1- or 2-dimensional array, got " +
                                std::to_string(shape.size()) + " dimensions");
  const long long rows = shape.empty() ? 1 : shape[0];
  const long long cols = shape.size() == 2 ? shape[1] : 1;
  if (rows * cols > (1LL << 31)) throw InputError(field, "'" + path + "': array too large");
  const size_t count = static_cast<size_t>(rows * cols);

  std::vector<double> values;
  if (descr == "<f8" || descr == "=f8" || descr == "f8")
    read_values<double>(in, values, count, field, path);
  else if (descr == "<f4" || descr == "=f4")
    read_values<float>(in, values, count, field, path);
  else if (descr == "<i8" || descr == "=i8")
    read_values<int64_t>(in, values, count, field, path);
  else if (descr == "<i4" || descr == "=i4")
    read_values<int32_t>(in, values, count, field, path);
  else
    throw InputError(field, "'" + path + "': unsupported dtype '" + descr +
                                "' (use float64, float32, int64 or int32, little-endian)");

  Matrix out(rows, cols);
  for (long long i = 0; i < rows; ++i)
    for (long long j = 0; j < cols; ++j)
      out(i, j) = fortran ? values[static_cast<size_t>(j * rows + i)] : values[static_cast<size_t>(i * cols + j)];
  return out;
}

void write_npy(const std::string& path, const Matrix& a, bool as_vector) {
  std::string shape = as_vector && a.cols() == 1
                          ? "(" + std::to_string(a.rows()) + ",)"
                          : "(" + std::to_string(a.rows()) + ", " + std::to_string(a.cols()) + ")";
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad so that magic (6) + version (2) + length (2) + header is a multiple of 64, ending in '\n'.
  const size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError("output", "cannot write '" + path + "'");
  out.write("\x93NUMPY\x01\x00", 8);
  const uint16_t len = static_cast<uint16_t>(header.size());
  const unsigned char lb[2] = {static_cast<unsigned char>(len & 0xff), static_cast<unsigned char>(len >> 8)};
  out.write(reinterpret_cast<const char*>(lb), 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = a;
  out.write(reinterpret_cast<const char*>(row_major.data()), static_cast<std::streamsize>(a.size() * sizeof(double)));
}

}  // namespace rnndyn
