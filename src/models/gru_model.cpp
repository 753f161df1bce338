// GRU cell (PyTorch conventions): h' = (1 - z) n + z h; see gru_model.hpp for the gates.
#include "rnndyn/models/gru_model.hpp"

#include <cmath>

#include "../detail/checks.hpp"

namespace rnndyn {

namespace {

double sigmoid(double a) { return 1.0 / (1.0 + std::exp(-a)); }

}  // namespace

GruModel::GruModel(Matrix W_hh, Vector b_ih, Vector b_hh, Matrix W_ih, Vector u)
    : W_hh_(std::move(W_hh)), b_ih_(std::move(b_ih)), b_hh_(std::move(b_hh)), W_ih_(std::move(W_ih)), u_(std::move(u)) {
  const Index H = W_hh_.cols();
  detail::require_nonempty(H, "W_hh");
  detail::require_shape(W_hh_, 3 * H, H, "W_hh");
  if (b_ih_.size() == 0) b_ih_ = Vector::Zero(3 * H);
  if (b_hh_.size() == 0) b_hh_ = Vector::Zero(3 * H);
  detail::require_length(b_ih_, 3 * H, "b_ih");
  detail::require_length(b_hh_, 3 * H, "b_hh");
  if (W_ih_.size() == 0 && u_.size() > 0) throw InputError("W_ih", "required when an input u is given");
  if (W_ih_.size() > 0) {
    detail::require_shape(W_ih_, 3 * H, W_ih_.cols(), "W_ih");
    if (u_.size() == 0) u_ = Vector::Zero(W_ih_.cols());
    detail::require_length(u_, W_ih_.cols(), "u");
  }
}

void GruModel::evaluate(const Vector& h, Vector& f, Matrix* jacobian) const {
  const Index H = dim();
  // Input part of every gate, W_ih u + b_ih, and recurrent part W_hh h + b_hh (kept apart
  // because r multiplies only the recurrent part of n).
  Vector gi = b_ih_;
  if (W_ih_.size() > 0) gi.noalias() += W_ih_ * u_;
  Vector gh = b_hh_;
  gh.noalias() += W_hh_ * h;
  Vector r(H), z(H), n(H);
  for (Index k = 0; k < H; ++k) {
    r(k) = sigmoid(gi(k) + gh(k));
    z(k) = sigmoid(gi(H + k) + gh(H + k));
    n(k) = std::tanh(gi(2 * H + k) + r(k) * gh(2 * H + k));
  }
  f = (1.0 - z.array()) * n.array() + z.array() * h.array();
  if (!jacobian) return;
  // dr/dh = diag(r(1-r)) W_hr, dz/dh = diag(z(1-z)) W_hz,
  // dn/dh = diag(1-n^2) [diag(W_hn h + b_hn) dr/dh + diag(r) W_hn],
  // dh'/dh = diag(1-z) dn/dh + diag(h-n) dz/dh + diag(z).
  // Built column by column: W_hh is column-major, so each column of its three gate blocks is
  // contiguous and J = D_r W_hr + D_n W_hn + D_z W_hz + diag(z) vectorizes (row by row it strides
  // by 3H: a fifth of the numeric search's time at H = 128).
  Vector cr(H), cn(H), cz(H);
  for (Index k = 0; k < H; ++k) {
    const double dn = (1.0 - z(k)) * (1.0 - n(k) * n(k));
    cr(k) = dn * gh(2 * H + k) * r(k) * (1.0 - r(k));
    cn(k) = dn * r(k);
    cz(k) = (h(k) - n(k)) * z(k) * (1.0 - z(k));
  }
  Matrix& J = *jacobian;
  J.resize(H, H);
  for (Index j = 0; j < H; ++j) {
    const auto w = W_hh_.col(j);
    J.col(j).array() = cr.array() * w.segment(0, H).array() + cn.array() * w.segment(2 * H, H).array() +
                       cz.array() * w.segment(H, H).array();
  }
  J.diagonal() += z;
}

void GruModel::evaluate_batch(const Matrix& X, Matrix& F) const {
  const Index H = dim();
  Vector gi = b_ih_;
  if (W_ih_.size() > 0) gi.noalias() += W_ih_ * u_;
  Matrix GH = W_hh_ * X;  // 3H x B: one product for every state's gates
  GH.colwise() += b_hh_;
  // The gates coefficient-wise over the whole batch, so that Eigen's packet exp serves every
  // sigmoid and tanh (the scalar std::tanh and std::exp were most of a census' time). tanh a =
  // 1 - 2 / (1 + exp(2 a)): within a few 1e-16 of std::tanh in absolute terms, which is all that
  // h' = (1 - z) n + z h sees.
  using Array2 = Eigen::ArrayXXd;
  const auto logistic = [](const Array2& a) -> Array2 { return (1.0 + (-a).exp()).inverse(); };
  GH.topRows(2 * H).colwise() += gi.head(2 * H);
  const Array2 r = logistic(GH.topRows(H).array());
  const Array2 z = logistic(GH.middleRows(H, H).array());
  Array2 a = r * GH.bottomRows(H).array();
  a.colwise() += gi.tail(H).array();
  const Array2 n = 1.0 - 2.0 / (1.0 + (2.0 * a).exp());
  F = ((1.0 - z) * n + z * X.array()).matrix();
}

std::vector<Model::ParameterBlock> GruModel::parameter_blocks() const {
  std::vector<ParameterBlock> blocks{
      {"W_hh", W_hh_.rows(), W_hh_.cols()}, {"b_ih", b_ih_.size(), 1}, {"b_hh", b_hh_.size(), 1}};
  if (W_ih_.size() > 0) {
    blocks.push_back({"W_ih", W_ih_.rows(), W_ih_.cols()});
    blocks.push_back({"u", u_.size(), 1});
  }
  return blocks;
}

double* GruModel::parameter_slot(const std::string& symbol, Index row, Index col) {
  if (symbol == "W_hh") return &W_hh_(row, col);
  if (symbol == "b_ih") return &b_ih_(row);
  if (symbol == "b_hh") return &b_hh_(row);
  if (symbol == "W_ih") return &W_ih_(row, col);
  if (symbol == "u") return &u_(row);
  return nullptr;
}

}  // namespace rnndyn
