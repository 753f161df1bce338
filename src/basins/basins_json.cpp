#include "rnndyn/basins/basins_json.hpp"

#include "rnndyn/fixed_points/fixed_points_json.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {
namespace {

nlohmann::json attractor_json(const BasinAttractor& a) {
  nlohmann::json j{{"kind", a.kind},
                   {"found_by", a.found_by},
                   {"x", to_json(a.x)},
                   {"count", a.count},
                   {"fraction", a.fraction},
                   {"ci_low", a.ci_low},
                   {"ci_high", a.ci_high},
                   {"mean_time", a.mean_time},
                   {"radius", a.radius},
                   {"fixed_point", a.fixed_point},
                   {"period", a.period},
                   {"period_time", a.period_time},
                   {"lyapunov", to_json_number(a.lyapunov)}};
  j["points"] = to_json(Matrix(a.points.transpose()));  // one state per row
  return j;
}

}  // namespace

nlohmann::json to_json(const BasinsOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const BasinsResult& r) {
  nlohmann::json j;
  j["status"] = to_string(r.status);
  j["guarantee"] = r.guarantee;
  j["fixed_point_method"] = to_string(r.fixed_point_method);
  j["fixed_point_status"] = to_string(r.fixed_point_status);
  j["fixed_points"] = nlohmann::json::array();
  for (const BasinFixedPoint& p : r.fixed_points)
    j["fixed_points"].push_back(
        {{"x", to_json(p.x)}, {"stability", p.stability}, {"n_unstable", p.n_unstable}, {"attractor", p.attractor}});
  j["attractors"] = nlohmann::json::array();
  for (const BasinAttractor& a : r.attractors) j["attractors"].push_back(attractor_json(a));
  j["n_starts"] = r.n_starts;
  j["n_settled"] = r.n_settled;
  j["unsettled"] = {{"count", r.n_unsettled},
                    {"diverged", r.n_diverged},
                    {"fraction", r.unsettled_fraction},
                    {"ci_low", r.unsettled_ci_low},
                    {"ci_high", r.unsettled_ci_high}};
  j["starts_from"] = r.starts_from;
  j["starts"] = to_json(r.starts);
  j["labels"] = r.labels;
  j["times"] = r.times;
  j["saddles"] = nlohmann::json::array();
  for (const BasinSaddle& s : r.saddles)
    j["saddles"].push_back({{"fixed_point", s.fixed_point},
                            {"x", to_json(s.x)},
                            {"eigenvalue", s.eigenvalue},
                            {"direction", to_json(s.direction)},
                            {"eps", s.eps},
                            {"plus", s.plus},
                            {"minus", s.minus}});
  j["graph"] = nlohmann::json::array();
  for (const BasinEdge& e : r.graph) j["graph"].push_back({{"a", e.a}, {"b", e.b}, {"saddles", e.saddles}});
  if (r.has_map) j["map"] = {{"x", to_json(r.map.x)}, {"y", to_json(r.map.y)}, {"labels", r.map.labels}};
  add_run_info(j, r.info);
  j["options"] = to_json(r.options);
  return j;
}

}  // namespace rnndyn
