#include "rnndyn/io/result_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/input_json.hpp"

#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json_counts(const Stability& s) {
  return {{"n_stable", s.n_stable}, {"n_unstable", s.n_unstable}, {"n_marginal", s.n_marginal}};
}

nlohmann::json to_json_class(const Stability& s) { return to_string(s.type); }

nlohmann::json to_json(const Stability& s) {
  nlohmann::json j = to_json_counts(s);  // nlohmann::json orders keys itself: the same object as before
  j["type"] = to_json_class(s);
  return j;
}

}  // namespace rnndyn
