#include "rnndyn/perturbation/perturbation_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const PerturbSample& s) {
  nlohmann::json j{{"epsilon", to_json(s.epsilon)},
                   {"type", s.type},
                   {"memory", to_string(s.memory)},
                   {"half_life", to_json_number(s.half_life)}};
  j["fixed_points"] = nlohmann::json::array();
  for (const auto& p : s.fixed_points)
    j["fixed_points"].push_back({{"x", to_json(p.x)}, {"stability", p.stability}, {"full_support", p.full_support}});
  if (!s.theorem1_seed.empty()) {
    j["theorem1_seed"] = s.theorem1_seed;
    j["theorem1_derived"] = s.theorem1_derived;
  }
  return j;
}

nlohmann::json to_json(const PerturbResult& r) {
  nlohmann::json j;
  j["samples"] = r.samples;
  j["types"] = nlohmann::json::object();
  for (const auto& [type, ts] : r.types)
    j["types"][type] = {{"count", ts.count},
                        {"share", ts.share},
                        {"ci_low", ts.ci_low},
                        {"ci_high", ts.ci_high},
                        {"stability", ts.stability},
                        {"memory", ts.memory},
                        {"half_life_median", to_json_number(ts.half_life_median)},
                        {"half_life_q25", to_json_number(ts.half_life_q25)},
                        {"half_life_q75", to_json_number(ts.half_life_q75)}};
  j["three_fixed_points_share"] = r.three_fixed_points_share;
  j["sample_list"] = nlohmann::json::array();
  for (const auto& s : r.kept) j["sample_list"].push_back(to_json(s));
  if (r.theorem1_checked) {
    j["theorem1"] = {{"seed_mismatches", r.theorem1_seed_mismatches},
                     {"derived_mismatches", r.theorem1_derived_mismatches},
                     {"seed_counterexamples", nlohmann::json::array()}};
    for (const auto& s : r.theorem1_seed_counterexamples) j["theorem1"]["seed_counterexamples"].push_back(to_json(s));
  }
  add_run_info(j, r.info);
  j["target"] = to_string(r.options.target);
  j["options"] = described_to_json(r.options);
  return j;
}

}  // namespace rnndyn
