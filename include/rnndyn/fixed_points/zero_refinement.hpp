#pragma once
/// Newton refinement, error estimate and conditioning of a numeric zero of R (fixed points:
/// R(x) = F(x) for flows, F(x) - x for maps).
///
/// A small q = 1/2 ||R||^2 does not locate a zero: to first order x - x* = DR^{-1} R, so
/// ||R|| <= delta only gives ||x - x*|| <~ delta / sigma_min(DR), which is large where DR is nearly
/// singular (near a fold; at the origin of a chaotic network, where eigenvalues of DF sit near
/// zero). The Newton step
///
///   s(x) = -DR(x)^+ R(x),
///
/// with DR^+ the pseudo-inverse that drops the singular values below rank_tol * sigma_max (the
/// tangent directions of a continuum of zeros, along which no position is preferred), estimates
/// that distance: ||x - x*|| = ||s|| + O(||s||^2) at a simple zero, while at a zero of
/// multiplicity m Newton converges linearly and ||x - x*|| = m ||s||. refine_zero takes such steps
/// while they lower ||R||; the error estimate of the point it returns is 2 ||s||, which bounds the
/// distance to a simple or a double zero (to first order), so that two end points of one double
/// zero, on either side of it, have overlapping error balls.
#include <functional>

#include "rnndyn/core/types.hpp"

namespace rnndyn {

struct ZeroRefinementOptions {
  /// Newton steps at most, >= 0 (0: only measure the step). Default 8.
  int max_steps = 8;
  /// Singular values below rank_tol * sigma_max are dropped from DR^+, in (0, 1). Default 1e-10.
  double rank_tol = 1e-10;
};

struct ZeroRefinement {
  Vector x;            ///< the refined point
  double q = 0.0;      ///< 1/2 ||R(x)||^2 there
  double step = 0.0;   ///< ||DR(x)^+ R(x)||, the Newton step at x
  double error = 0.0;  ///< 2 step: the estimated bound on the distance to the zero (header comment)
  int steps = 0;       ///< Newton steps taken
  bool finite = true;  ///< false when R or DR was not finite at x (error is then inf)
};

/// R(x) into r and DR(x) into J.
using ResidualAndJacobian = std::function<void(const Vector& x, Vector& r, Matrix& J)>;

/// Newton steps from x0 while they lower ||R|| (header comment); r0 = R(x0), J0 = DR(x0).
ZeroRefinement refine_zero(const ResidualAndJacobian& residual, const Vector& x0, const Vector& r0, const Matrix& J0,
                           const ZeroRefinementOptions& options = {});

/// The extreme singular values of a square matrix J and sigma_max / sigma_min (inf when
/// sigma_min = 0).
struct Conditioning {
  double sigma_min = 0.0;
  double sigma_max = 0.0;
  double condition = 0.0;
};
Conditioning conditioning_of(const Matrix& J);

/// Whether x (error estimate ex) and y (ey) are one zero: ||x - y|| <= max(tol max(1, ||y||),
/// ex + ey), i.e. within the dedup tolerance or with overlapping error balls. NaN errors count 0.
bool same_zero(const Vector& x, double ex, const Vector& y, double ey, double tol);

}  // namespace rnndyn
