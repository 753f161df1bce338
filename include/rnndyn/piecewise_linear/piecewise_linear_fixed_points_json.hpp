#pragma once
/// JSON encoding of PiecewiseLinearFixedPoints, as `rnndyn fixed-points` prints it:
/// {"method", "algorithm", "status", "regions_visited", "hyperplanes", "arrangement_rank",
///  "generic", "fixed_points": [{"x", "pattern", "residual", "relative_residual", "on_boundary",
///  "found_by", "trained_state", "trained_level", "trained_distance" (the three only for a
///  trained state), "eigenvalues": [[re, im], ...], "stability"}], "continua": [{"shape", "dimension", "pattern",
///  "origin", "basis", "vertices", "y_min", "y_max", "bounded", "inequalities", "eigenvalues"}]}.
#include <nlohmann/json.hpp>

#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"

namespace rnndyn {

nlohmann::json to_json(const PiecewiseLinearFixedPoints& r);

}  // namespace rnndyn
