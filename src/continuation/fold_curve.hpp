#pragma once
// Internal: fold curves (HopfCurveOptions::kind = "fold"), followed by the augmented system
// (fold_curve.cpp); continue_hopf_curve dispatches here after validating the options.
#include <functional>
#include <string>
#include <vector>

#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/continuation/hopf_curve.hpp"

namespace rnndyn::detail {

HopfCurveResult continue_fold_curve(const Model& model, const HopfCurveOptions& options);

/// The bifurcation of `type` nearest start_y along p_y at p_x = start_x (one-parameter
/// continuation both ways from start_y; smooth folds only); InputError("start_y", "no <what>
/// found ...") when there is none in the box.
/// A curve's result from its two halves: follow(sign, end) follows it from `start` one way (+1,
/// -1) and says why it ended. Fills kind, parameters, points, ends, status and options; the caller
/// adds the guarantee and the run header.
HopfCurveResult join_halves(const HopfCurveOptions& o, const HopfCurvePoint& start,
                            const std::function<std::vector<HopfCurvePoint>(int, std::string&)>& follow);

Bifurcation nearest_on_start_line(const Model& model, const HopfCurveOptions& o, BifurcationType type,
                                  const std::string& what);

}  // namespace rnndyn::detail
