#include "rnndyn/models/rate_model.hpp"

#include "low_rank_detail.hpp"

#include "../detail/checks.hpp"

namespace rnndyn {

RateModel::RateModel(Form form, Activation activation, Vector tau, Matrix W, Vector b, Matrix W_in, Vector u, double g)
    : form_(form),
      activation_(activation),
      tau_(std::move(tau)),
      W_(std::move(W)),
      b_(std::move(b)),
      W_in_(std::move(W_in)),
      u_(std::move(u)),
      g_(g) {
  const Index n = W_.rows();
  detail::require_nonempty(n, "W");
  detail::require_shape(W_, n, n, "W");
  detail::require_length(tau_, n, "tau");
  detail::require_positive(tau_, "tau");
  detail::require_length(b_, n, "b");
  if (W_in_.size() == 0 && u_.size() > 0) throw InputError("W_in", "required when an input u is given");
  if (W_in_.size() > 0) {
    detail::require_shape(W_in_, n, W_in_.cols(), "W_in");
    detail::require_length(u_, W_in_.cols(), "u");
  }
  if (!std::isfinite(g_)) throw InputError("g", "must be finite");
}

RateModel RateModel::low_rank(Form form, Activation activation, Vector tau, Matrix U, Matrix V, Vector b, Matrix W_in,
                              Vector u, double g) {
  detail::require_nonempty(U.rows(), "U");
  if (U.cols() < 1) throw InputError("U", "needs at least one column (the rank R)");
  detail::require_shape(V, U.rows(), U.cols(), "V");
  RateModel model(form, activation, std::move(tau), U * V.transpose(), std::move(b), std::move(W_in), std::move(u), g);
  model.U_ = std::move(U);
  model.V_ = std::move(V);
  return model;
}

void RateModel::drive_into(Vector& d) const {
  d = b_;
  if (W_in_.size() > 0) d.noalias() += W_in_ * u_;
}

Vector RateModel::drive() const {
  Vector d;
  drive_into(d);
  return d;
}

Vector RateModel::rates(const Vector& x) const {
  if (form_ == Form::Rate) return x;
  Vector phi;
  activation_.apply(x, phi);
  return phi;
}

void RateModel::evaluate(const Vector& x, Vector& f, Matrix* jacobian) const {
  // Scratch per thread: a small network's step is otherwise mostly the allocation of these
  // temporaries (a 2-D flow's basin census spent 2/3 of its time in evaluate, most of it there).
  thread_local Vector a, phi;
  if (&f == &x) {  // drive_into(f) below would overwrite x before it is read
    Vector out;
    evaluate(x, out, jacobian);
    f.swap(out);
    return;
  }
  // The activation's argument: x (current form) or g W r + b + W_in u (rate form).
  if (form_ == Form::Current) {
    a = x;
  } else {
    drive_into(a);
    a.noalias() += g_ * (W_ * x);
  }
  activation_.apply(a, phi);
  if (form_ == Form::Current) {
    drive_into(f);  // -x + (b + W_in u), rounded as before
    f -= x;
    f.noalias() += g_ * (W_ * phi);
  } else {
    f = phi - x;
  }
  f.array() /= tau_.array();
  if (jacobian) {
    thread_local Vector dphi;
    activation_.apply_derivative(a, dphi);
    // current: T^{-1}(-I + g W diag(phi'(x)));  rate: T^{-1}(-I + diag(phi'(a)) g W)
    if (form_ == Form::Current)
      *jacobian = g_ * (W_ * dphi.asDiagonal());
    else
      *jacobian = g_ * (dphi.asDiagonal() * W_);
    jacobian->diagonal().array() -= 1.0;
    jacobian->array().colwise() /= tau_.array();
  }
}

std::vector<Model::ParameterBlock> RateModel::parameter_blocks() const {
  std::vector<ParameterBlock> blocks{{"tau", dim(), 1, true}};
  if (is_low_rank()) {  // W = U V^T is derived, so its entries are not free parameters
    blocks.push_back({"U", U_.rows(), U_.cols()});
    blocks.push_back({"V", V_.rows(), V_.cols()});
  } else {
    blocks.push_back({"W", dim(), dim()});
  }
  blocks.push_back({"b", dim(), 1});
  blocks.push_back({"g", 1, 1});
  if (W_in_.size() > 0) {
    blocks.push_back({"W_in", W_in_.rows(), W_in_.cols()});
    blocks.push_back({"u", u_.size(), 1});
  }
  return blocks;
}

double* RateModel::parameter_slot(const std::string& symbol, Index row, Index col) {
  if (symbol == "tau") return &tau_(row);
  if (symbol == "W") return is_low_rank() ? nullptr : &W_(row, col);
  if (symbol == "U") return is_low_rank() ? &U_(row, col) : nullptr;
  if (symbol == "V") return is_low_rank() ? &V_(row, col) : nullptr;
  if (symbol == "b") return &b_(row);
  if (symbol == "g") return &g_;
  if (symbol == "W_in") return &W_in_(row, col);
  if (symbol == "u") return &u_(row);
  return nullptr;
}

void RateModel::parameters_changed() {
  if (is_low_rank()) W_.noalias() = U_ * V_.transpose();
}

std::optional<LatentReduction> RateModel::latent_reduction(const LatentOptions& options) const {
  // Fixed points: x = g W phi(x) + d (current) or r = phi(g W r + d) (rate); tau only scales
  // time. With kappa = V^T phi(x) resp. V^T r both read kappa = V^T phi(g U kappa + d).
  return detail::reduce_low_rank(W_, U_, V_, g_, drive(), activation_, form_ == Form::Rate, options);
}

std::optional<LinearSystem> RateModel::linear_system() const {
  // Both forms read tau dv/dt = -v + g W v + d when phi is the identity.
  if (activation_.kind() != ActivationKind::Linear || activation_.threshold() != 0.0) return std::nullopt;
  if ((tau_.array() != tau_(0)).any()) return std::nullopt;
  return LinearSystem{tau_(0), g_ * W_, drive()};
}

std::optional<PiecewiseLinearStructure> RateModel::piecewise_linear() const {
  if (!activation_.is_piecewise_linear()) return std::nullopt;
  const Index n = dim();
  const Vector inv_tau = tau_.cwiseInverse();
  PiecewiseLinearStructure s;
  s.time = TimeKind::Flow;
  s.A = Matrix((-inv_tau).asDiagonal());
  s.units.assign(static_cast<size_t>(n), activation_);
  if (form_ == Form::Current) {
    s.U = Matrix::Identity(n, n);
    s.c = Vector::Zero(n);
    s.V = inv_tau.asDiagonal() * (g_ * W_);
    s.h = inv_tau.asDiagonal() * drive();
  } else {
    s.U = g_ * W_;
    s.c = drive();
    s.V = Matrix(inv_tau.asDiagonal());
    s.h = Vector::Zero(n);
  }
  return s;
}

}  // namespace rnndyn
