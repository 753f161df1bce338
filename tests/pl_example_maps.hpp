#pragma once
// Piecewise-linear maps with known long stable cycles, shared by tests/test_pl_cycles.cpp and
// bench/bench_pl_cycles.cpp (no test framework here, so the benchmark can include it).
#include "rnndyn/models/piecewise_linear.hpp"

namespace rnndyn::examples {

/// 2-D PLRNN z' = A z + V relu(z) + h with A = diag(a1, a2) and V = [[0, w12], [w21, 0]]: with
/// a near 1 and w12 w21 < 0 a rotation-like map, whose stable cycles can be long.
inline PiecewiseLinearStructure plrnn_2d(double a1, double a2, double w12, double w21, double h1, double h2) {
  PiecewiseLinearStructure pl;
  pl.time = TimeKind::Map;
  pl.A = Eigen::Vector2d(a1, a2).asDiagonal();
  pl.U = Matrix::Identity(2, 2);
  pl.c = Vector::Zero(2);
  pl.V = Matrix::Zero(2, 2);
  pl.V(0, 1) = w12;
  pl.V(1, 0) = w21;
  pl.h = Eigen::Vector2d(h1, h2);
  pl.units = {Activation(ActivationKind::Relu), Activation(ActivationKind::Relu)};
  return pl;
}

/// A 10-D PLRNN: units 0, 1 form a near-rotation with a stable 12-cycle, units 2..9 are
/// contracting followers driven by them (so the cycle persists in 10-D).
inline PiecewiseLinearStructure plrnn_10d() {
  const Index R = 10;
  PiecewiseLinearStructure pl;
  pl.time = TimeKind::Map;
  Vector a = Vector::Constant(R, 0.5);
  a(0) = 0.8502602410375801;
  a(1) = 0.8785770076512271;
  pl.A = a.asDiagonal();
  pl.U = Matrix::Identity(R, R);
  pl.c = Vector::Zero(R);
  pl.V = Matrix::Zero(R, R);
  pl.V(0, 1) = 0.5760354856389791;
  pl.V(1, 0) = -0.5262299835646704;
  pl.h = Vector::Constant(R, -0.05);
  pl.h(0) = -0.19336325481170058;
  pl.h(1) = 0.3446623610359354;
  for (Index i = 2; i < R; ++i) {
    pl.V(i, 0) = i % 2 == 0 ? 0.4 : -0.3;
    pl.V(i, 1) = 0.3;
    if (i + 1 < R) pl.V(i, i + 1) = 0.1;
  }
  for (Index i = 0; i < R; ++i) pl.units.push_back(Activation(ActivationKind::Relu));
  return pl;
}

}  // namespace rnndyn::examples
