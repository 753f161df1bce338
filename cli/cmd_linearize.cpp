// rnndyn linearize MODEL [--at X]: Jacobian, eigen-decomposition and stability class at X (default: the
// model's initial state).
#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/linearize/linearize.hpp"

namespace rnndyn::cli {
namespace {

struct LinearizeCli {
  std::string model_path, at, output;
  LinearizeOptions options;
  FlagTable flags;  // the described options' fields -> flags
};

const bool registered = register_command("linearize", [](CLI::App& app) {
  auto c = std::make_shared<LinearizeCli>();
  auto* sub = add_analysis_command(app, "linearize");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  sub->add_option("--at", c->at,
                  "The point: 1,2,3 or [1,2,3] or @file.npy or zeros (default: the model file's x0, else a trained "
                  "reservoir's first trained state, else zeros)");
  add_described_flags(sub, c->options, c->flags);
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    run_naming_options(
        *sub, [&c] { c->options.validate(); }, c->flags);
    const auto model = load_model_file(c->model_path);
    if (c->at.empty()) {
      write_result(c->output, "linearize",
                   to_json(run_naming_options(
                       *sub, [&] { return linearize(*model, c->options); }, c->flags)));
      return;
    }
    const Vector x = parse_vector(c->at, "--at", model->dim());
    write_result(c->output, "linearize",
                 to_json(run_naming_options(
                     *sub, [&] { return linearize(*model, x, c->options); }, c->flags)));
  });
});

}  // namespace
}  // namespace rnndyn::cli
