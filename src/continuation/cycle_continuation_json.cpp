// JSON writers of limit-cycle continuation results.
#include "rnndyn/continuation/cycle_continuation_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/periodic/limit_cycle_json.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles_json.hpp"

namespace rnndyn {
namespace {

nlohmann::json points_json(const std::vector<Vector>& points) {
  nlohmann::json out = nlohmann::json::array();
  for (const Vector& z : points) out.push_back(to_json(z));
  return out;
}

nlohmann::json point_json(const CyclePoint& p) {
  nlohmann::json j = {{"p", to_json_number(p.p)},
                      {"period", to_json_number(p.period)},
                      {"x", to_json(p.x)},
                      {"floquet_multipliers", to_json(p.floquet_multipliers)},
                      {"trivial_multiplier_error", to_json_number(p.trivial_multiplier_error)},
                      {"stable", p.stable},
                      {"x_min", to_json(p.x_min)},
                      {"x_max", to_json(p.x_max)},
                      {"residual", to_json_number(p.residual)}};
  if (!p.points.empty()) {  // maps: the k points of the cycle
    j["points"] = points_json(p.points);
    j["on_border"] = p.on_border;
  }
  return j;
}

nlohmann::json branch_json(const CycleBranch& b) {
  nlohmann::json points = nlohmann::json::array();
  for (const CyclePoint& p : b.points) points.push_back(point_json(p));
  return {{"status", to_string(b.status)},          {"source", b.source},
          {"source_p", to_json_number(b.source_p)}, {"start_p", to_json_number(b.start_p)},
          {"start_status", b.start_status},         {"points", points}};
}

}  // namespace

nlohmann::json to_json(const LimitCycleContinuationResult& r) {
  nlohmann::json j;
  j["parameter"] = r.parameter;
  j["branches"] = nlohmann::json::array();
  for (const CycleBranch& b : r.branches) j["branches"].push_back(branch_json(b));
  j["bifurcations"] = nlohmann::json::array();
  for (const CycleBifurcation& b : r.bifurcations) {
    nlohmann::json o = {{"type", to_string(b.type)},
                        {"parameter", to_json_number(b.p)},
                        {"period", to_json_number(b.period)},
                        {"branch", b.branch},
                        {"point_index", b.point_index}};
    if (!b.points.empty()) {  // maps
      o["points"] = points_json(b.points);
      o["multipliers"] = to_json(b.multipliers);
      o["nonsmooth"] = b.nonsmooth;
      if (b.type == CycleBifurcationType::BorderCollision) {
        o["unit"] = b.unit;
        o["breakpoint"] = b.breakpoint;
        o["cycle_point"] = b.cycle_point;
      }
    }
    j["bifurcations"].push_back(std::move(o));
  }
  j["hopf_points"] = nlohmann::json::array();
  for (double p : r.hopf_points) j["hopf_points"].push_back(to_json_number(p));
  j["message"] = r.message;
  j["from"] = to_json_number(r.options.from);
  j["to"] = to_json_number(r.options.to);
  j["options"] = to_json(r.options);
  add_run_info(j, r.info);
  return j;
}

nlohmann::json to_json(const LimitCycleContinuationOptions& o) { return described_to_json(o); }

}  // namespace rnndyn
