#include "rnndyn/models/shallow_plrnn.hpp"

#include "../detail/checks.hpp"

namespace rnndyn {

ShallowPlrnn::ShallowPlrnn(TimeKind time, Matrix A, Matrix W1, Matrix W2, Vector h1, Vector h2)
    : time_(time), A_(std::move(A)), W1_(std::move(W1)), W2_(std::move(W2)), h1_(std::move(h1)), h2_(std::move(h2)) {
  const Index r = A_.rows();
  detail::require_nonempty(r, "A");
  detail::require_shape(A_, r, r, "A");
  detail::require_nonempty(W2_.rows(), "W2");
  detail::require_shape(W2_, W2_.rows(), r, "W2");
  detail::require_shape(W1_, r, W2_.rows(), "W1");
  detail::require_length(h1_, r, "h1");
  detail::require_length(h2_, W2_.rows(), "h2");
}

void ShallowPlrnn::evaluate(const Vector& z, Vector& f, Matrix* jacobian) const {
  Vector a = h2_;
  a.noalias() += W2_ * z;
  f = A_ * z + h1_;
  f.noalias() += W1_ * a.cwiseMax(0.0);
  if (jacobian) {
    const Vector d = (a.array() > 0.0).cast<double>();
    *jacobian = A_;
    jacobian->noalias() += W1_ * d.asDiagonal() * W2_;
  }
}

std::vector<Model::ParameterBlock> ShallowPlrnn::parameter_blocks() const {
  return {{"A", dim(), dim()}, {"W1", dim(), hidden()}, {"W2", hidden(), dim()}, {"h1", dim(), 1}, {"h2", hidden(), 1}};
}

double* ShallowPlrnn::parameter_slot(const std::string& symbol, Index row, Index col) {
  if (symbol == "A") return &A_(row, col);
  if (symbol == "W1") return &W1_(row, col);
  if (symbol == "W2") return &W2_(row, col);
  if (symbol == "h1") return &h1_(row);
  if (symbol == "h2") return &h2_(row);
  return nullptr;
}

std::optional<PiecewiseLinearStructure> ShallowPlrnn::piecewise_linear() const {
  PiecewiseLinearStructure s;
  s.time = time_;
  s.A = A_;
  s.U = W2_;
  s.c = h2_;
  s.V = W1_;
  s.h = h1_;
  s.units.assign(static_cast<size_t>(hidden()), Activation(ActivationKind::Relu));
  return s;
}

}  // namespace rnndyn
