#pragma once
/// JSON encoding of PlCycles, as `rnndyn fixed-points MODEL --cycles K` prints it:
/// {"period", "status" (complete | incomplete | sampled), "method" (pruned | tuples | heuristic),
///  "regions", "tuples_examined", "nodes_examined", "unexplored_prefixes", "stopped_by" (null,
///  "max_nodes" or "time_limit"), "heuristic_solves", "degenerate_tuples", "hyperplanes",
///  "arrangement_rank", "cycles": [{"period", "points": [[...], ...], "patterns": [[...], ...],
///  "multipliers": [[re, im], ...], "stability", "stability_counts": {"n_stable", "n_unstable",
///  "n_marginal"}, "residual", "on_boundary", "monodromy": [rows], "found_by" (exhaustive |
///  heuristic)}], "continua": [{"patterns",
///  "tuple_period", "dimension", "origin", "basis" (columns), "meets_regions", "witness"
///  (null unless meets_regions), "y_min", "y_max" (dimension 1)}]}.
#include <nlohmann/json.hpp>

#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"

namespace rnndyn {

nlohmann::json to_json(const PlCycles& r);
/// The options of a k-cycle search (the "options" of a model-level result).
nlohmann::json to_json(const PlCycleOptions& o);

}  // namespace rnndyn
