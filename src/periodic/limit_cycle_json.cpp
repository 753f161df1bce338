// JSON writer of limit-cycle results: the described fields (limit_cycle.hpp) and the run info.
#include "rnndyn/periodic/limit_cycle_json.hpp"

#include "rnndyn/io/describe_json.hpp"

namespace rnndyn {

nlohmann::json to_json(const LimitCycleOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const LimitCycle& c) {
  nlohmann::json j = described_to_json(c);
  add_run_info(j, c.info);
  return j;
}

}  // namespace rnndyn
