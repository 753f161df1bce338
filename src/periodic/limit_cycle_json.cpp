// JSON writer of limit-cycle results.
#include "rnndyn/periodic/limit_cycle_json.hpp"

#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const LimitCycleOptions& o) {
  return {{"x0", to_json(o.x0)},
          {"transient", to_json_number(o.transient)},
          {"window", to_json_number(o.window)},
          {"max_time", to_json_number(o.max_time)},
          {"section_unit", o.section_unit},
          {"period_tol", to_json_number(o.period_tol)},
          {"equilibrium_tol", to_json_number(o.equilibrium_tol)},
          {"abs_tol", to_json_number(o.abs_tol)},
          {"rel_tol", to_json_number(o.rel_tol)},
          {"blowup", to_json_number(o.blowup)}};
}

nlohmann::json to_json(const LimitCycle& c) {
  nlohmann::json j;
  j["status"] = to_string(c.status);
  j["period"] = to_json_number(c.period);
  j["x0"] = to_json(c.x0);
  j["amplitude"] = to_json(c.amplitude);
  j["x_min"] = to_json(c.x_min);
  j["x_max"] = to_json(c.x_max);
  j["section_unit"] = c.section_unit;
  j["section_level"] = to_json_number(c.section_level);
  j["section_point"] = to_json(c.section_point);
  j["crossings"] = c.crossings;
  j["period_change"] = to_json_number(c.period_change);
  j["decay_per_period"] = to_json_number(c.decay_per_period);
  j["floquet_multipliers"] = to_json(c.floquet_multipliers);
  j["trivial_multiplier_error"] = to_json_number(c.trivial_multiplier_error);
  j["monodromy"] = to_json(c.monodromy);
  j["options"] = to_json(c.options);
  add_run_info(j, c.info);
  return j;
}

}  // namespace rnndyn
