// JSON writers of continuation results.
#include "rnndyn/continuation/continuation_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/result_json.hpp"

namespace rnndyn {

nlohmann::json to_json(const ContinuationResult& r) {
  nlohmann::json j = described_to_json(r);
  if (!r.info.model.empty()) {  // the front door's header; from and to repeat options' (Python: _json_names.py)
    add_run_info(j, r.info);
    j["from"] = r.options.from;
    j["to"] = r.options.to;
  }
  return j;
}

nlohmann::json to_json(const ContinuationOptions& o) { return described_to_json(o); }

}  // namespace rnndyn
