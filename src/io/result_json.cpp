#include "rnndyn/io/result_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/input_json.hpp"

#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json_counts(const Stability& s) {
  return {{"n_stable", s.n_stable}, {"n_unstable", s.n_unstable}, {"n_marginal", s.n_marginal}};
}

nlohmann::json to_json_class(const Stability& s) { return to_string(s.type); }

nlohmann::json to_json(const Stability& s) {
  nlohmann::json j = to_json_counts(s);  // nlohmann::json orders keys itself: the same object as before
  j["type"] = to_json_class(s);
  return j;
}

nlohmann::json to_json(const StabilityOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const LinearizeOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const Linearization& lin) {
  nlohmann::json j{{"x", to_json(lin.x)},
                   {"residual", to_json(lin.residual)},
                   {"residual_norm", to_json_number(lin.residual_norm)},
                   {"jacobian", to_json(lin.jacobian)},
                   {"eigenvalues", to_json(lin.eigen.eigenvalues)},
                   {"eigenvectors", to_json(lin.eigen.eigenvectors)},
                   {"stability", to_string(lin.stability.type)},
                   {"stability_detail", to_json(lin.stability)},
                   {"on_switching_boundary", lin.on_switching_boundary}};
  if (lin.on_switching_boundary) {
    j["kink_units"] = lin.kink_units;
    nlohmann::json sides = nlohmann::json::array();
    for (const auto& s : lin.one_sided)
      sides.push_back({{"side", s.side},
                       {"jacobian", to_json(s.jacobian)},
                       {"eigenvalues", to_json(s.eigen.eigenvalues)},
                       {"stability", to_string(s.stability.type)}});
    j["one_sided"] = sides;
  }
  add_run_info(j, lin.info);
  j["options"] = to_json(lin.options);
  return j;
}

nlohmann::json to_json(const LinearNetworkAnalysis& a) {
  nlohmann::json modes = nlohmann::json::array();
  for (const auto& m : a.modes)
    modes.push_back({{"lambda", to_json(m.lambda)},
                     {"eigenvector", to_json(m.e)},
                     {"h_projection", to_json(m.h_projection)},
                     {"amplification", to_json(m.amplification)},
                     {"rate", to_json(m.rate)},
                     {"kind", to_string(m.kind)}});
  nlohmann::json j{{"verdict", to_string(a.verdict)},
                   {"symmetric", a.symmetric},
                   {"decomposition_residual", a.decomposition_residual},
                   {"modes", modes}};
  j["steady_state"] = a.steady_state.size() ? to_json(a.steady_state) : nlohmann::json(nullptr);
  j["tau"] = a.tau;
  add_run_info(j, a.info);
  j["options"] = described_to_json(a.options);
  return j;
}

}  // namespace rnndyn
