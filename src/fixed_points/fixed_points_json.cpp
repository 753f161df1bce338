// JSON of the fixed-point front door's result (fields in fixed_points_json.hpp). Pure encoding:
// every number printed here was computed by find_fixed_points.
#include "rnndyn/fixed_points/fixed_points_json.hpp"

#include "rnndyn/fixed_points/numeric_fixed_points_json.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points_json.hpp"

namespace rnndyn {

nlohmann::json to_json(const PiecewiseLinearFixedPointOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const NumericFixedPointOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const FixedPointOptions& o) { return described_to_json(o); }

namespace {

void add_numeric(nlohmann::json& j, const NumericFixedPointResult& n, bool with_stability) {
  j["fixed_points"] = nlohmann::json::array();
  for (const auto& p : n.fixed_points) j["fixed_points"].push_back(to_json(p, with_stability));
  j["slow_points"] = nlohmann::json::array();
  for (const auto& p : n.slow_points) j["slow_points"].push_back(to_json(p, with_stability));
  j["slow_manifolds"] = nlohmann::json::array();
  for (const auto& m : n.slow_manifolds) j["slow_manifolds"].push_back(to_json(m));
  j["memories"] = nlohmann::json::array();
  for (const auto& m : n.memory_census.memories) j["memories"].push_back(to_json(m));
  if (n.memory_census.orbits > 0) j["memory_census"] = to_json(n.memory_census);
  j["continua"] = nlohmann::json::array();
}

void add_starts(nlohmann::json& j, const FixedPointResult& r) {
  const StartsUsed& u = *r.starts;
  nlohmann::json init{{"from", u.from}, {"n_states", u.n_starts}};
  if (u.n_trained > 0) init["n_trained"] = u.n_trained;
  if (u.from == "box") init.update({{"lo", to_json(u.box_lo)}, {"hi", to_json(u.box_hi)}});
  if (u.from == "data") init.update({{"n_data", u.n_data}, {"noise", r.options.starts.noise}});
  j["seed"] = r.options.starts.seed;
  j["n_starts"] = u.n_starts;
  j["initial_states"] = init;
  const NumericFixedPointResult& n = *r.numeric;
  j["outlier_distance"] = to_json_number(n.outlier_distance);
  j["summary"] = {{"n_fixed_points", n.fixed_points.size()}, {"n_slow_points", n.slow_points.size()},
                  {"n_fixed_runs", n.n_fixed_runs},          {"n_slow_runs", n.n_slow_runs},
                  {"n_failed_runs", n.n_failed_runs},        {"n_outliers", n.n_outliers},
                  {"max_q", to_json_number(n.max_q)},        {"data_median_q", to_json_number(n.data_median_q)},
                  {"slow_q_threshold", n.slow_q_threshold},  {"n_memory_times", n.n_memory_times},
                  {"n_slow_linearized", n.n_slow_linearized}};
  const NumericSearchSummary& s = n.search;
  j["search"] = {{"rounds", s.rounds},
                 {"random_starts", s.random_starts},
                 {"deflated_runs", s.deflated_runs},
                 {"targeted_starts", s.targeted_starts},
                 {"samples", s.samples},
                 {"singletons", s.singletons},
                 {"good_turing", to_json_number(s.good_turing)},
                 {"stopped_by", s.stopped_by}};
}

void add_interval(nlohmann::json& j, const FixedPointResult& r) {
  const LowRankSearchResult& iv = *r.interval;
  j["rank"] = r.latent_rank;
  j["latent_box"] = {{"lo", to_json(iv.lo)}, {"hi", to_json(iv.hi)}};
  j["default_box_is_global"] = r.options.interval.lo.size() == 0;
  j["n_boxes"] = iv.n_boxes;
  for (size_t i = 0; i < iv.kappa.size(); ++i) {
    j["fixed_points"][i].erase("n_starts");
    j["fixed_points"][i].erase("found_by");
    j["fixed_points"][i].erase("random_hits");
    j["fixed_points"][i]["kappa"] = to_json(iv.kappa[i]);
    j["fixed_points"][i]["certified"] = static_cast<bool>(iv.certified[i]);
  }
  j["unresolved_boxes"] = nlohmann::json::array();
  for (const auto& [lo, hi] : iv.unresolved)
    j["unresolved_boxes"].push_back({{"lo", to_json(lo)}, {"hi", to_json(hi)}});
}

}  // namespace

nlohmann::json to_json(const FixedPointResult& r) {
  nlohmann::json j = r.exact ? to_json(*r.exact) : nlohmann::json::object();
  if (r.numeric) add_numeric(j, *r.numeric, r.options.numeric.compute_stability);
  if (r.starts) add_starts(j, r);
  if (r.interval) add_interval(j, r);
  j["method"] = to_string(r.method);
  j["status"] = to_string(r.status);
  j["guarantee"] = r.guarantee;
  add_run_info(j, r.info);
  j["options"] = to_json(r.options);
  return j;
}

}  // namespace rnndyn
