#pragma once
// Internal: branches of k-cycles of piecewise-linear maps (pl_cycle_continuation.cpp);
// continue_limit_cycles dispatches here for maps after validating the options.
#include "rnndyn/continuation/cycle_continuation.hpp"

namespace rnndyn::detail {

/// The map half of continue_limit_cycles (header comment of cycle_continuation.hpp): starts from
/// the exact k-cycles at p = from, each followed region sequence by region sequence.
LimitCycleContinuationResult continue_map_cycles(const Model& model, const LimitCycleContinuationOptions& options);

}  // namespace rnndyn::detail
