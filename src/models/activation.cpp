#include "rnndyn/models/activation.hpp"

#include <cmath>

#include "rnndyn/core/errors.hpp"

namespace rnndyn {

Activation Activation::from_name(const std::string& name, double threshold) {
  if (!std::isfinite(threshold)) throw InputError("threshold", "must be finite");
  static const std::pair<const char*, ActivationKind> table[] = {
      {"linear", ActivationKind::Linear},     {"relu", ActivationKind::Relu},
      {"tanh", ActivationKind::Tanh},         {"sigmoid", ActivationKind::Sigmoid},
      {"softplus", ActivationKind::Softplus}, {"hardtanh", ActivationKind::Hardtanh}};
  for (const auto& [n, k] : table)
    if (name == n) {
      if (threshold != 0.0 && k != ActivationKind::Relu)
        throw InputError("threshold", "only the relu activation takes a threshold, got activation '" + name + "'");
      return Activation(k, threshold);
    }
  throw InputError("activation",
                   "unknown activation '" + name + "' (expected linear, relu, tanh, sigmoid, softplus or hardtanh)");
}

std::string Activation::name() const {
  switch (kind_) {
    case ActivationKind::Linear:
      return "linear";
    case ActivationKind::Relu:
      return "relu";
    case ActivationKind::Tanh:
      return "tanh";
    case ActivationKind::Sigmoid:
      return "sigmoid";
    case ActivationKind::Softplus:
      return "softplus";
    case ActivationKind::Hardtanh:
      return "hardtanh";
  }
  return "?";
}

namespace {
double sigmoid(double x) {
  // Two branches keep exp() from overflowing for large |x|.
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}
}  // namespace

double Activation::value(double x) const {
  switch (kind_) {
    case ActivationKind::Linear:
      return x;
    case ActivationKind::Relu:
      return x > threshold_ ? x - threshold_ : 0.0;
    case ActivationKind::Tanh:
      return std::tanh(x);
    case ActivationKind::Sigmoid:
      return sigmoid(x);
    case ActivationKind::Softplus:
      return x > 30.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    case ActivationKind::Hardtanh:
      return x < -1.0 ? -1.0 : (x > 1.0 ? 1.0 : x);
  }
  return 0.0;
}

double Activation::derivative(double x) const {
  switch (kind_) {
    case ActivationKind::Linear:
      return 1.0;
    case ActivationKind::Relu:
      return x > threshold_ ? 1.0 : 0.0;
    case ActivationKind::Tanh: {
      const double t = std::tanh(x);
      return 1.0 - t * t;
    }
    case ActivationKind::Sigmoid: {
      const double s = sigmoid(x);
      return s * (1.0 - s);
    }
    case ActivationKind::Softplus:
      return sigmoid(x);
    case ActivationKind::Hardtanh:
      return (x > -1.0 && x <= 1.0) ? 1.0 : 0.0;
  }
  return 0.0;
}

double Activation::second_derivative(double x) const {
  switch (kind_) {
    case ActivationKind::Tanh: {
      const double t = std::tanh(x);
      return -2.0 * t * (1.0 - t * t);
    }
    case ActivationKind::Sigmoid: {
      const double s = sigmoid(x);
      return s * (1.0 - s) * (1.0 - 2.0 * s);
    }
    case ActivationKind::Softplus: {
      const double s = sigmoid(x);
      return s * (1.0 - s);
    }
    default:
      return 0.0;
  }
}

void Activation::apply(const Vector& x, Vector& phi) const {
  phi.resize(x.size());
  for (Index i = 0; i < x.size(); ++i) phi(i) = value(x(i));
}

void Activation::apply_derivative(const Vector& x, Vector& dphi) const {
  dphi.resize(x.size());
  for (Index i = 0; i < x.size(); ++i) dphi(i) = derivative(x(i));
}

bool Activation::is_piecewise_linear() const noexcept {
  return kind_ == ActivationKind::Linear || kind_ == ActivationKind::Relu || kind_ == ActivationKind::Hardtanh;
}

std::vector<double> Activation::breakpoints() const {
  switch (kind_) {
    case ActivationKind::Relu:
      return {threshold_};
    case ActivationKind::Hardtanh:
      return {-1.0, 1.0};
    default:
      return {};
  }
}

std::vector<LinearPiece> Activation::pieces() const {
  switch (kind_) {
    case ActivationKind::Linear:
      return {{1.0, 0.0}};
    case ActivationKind::Relu:
      return {{0.0, 0.0}, {1.0, -threshold_}};
    case ActivationKind::Hardtanh:
      return {{0.0, -1.0}, {1.0, 0.0}, {0.0, 1.0}};
    default:
      throw std::logic_error("Activation::pieces: activation '" + name() + "' is not piecewise linear");
  }
}

}  // namespace rnndyn
