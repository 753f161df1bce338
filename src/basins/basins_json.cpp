#include "rnndyn/basins/basins_json.hpp"

#include "rnndyn/fixed_points/fixed_points_json.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const BasinsOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const BasinsResult& r) {
  nlohmann::json j = described_to_json(r);
  add_run_info(j, r.info);
  return j;
}

}  // namespace rnndyn
