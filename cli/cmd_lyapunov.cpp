// rnndyn lyapunov MODEL [--k K] [--t T] [--warmup W] [--interval DT] [--integrator dopri5|rk4]
#include "command.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/lyapunov/lyapunov.hpp"
#include "rnndyn/lyapunov/lyapunov_json.hpp"

namespace rnndyn::cli {
namespace {

struct LyapunovCli {
  std::string model_path, x0, output, integrator = "dopri5";
  long k = 0;
  LyapunovOptions options;
};

const bool registered = register_command("lyapunov", [](CLI::App& app) {
  auto c = std::make_shared<LyapunovCli>();
  auto* sub =
      app.add_subcommand("lyapunov", "First K Lyapunov exponents by QR reorthonormalisation, with bootstrap CIs");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  sub->add_option("--k", c->k, "Number of exponents (0: all)")->capture_default_str();
  sub->add_option("--x0", c->x0, "Initial state (default: the model file's x0, else zeros)");
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
      ->capture_default_str();
  add_output_option(sub, c->output);
  sub->callback([c] {
    if (c->k < 0) throw InputError("--k", "must be >= 0");
    c->options.k = c->k;
    c->options.integrator = lyapunov_integrator_from_string(c->integrator, "--integrator");
    c->options.validate();
    const auto model = load_model_file(c->model_path);
    if (c->options.k > model->dim())
      throw InputError("--k", "must be <= the model dimension " + std::to_string(model->dim()));
    const Vector x0 = initial_state(c->x0, *model);
    nlohmann::json j = to_json(lyapunov_spectrum(*model, x0, c->options));
    j["model"] = model->kind();
    j["time"] = model->time_kind() == TimeKind::Flow ? "continuous" : "discrete";
    j["integrator"] = c->integrator;
    write_json(c->output, j);
  });
});

}  // namespace
}  // namespace rnndyn::cli
