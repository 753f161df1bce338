#pragma once
/// JSON encoding of a Lyapunov spectrum (field names as the CLI documents them).
#include <nlohmann/json.hpp>

#include "rnndyn/lyapunov/lyapunov.hpp"

namespace rnndyn {

/// {"status", "exponents", "ci_low", "ci_high", "standard_error", "block_estimates", "running",
///  "measured_time", "reorthonormalisations", "final_state"}
nlohmann::json to_json(const LyapunovSpectrum& s);

}  // namespace rnndyn
