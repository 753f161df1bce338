// JSON writers of limit-cycle continuation results.
#include "rnndyn/continuation/cycle_continuation_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const LimitCycleContinuationResult& r) {
  nlohmann::json j = described_to_json(r);
  j["from"] = to_json_number(r.options.from);  // from and to repeat options' (Python: _json_names.py)
  j["to"] = to_json_number(r.options.to);
  add_run_info(j, r.info);
  return j;
}

nlohmann::json to_json(const LimitCycleContinuationOptions& o) { return described_to_json(o); }

}  // namespace rnndyn
