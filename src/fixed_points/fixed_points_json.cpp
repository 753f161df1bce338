// JSON of the fixed-point front door's result (fields in fixed_points_json.hpp). Pure encoding:
// every number printed here was computed by find_fixed_points; the keys are the descriptions'
// (Description<FixedPointResult> and its merged parts).
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

nlohmann::json to_json_boxes(const std::vector<std::pair<Vector, Vector>>& boxes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [lo, hi] : boxes) out.push_back({{"lo", to_json(lo)}, {"hi", to_json(hi)}});
  return out;
}

nlohmann::json to_json(const FixedPointResult& r) {
  nlohmann::json j = described_to_json(r);
  add_run_info(j, r.info);
  return j;
}

}  // namespace rnndyn
