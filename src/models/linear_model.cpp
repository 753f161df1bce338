#include "rnndyn/models/linear_model.hpp"

#include "../detail/checks.hpp"

namespace rnndyn {

LinearModel::LinearModel(double tau, Matrix M, Vector h, Matrix W_in, Vector u)
    : tau_(tau), M_(std::move(M)), h_(std::move(h)), W_in_(std::move(W_in)), u_(std::move(u)) {
  detail::require_nonempty(M_.rows(), "M");
  detail::require_shape(M_, M_.rows(), M_.rows(), "M");
  detail::require_length(h_, M_.rows(), "h");
  detail::require_positive(Vector::Constant(1, tau_), "tau");
  if (W_in_.size() == 0 && u_.size() > 0) throw InputError("W_in", "required when an input u is given");
  if (W_in_.size() > 0) {
    detail::require_shape(W_in_, M_.rows(), W_in_.cols(), "W_in");
    if (u_.size() == 0) u_ = Vector::Zero(W_in_.cols());
    detail::require_length(u_, W_in_.cols(), "u");
  }
}

Vector LinearModel::drive() const {
  Vector d = h_;
  if (W_in_.size() > 0) d.noalias() += W_in_ * u_;
  return d;
}

void LinearModel::evaluate(const Vector& v, Vector& f, Matrix* jacobian) const {
  f = (M_ * v - v + drive()) / tau_;
  if (jacobian) {
    *jacobian = M_ / tau_;
    jacobian->diagonal().array() -= 1.0 / tau_;
  }
}

std::vector<Model::ParameterBlock> LinearModel::parameter_blocks() const {
  std::vector<ParameterBlock> blocks{{"tau", 1, 1, true}, {"M", dim(), dim()}, {"h", dim(), 1}};
  if (W_in_.size() > 0) {
    blocks.push_back({"W_in", W_in_.rows(), W_in_.cols()});
    blocks.push_back({"u", u_.size(), 1});
  }
  return blocks;
}

double* LinearModel::parameter_slot(const std::string& symbol, Index row, Index col) {
  if (symbol == "tau") return &tau_;
  if (symbol == "M") return &M_(row, col);
  if (symbol == "h") return &h_(row);
  if (symbol == "W_in") return &W_in_(row, col);
  if (symbol == "u") return &u_(row);
  return nullptr;
}

std::optional<PiecewiseLinearStructure> LinearModel::piecewise_linear() const {
  // One region, no hidden units: F(v) = (M - I)/tau v + h/tau.
  PiecewiseLinearStructure s;
  s.time = TimeKind::Flow;
  s.A = (M_ - Matrix::Identity(dim(), dim())) / tau_;
  s.U = Matrix::Zero(0, dim());
  s.c = Vector::Zero(0);
  s.V = Matrix::Zero(dim(), 0);
  s.h = drive() / tau_;
  return s;
}

}  // namespace rnndyn
