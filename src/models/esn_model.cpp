#include "rnndyn/models/esn_model.hpp"

#include "../detail/checks.hpp"
#include "../detail/dense_lapack.hpp"

namespace rnndyn {

namespace {

/// Empty means zeros of length n (the optional vectors of Weights).
void default_zeros(Vector& v, Index n) {
  if (v.size() == 0) v = Vector::Zero(n);
}

}  // namespace

EsnModel::EsnModel(Weights weights) : w_(std::move(weights)) {
  validate();
  refresh();
}

void EsnModel::validate() {
  const Index n = w_.W.rows();
  detail::require_nonempty(n, "W");
  detail::require_shape(w_.W, n, n, "W");
  if (!std::isfinite(w_.g)) throw InputError("g", "must be finite");
  if (w_.lr.size() == 0) w_.lr = Vector::Ones(1);
  if (w_.lr.size() != 1 && w_.lr.size() != n)
    throw InputError("lr", "expected one leak rate or " + std::to_string(n) + " (one per unit), got " +
                               std::to_string(w_.lr.size()));
  detail::require_positive(w_.lr, "lr");
  default_zeros(w_.b, n);
  detail::require_length(w_.b, n, "b");
  if (w_.W_in.size() == 0 && w_.u.size() > 0) throw InputError("W_in", "required when an input u is given");
  if (w_.W_in.size() > 0) detail::require_shape(w_.W_in, n, w_.W_in.cols(), "W_in");
  const Index inputs = w_.W_in.cols();
  default_zeros(w_.u, inputs);
  detail::require_length(w_.u, inputs, "u");
  if (w_.W_fb.size() > 0) detail::require_shape(w_.W_fb, n, w_.W_fb.cols(), "W_fb");
  if (w_.W_out.size() > 0) {
    if (w_.W_out.cols() != n || (w_.W_fb.size() > 0 && w_.W_out.rows() != w_.W_fb.cols()))
      throw InputError("W_out", "expected a " + detail::shape_string(outputs(), n) +
                                    " matrix (one row per output, one column per unit), got " +
                                    detail::shape_string(w_.W_out.rows(), w_.W_out.cols()));
    detail::require_finite(w_.W_out, "W_out");
  }
  const Index o = outputs();
  if (w_.y.size() > 0 && w_.W_fb.size() == 0) throw InputError("y", "a fed-back output y needs feedback weights W_fb");
  if (w_.y.size() > 0 && w_.closed_loop)
    throw InputError("y", "the closed loop computes y from the readout; y is an input of the open loop only");
  default_zeros(w_.y, w_.closed_loop ? 0 : (w_.W_fb.size() > 0 ? o : 0));
  if (!w_.closed_loop) detail::require_length(w_.y, w_.W_fb.size() > 0 ? o : 0, "y");
  if ((w_.W_out_u.size() > 0 || w_.b_out.size() > 0) && w_.W_out.size() == 0)
    throw InputError(w_.W_out_u.size() > 0 ? "W_out_u" : "b_out", "a readout needs readout weights W_out");
  if (w_.W_out_u.size() > 0) {
    if (inputs == 0) throw InputError("W_out_u", "input-to-readout weights need input weights W_in");
    detail::require_shape(w_.W_out_u, o, inputs, "W_out_u");
  }
  default_zeros(w_.b_out, w_.W_out.size() > 0 ? o : 0);
  detail::require_length(w_.b_out, w_.W_out.size() > 0 ? o : 0, "b_out");
  if (w_.closed_loop && w_.W_fb.size() == 0)
    throw InputError("W_fb", "the closed loop feeds the output back and needs feedback weights W_fb");
  if (w_.closed_loop && w_.W_out.size() == 0)
    throw InputError("W_out", "the closed loop feeds the readout back and needs readout weights W_out");
}

void EsnModel::refresh() {
  M_ = w_.g * w_.W;
  if (w_.closed_loop) M_.noalias() += w_.W_fb * w_.W_out;
  leak_ = w_.lr.size() == 1 ? Vector::Constant(dim(), w_.lr(0)) : w_.lr;
  refresh_drive();
}

void EsnModel::refresh_drive() {
  d_ = w_.b;
  if (w_.W_in.size() > 0) d_.noalias() += w_.W_in * w_.u;
  if (w_.closed_loop) {
    Vector y0 = w_.b_out;  // the part of y(x) that does not depend on x
    if (w_.W_out_u.size() > 0) y0.noalias() += w_.W_out_u * w_.u;
    d_.noalias() += w_.W_fb * y0;
  } else if (w_.W_fb.size() > 0) {
    d_.noalias() += w_.W_fb * w_.y;
  }
}

Vector EsnModel::step(const Vector& x, Vector& f) const {
  Vector a = d_;
  a.noalias() += M_ * x;
  Vector phi;
  w_.activation.apply(a, phi);
  f = (Vector::Ones(dim()) - leak_).cwiseProduct(x) + leak_.cwiseProduct(phi);  // ReservoirPy's order
  return a;
}

void EsnModel::evaluate(const Vector& x, Vector& f, Matrix* jacobian) const {
  const Vector a = step(x, f);
  if (jacobian) {
    Vector dphi;
    w_.activation.apply_derivative(a, dphi);
    *jacobian = leak_.cwiseProduct(dphi).asDiagonal() * M_;
    jacobian->diagonal() += Vector::Ones(dim()) - leak_;
  }
}

bool EsnModel::tangent_product(const Vector& x, Vector& f, const double* Q, double* JQ, Index k) const {
  const Vector a = step(x, f);
  Vector dphi;
  w_.activation.apply_derivative(a, dphi);
  const Vector keep = Vector::Ones(dim()) - leak_;
  // J Q = diag(1 - lr) Q + diag(lr f'(a)) (M Q)
  detail::multiply(M_, Q, JQ, k);
  Eigen::Map<Matrix> C(JQ, dim(), k);
  const Eigen::Map<const Matrix> Qm(Q, dim(), k);
  C = leak_.cwiseProduct(dphi).asDiagonal() * C;
  C.noalias() += keep.asDiagonal() * Qm;
  return true;
}

void EsnModel::evaluate_batch(const Matrix& X, Matrix& F) const {
  Matrix A;
  detail::multiply(M_, X, A);
  A.colwise() += d_;
  F.resize(dim(), X.cols());
  Vector phi;
  for (Index j = 0; j < X.cols(); ++j) {
    w_.activation.apply(A.col(j), phi);
    F.col(j) = (Vector::Ones(dim()) - leak_).cwiseProduct(X.col(j)) + leak_.cwiseProduct(phi);
  }
}

std::vector<Model::ParameterBlock> EsnModel::parameter_blocks() const {
  const Index n = dim();
  std::vector<ParameterBlock> blocks{{"W", n, n}, {"g", 1, 1}, {"lr", w_.lr.size(), 1, true}, {"b", n, 1}};
  if (w_.W_in.size() > 0) {
    blocks.push_back({"W_in", n, w_.W_in.cols()});
    blocks.push_back({"u", w_.u.size(), 1});
  }
  if (w_.W_fb.size() > 0) blocks.push_back({"W_fb", n, w_.W_fb.cols()});
  if (!w_.closed_loop && w_.y.size() > 0) blocks.push_back({"y", w_.y.size(), 1});
  if (w_.closed_loop) {  // the readout enters the map only when it is fed back
    blocks.push_back({"W_out", w_.W_out.rows(), n});
    blocks.push_back({"b_out", w_.b_out.size(), 1});
    if (w_.W_out_u.size() > 0) blocks.push_back({"W_out_u", w_.W_out_u.rows(), w_.W_out_u.cols()});
  }
  return blocks;
}

double* EsnModel::parameter_slot(const std::string& symbol, Index row, Index col) {
  if (symbol == "W") return &w_.W(row, col);
  if (symbol == "g") return &w_.g;
  if (symbol == "lr") return &w_.lr(row);
  if (symbol == "b") return &w_.b(row);
  if (symbol == "W_in") return &w_.W_in(row, col);
  if (symbol == "u") return &w_.u(row);
  if (symbol == "W_fb") return &w_.W_fb(row, col);
  if (symbol == "y") return &w_.y(row);
  if (symbol == "W_out") return &w_.W_out(row, col);
  if (symbol == "b_out") return &w_.b_out(row);
  if (symbol == "W_out_u") return &w_.W_out_u(row, col);
  return nullptr;
}

Index EsnModel::input_dim() const { return w_.u.size() + (w_.closed_loop ? 0 : w_.y.size()); }

Vector EsnModel::input() const {
  if (w_.closed_loop) return w_.u;
  Vector v(input_dim());
  v << w_.u, w_.y;
  return v;
}

void EsnModel::set_input(const Vector& v) {
  if (input_dim() == 0)
    throw InputError("u",
                     "the esn model has neither input weights W_in nor an open-loop feedback y, so it takes no input");
  detail::require_length(v, input_dim(), "u");
  w_.u = v.head(w_.u.size());
  if (!w_.closed_loop) w_.y = v.tail(w_.y.size());
  refresh_drive();  // u and y enter d only
}

std::optional<Readout> EsnModel::readout() const {
  if (w_.W_out.size() == 0) return std::nullopt;
  Vector offset = w_.b_out;
  if (w_.W_out_u.size() > 0) offset.noalias() += w_.W_out_u * w_.u;
  return Readout{w_.W_out, offset};
}

std::optional<PiecewiseLinearStructure> EsnModel::piecewise_linear() const {
  if (!w_.activation.is_piecewise_linear()) return std::nullopt;
  PiecewiseLinearStructure s;
  s.time = TimeKind::Map;
  s.A = Matrix((Vector::Ones(dim()) - leak_).asDiagonal());
  s.U = M_;
  s.c = d_;
  s.V = Matrix(leak_.asDiagonal());
  s.h = Vector::Zero(dim());
  s.units.assign(static_cast<size_t>(dim()), w_.activation);
  return s;
}

std::optional<Vector> EsnModel::open_loop_state(const Vector& y, int max_steps, double tol) const {
  detail::require_length(y, outputs(), "y");
  Vector drive = w_.b;
  if (w_.W_in.size() > 0) drive.noalias() += w_.W_in * w_.u;
  if (w_.W_fb.size() > 0) drive.noalias() += w_.W_fb * y;
  const Matrix gW = w_.g * w_.W;
  Vector x = Vector::Zero(dim()), next, a;
  for (int step = 0; step < max_steps; ++step) {
    a = drive;
    a.noalias() += gW * x;
    w_.activation.apply(a, next);
    const double change = (next - x).cwiseAbs().maxCoeff();
    x.swap(next);
    if (!std::isfinite(change)) return std::nullopt;
    if (change <= tol * std::max(1.0, x.cwiseAbs().maxCoeff())) return x;
  }
  return std::nullopt;
}

}  // namespace rnndyn
