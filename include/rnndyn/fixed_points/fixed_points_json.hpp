#pragma once
/// JSON encoding of FixedPointResult, as `rnndyn fixed-points` prints it and Python's to_dict()
/// returns it: {"method", "status", "guarantee", "model", "time", "elapsed_seconds", "options",
/// "fixed_points": [...], "continua": [...], "slow_points": [...]} plus the method's own keys
/// (exact: piecewise_linear_fixed_points_json.hpp; numeric: "starts", "summary", ...; interval:
/// "rank", "latent_box", "n_boxes", "unresolved_boxes", and "kappa", "certified" per point).
#include <nlohmann/json.hpp>

#include "rnndyn/fixed_points/fixed_points.hpp"

namespace rnndyn {

nlohmann::json to_json(const FixedPointResult& r);
nlohmann::json to_json(const FixedPointOptions& o);
nlohmann::json to_json(const PiecewiseLinearFixedPointOptions& o);
nlohmann::json to_json(const NumericFixedPointOptions& o);

}  // namespace rnndyn
