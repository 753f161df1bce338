// JSON writers of Hopf curves (pure: every number is in the result struct).
#include "rnndyn/continuation/hopf_curve_json.hpp"

#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const HopfCurveOptions& o) {
  return {{"kind", o.kind},
          {"parameter_x", o.parameter_x},
          {"parameter_y", o.parameter_y},
          {"x_from", to_json_number(o.x_from)},
          {"x_to", to_json_number(o.x_to)},
          {"y_from", to_json_number(o.y_from)},
          {"y_to", to_json_number(o.y_to)},
          {"start_x", to_json_number(o.start_x)},
          {"start_y", to_json_number(o.start_y)},
          {"x0", to_json(o.x0)},
          {"step", to_json_number(o.step)},
          {"max_step", to_json_number(o.max_step)},
          {"min_step", to_json_number(o.min_step)},
          {"tol", to_json_number(o.tol)},
          {"max_points", o.max_points}};
}

nlohmann::json to_json(const HopfCurveResult& r) {
  nlohmann::json j;
  j["kind"] = r.kind;
  j["parameter_x"] = r.parameter_x;
  j["parameter_y"] = r.parameter_y;
  j["points"] = nlohmann::json::array();
  for (const HopfCurvePoint& p : r.points)
    j["points"].push_back({{"px", to_json_number(p.px)},
                           {"py", to_json_number(p.py)},
                           {"x", to_json(p.x)},
                           {"omega", to_json_number(p.omega)},
                           {"tau", to_json_number(p.tau)}});
  j["end_forward"] = r.end_forward;
  j["end_backward"] = r.end_backward;
  j["status"] = r.status;
  j["guarantee"] = r.guarantee;
  j["options"] = to_json(r.options);
  add_run_info(j, r.info);
  return j;
}

}  // namespace rnndyn
