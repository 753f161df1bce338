// libFuzzer target: the model-file loader (strict JSON parse, every model type's reader, the
// model's constructor) on arbitrary bytes. Every input must either give a model that evaluates,
// or throw InputError (the one line "<field>: <problem>" the CLI prints); any other exception,
// a crash or a sanitizer report is a bug. Run by fuzz/run_fuzzer.py (ctest fuzz.model_file).
#include <cstddef>
#include <cstdint>
#include <string>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/model_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json j = rnndyn::parse_json_document(text, "model file", "the input");
    // A reservoir drawn from a seed ("N") is trained while it loads: a large N measures the
    // training's speed and memory, not the loader's safety.
    if (j.is_object() && j.value("model", nlohmann::json()) == "reservoir" && j.contains("N") &&
        !(j["N"].is_number() && j["N"].get<double>() <= 32))
      return 0;
    const auto model = rnndyn::model_from_json(j, "/nonexistent");
    rnndyn::Vector f;
    rnndyn::Matrix J;
    model->evaluate(model->initial_state_or_zeros(), f, &J);
  } catch (const rnndyn::InputError&) {
  }
  return 0;
}
