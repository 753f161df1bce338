#pragma once
/// The JSON of FixedPointResult, as `rnndyn fixed-points` prints it and Python's to_dict()
/// returns it: {"method", "status", "guarantee", "model", "time", "elapsed_seconds", "options",
/// "fixed_points": [...], "continua": [...], "slow_points": [...]} plus the method's own keys
/// (exact: Description<PiecewiseLinearFixedPoints>; numeric: "starts", "summary", ...; interval:
/// "rank", "latent_box", "n_boxes", "unresolved_boxes", and "kappa", "certified" per point).
#include <nlohmann/json.hpp>

#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points_json.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/result_json.hpp"

// FixedPointResult and its options are described (Description<FixedPointResult>, its merged
// parts): the template to_json of io/describe_json.hpp writes them; this header brings along the
// encoders of the parts that are not described, so the JSON is whole wherever it is included.
