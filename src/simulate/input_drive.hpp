#pragma once
// The input signals of one simulation, compiled once into what the integrator reads.
#include <vector>

#include "rnndyn/simulate/input_signal.hpp"

namespace rnndyn::detail {

/// Flows: u(t) = base + sum of the signals as one piecewise-linear function on the knots
/// 0 = k_0 < k_1 < ... < k_P = t_end: on piece p, u(t) = left_p + slope_p (t - k_p). Every
/// discontinuity of u (or of its slope) is a knot, so the integrator restarts there.
/// Maps: the inputs u_0, ..., u_{steps} of every step.
class InputDrive {
 public:
  /// Draws the random signals (each from its own seed) and sums them. `dt` is the default grid
  /// step of series and noise (SimulateOptions::dt); maps use whole steps 0..floor(t_end).
  InputDrive(const std::vector<InputSignal>& signals, const Vector& base, TimeKind time, double t_end, double dt);

  Index pieces() const { return static_cast<Index>(knots_.size()) - 1; }
  double knot(Index p) const { return knots_[static_cast<size_t>(p)]; }
  /// u on piece p at t, with t clamped to the piece: the stepper may evaluate just beyond a
  /// piece's end, where it must still see this piece's (smooth) formula, not the next piece.
  void on_piece(Index p, double t, Vector& u) const;
  /// u(t), right-continuous (the piece that starts at t).
  Vector at(double t) const;
  /// Maps: u_n (zero-based step n, 0 <= n <= steps).
  Vector at_step(Index n) const { return steps_.col(n); }

 private:
  std::vector<double> knots_;
  Matrix left_, slope_;  // input_dim x pieces
  Matrix steps_;         // maps: input_dim x (steps + 1)
};

}  // namespace rnndyn::detail
