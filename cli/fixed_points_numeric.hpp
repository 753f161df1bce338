#pragma once
// Contract between `rnndyn fixed-points` (cli/cmd_fixed_points.cpp, exact piecewise-linear
// methods) and the numeric multi-start finder for smooth models (cli/fixed_points_numeric.cpp).
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "rnndyn/models/model.hpp"

namespace rnndyn::cli {

struct NumericFixedPointCliOptions;  // defined in cli/fixed_points_numeric.cpp

/// Adds the numeric finder's options (--starts, --from-trajectories, --box, --seed, ...) to the
/// fixed-points subcommand and returns the storage they parse into.
std::shared_ptr<NumericFixedPointCliOptions> add_numeric_fixed_point_options(CLI::App* sub);

/// Runs the numeric finder on `model` and returns the JSON result
/// ({"method": "numeric", "fixed_points": [...], "slow_points": [...], ...}).
nlohmann::json run_numeric_fixed_points(const Model& model, const NumericFixedPointCliOptions& options,
                                        const std::string& model_path);

}  // namespace rnndyn::cli
