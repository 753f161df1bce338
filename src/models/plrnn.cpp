#include "rnndyn/models/plrnn.hpp"

#include "../detail/checks.hpp"

namespace rnndyn {

Plrnn::Plrnn(TimeKind time, Matrix A, Matrix W, Vector theta, Vector h)
    : time_(time), A_(std::move(A)), W_(std::move(W)), theta_(std::move(theta)), h_(std::move(h)) {
  const Index n = A_.rows();
  detail::require_nonempty(n, "A");
  detail::require_shape(A_, n, n, "A");
  detail::require_shape(W_, n, n, "W");
  detail::require_length(theta_, n, "theta");
  detail::require_length(h_, n, "h");
}

void Plrnn::evaluate(const Vector& z, Vector& f, Matrix* jacobian) const {
  const Vector a = z - theta_;
  f = A_ * z + h_;
  f.noalias() += W_ * a.cwiseMax(0.0);
  if (jacobian) {
    const Vector d = (a.array() > 0.0).cast<double>();
    *jacobian = A_ + W_ * d.asDiagonal();
  }
}

std::vector<Model::ParameterBlock> Plrnn::parameter_blocks() const {
  return {{"A", dim(), dim()}, {"W", dim(), dim()}, {"theta", dim(), 1}, {"h", dim(), 1}};
}

double* Plrnn::parameter_slot(const std::string& symbol, Index row, Index col) {
  if (symbol == "A") return &A_(row, col);
  if (symbol == "W") return &W_(row, col);
  if (symbol == "theta") return &theta_(row);
  if (symbol == "h") return &h_(row);
  return nullptr;
}

std::optional<PiecewiseLinearStructure> Plrnn::piecewise_linear() const {
  PiecewiseLinearStructure s;
  s.time = time_;
  s.A = A_;
  s.U = Matrix::Identity(dim(), dim());
  s.c = -theta_;
  s.V = W_;
  s.h = h_;
  s.units.assign(static_cast<size_t>(dim()), Activation(ActivationKind::Relu));
  return s;
}

}  // namespace rnndyn
