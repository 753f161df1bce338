// JSON writers of parameter-plane scans (pure: every number is in the result struct; the grids are
// its cells re-arranged, Description<ParameterScanResult>).
#include "rnndyn/continuation/parameter_scan_json.hpp"

#include "rnndyn/fixed_points/fixed_points_json.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const ParameterScanOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const ParameterScanResult& r) {
  nlohmann::json j = described_to_json(r);
  add_run_info(j, r.info);
  return j;
}

}  // namespace rnndyn
