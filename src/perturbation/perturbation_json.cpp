#include "rnndyn/perturbation/perturbation_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const PerturbSample& s) { return described_to_json(s); }

nlohmann::json to_json(const PerturbResult& r) {
  nlohmann::json j = described_to_json(r);
  add_run_info(j, r.info);
  j["target"] = to_string(r.options.target);  // a copy of options.target at the top (Python: _json_names.py)
  return j;
}

}  // namespace rnndyn
