// LSTM cell (PyTorch conventions) on the state [h; c]: c' = f c + i g, h' = o tanh(c').
#include "rnndyn/models/lstm_model.hpp"

#include <cmath>

#include "../detail/checks.hpp"
#include "../detail/dense_lapack.hpp"
#include "gate_arrays.hpp"

namespace rnndyn {

namespace {

double sigmoid(double a) { return 1.0 / (1.0 + std::exp(-a)); }

}  // namespace

LstmModel::LstmModel(Matrix W_hh, Vector b_ih, Vector b_hh, Matrix W_ih, Vector u)
    : W_hh_(std::move(W_hh)), b_ih_(std::move(b_ih)), b_hh_(std::move(b_hh)), W_ih_(std::move(W_ih)), u_(std::move(u)) {
  const Index H = W_hh_.cols();
  detail::require_nonempty(H, "W_hh");
  detail::require_shape(W_hh_, 4 * H, H, "W_hh");
  if (b_ih_.size() == 0) b_ih_ = Vector::Zero(4 * H);
  if (b_hh_.size() == 0) b_hh_ = Vector::Zero(4 * H);
  detail::require_length(b_ih_, 4 * H, "b_ih");
  detail::require_length(b_hh_, 4 * H, "b_hh");
  if (W_ih_.size() == 0 && u_.size() > 0) throw InputError("W_ih", "required when an input u is given");
  if (W_ih_.size() > 0) {
    detail::require_shape(W_ih_, 4 * H, W_ih_.cols(), "W_ih");
    if (u_.size() == 0) u_ = Vector::Zero(W_ih_.cols());
    detail::require_length(u_, W_ih_.cols(), "u");
  }
}

void LstmModel::evaluate(const Vector& x, Vector& f, Matrix* jacobian) const {
  const Index H = hidden_size();
  if (x.size() != 2 * H) throw InputError("x", "expected a state [h; c] of length " + std::to_string(2 * H));
  const auto h = x.head(H);
  const auto c = x.tail(H);
  Vector a = b_ih_ + b_hh_;
  if (W_ih_.size() > 0) a.noalias() += W_ih_ * u_;
  a.noalias() += W_hh_ * h;
  Vector gi(H), gf(H), gg(H), go(H), cn(H), tc(H);
  f.resize(2 * H);
  for (Index k = 0; k < H; ++k) {
    gi(k) = sigmoid(a(k));
    gf(k) = sigmoid(a(H + k));
    gg(k) = std::tanh(a(2 * H + k));
    go(k) = sigmoid(a(3 * H + k));
    cn(k) = gf(k) * c(k) + gi(k) * gg(k);
    tc(k) = std::tanh(cn(k));
    f(k) = go(k) * tc(k);
    f(H + k) = cn(k);
  }
  if (!jacobian) return;
  // dc'/dh = diag(c f(1-f)) W_hf + diag(g i(1-i)) W_hi + diag(i (1-g^2)) W_hg, dc'/dc = diag(f);
  // dh'/dx = diag(tanh(c') o(1-o)) [W_ho, 0] + diag(o (1 - tanh^2 c')) dc'/dx.
  // Column by column (W_hh is column-major: each gate block's column is contiguous).
  Vector di(H), df(H), dg(H), dout(H), s(H);
  for (Index k = 0; k < H; ++k) {
    di(k) = gi(k) * (1.0 - gi(k)) * gg(k);
    df(k) = gf(k) * (1.0 - gf(k)) * c(k);
    dg(k) = gi(k) * (1.0 - gg(k) * gg(k));
    s(k) = go(k) * (1.0 - tc(k) * tc(k));
    dout(k) = tc(k) * go(k) * (1.0 - go(k));
  }
  Matrix& J = *jacobian;
  J.setZero(2 * H, 2 * H);
  for (Index j = 0; j < H; ++j) {
    const auto w = W_hh_.col(j);
    auto dc = J.col(j).segment(H, H);
    dc.array() = di.array() * w.segment(0, H).array() + df.array() * w.segment(H, H).array() +
                 dg.array() * w.segment(2 * H, H).array();
    J.col(j).head(H).array() = dout.array() * w.segment(3 * H, H).array() + s.array() * dc.array();
  }
  for (Index k = 0; k < H; ++k) {
    J(H + k, H + k) = gf(k);
    J(k, H + k) = s(k) * gf(k);
  }
}

void LstmModel::evaluate_batch(const Matrix& X, Matrix& F) const {
  const Index H = hidden_size();
  if (X.rows() != 2 * H) throw InputError("x", "expected states [h; c] of length " + std::to_string(2 * H));
  Vector a0 = b_ih_ + b_hh_;
  if (W_ih_.size() > 0) a0.noalias() += W_ih_ * u_;
  Matrix A;
  detail::multiply(W_hh_, X.topRows(H), A);  // 4H x B
  A.colwise() += a0;
  // All states' gates at once, by vectorised exp (gate_arrays.hpp).
  const Eigen::ArrayXXd cn = detail::logistic(A.middleRows(H, H).array()) * X.bottomRows(H).array() +
                             detail::logistic(A.topRows(H).array()) * detail::tanh_fast(A.middleRows(2 * H, H).array());
  F.resize(2 * H, X.cols());
  F.topRows(H) = (detail::logistic(A.bottomRows(H).array()) * detail::tanh_fast(cn)).matrix();
  F.bottomRows(H) = cn.matrix();
}

std::vector<Model::ParameterBlock> LstmModel::parameter_blocks() const {
  std::vector<ParameterBlock> blocks{
      {"W_hh", W_hh_.rows(), W_hh_.cols()}, {"b_ih", b_ih_.size(), 1}, {"b_hh", b_hh_.size(), 1}};
  if (W_ih_.size() > 0) {
    blocks.push_back({"W_ih", W_ih_.rows(), W_ih_.cols()});
    blocks.push_back({"u", u_.size(), 1});
  }
  return blocks;
}

double* LstmModel::parameter_slot(const std::string& symbol, Index row, Index col) {
  if (symbol == "W_hh") return &W_hh_(row, col);
  if (symbol == "b_ih") return &b_ih_(row);
  if (symbol == "b_hh") return &b_hh_(row);
  if (symbol == "W_ih") return &W_ih_(row, col);
  if (symbol == "u") return &u_(row);
  return nullptr;
}

}  // namespace rnndyn
