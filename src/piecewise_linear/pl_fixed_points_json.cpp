// JSON encoding of the exact piecewise-linear fixed-point result (field names documented in
// piecewise_linear_fixed_points_json.hpp and docs/fixed_points.md).
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points_json.hpp"

#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/result_json.hpp"

namespace rnndyn {

namespace {
nlohmann::json columns(const Matrix& m) {
  nlohmann::json j = nlohmann::json::array();
  for (Index c = 0; c < m.cols(); ++c) j.push_back(to_json(Vector(m.col(c))));
  return j;
}
}  // namespace

nlohmann::json to_json(const PiecewiseLinearFixedPoints& r) {
  nlohmann::json j;
  j["method"] = to_string(r.method);
  j["algorithm"] = r.algorithm;
  j["status"] = to_string(r.status);
  j["regions_visited"] = r.regions_visited;
  j["hyperplanes"] = r.hyperplanes;
  j["arrangement_rank"] = r.arrangement_rank;
  j["generic"] = r.generic;
  if (r.latent_dimension > 0) j["latent_dimension"] = r.latent_dimension;
  if (r.latent_rounded) j["latent_rounded"] = true;
  nlohmann::json fps = nlohmann::json::array();
  for (const auto& p : r.fixed_points) {
    nlohmann::json f;
    f["x"] = to_json(p.x);
    f["pattern"] = p.pattern;
    f["residual"] = to_json_number(p.residual);
    f["relative_residual"] = to_json_number(p.relative_residual);
    f["on_boundary"] = p.on_boundary;
    f["found_by"] = p.found_by;
    if (p.trained_state >= 0) {
      f["trained_state"] = p.trained_state;
      f["trained_level"] = to_json_number(p.trained_level);
      f["trained_distance"] = to_json_number(p.trained_distance);
    }
    if (p.eigenvalues.size() > 0 || p.x.size() == 0) {
      f["eigenvalues"] = to_json(p.eigenvalues);
      f["stability"] = to_string(p.stability.type);
    }
    fps.push_back(std::move(f));
  }
  j["fixed_points"] = std::move(fps);
  nlohmann::json cs = nlohmann::json::array();
  for (const auto& c : r.continua) {
    nlohmann::json o;
    o["shape"] = c.shape;
    o["dimension"] = c.dimension;
    o["pattern"] = c.pattern;
    o["origin"] = to_json(c.origin);
    o["basis"] = columns(c.basis);
    o["vertices"] = columns(c.vertices);
    o["bounded"] = c.bounded;
    if (c.dimension == 1) {
      o["y_min"] = to_json_number(c.y_min);
      o["y_max"] = to_json_number(c.y_max);
    }
    o["inequalities"] = {{"A", to_json(c.inequalities_A)}, {"b", to_json(c.inequalities_b)}};
    o["eigenvalues"] = to_json(c.eigenvalues);
    cs.push_back(std::move(o));
  }
  j["continua"] = std::move(cs);
  j["undecided_regions"] = r.undecided_regions;
  if (r.branch_bound) {
    const PlBranchBoundStats& b = *r.branch_bound;
    j["branch_bound"] = {{"nodes", b.nodes},
                         {"leaves", b.leaves},
                         {"pruned", b.pruned},
                         {"open_nodes", b.open_nodes},
                         {"closed_share", b.closed_share},
                         {"trapping_box", b.trapping_box},
                         {"budget_exhausted", b.budget_exhausted},
                         {"hopeless", b.hopeless},
                         {"projected_seconds", to_json_number(b.projected_seconds)}};
  }
  return j;
}

}  // namespace rnndyn
