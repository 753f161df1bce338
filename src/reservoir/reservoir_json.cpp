// JSON encodings of the seed-003 results and the reader of their configuration files; see
// reservoir_json.hpp.
#include "rnndyn/reservoir/reservoir_json.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const NyquistOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const MeanFieldOptions& o) {
  nlohmann::json j = described_to_json(o);
  j["activation"] = o.activation.name();  // the one member the description leaves out: two keys
  j["threshold"] = to_json_number(o.activation.threshold());
  return j;
}

nlohmann::json to_json(const ReservoirExperimentOptions& o) {
  nlohmann::json j = described_to_json(o);
  j["mean_field"] = to_json(o.mean_field);  // with the activation, which its description leaves out
  return j;
}

nlohmann::json to_json(const NyquistResult& n) { return described_to_json(n); }

nlohmann::json to_json(const MeanFieldResult& mf) {
  nlohmann::json j;
  j["status"] = to_string(mf.status);
  if (!mf.message.empty()) j["message"] = mf.message;
  j["iterations"] = mf.iterations;
  j["C"] = to_json(mf.C);
  j["k"] = to_json(mf.k);
  j["omega"] = mf.omegas;
  nlohmann::json levels = nlohmann::json::array();
  for (const auto& t : mf.targets) {
    nlohmann::json l;
    l["A"] = t.A;
    l["sigma2"] = to_json_number(t.sigma2);
    l["beta0"] = to_json_number(t.beta0);
    l["beta1"] = to_json_number(t.beta1);
    l["rho"] = to_json_number(t.rho);
    l["tau_net"] = to_json_number(t.tau_net);
    if (t.a.size() == 1) {
      l["lambda_out"] = to_json_number(t.lambda_out);
      l["lambda_out_eq15"] = to_json_number(t.lambda_out_eq15);
      l["tau_out"] = to_json_number(t.tau_out);
    }
    l["poles"] = to_json(t.poles);
    l["stable"] = t.stable;
    l["nyquist"] = to_json(t.nyquist);
    l["nyquist_stable"] = t.nyquist.stable;
    l["gain"] = to_json(t.gain);
    levels.push_back(l);
  }
  j["levels"] = levels;
  j["options"] = to_json(mf.options);
  add_run_info(j, mf.info);
  return j;
}

nlohmann::json to_json(const FiniteTargetAnalysis& a, bool with_spectrum) {
  nlohmann::json l;
  l["A"] = a.A;
  l["rho"] = to_json_number(a.rho);
  l["outliers"] = to_json(a.outliers);
  l["outlier_inside_bulk"] = a.outlier_inside_bulk;
  l["displaced"] = to_json(a.displaced);
  l["max_real"] = to_json_number(a.max_real);
  if (a.closed_loop_eigenvalues.size()) l["stable"] = a.stable;
  l["nyquist"] = to_json(a.nyquist);
  l["nyquist_stable"] = a.nyquist.stable;
  l["gain"] = to_json(a.gain);
  if (with_spectrum) l["eigenvalues"] = to_json(a.closed_loop_eigenvalues);
  return l;
}

nlohmann::json to_json(const TransientResponse& t) {
  return {{"t", t.t},
          {"z", to_json(t.z)},
          {"neurons", to_json(t.neurons)},
          {"status", t.status == SimulateStatus::Ok ? "ok" : "diverged"}};
}

nlohmann::json to_json(const ReservoirExperiment& r) {
  nlohmann::json j;
  j["status"] = to_string(r.status);
  j["omega"] = r.omegas;
  j["mean_field"] = to_json(r.mean_field);
  nlohmann::json fin;
  fin["N"] = r.options.N;
  fin["seed"] = r.options.seed;
  fin["ridge"] = to_json_number(r.options.ridge);
  fin["training_status"] = to_string(r.training.status);
  fin["readout_error"] = to_json_number(r.training.readout_error);
  fin["w_out_norm"] = to_json_number(r.w_out_norm);
  nlohmann::json levels = nlohmann::json::array();
  for (std::size_t m = 0; m < r.levels.size(); ++m) {
    nlohmann::json l = to_json(r.levels[m], r.options.spectrum);
    l["residual"] = to_json_number(r.training.targets[m].residual);
    l["converged"] = r.training.targets[m].converged;
    if (m < r.transients.size()) l["transient"] = to_json(r.transients[m]);
    levels.push_back(l);
  }
  fin["levels"] = levels;
  j["finite"] = fin;
  j["options"] = to_json(r.options);
  add_run_info(j, r.info);
  return j;
}

namespace {

nlohmann::json read_json_object(const std::string& path) {
  if (std::filesystem::is_directory(path)) throw InputError("config", "'" + path + "' is a directory, not a file");
  std::ifstream in(path);
  if (!in) throw InputError("config", "cannot open '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json j = parse_json_document(text.str(), "config", "'" + path + "'");
  if (!j.is_object()) throw InputError("config", "'" + path + "': expected a JSON object");
  return j;
}

/// Setters of the keys of one JSON object: `apply` runs the setter of each key present.
class KeyTable {
 public:
  explicit KeyTable(std::string path) : path_(std::move(path)) {}
  template <class T>
  void add(const std::string& key, T& field) {
    setters_[key] = [this, key, &field](const nlohmann::json& v) {
      try {
        field = v.get<T>();
      } catch (const nlohmann::json::exception&) {
        throw InputError(key, "wrong type in config '" + path_ + "'");
      }
    };
  }
  void add_custom(const std::string& key, std::function<void(const nlohmann::json&)> setter) {
    setters_[key] = std::move(setter);
  }
  void apply(const nlohmann::json& j, const std::vector<std::string>& keep) const {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const auto s = setters_.find(it.key());
      if (s == setters_.end()) throw InputError(it.key(), "unknown key in config '" + path_ + "'");
      if (std::find(keep.begin(), keep.end(), it.key()) == keep.end()) s->second(it.value());
    }
  }

 private:
  std::string path_;
  std::map<std::string, std::function<void(const nlohmann::json&)>> setters_;
};

}  // namespace

ReservoirExperimentOptions read_reservoir_config(const std::string& path, ReservoirExperimentOptions o,
                                                 const std::vector<std::string>& keep) {
  const nlohmann::json j = read_json_object(path);
  MeanFieldOptions& mf = o.mean_field;
  std::string activation = mf.activation.name(), feedback = to_string(mf.feedback);
  double threshold = mf.activation.threshold();
  long long seed = static_cast<long long>(o.seed), N = static_cast<long long>(o.N);
  std::string ignored;
  KeyTable keys(path);
  keys.add("activation", activation);
  keys.add("threshold", threshold);
  keys.add("g", mf.g);
  keys.add("feedback", feedback);
  keys.add("feedback_scale", mf.feedback_scale);
  keys.add("targets", mf.targets);
  keys.add("hermite_order", mf.hermite_order);
  keys.add("feedback_order", mf.feedback_order);
  keys.add("tol", mf.tol);
  keys.add("max_iter", mf.max_iter);
  keys.add("omegas", mf.omegas);
  keys.add("n_omega", mf.n_omega);
  keys.add("omega_max", mf.omega_max);
  KeyTable nyquist(path);
  nyquist.add("omega_min", mf.nyquist.omega_min);
  nyquist.add("omega_max", mf.nyquist.omega_max);
  nyquist.add("initial_points", mf.nyquist.initial_points);
  nyquist.add("max_angle_step", mf.nyquist.max_angle_step);
  nyquist.add("max_evaluations", mf.nyquist.max_evaluations);
  keys.add_custom("nyquist", [&nyquist](const nlohmann::json& v) {
    if (!v.is_object()) throw InputError("nyquist", "expected an object of NyquistOptions fields");
    nyquist.apply(v, {});
  });
  keys.add("N", N);
  keys.add("seed", seed);
  keys.add("ridge", o.ridge);
  keys.add("dense_spectrum", o.dense_spectrum);
  keys.add("spectrum", o.spectrum);
  keys.add("transient", o.transient);
  keys.add("kick", o.kick);
  keys.add("comment", ignored);
  keys.add("figure", ignored);
  keys.apply(j, keep);
  if (seed < 0) throw InputError("seed", "must be >= 0");
  o.seed = static_cast<std::uint64_t>(seed);
  o.N = static_cast<Index>(N);
  mf.activation = Activation::from_name(activation, threshold);
  mf.feedback = feedback_distribution_from_name(feedback);
  return o;
}

}  // namespace rnndyn
