// rnndyn mft ... (mean-field theory only) and rnndyn reservoir ... (finite network + theory) of seed 003.
#include <algorithm>
#include <cmath>
#include <fstream>

#include "command.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/reservoir/reservoir_json.hpp"

namespace rnndyn::cli {
namespace {

/// Options shared by both commands; defaults are those of MeanFieldOptions / ReservoirOptions.
struct ReservoirCli {
  std::string config, output, activation = "tanh", feedback = "uniform";
  double threshold = 0.0, g = 1.5, feedback_scale = 1.0, ridge = 0.0, omega_max = 10.0, transient = 0.0;
  double kick = 0.05;
  std::vector<double> targets{1.0};
  int hermite_order = 64, feedback_order = 32, n_omega = 200;
  long long N = 1000, seed = 1;
  bool spectrum = false, no_dense = false;
  CLI::App* sub = nullptr;
};

/// Fills options from a JSON config (examples/reservoir_*.json) unless given on the command line.
void apply_config(ReservoirCli& c) {
  if (c.config.empty()) return;
  std::ifstream in(c.config);
  if (!in) throw InputError("--config", "cannot open '" + c.config + "'");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError("--config", std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) throw InputError("--config", "expected a JSON object");
  auto set = [&](const std::string& key, auto& field) {
    if (!j.contains(key)) return;
    const CLI::Option* opt = c.sub->get_option_no_throw("--" + key);
    if (opt && opt->count() > 0) return;  // the command line wins
    try {
      field = j.at(key).get<std::decay_t<decltype(field)>>();
    } catch (const nlohmann::json::exception&) {
      throw InputError(key, "wrong type in config '" + c.config + "'");
    }
  };
  static const std::vector<std::string> known = {
      "activation",    "threshold",      "g",    "feedback", "feedback_scale", "targets",
      "hermite_order", "feedback_order", "N",    "seed",     "ridge",          "omega_max",
      "n_omega",       "transient",      "kick", "spectrum", "comment",        "figure"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find(known.begin(), known.end(), it.key()) == known.end())
      throw InputError(it.key(), "unknown key in config '" + c.config + "'");
  set("activation", c.activation);
  set("threshold", c.threshold);
  set("g", c.g);
  set("feedback", c.feedback);
  set("feedback_scale", c.feedback_scale);
  set("targets", c.targets);
  set("hermite_order", c.hermite_order);
  set("feedback_order", c.feedback_order);
  set("N", c.N);
  set("seed", c.seed);
  set("ridge", c.ridge);
  set("omega_max", c.omega_max);
  set("n_omega", c.n_omega);
  set("transient", c.transient);
  set("kick", c.kick);
  set("spectrum", c.spectrum);
}

MeanFieldOptions mean_field_options(const ReservoirCli& c) {
  MeanFieldOptions o;
  o.g = c.g;
  o.activation = Activation::from_name(c.activation, c.threshold);
  o.targets = c.targets;
  o.feedback = feedback_distribution_from_name(c.feedback, "--feedback");
  o.feedback_scale = c.feedback_scale;
  o.hermite_order = c.hermite_order;
  o.feedback_order = c.feedback_order;
  o.validate();
  return o;
}

/// 0 followed by n - 1 log-spaced frequencies from omega_max * 1e-4 to omega_max.
std::vector<double> frequency_grid(const ReservoirCli& c) {
  if (c.n_omega < 0 || c.n_omega > 100000) throw InputError("--n-omega", "must be in [0, 100000]");
  if (!(c.omega_max > 0.0 && std::isfinite(c.omega_max))) throw InputError("--omega-max", "must be finite and > 0");
  std::vector<double> w;
  if (c.n_omega == 0) return w;
  w.push_back(0.0);
  for (int i = 1; i < c.n_omega; ++i)
    w.push_back(c.omega_max * std::pow(1e-4, 1.0 - static_cast<double>(i - 1) / std::max(1, c.n_omega - 2)));
  return w;
}

nlohmann::json header(const ReservoirCli& c, const std::string& command) {
  return {{"command", command},     {"activation", c.activation},         {"threshold", c.threshold}, {"g", c.g},
          {"feedback", c.feedback}, {"feedback_scale", c.feedback_scale}, {"targets", c.targets}};
}

void run_mft(ReservoirCli& c) {
  apply_config(c);
  const MeanFieldOptions o = mean_field_options(c);
  const auto omegas = frequency_grid(c);
  const MeanFieldResult mf = solve_mean_field(o);
  nlohmann::json j = header(c, "mft");
  j["omega"] = omegas;
  j["mean_field"] = to_json(mf, omegas);
  write_json(c.output, j);
}

void run_reservoir(ReservoirCli& c) {
  apply_config(c);
  const MeanFieldOptions mo = mean_field_options(c);
  if (c.N < 2 || c.N > 100000) throw InputError("--N", "must be in [2, 100000]");
  if (c.seed < 0) throw InputError("--seed", "must be >= 0");
  if (!(c.transient >= 0.0 && std::isfinite(c.transient))) throw InputError("--transient", "must be finite and >= 0");
  const auto omegas = frequency_grid(c);
  ReservoirOptions ro;
  ro.N = static_cast<Index>(c.N);
  ro.g = c.g;
  ro.activation = mo.activation;
  ro.feedback = mo.feedback;
  ro.feedback_scale = c.feedback_scale;
  ro.seed = static_cast<std::uint64_t>(c.seed);
  ro.validate();
  TrainingOptions to;
  to.targets = c.targets;
  to.ridge = c.ridge;
  to.validate();
  if (!(std::isfinite(c.kick) && c.kick != 0.0)) throw InputError("--kick", "must be finite and nonzero");
  TransientOptions tro;
  tro.amplitude = c.kick;
  if (c.transient > 0) {
    tro.t_end = c.transient;
    tro.dt = std::min(0.1, c.transient);
    tro.validate();
  }

  const MeanFieldResult mf = solve_mean_field(mo);
  progress("reservoir: training", 0, 3);
  Reservoir res(ro);
  const TrainingResult tr = train_reservoir(res, to);
  progress("reservoir: spectra", 1, 3);
  ReservoirAnalysisOptions ao;
  ao.omegas = omegas;
  ao.dense_spectrum = !c.no_dense;
  const auto an = analyze_reservoir(res, tr, &mf, ao);
  progress("reservoir: done", 3, 3);

  nlohmann::json j = header(c, "reservoir");
  j["omega"] = omegas;
  j["mean_field"] = to_json(mf, omegas);
  nlohmann::json fin;
  fin["N"] = c.N;
  fin["seed"] = c.seed;
  fin["ridge"] = c.ridge;
  fin["training_status"] = to_string(tr.status);
  fin["readout_error"] = tr.readout_error;
  fin["w_out_norm"] = tr.w_out.norm();
  nlohmann::json levels = nlohmann::json::array();
  for (std::size_t m = 0; m < an.size(); ++m) {
    nlohmann::json l = to_json(an[m], c.spectrum);
    l["residual"] = tr.targets[m].residual;
    l["converged"] = tr.targets[m].converged;
    if (c.transient > 0) l["transient"] = to_json(transient_response(res, tr.targets[m].x, tr.targets[m].A, tro));
    levels.push_back(l);
  }
  fin["levels"] = levels;
  j["finite"] = fin;
  write_json(c.output, j);
}

void add_common(CLI::App* sub, ReservoirCli& c) {
  sub->add_option("--config", c.config, "JSON file with any of these options (examples/reservoir_*.json)");
  sub->add_option("--activation", c.activation, "tanh, relu (max(0, x - threshold)), sigmoid, softplus, ...")
      ->capture_default_str();
  sub->add_option("--threshold", c.threshold, "Threshold of relu")->capture_default_str();
  sub->add_option("--g", c.g, "Gain g of W_ij ~ N(0, g^2/N)")->capture_default_str();
  sub->add_option("--targets", c.targets, "Target levels A_1,...,A_M")->delimiter(',')->capture_default_str();
  sub->add_option("--feedback", c.feedback, "Feedback weight distribution: uniform (on [-s, s]) or gaussian")
      ->capture_default_str();
  sub->add_option("--feedback_scale,--feedback-scale", c.feedback_scale, "Scale s of the feedback distribution")
      ->capture_default_str();
  sub->add_option("--hermite_order,--hermite-order", c.hermite_order, "Gauss-Hermite nodes over y")
      ->capture_default_str();
  sub->add_option("--feedback_order,--feedback-order", c.feedback_order, "Quadrature nodes over w_FB")
      ->capture_default_str();
  sub->add_option("--omega_max,--omega-max", c.omega_max, "Largest frequency of the G_OL grid")->capture_default_str();
  sub->add_option("--n_omega,--n-omega", c.n_omega, "Points of the G_OL grid (0 and a log grid)")
      ->capture_default_str();
  add_output_option(sub, c.output);
}

const bool registered_mft = register_command("mft", [](CLI::App& app) {
  auto c = std::make_shared<ReservoirCli>();
  c->sub = app.add_subcommand("mft",
                              "Mean-field theory of a reservoir trained to fixed points (seed 003): "
                              "sigma^2, beta_0, beta_1, closed-loop poles, Nyquist verdict, G_OL");
  add_common(c->sub, *c);
  c->sub->callback([c] { run_mft(*c); });
});

const bool registered_reservoir = register_command("reservoir", [](CLI::App& app) {
  auto c = std::make_shared<ReservoirCli>();
  c->sub = app.add_subcommand("reservoir",
                              "Train a random reservoir with output feedback to fixed points and "
                              "compare its spectrum and G_OL with the mean-field theory (seed 003)");
  add_common(c->sub, *c);
  c->sub->add_option("--N", c->N, "Number of neurons")->capture_default_str();
  c->sub->add_option("--seed", c->seed, "Random seed of W, w_FB, w_in")->capture_default_str();
  c->sub->add_option("--ridge", c->ridge, "Ridge penalty of the readout fit")->capture_default_str();
  c->sub->add_option("--transient", c->transient, "Length of the delta-kick transient to record (0: none)")
      ->capture_default_str();
  c->sub->add_option("--kick", c->kick, "Size of the delta kick along w_FB")->capture_default_str();
  c->sub->add_flag("--spectrum", c->spectrum, "Include the full closed-loop spectrum");
  c->sub->add_flag("--no-dense", c->no_dense, "Skip the dense closed-loop spectrum (outliers by Newton only)");
  c->sub->callback([c] { run_reservoir(*c); });
});

}  // namespace
}  // namespace rnndyn::cli
