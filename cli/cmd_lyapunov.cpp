// rnndyn lyapunov MODEL [--k K] [--t T] [--warmup W] [--interval DT] [--integrator dopri5|rk4]
#include "command.hpp"
#include "rnndyn/lyapunov/lyapunov.hpp"
#include "rnndyn/lyapunov/lyapunov_json.hpp"

namespace rnndyn::cli {
namespace {

struct LyapunovCli {
  std::string model_path, x0, output, integrator = to_string(LyapunovOptions{}.integrator);
  LyapunovOptions options;
};

const bool registered = register_command("lyapunov", [](CLI::App& app) {
  auto c = std::make_shared<LyapunovCli>();
  auto* sub =
      app.add_subcommand("lyapunov", "First K Lyapunov exponents by QR reorthonormalisation, with bootstrap CIs");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  sub->add_option("--k", c->options.k,
                  "Number of exponents (0: all up to dimension " + std::to_string(kDefaultLyapunovExponents) +
                      ", else that many leading ones; the dimension: all)")
      ->capture_default_str();
  sub->add_option(
      "--x0", c->x0,
      "Initial state, or zeros (default: the model file's x0, else a trained reservoir's first trained state, else "
      "zeros)");
  sub->add_option("--t", c->options.t_total, "Measured time (flows) or steps (maps)")->capture_default_str();
  sub->add_option("--warmup", c->options.warmup, "Time or steps discarded first")->capture_default_str();
  sub->add_option("--interval", c->options.interval, "Time or steps between QR reorthonormalisations")
      ->capture_default_str();
  sub->add_option("--integrator", c->integrator, "dopri5 (adaptive) or rk4 (fixed step --dt)")->capture_default_str();
  sub->add_option("--dt", c->options.dt, "rk4 step (0: interval / 10)")->capture_default_str();
  sub->add_option("--rtol", c->options.rel_tol, "dopri5 relative tolerance")->capture_default_str();
  sub->add_option("--atol", c->options.abs_tol, "dopri5 absolute tolerance")->capture_default_str();
  sub->add_option("--blocks", c->options.blocks, "Time blocks of the bootstrap")->capture_default_str();
  sub->add_option("--confidence", c->options.confidence, "Confidence level of the intervals")->capture_default_str();
  sub->add_option("--seed", c->options.seed, "Seed of the initial tangent vectors and the bootstrap")
      ->check(non_negative_integer())
      ->capture_default_str();
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    run_naming_options(*sub, [&c] {
      c->options.integrator = parse_tangent_stepper(c->integrator);
      const auto model = load_model_file(c->model_path);
      if (!c->x0.empty()) c->options.x0 = parse_vector(c->x0, "x0", model->dim());
      c->options.progress = progress_reporter("lyapunov");
      write_json(c->output, to_json(lyapunov_spectrum(*model, c->options)));
    });
  });
});

}  // namespace
}  // namespace rnndyn::cli
