// JSON encodings of the seed-003 results; see reservoir_json.hpp.
#include "rnndyn/reservoir/reservoir_json.hpp"

#include <Eigen/Eigenvalues>
#include <limits>

#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const NyquistResult& n) {
  return {{"encirclements", n.encirclements},
          {"open_loop_unstable", n.open_loop_unstable},
          {"unstable_poles", n.unstable_poles},
          {"stable", n.stable},
          {"min_distance", to_json_number(n.min_distance)},
          {"evaluations", n.evaluations},
          {"resolved", n.resolved}};
}

nlohmann::json to_json(const MeanFieldResult& mf, const std::vector<double>& omegas, const NyquistOptions& nyq) {
  nlohmann::json j;
  j["status"] = to_string(mf.status);
  j["C"] = to_json(mf.C);
  j["k"] = to_json(mf.k);
  nlohmann::json levels = nlohmann::json::array();
  for (const auto& t : mf.targets) {
    nlohmann::json l;
    l["A"] = t.A;
    l["sigma2"] = to_json_number(t.sigma2);
    l["beta0"] = to_json_number(t.beta0);
    l["beta1"] = to_json_number(t.beta1);
    l["rho"] = to_json_number(t.rho);
    l["tau_net"] = to_json_number(t.rho < 1 ? 1.0 / (1.0 - t.rho) : std::numeric_limits<double>::infinity());
    if (t.a.size() == 1) {
      l["lambda_out"] = to_json_number(t.poles(0).real());
      l["lambda_out_eq15"] = to_json_number(t.lambda_out_eq15);
      l["tau_out"] = to_json_number(-1.0 / t.poles(0).real());
    }
    l["poles"] = to_json(t.poles);
    l["stable"] = t.stable;
    // Open-loop poles eig(P) - 1 in Re s > 0 enter the Nyquist count as P.
    Eigen::EigenSolver<Matrix> es(t.P, false);
    int p_unstable = 0;
    for (Index i = 0; i < es.eigenvalues().size(); ++i) p_unstable += es.eigenvalues()(i).real() > 1.0;
    const NyquistResult n = nyquist_criterion([&t](double w) { return t.open_loop_gain(w); }, p_unstable, nyq);
    l["nyquist"] = to_json(n);
    l["nyquist_stable"] = n.stable;
    nlohmann::json g = nlohmann::json::array();
    for (double w : omegas) g.push_back(to_json(t.open_loop_gain(w)));
    l["gain"] = g;
    levels.push_back(l);
  }
  j["levels"] = levels;
  return j;
}

nlohmann::json to_json(const FiniteTargetAnalysis& a, bool with_spectrum) {
  nlohmann::json l;
  l["A"] = a.A;
  l["rho"] = to_json_number(a.rho);
  l["outliers"] = to_json(a.outliers);
  // An outlier with |s + 1| < rho sits inside the bulk disk of W R' - I: there a Newton root of
  // G(s) = 1 may be a bulk eigenvalue, and comparing it with the theory is not meaningful.
  nlohmann::json inside = nlohmann::json::array();
  for (Index i = 0; i < a.outliers.size(); ++i) inside.push_back(std::abs(a.outliers(i) + 1.0) < a.rho);
  l["outlier_inside_bulk"] = inside;
  l["displaced"] = to_json(a.displaced);
  l["max_real"] = to_json_number(a.max_real);
  if (a.closed_loop_eigenvalues.size()) l["stable"] = a.max_real < 0.0;
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

}  // namespace rnndyn
