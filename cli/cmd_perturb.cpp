// rnndyn perturb MODEL (--weights | --bias) [--scale S] [--samples K] [--seed N] [--epsilon FILE]
#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/matrix_file.hpp"
#include "rnndyn/perturbation/perturbation.hpp"

namespace rnndyn::cli {
namespace {

struct PerturbCli {
  std::string model_path, output, epsilon_path;
  bool weights = false, bias = false;
  PerturbOptions options;
  FlagTable flags;
};

const bool registered = register_command("perturb", [](CLI::App& app) {
  auto c = std::make_shared<PerturbCli>();
  auto* sub = add_analysis_command(app, "perturb");
  sub->add_option("model", c->model_path, "Model file (JSON), piecewise linear")->required();
  auto* w = sub->add_flag("--weights", c->weights, "Perturb W (default)");
  sub->add_flag("--bias", c->bias, "Perturb b")->excludes(w);
  sub->add_option("--epsilon", c->epsilon_path,
                  "One given perturbation: a JSON list of rows ('[[0, 0.1], [0, 0]]'), or a .npy / .json file");
  add_described_flags(sub, c->options, c->flags);
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    c->options.target = c->bias ? PerturbTarget::Bias : PerturbTarget::Weights;
    if (!c->epsilon_path.empty()) c->options.epsilon = parse_matrix_text(c->epsilon_path, "--epsilon");
    const auto model = load_model_file(c->model_path);
    c->options.progress = progress_reporter("perturb");
    run_naming_options(
        *sub, [&] { write_result(c->output, "perturb", to_json(perturb(*model, c->options))); }, c->flags);
  });
});

}  // namespace
}  // namespace rnndyn::cli
