// JSON writers of Hopf curves (pure: every number is in the result struct).
#include "rnndyn/continuation/hopf_curve_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const HopfCurveOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const HopfCurveResult& r) {
  nlohmann::json j = described_to_json(r);
  add_run_info(j, r.info);
  return j;
}

}  // namespace rnndyn
