// rnndyn mft ... (mean-field theory only) and rnndyn reservoir ... (finite network + theory) of
// seed 003: both bind ReservoirExperimentOptions (mft uses its mean_field part), optionally read
// from --config (the command line wins), and make one library call.
#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/reservoir/reservoir_json.hpp"

namespace rnndyn::cli {
namespace {

struct ReservoirCli {
  std::string config, output;
  std::string activation = MeanFieldOptions{}.activation.name();
  double threshold = MeanFieldOptions{}.activation.threshold();
  std::string feedback = to_string(MeanFieldOptions{}.feedback);
  ReservoirExperimentOptions options;
  FlagTable flags;  // reservoir: the described options' fields -> flags
  CLI::App* sub = nullptr;
};

/// The options as given: command line, then the config file for every key not given there.
ReservoirExperimentOptions parse(const ReservoirCli& c) {
  ReservoirExperimentOptions o = c.options;
  o.mean_field.activation = Activation::from_name(c.activation, c.threshold);
  o.mean_field.feedback = feedback_distribution_from_name(c.feedback);
  if (c.config.empty()) return o;
  std::vector<std::string> keep = given_fields(*c.sub);
  if (const CLI::Option* no_dense = c.sub->get_option_no_throw("--no-dense"); no_dense && no_dense->count())
    keep.push_back("dense_spectrum");
  return read_reservoir_config(c.config, o, keep);
}

void add_common(CLI::App* sub, ReservoirCli& c) {
  MeanFieldOptions& o = c.options.mean_field;
  sub->add_option("--config", c.config, "JSON file with any of these options (examples/reservoir_*.json)");
  sub->add_option("--activation", c.activation, "tanh, relu (max(0, x - threshold)), sigmoid, softplus, ...")
      ->capture_default_str();
  sub->add_option("--threshold", c.threshold, "Threshold of relu")->capture_default_str();
  sub->add_option("--g", o.g, "Gain g of W_ij ~ N(0, g^2/N)")->capture_default_str();
  sub->add_option("--targets", o.targets, "Target levels A_1,...,A_M")->delimiter(',')->capture_default_str();
  sub->add_option("--feedback", c.feedback, "Feedback weight distribution: uniform (on [-s, s]) or gaussian")
      ->capture_default_str();
  sub->add_option("--feedback_scale,--feedback-scale", o.feedback_scale, "Scale s of the feedback distribution")
      ->capture_default_str();
  sub->add_option("--hermite_order,--hermite-order", o.hermite_order,
                  "Gauss-Hermite nodes over y of the bivariate moments (M > 1)")
      ->capture_default_str();
  sub->add_option("--feedback_order,--feedback-order", o.feedback_order, "Quadrature nodes over w_FB")
      ->capture_default_str();
  sub->add_option("--omega_max,--omega-max", o.omega_max, "Largest frequency of the G_OL grid")->capture_default_str();
  sub->add_option("--n_omega,--n-omega", o.n_omega, "Points of the G_OL grid (0 and a log grid)")
      ->capture_default_str();
  add_output_option(sub, c.output);
}

const bool registered_mft = register_command("mft", [](CLI::App& app) {
  auto c = std::make_shared<ReservoirCli>();
  c->sub = add_analysis_command(app, "mft");
  add_common(c->sub, *c);
  c->sub->callback([c] {
    run_naming_options(*c->sub,
                       [&c] { write_result(c->output, "mft", to_json(solve_mean_field(parse(*c).mean_field))); });
  });
});

const bool registered_reservoir = register_command("reservoir", [](CLI::App& app) {
  auto c = std::make_shared<ReservoirCli>();
  ReservoirExperimentOptions& o = c->options;
  c->sub = add_analysis_command(app, "reservoir");
  add_common(c->sub, *c);
  add_described_flags(c->sub, o, c->flags);  // the finite network's (ReservoirExperimentOptions)
  c->sub->callback([c] {
    run_naming_options(
        *c->sub, [&c] { write_result(c->output, "reservoir", to_json(analyze_reservoir(parse(*c)))); }, c->flags);
  });
});

}  // namespace
}  // namespace rnndyn::cli
