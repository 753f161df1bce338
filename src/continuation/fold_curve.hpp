#pragma once
// Internal: fold curves (HopfCurveOptions::kind = "fold"), followed by the augmented system
// (fold_curve.cpp); continue_hopf_curve dispatches here after validating the options.
#include "rnndyn/continuation/hopf_curve.hpp"

namespace rnndyn::detail {

HopfCurveResult continue_fold_curve(const Model& model, const HopfCurveOptions& options);

}  // namespace rnndyn::detail
