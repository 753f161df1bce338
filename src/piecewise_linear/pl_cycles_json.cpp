// JSON encoding of the exact k-cycle result (field names in piecewise_linear_cycles_json.hpp and
// docs/fixed_points.md).
#include "rnndyn/piecewise_linear/piecewise_linear_cycles_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/result_json.hpp"

namespace rnndyn {

nlohmann::json to_json(const PlCycles& r) {
  nlohmann::json j = described_to_json(r);
  if (!r.info.model.empty()) add_run_info(j, r.info);  // the model-level front door's header
  return j;
}

nlohmann::json to_json(const PlCycleOptions& o) { return described_to_json(o); }

}  // namespace rnndyn
