// The encoder of the interval part's undecided boxes, which its description names (the result
// itself is written by the template to_json of io/describe_json.hpp).
#include "rnndyn/fixed_points/fixed_points_json.hpp"

#include "rnndyn/fixed_points/numeric_fixed_points_json.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/result_json.hpp"

namespace rnndyn {

nlohmann::json to_json_boxes(const std::vector<std::pair<Vector, Vector>>& boxes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [lo, hi] : boxes) out.push_back({{"lo", to_json(lo)}, {"hi", to_json(hi)}});
  return out;
}

}  // namespace rnndyn
