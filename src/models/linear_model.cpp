#include "rnndyn/models/linear_model.hpp"

#include "../detail/checks.hpp"

namespace rnndyn {

LinearModel::LinearModel(double tau, Matrix M, Vector h) : tau_(tau), M_(std::move(M)), h_(std::move(h)) {
  detail::require_nonempty(M_.rows(), "M");
  detail::require_shape(M_, M_.rows(), M_.rows(), "M");
  detail::require_length(h_, M_.rows(), "h");
  detail::require_positive(Vector::Constant(1, tau_), "tau");
}

void LinearModel::evaluate(const Vector& v, Vector& f, Matrix* jacobian) const {
  f = (M_ * v - v + h_) / tau_;
  if (jacobian) {
    *jacobian = M_ / tau_;
    jacobian->diagonal().array() -= 1.0 / tau_;
  }
}

std::vector<Model::ParameterBlock> LinearModel::parameter_blocks() const {
  return {{"tau", 1, 1, true}, {"M", dim(), dim()}, {"h", dim(), 1}};
}

double* LinearModel::parameter_slot(const std::string& symbol, Index row, Index col) {
  if (symbol == "tau") return &tau_;
  if (symbol == "M") return &M_(row, col);
  if (symbol == "h") return &h_(row);
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
  s.h = h_ / tau_;
  return s;
}

}  // namespace rnndyn
