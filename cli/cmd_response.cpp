// rnndyn response MODEL [--method impulse|noise] [--channel C] [--output K] [--amplitude A] ...:
// the transfer function of the readout over one input channel, measured by simulation.
#include "command.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/simulate/response.hpp"

namespace rnndyn::cli {
namespace {

struct ResponseCli {
  CLI::App* sub = nullptr;
  std::string model_path, x0, output, method = "impulse";
  ResponseOptions options;
};

const bool registered = register_command("response", [](CLI::App& app) {
  auto c = std::make_shared<ResponseCli>();
  auto* sub = c->sub = app.add_subcommand(
      "response", "Transfer function G(omega) = Z/S of the readout z over one input channel, by simulation");
  sub->add_option("model", c->model_path, "Model file with inputs (W_in / w_in) and a readout (W_out / w_out)")
      ->required();
  sub->add_option("--method", c->method, "impulse (one pulse) or noise (white-noise realisations)")
      ->capture_default_str();
  sub->add_option("--x0", c->x0,
                  "Start, usually a stable fixed point (default: the file's x0, else a trained state, else zeros)");
  sub->add_option("--channel", c->options.channel, "Input channel driven")->capture_default_str();
  sub->add_option("--readout", c->options.readout, "Readout row observed")->capture_default_str();
  sub->add_option("--amplitude", c->options.amplitude, "Pulse area (impulse) or noise sigma")->capture_default_str();
  sub->add_option("--t-end", c->options.t_end, "Response length (impulse) or window per realisation (noise)")
      ->capture_default_str();
  sub->add_option("--transient", c->options.transient, "Noise: time discarded before each window")
      ->capture_default_str();
  sub->add_option("--dt", c->options.dt, "Sampling step, pulse width, noise grid")->capture_default_str();
  sub->add_option("--repeats", c->options.repeats, "Noise: realisations")->capture_default_str();
  sub->add_option("--seed", c->options.seed, "Noise: seed of the first realisation")->capture_default_str();
  sub->add_option("--n-omega", c->options.n_omega, "Frequencies on (0, omega_max]")->capture_default_str();
  sub->add_option("--omega-max", c->options.omega_max, "Largest angular frequency")->capture_default_str();
  sub->add_option("--rtol", c->options.rel_tol, "Relative tolerance of the integrator")->capture_default_str();
  sub->add_option("--atol", c->options.abs_tol, "Absolute tolerance of the integrator")->capture_default_str();
  add_output_option(sub, c->output);
  sub->callback([c] {
    c->options.method = parse_response_method(c->method, "--method");
    const auto model = load_model_file(c->model_path);
    if (!c->x0.empty()) c->options.x0 = parse_vector(c->x0, "--x0", model->dim());
    const std::map<std::string, std::string> flags{{"abs_tol", "--atol"}, {"rel_tol", "--rtol"}};
    const ResponseResult res = run_naming_options(
        *c->sub,
        [&] {
          c->options.progress = progress_reporter("response");
          return measure_response(*model, c->options);
        },
        flags);
    write_json(c->output, to_json(res));
  });
});

}  // namespace
}  // namespace rnndyn::cli
