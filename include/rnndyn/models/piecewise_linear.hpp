#pragma once
/// The common piecewise-linear view of every ReLU-type model.
///
///   F(z) = A z + V phi(U z + c) + h,   z in R^R, U in R^{N x R}, phi piecewise linear per unit.
///
/// F is the vector field dz/dt of a flow or the next state z_{t+1} of a map (see `time`).
/// Unit i switches on the hyperplanes U_i z + c_i = beta for each breakpoint beta of its
/// activation; inside one region every unit sits on one linear piece (slope s_i, intercept q_i)
/// and F is affine: F(z) = (A + V diag(s) U) z + V (s .* c + q) + h.
///
/// Examples: plrnn z' = A z + W relu(z - theta) + h has U = I, c = -theta, V = W;
/// shplrnn z' = A z + W1 relu(W2 z + h2) + h1 has U = W2, c = h2, V = W1, h = h1;
/// the `current` rate form dx/dt = T^{-1}(-x + W phi(x) + b) has A = -T^{-1}, U = I, c = 0,
/// V = T^{-1} W, h = T^{-1} b (T = diag(tau)), with relu thresholds folded into the pieces.
#include <vector>

#include "rnndyn/core/types.hpp"
#include "rnndyn/models/activation.hpp"

namespace rnndyn {

/// One hyperplane {z : normal . z + offset = 0} of the arrangement, owned by `unit`.
struct Hyperplane {
  Vector normal;
  double offset = 0.0;
  Index unit = 0;        ///< index of the hidden unit that switches here
  Index breakpoint = 0;  ///< which of that unit's breakpoints (0-based, increasing)
};

/// F(z) = matrix * z + offset inside one linear region.
struct AffineMap {
  Matrix matrix;
  Vector offset;
};

struct PiecewiseLinearStructure {
  TimeKind time = TimeKind::Flow;
  Matrix A;  ///< R x R linear part
  Matrix U;  ///< N x R input weights of the hidden units
  Vector c;  ///< N offsets of the hidden units
  Matrix V;  ///< R x N output weights of the hidden units
  Vector h;  ///< R constant drive
  /// Activation of each hidden unit (size N); every one is piecewise linear.
  std::vector<Activation> units;

  Index dim() const { return A.rows(); }
  Index hidden() const { return U.rows(); }

  /// Every hyperplane of the arrangement, unit by unit, breakpoints in increasing order.
  std::vector<Hyperplane> hyperplanes() const;
  /// Piece index (0 .. breakpoints) of each unit at z; a unit exactly on a breakpoint takes the
  /// left piece, as in d_i = 1 iff a_i > theta_i.
  std::vector<int> pattern_at(const Vector& z) const;
  /// The affine map of the region with the given per-unit piece indices.
  AffineMap region_map(const std::vector<int>& pattern) const;
  /// F(z) evaluated directly (used to cross-check the model it was built from).
  Vector evaluate(const Vector& z) const;
};

}  // namespace rnndyn
