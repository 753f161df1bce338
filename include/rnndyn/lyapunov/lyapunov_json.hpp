#pragma once
/// JSON encoding of a Lyapunov spectrum (field names as the CLI documents them).
#include <nlohmann/json.hpp>

#include "rnndyn/lyapunov/lyapunov.hpp"

namespace rnndyn {

/// Every field of the options under its own name (x0 and initial_tangents: [] when empty).
nlohmann::json to_json(const LyapunovOptions& o);
/// {"status", "exponents", "ci_low", "ci_high", "standard_error", "block_estimates", "running",
///  "sum", "measured_time", "reorthonormalisations", "x0", "final_state", "options", "model",
///  "time", "elapsed_seconds"}
nlohmann::json to_json(const LyapunovSpectrum& s);

}  // namespace rnndyn
