// Reservoir model with output feedback and its training to fixed points (seed 003, eqs. 1-3).
#include "rnndyn/reservoir/reservoir.hpp"

#include <cmath>
#include <random>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/describe_read.hpp"
#include "rnndyn/io/model_io.hpp"

namespace rnndyn {

void ReservoirOptions::validate() const {
  if (N < 2 || N > 100000) throw InputError("N", "must be in [2, 100000], got " + std::to_string(N));
  if (!(g > 0.0 && g <= 100.0)) throw InputError("g", "must be in (0, 100]");
  if (!(feedback_scale > 0.0 && std::isfinite(feedback_scale)))
    throw InputError("feedback_scale", "must be finite and > 0");
  if (!(tau > 0.0 && std::isfinite(tau))) throw InputError("tau", "must be finite and > 0");
}

Reservoir::Reservoir(const ReservoirOptions& o) : activation_(o.activation), tau_(o.tau) {
  o.validate();
  const Index n = o.N;
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  W_.resize(n, n);
  const double s = o.g / std::sqrt(static_cast<double>(n));
  // Column-major fill order is part of the seeded result: W, then w_FB, then w_in.
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) W_(i, j) = s * normal(rng);
  w_fb_.resize(n);
  if (o.feedback == FeedbackDistribution::Uniform) {
    std::uniform_real_distribution<double> uni(-o.feedback_scale, o.feedback_scale);
    for (Index i = 0; i < n; ++i) w_fb_(i) = uni(rng);
  } else {
    for (Index i = 0; i < n; ++i) w_fb_(i) = o.feedback_scale * normal(rng);
  }
  w_in_.resize(n);
  for (Index i = 0; i < n; ++i) w_in_(i) = normal(rng);
  w_out_ = Vector::Zero(n);
}

Reservoir::Reservoir(Activation activation, double tau, Matrix W, Vector w_fb, Vector w_out, Vector w_in, double u)
    : activation_(activation),
      tau_(tau),
      W_(std::move(W)),
      w_fb_(std::move(w_fb)),
      w_out_(std::move(w_out)),
      w_in_(std::move(w_in)),
      u_(u) {
  const Index n = W_.rows();
  if (n < 1 || W_.cols() != n) throw InputError("W", "expected a non-empty square matrix");
  if (!W_.allFinite()) throw InputError("W", "entries must be finite");
  if (w_fb_.size() != n) throw InputError("w_FB", "expected length " + std::to_string(n));
  if (w_out_.size() == 0) w_out_ = Vector::Zero(n);
  if (w_out_.size() != n) throw InputError("w_out", "expected length " + std::to_string(n));
  if (w_in_.size() == 0) w_in_ = Vector::Zero(n);
  if (w_in_.size() != n) throw InputError("w_in", "expected length " + std::to_string(n));
  if (!w_fb_.allFinite() || !w_out_.allFinite() || !w_in_.allFinite())
    throw InputError("w_FB", "weights must be finite");
  if (!(tau_ > 0.0 && std::isfinite(tau_))) throw InputError("tau", "must be finite and > 0");
  if (!std::isfinite(u_)) throw InputError("u", "must be finite");
}

Vector Reservoir::rates(const Vector& x) const {
  Vector r;
  activation_.apply(x, r);
  return r;
}

void Reservoir::set_w_out(const Vector& w_out) {
  if (w_out.size() != dim()) throw InputError("w_out", "expected length " + std::to_string(dim()));
  w_out_ = w_out;
}

double Reservoir::output(const Vector& x) const {
  Vector r;
  activation_.apply(x, r);
  return w_out_.dot(r);
}

void Reservoir::evaluate(const Vector& x, Vector& f, Matrix* jacobian) const {
  Vector r;
  activation_.apply(x, r);
  const double z = w_out_.dot(r);
  f = -x + w_fb_ * z + w_in_ * u_;
  f.noalias() += W_ * r;
  f /= tau_;
  if (jacobian) {
    Vector dr;
    activation_.apply_derivative(x, dr);
    // (W + w_FB w_out^T) R' (eq. 4), scaled by 1/tau.
    Matrix J = W_;
    J.noalias() += w_fb_ * w_out_.transpose();
    J = J * dr.asDiagonal();
    J.diagonal().array() -= 1.0;
    *jacobian = J / tau_;
  }
}

std::vector<Model::ParameterBlock> Reservoir::parameter_blocks() const {
  const Index n = dim();
  return {{"W", n, n}, {"w_FB", n, 1}, {"w_out", n, 1}, {"w_in", n, 1}, {"u", 1, 1}, {"tau", 1, 1, true}};
}

double* Reservoir::parameter_slot(const std::string& symbol, Index row, Index col) {
  if (symbol == "W") return &W_(row, col);
  if (symbol == "w_FB") return &w_fb_(row);
  if (symbol == "w_out") return &w_out_(row);
  if (symbol == "w_in") return &w_in_(row);
  if (symbol == "u") return &u_;
  if (symbol == "tau") return &tau_;
  return nullptr;
}

void TrainingOptions::validate() const {
  if (targets.empty()) throw InputError("targets", "at least one target level is needed");
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (!std::isfinite(targets[i])) throw InputError("targets", "target levels must be finite");
    for (std::size_t j = 0; j < i; ++j)
      if (targets[i] == targets[j]) throw InputError("targets", "target levels must be distinct");
  }
  if (!(ridge >= 0.0 && std::isfinite(ridge))) throw InputError("ridge", "must be finite and >= 0");
  if (!(damping > 0.0 && damping <= 1.0)) throw InputError("damping", "must be in (0, 1]");
  if (max_iterations < 0) throw InputError("max_iterations", "must be >= 0");
  if (!(newton_switch > 0.0)) throw InputError("newton_switch", "must be > 0");
  if (max_newton < 0) throw InputError("max_newton", "must be >= 0");
  if (!(tol > 0.0)) throw InputError("tol", "must be > 0");
}

std::string to_string(TrainingStatus s) { return s == TrainingStatus::Converged ? "converged" : "not_converged"; }

namespace {

/// Open-loop fixed point x = W phi(x) + w_FB A (eq. 3): damped iteration (contracting when the
/// fading-memory property rho < 1 holds), then Newton on -x + W phi(x) + b with backtracking.
TrainedTarget open_loop_fixed_point(const Reservoir& res, double A, const TrainingOptions& o) {
  const Activation& act = res.activation();
  const Matrix& W = res.W();
  const Vector b = res.w_fb() * A;
  TrainedTarget t;
  t.A = A;
  t.rho = std::nan("");
  Vector x = b, r, dr;
  auto residual = [&](const Vector& xx, Vector& F) {
    act.apply(xx, r);
    F = b - xx;
    F.noalias() += W * r;
    return F.cwiseAbs().maxCoeff();
  };
  Vector F;
  double res_norm = residual(x, F);
  // Below newton_switch, keep iterating while the observed contraction rate predicts fewer than
  // N/4 more steps: each costs N^2 flops against ~(2/3) N^3 for a Newton step's LU.
  const double n_cheap = 0.25 * static_cast<double>(W.rows());
  for (int it = 0; it < o.max_iterations && res_norm >= o.tol; ++it) {
    const double before = res_norm;
    x += o.damping * F;
    res_norm = residual(x, F);
    ++t.iterations;
    if (res_norm < o.newton_switch) {
      const double rate = res_norm / before;
      const double remaining = rate < 1.0 ? std::log(o.tol / res_norm) / std::log(std::max(rate, 1e-300)) : 1e300;
      if (remaining > n_cheap) break;
    }
  }
  for (int it = 0; it < o.max_newton && res_norm >= o.tol; ++it) {
    act.apply_derivative(x, dr);
    Matrix J = W * dr.asDiagonal();
    J.diagonal().array() -= 1.0;
    const Vector dx = J.partialPivLu().solve(-F);
    double step = 1.0;
    Vector xn, Fn;
    double rn = 0;
    for (int ls = 0; ls < 30; ++ls) {
      xn = x + step * dx;
      rn = residual(xn, Fn);
      if (rn < res_norm) break;
      step *= 0.5;
    }
    ++t.iterations;
    if (!(rn < res_norm)) break;
    x = xn;
    F = Fn;
    res_norm = rn;
  }
  t.x = x;
  t.residual = res_norm;
  t.converged = res_norm < o.tol;
  return t;
}

}  // namespace

TrainingResult train_reservoir(Reservoir& reservoir, const TrainingOptions& o) {
  o.validate();
  TrainingResult result;
  const Index n = reservoir.dim();
  const Index M = static_cast<Index>(o.targets.size());
  Matrix R(n, M);
  Vector A(M);
  for (Index m = 0; m < M; ++m) {
    result.targets.push_back(open_loop_fixed_point(reservoir, o.targets[m], o));
    if (!result.targets.back().converged) result.status = TrainingStatus::NotConverged;
    Vector r;
    reservoir.activation().apply(result.targets.back().x, r);
    R.col(m) = r;
    A(m) = o.targets[m];
  }
  // Minimum-norm / ridge readout: w = R (R^T R + lambda I)^{-1} A. For M = 1 and lambda = 0 this is
  // w_out = A (r^T r)^{-1} r; the seed prints (r^T r)^{-2}, a typo (then w_out^T r = A / r^T r != A).
  Matrix gram = R.transpose() * R;
  gram.diagonal().array() += o.ridge;
  const Vector coef = gram.completeOrthogonalDecomposition().solve(A);
  result.w_out = R * coef;
  reservoir.set_w_out(result.w_out);
  for (Index m = 0; m < M; ++m) {
    result.targets[m].output = result.w_out.dot(R.col(m));
    result.readout_error = std::max(result.readout_error, std::abs(result.targets[m].output - A(m)));
  }
  // The closed loop holds x_m exactly when the readout reproduces A_m there (w_out^T r_m = A_m turns
  // eq. 1 into eq. 3), so the converged x_m are the model's trained states and x_1 the default start
  // of its analyses (a caller's own x0 is kept; one left by an earlier training is replaced).
  const bool x0_was_trained = reservoir.initial_state() && !reservoir.trained_states().empty() &&
                              *reservoir.initial_state() == reservoir.trained_states().front().x;
  std::vector<TrainedState> trained;
  for (const auto& t : result.targets)
    if (t.converged) trained.push_back({t.A, t.x});
  reservoir.set_trained_states(trained);
  if (!trained.empty() && (!reservoir.initial_state() || x0_was_trained))
    reservoir.set_initial_state(trained.front().x);
  return result;
}

std::unique_ptr<Model> read_reservoir_model(const ModelFileReader& r) {
  const Activation act = Activation::from_name(r.string_or("activation", "tanh"), r.number_or("threshold", 0.0));
  const double tau = r.number_or("tau", 1.0);
  if (r.has("W")) {
    Matrix W = r.matrix("W");
    const Index n = W.rows();
    Vector w_fb = r.vector("w_FB", n);
    Vector w_out = r.has("w_out") ? r.vector("w_out", n) : Vector::Zero(n);
    Vector w_in = r.has("w_in") ? r.vector("w_in", n) : Vector::Zero(n);
    return std::make_unique<Reservoir>(act, tau, std::move(W), std::move(w_fb), std::move(w_out), std::move(w_in),
                                       r.number_or("u", 0.0));
  }
  // The generator's keys are ReservoirOptions's, read through its description (N and g required,
  // N and seed integers); the activation, the training and the weights' keys are this reader's.
  ReservoirOptions o;
  o.activation = act;
  for (const auto& key : described_keys<ReservoirOptions>()) r.has(key);  // read here: not typos
  described_from_json(r.json(), o, {{}, {"N", "g"}});
  auto res = std::make_unique<Reservoir>(o);
  if (r.has("targets")) {
    TrainingOptions t;
    const Vector A = r.vector("targets");
    t.targets.assign(A.data(), A.data() + A.size());
    t.ridge = r.number_or("ridge", 0.0);
    train_reservoir(*res, t);
  }
  return res;
}

}  // namespace rnndyn
