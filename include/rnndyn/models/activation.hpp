#pragma once
/// Element-wise activation functions phi and their derivatives.
///
///   linear    phi(x) = x
///   relu      phi(x) = max(0, x - theta)          (theta = `threshold`, default 0)
///   tanh      phi(x) = tanh(x)
///   sigmoid   phi(x) = 1 / (1 + exp(-x))
///   softplus  phi(x) = log(1 + exp(x))
///   hardtanh  phi(x) = min(1, max(-1, x))
///
/// At a kink the derivative is the left one (relu'(theta) = 0), matching the activation pattern
/// d_i = 1 iff x_i > theta_i of seed 001; `linearize` reports both one-sided Jacobians there.
#include <string>
#include <vector>

#include "rnndyn/core/types.hpp"

namespace rnndyn {

enum class ActivationKind { Linear, Relu, Tanh, Sigmoid, Softplus, Hardtanh };

/// One piece of a piecewise-linear activation: phi(a) = slope * a + intercept on its interval.
struct LinearPiece {
  double slope = 0.0;
  double intercept = 0.0;
};

/// A scalar activation with an optional threshold (relu only).
class Activation {
 public:
  Activation() = default;
  explicit Activation(ActivationKind kind, double threshold = 0.0) : kind_(kind), threshold_(threshold) {}

  /// Parses `linear|relu|tanh|sigmoid|softplus|hardtanh`; throws InputError naming `activation`.
  static Activation from_name(const std::string& name, double threshold = 0.0);

  ActivationKind kind() const noexcept { return kind_; }
  double threshold() const noexcept { return threshold_; }
  std::string name() const;

  double value(double x) const;
  double derivative(double x) const;
  /// Second derivative (zero almost everywhere for piecewise-linear kinds).
  double second_derivative(double x) const;

  void apply(const Vector& x, Vector& phi) const;
  void apply_derivative(const Vector& x, Vector& dphi) const;

  /// True for linear, relu and hardtanh: the activation is piecewise linear.
  bool is_piecewise_linear() const noexcept;
  /// Kink locations in increasing order (empty for smooth kinds and for linear).
  std::vector<double> breakpoints() const;
  /// The breakpoints().size() + 1 linear pieces, left to right (piecewise-linear kinds only).
  std::vector<LinearPiece> pieces() const;

 private:
  ActivationKind kind_ = ActivationKind::Tanh;
  double threshold_ = 0.0;
};

}  // namespace rnndyn
