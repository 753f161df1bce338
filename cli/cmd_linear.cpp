// rnndyn linear MODEL: eigen-mode analysis of the linear network of seed 002.
#include "command.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/linear/linear_network.hpp"

namespace rnndyn::cli {
namespace {

struct LinearCli {
  std::string model_path, output;
  LinearNetworkOptions options;
};

const bool registered = register_command("linear", [](CLI::App& app) {
  auto c = std::make_shared<LinearCli>();
  auto* sub = app.add_subcommand(
      "linear", "Linear network tau dv/dt = -v + M v + h: modes, amplification 1/(1-lambda), steady state, verdict");
  sub->add_option("model", c->model_path, "Model file of type linear (JSON)")->required();
  sub->add_option("--integrator-tol", c->options.integrator_tol, "|lambda - 1| below this is a perfect integrator")
      ->capture_default_str();
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    run_naming_options(*sub, [&c] { c->options.validate(); });
    const auto model = load_model_file(c->model_path);
    write_json(c->output,
               to_json(run_naming_options(*sub, [&] { return analyze_linear_network(*model, c->options); })));
  });
});

}  // namespace
}  // namespace rnndyn::cli
