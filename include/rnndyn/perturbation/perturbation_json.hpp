#pragma once
/// JSON encoding of perturbation results: `types` (count, share, Wilson interval, stability per
/// invariant-set type), `three_fixed_points_share`, `sample_list`, `theorem1`.
#include <nlohmann/json.hpp>

#include "rnndyn/perturbation/perturbation.hpp"

namespace rnndyn {

nlohmann::json to_json(const PerturbSample& s);
nlohmann::json to_json(const PerturbResult& r);

}  // namespace rnndyn
