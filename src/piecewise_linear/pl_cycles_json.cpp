// JSON encoding of the exact k-cycle result (field names in piecewise_linear_cycles_json.hpp and
// docs/fixed_points.md).
#include "rnndyn/piecewise_linear/piecewise_linear_cycles_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/result_json.hpp"

namespace rnndyn {

nlohmann::json to_json(const PlCycles& r) {
  nlohmann::json j;
  j["period"] = r.period;
  j["status"] = to_string(r.status);
  j["method"] = to_string(r.method);
  j["regions"] = r.regions;
  j["tuples_examined"] = r.tuples_examined;
  j["nodes_examined"] = r.nodes_examined;
  j["unexplored_prefixes"] = r.unexplored_prefixes;
  j["stopped_by"] = r.stopped_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.stopped_by);
  j["heuristic_solves"] = r.heuristic_solves;
  j["degenerate_tuples"] = r.degenerate_tuples;
  j["hyperplanes"] = r.hyperplanes;
  j["arrangement_rank"] = r.arrangement_rank;
  nlohmann::json cycles = nlohmann::json::array();
  for (const auto& c : r.cycles) {
    nlohmann::json o;
    o["period"] = c.period;
    nlohmann::json pts = nlohmann::json::array();
    for (const auto& p : c.points) pts.push_back(to_json(p));
    o["points"] = std::move(pts);
    o["patterns"] = c.patterns;
    o["multipliers"] = to_json(c.multipliers);
    o["stability"] = to_string(c.stability.type);
    nlohmann::json counts = to_json(c.stability);  // {"type", "n_stable", "n_unstable", "n_marginal"}
    counts.erase("type");
    o["stability_counts"] = std::move(counts);
    o["residual"] = to_json_number(c.residual);
    o["on_boundary"] = c.on_boundary;
    o["monodromy"] = to_json(c.monodromy);
    o["found_by"] = to_string(c.found_by);
    cycles.push_back(std::move(o));
  }
  j["cycles"] = std::move(cycles);
  nlohmann::json conts = nlohmann::json::array();
  for (const auto& c : r.continua) {
    nlohmann::json o;
    o["patterns"] = c.patterns;
    o["tuple_period"] = c.tuple_period;
    o["dimension"] = c.dimension;
    o["origin"] = to_json(c.origin);
    nlohmann::json basis = nlohmann::json::array();
    for (Index q = 0; q < c.basis.cols(); ++q) basis.push_back(to_json(Vector(c.basis.col(q))));
    o["basis"] = std::move(basis);
    o["meets_regions"] = c.meets_regions;
    o["witness"] = c.meets_regions ? to_json(c.witness) : nlohmann::json(nullptr);
    if (c.dimension == 1) {
      o["y_min"] = to_json_number(c.y_min);
      o["y_max"] = to_json_number(c.y_max);
    }
    conts.push_back(std::move(o));
  }
  j["continua"] = std::move(conts);
  if (!r.info.model.empty()) {  // the model-level front door's header
    j["guarantee"] = r.guarantee;
    add_run_info(j, r.info);
    j["options"] = to_json(r.options);
  }
  return j;
}

nlohmann::json to_json(const PlCycleOptions& o) { return described_to_json(o); }

}  // namespace rnndyn
