#include "rnndyn/models/rnn_model.hpp"

#include "../detail/checks.hpp"
#include "../detail/dense_lapack.hpp"
#include "low_rank_detail.hpp"

namespace rnndyn {

RnnModel::RnnModel(Activation activation, Matrix W_hh, Vector b, Matrix W_in, Vector u)
    : activation_(activation), W_hh_(std::move(W_hh)), b_(std::move(b)), W_in_(std::move(W_in)), u_(std::move(u)) {
  const Index n = W_hh_.rows();
  detail::require_nonempty(n, "W_hh");
  detail::require_shape(W_hh_, n, n, "W_hh");
  detail::require_length(b_, n, "b");
  if (W_in_.size() == 0 && u_.size() > 0) throw InputError("W_in", "required when an input u is given");
  if (W_in_.size() > 0) {
    detail::require_shape(W_in_, n, W_in_.cols(), "W_in");
    detail::require_length(u_, W_in_.cols(), "u");
  }
}

Vector RnnModel::preactivation(const Vector& h) const {
  Vector a = b_;
  a.noalias() += W_hh_ * h;
  if (W_in_.size() > 0) a.noalias() += W_in_ * u_;
  return a;
}

void RnnModel::evaluate(const Vector& h, Vector& f, Matrix* jacobian) const {
  const Vector a = preactivation(h);
  activation_.apply(a, f);
  if (jacobian) {
    Vector d;
    activation_.apply_derivative(a, d);
    *jacobian = d.asDiagonal() * W_hh_;
  }
}

void RnnModel::evaluate_batch(const Matrix& X, Matrix& F) const {
  Vector a0 = b_;
  if (W_in_.size() > 0) a0.noalias() += W_in_ * u_;
  Matrix A;
  detail::multiply(W_hh_, X, A);
  A.colwise() += a0;
  F.resize(dim(), X.cols());
  Vector f;
  for (Index j = 0; j < X.cols(); ++j) {
    activation_.apply(A.col(j), f);
    F.col(j) = f;
  }
}

std::vector<Model::ParameterBlock> RnnModel::parameter_blocks() const {
  std::vector<ParameterBlock> blocks{{"W_hh", dim(), dim()}, {"b", dim(), 1}};
  if (W_in_.size() > 0) {
    blocks.push_back({"W_in", W_in_.rows(), W_in_.cols()});
    blocks.push_back({"u", u_.size(), 1});
  }
  return blocks;
}

double* RnnModel::parameter_slot(const std::string& symbol, Index row, Index col) {
  if (symbol == "W_hh") return &W_hh_(row, col);
  if (symbol == "b") return &b_(row);
  if (symbol == "W_in") return &W_in_(row, col);
  if (symbol == "u") return &u_(row);
  return nullptr;
}

std::optional<PiecewiseLinearStructure> RnnModel::piecewise_linear() const {
  if (!activation_.is_piecewise_linear()) return std::nullopt;
  PiecewiseLinearStructure s;
  s.time = TimeKind::Map;
  s.A = Matrix::Zero(dim(), dim());
  s.U = W_hh_;
  s.c = preactivation(Vector::Zero(dim()));
  s.V = Matrix::Identity(dim(), dim());
  s.h = Vector::Zero(dim());
  s.units.assign(static_cast<size_t>(dim()), activation_);
  return s;
}

std::optional<LatentReduction> RnnModel::latent_reduction(const LatentOptions& options) const {
  Vector d = b_;
  if (W_in_.size() > 0) d += W_in_ * u_;
  return detail::reduce_low_rank(W_hh_, Matrix(), Matrix(), 1.0, d, activation_, true, options);
}

}  // namespace rnndyn
