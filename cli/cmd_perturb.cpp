// rnndyn perturb MODEL (--weights | --bias) [--scale S] [--samples K] [--seed N] [--epsilon FILE]
#include <fstream>

#include "command.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/npy.hpp"
#include "rnndyn/perturbation/perturbation.hpp"
#include "rnndyn/perturbation/perturbation_json.hpp"

namespace rnndyn::cli {
namespace {

struct PerturbCli {
  std::string model_path, output, epsilon_path;
  bool weights = false, bias = false;
  PerturbOptions options;
};

Matrix read_epsilon(const std::string& path) {
  if (path.size() > 4 && path.substr(path.size() - 4) == ".npy") return read_npy(path, "--epsilon");
  std::ifstream in(path);
  if (!in) throw InputError("--epsilon", "cannot read '" + path + "'");
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_array() || j.empty()) throw InputError("--epsilon", "expected a JSON list (of rows)");
  const bool matrix = j[0].is_array();
  const auto rows = static_cast<Index>(j.size());
  const Index cols = matrix ? static_cast<Index>(j[0].size()) : 1;
  Matrix e(rows, cols);
  for (Index i = 0; i < rows; ++i) {
    const auto& row = j[static_cast<std::size_t>(i)];
    if (matrix && (!row.is_array() || static_cast<Index>(row.size()) != cols))
      throw InputError("--epsilon", "rows must have equal lengths");
    for (Index c = 0; c < cols; ++c) {
      const auto& v = matrix ? row[static_cast<std::size_t>(c)] : row;
      if (!v.is_number()) throw InputError("--epsilon", "entries must be numbers");
      e(i, c) = v.get<double>();
    }
  }
  return e;
}

const bool registered = register_command("perturb", [](CLI::App& app) {
  auto c = std::make_shared<PerturbCli>();
  auto* sub = app.add_subcommand("perturb",
                                 "Classify random perturbations of a piecewise-linear network by their fixed points");
  sub->add_option("model", c->model_path, "Model file (JSON), piecewise linear")->required();
  auto* w = sub->add_flag("--weights", c->weights, "Perturb W (default)");
  sub->add_flag("--bias", c->bias, "Perturb b")->excludes(w);
  sub->add_option("--scale", c->options.scale, "Standard deviation of each entry")->capture_default_str();
  sub->add_option("--samples", c->options.samples, "Number of random perturbations")->capture_default_str();
  sub->add_option("--seed", c->options.seed, "Random seed")->capture_default_str();
  sub->add_option("--epsilon", c->epsilon_path, "One given perturbation: JSON list of rows (or .npy)");
  sub->add_option("--confidence", c->options.confidence, "Confidence level of the intervals")->capture_default_str();
  sub->add_option("--keep", c->options.keep_samples, "Samples written in full")->capture_default_str();
  add_output_option(sub, c->output);
  sub->callback([c] {
    c->options.target = c->bias ? PerturbTarget::Bias : PerturbTarget::Weights;
    if (!c->epsilon_path.empty()) c->options.epsilon = read_epsilon(c->epsilon_path);
    c->options.validate();
    const auto model = load_model_file(c->model_path);
    const PerturbResult r = perturb(*model, c->options);
    nlohmann::json j = to_json(r);
    j["model"] = model->kind();
    j["target"] = c->bias ? "bias" : "weights";
    write_json(c->output, j);
  });
});

}  // namespace
}  // namespace rnndyn::cli
