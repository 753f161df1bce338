#pragma once
// Internal: fold curves (HopfCurveOptions::kind = "fold"), followed by the augmented system
// (fold_curve.cpp); continue_hopf_curve dispatches here after validating the options.
#include <string>

#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/continuation/hopf_curve.hpp"

namespace rnndyn::detail {

HopfCurveResult continue_fold_curve(const Model& model, const HopfCurveOptions& options);

/// The bifurcation of `type` nearest start_y along p_y at p_x = start_x (one-parameter
/// continuation both ways from start_y; smooth folds only); InputError("start_y", "no <what>
/// found ...") when there is none in the box.
Bifurcation nearest_on_start_line(const Model& model, const HopfCurveOptions& o, BifurcationType type,
                                  const std::string& what);

}  // namespace rnndyn::detail
