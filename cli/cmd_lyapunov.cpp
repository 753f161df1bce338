// rnndyn lyapunov MODEL [--k K] [--t T] [--warmup W] [--interval DT] [--integrator dopri5|rk4]
#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/lyapunov/lyapunov.hpp"

namespace rnndyn::cli {
namespace {

struct LyapunovCli {
  std::string model_path, x0, output;
  LyapunovOptions options;
  FlagTable flags;
};

const bool registered = register_command("lyapunov", [](CLI::App& app) {
  auto c = std::make_shared<LyapunovCli>();
  auto* sub = add_analysis_command(app, "lyapunov");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  sub->add_option(
      "--x0", c->x0,
      "Initial state, or zeros (default: the model file's x0, else a trained reservoir's first trained state, else "
      "zeros)");
  add_described_flags(sub, c->options, c->flags);
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    run_naming_options(
        *sub,
        [&c] {
          const auto model = load_model_file(c->model_path);
          if (!c->x0.empty()) c->options.x0 = parse_vector(c->x0, "x0", model->dim());
          c->options.progress = progress_reporter("lyapunov");
          write_result(c->output, "lyapunov", to_json(lyapunov_spectrum(*model, c->options)));
        },
        c->flags);
  });
});

}  // namespace
}  // namespace rnndyn::cli
