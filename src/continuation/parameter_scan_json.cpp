// JSON writers of parameter-plane scans (pure: every number is in the result struct).
#include "rnndyn/continuation/parameter_scan_json.hpp"

#include "rnndyn/fixed_points/fixed_points_json.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {
namespace {

/// One field of every cell as a list of rows (one row per y value).
template <class Field>
nlohmann::json rows(const ParameterScanResult& r, Field field) {
  nlohmann::json out = nlohmann::json::array();
  const size_t nx = r.x_values.size();
  for (size_t j = 0; j < r.y_values.size(); ++j) {
    nlohmann::json row = nlohmann::json::array();
    for (size_t i = 0; i < nx; ++i) row.push_back(field(r.cells[j * nx + i]));
    out.push_back(row);
  }
  return out;
}

/// The cells' counts as grids, one per key (the cycles' only where they were counted).
void add_grids(nlohmann::json& j, const ParameterScanResult& r) {
  j["n_fixed_points"] = rows(r, [](const ScanCell& c) { return c.n_fixed_points; });
  j["n_stable"] = rows(r, [](const ScanCell& c) { return c.n_stable; });
  j["n_unstable"] = rows(r, [](const ScanCell& c) { return c.n_unstable; });
  j["n_marginal"] = rows(r, [](const ScanCell& c) { return c.n_marginal; });
  j["n_continua"] = rows(r, [](const ScanCell& c) { return c.n_continua; });
  j["complete"] = rows(r, [](const ScanCell& c) { return c.complete; });
  j["method"] = rows(r, [](const ScanCell& c) { return c.method; });
  if (!r.cycles_counted) return;
  j["n_cycles"] = rows(r, [](const ScanCell& c) { return c.n_cycles; });
  j["n_stable_cycles"] = rows(r, [](const ScanCell& c) { return c.n_stable_cycles; });
  j["n_unstable_cycles"] = rows(r, [](const ScanCell& c) { return c.n_unstable_cycles; });
  j["n_marginal_cycles"] = rows(r, [](const ScanCell& c) { return c.n_marginal_cycles; });
  j["n_cycle_continua"] = rows(r, [](const ScanCell& c) { return c.n_cycle_continua; });
  // One map of rows per period: "n_cycles_by_period": {"2": rows, "3": rows, ...}.
  nlohmann::json by_period = nlohmann::json::object();
  for (int k = 2; k <= r.options.max_period; ++k)
    by_period[std::to_string(k)] =
        rows(r, [k](const ScanCell& c) { return c.n_cycles_by_period[static_cast<size_t>(k - 2)]; });
  j["n_cycles_by_period"] = std::move(by_period);
}

}  // namespace

nlohmann::json to_json(const ParameterScanOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const ParameterScanResult& r) {
  nlohmann::json j = described_to_json(r);
  add_grids(j, r);
  add_run_info(j, r.info);
  return j;
}

}  // namespace rnndyn
