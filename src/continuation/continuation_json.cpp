// JSON writers of continuation results.
#include "rnndyn/continuation/continuation_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/result_json.hpp"

namespace rnndyn {

nlohmann::json to_json(const ContinuationResult& r) {
  nlohmann::json j;
  j["parameter"] = r.parameter;
  j["branches"] = nlohmann::json::array();
  for (const Branch& b : r.branches) {
    nlohmann::json jb;
    jb["status"] = to_string(b.status);
    jb["points"] = nlohmann::json::array();
    for (const BranchPoint& p : b.points) {
      jb["points"].push_back({{"p", to_json_number(p.p)},
                              {"x", to_json(p.x)},
                              {"eigenvalues", to_json(p.eigenvalues)},
                              {"stability", to_string(p.stability.type)},
                              {"residual", to_json_number(p.residual)},
                              {"on_border", p.on_border}});
    }
    j["branches"].push_back(jb);
  }
  j["bifurcations"] = nlohmann::json::array();
  for (const Bifurcation& b : r.bifurcations) {
    nlohmann::json jb{{"type", to_string(b.type)}, {"parameter", to_json_number(b.p)},
                      {"x", to_json(b.x)},         {"eigenvalues", to_json(b.eigenvalues)},
                      {"branch", b.branch},        {"point_index", b.point_index}};
    if (b.type == BifurcationType::Hopf || b.type == BifurcationType::NeimarkSacker)
      jb["omega"] = to_json_number(b.omega);
    if (b.type == BifurcationType::BorderCollision) {
      jb["unit"] = b.unit;
      jb["breakpoint"] = b.breakpoint;
    }
    if (b.type == BifurcationType::Fold) jb["nonsmooth"] = b.nonsmooth;
    j["bifurcations"].push_back(jb);
  }
  if (!r.info.model.empty()) {  // the front door's header and settings
    add_run_info(j, r.info);
    j["from"] = r.options.from;
    j["to"] = r.options.to;
    j["start_source"] = r.start_source;
    j["options"] = to_json(r.options);
  }
  return j;
}

nlohmann::json to_json(const ContinuationOptions& o) { return described_to_json(o); }

}  // namespace rnndyn
