// Lyapunov spectra by QR reorthonormalisation; see lyapunov.hpp.
#include "rnndyn/lyapunov/lyapunov.hpp"

#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <random>
#include <vector>

#include <cblas.h>
#include <lapacke.h>

#include "rnndyn/core/errors.hpp"

namespace rnndyn {

std::string to_string(LyapunovIntegrator m) { return m == LyapunovIntegrator::Rk4 ? "rk4" : "dopri5"; }

LyapunovIntegrator lyapunov_integrator_from_string(const std::string& name, const std::string& field) {
  if (name == "dopri5") return LyapunovIntegrator::Dopri5;
  if (name == "rk4") return LyapunovIntegrator::Rk4;
  throw InputError(field, "expected dopri5 or rk4, got '" + name + "'");
}

std::string to_string(LyapunovStatus s) { return s == LyapunovStatus::Ok ? "ok" : "diverged"; }

void LyapunovOptions::validate() const {
  if (k < 0) throw InputError("k", "must be >= 0");
  if (!(warmup >= 0) || !std::isfinite(warmup)) throw InputError("warmup", "must be >= 0");
  if (!(t_total > 0) || !std::isfinite(t_total)) throw InputError("t_total", "must be > 0");
  if (!(interval > 0) || !std::isfinite(interval)) throw InputError("interval", "must be > 0");
  if (interval > t_total) throw InputError("interval", "must be <= t_total");
  if (!(dt >= 0) || !std::isfinite(dt)) throw InputError("dt", "must be >= 0");
  if (!(abs_tol > 0)) throw InputError("abs_tol", "must be > 0");
  if (!(rel_tol > 0)) throw InputError("rel_tol", "must be > 0");
  if (blocks < 2) throw InputError("blocks", "must be >= 2");
  if (bootstrap_samples < 10) throw InputError("bootstrap_samples", "must be >= 10");
  if (!(confidence > 0 && confidence < 1)) throw InputError("confidence", "must be in (0, 1)");
  if (!(blowup > 0)) throw InputError("blowup", "must be > 0");
}

namespace {
namespace odeint = boost::numeric::odeint;
using State = std::vector<double>;

/// C = J B for column-major n x n J and n x k B, C. The variational step is this product, so it
/// goes to the optimized BLAS the library links (Eigen's own kernels are built without -march).
void tangent_product(const Matrix& J, const double* B, double* C, Index k) {
  const auto n = static_cast<blasint>(J.rows());
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, static_cast<blasint>(k), n, 1.0, J.data(), n, B, n, 0.0, C,
              n);
}

/// Advances (x, Q) over one interval.
class TangentFlow {
 public:
  TangentFlow(const Model& model, Index k, const LyapunovOptions& o) : model_(model), n_(model.dim()), k_(k), o_(o) {}

  /// Flow of x alone (warm-up).
  void advance_state(Vector& x, double T) const {
    if (model_.time_kind() == TimeKind::Map) {
      Vector f;
      for (long s = 0; s < std::lround(T); ++s) {
        model_.evaluate(x, f);
        x = f;
      }
      return;
    }
    const Index n = n_;
    auto system = [this, n](const State& y, State& dydt, double) {
      Vector f;
      model_.evaluate(Eigen::Map<const Vector>(y.data(), n), f);
      Eigen::Map<Vector>(dydt.data(), n) = f;
    };
    State y(x.data(), x.data() + n);
    odeint::integrate_adaptive(odeint::make_controlled(o_.abs_tol, o_.rel_tol, odeint::runge_kutta_dopri5<State>()),
                               system, y, 0.0, T, std::min(T, o_.interval) / 10);
    x = Eigen::Map<const Vector>(y.data(), n);
  }

  void advance(Vector& x, Matrix& Q, double T) {
    if (model_.time_kind() == TimeKind::Map) {
      Vector f;
      Matrix J;
      for (long s = 0; s < std::lround(T); ++s) {
        model_.evaluate(x, f, &J);
        x = f;
        Matrix JQ(Q.rows(), Q.cols());
        tangent_product(J, Q.data(), JQ.data(), Q.cols());
        Q = std::move(JQ);
      }
      return;
    }
    if (o_.integrator == LyapunovIntegrator::Rk4) {
      const double h0 = o_.dt > 0 ? o_.dt : o_.interval / 10;
      const long steps = std::max(1L, std::lround(std::ceil(T / h0 - 1e-9)));
      const double h = T / static_cast<double>(steps);
      for (long s = 0; s < steps; ++s) rk4_step(x, Q, h);
      return;
    }
    const Index n = n_, k = k_;
    auto system = [this, n, k](const State& y, State& dydt, double) {
      model_.evaluate(Eigen::Map<const Vector>(y.data(), n), f_, &J_);
      Eigen::Map<Vector>(dydt.data(), n) = f_;
      tangent_product(J_, y.data() + n, dydt.data() + n, k);
    };
    State y(static_cast<std::size_t>(n + n * k));
    Eigen::Map<Vector>(y.data(), n) = x;
    Eigen::Map<Matrix>(y.data() + n, n, k) = Q;
    odeint::integrate_adaptive(odeint::make_controlled(o_.abs_tol, o_.rel_tol, odeint::runge_kutta_dopri5<State>()),
                               system, y, 0.0, T, T / 10);
    x = Eigen::Map<const Vector>(y.data(), n);
    Q = Eigen::Map<const Matrix>(y.data() + n, n, k);
  }

 private:
  void deriv(const Vector& x, const Matrix& Q, Vector& dx, Matrix& dQ) {
    model_.evaluate(x, dx, &J_);
    dQ.resize(Q.rows(), Q.cols());
    tangent_product(J_, Q.data(), dQ.data(), Q.cols());
  }
  void rk4_step(Vector& x, Matrix& Q, double h) {
    deriv(x, Q, k1x_, k1Q_);
    deriv(x + 0.5 * h * k1x_, Q + 0.5 * h * k1Q_, k2x_, k2Q_);
    deriv(x + 0.5 * h * k2x_, Q + 0.5 * h * k2Q_, k3x_, k3Q_);
    deriv(x + h * k3x_, Q + h * k3Q_, k4x_, k4Q_);
    x += (h / 6) * (k1x_ + 2 * k2x_ + 2 * k3x_ + k4x_);
    Q += (h / 6) * (k1Q_ + 2 * k2Q_ + 2 * k3Q_ + k4Q_);
  }

  const Model& model_;
  Index n_, k_;
  LyapunovOptions o_;
  Vector f_, k1x_, k2x_, k3x_, k4x_;
  Matrix J_, k1Q_, k2Q_, k3Q_, k4Q_;
};

}  // namespace

LyapunovSpectrum lyapunov_spectrum(const Model& model, const Vector& x0, const LyapunovOptions& options) {
  LyapunovOptions o = options;
  o.validate();
  const Index n = model.dim();
  if (x0.size() != n)
    throw InputError("x0", "expected " + std::to_string(n) + " entries, got " + std::to_string(x0.size()));
  if (!x0.allFinite()) throw InputError("x0", "entries must be finite");
  if (o.k > n) throw InputError("k", "must be <= dim = " + std::to_string(n));
  const Index k = o.k == 0 ? n : o.k;
  const bool map = model.time_kind() == TimeKind::Map;
  if (map) {
    o.interval = std::max(1.0, std::round(o.interval));
    o.t_total = std::max(o.interval, std::round(o.t_total));
    o.warmup = std::round(o.warmup);
  }
  const long intervals = std::max(1L, std::lround(std::floor(o.t_total / o.interval + 1e-9)));
  if (o.blocks > intervals) throw InputError("blocks", "must be <= the number of intervals t_total / interval");

  TangentFlow flow(model, k, o);
  LyapunovSpectrum res;
  Vector x = x0;
  if (o.warmup > 0) flow.advance_state(x, o.warmup);
  // Random orthonormal start: a fixed-seed Gaussian matrix, orthonormalised.
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> normal;
  Matrix Q(n, k);
  if (o.initial_tangents.size() > 0) {
    if (o.initial_tangents.rows() != n || o.initial_tangents.cols() != k || !o.initial_tangents.allFinite())
      throw InputError("initial_tangents",
                       "expected a finite " + std::to_string(n) + "x" + std::to_string(k) + " matrix");
    Q = o.initial_tangents;
  } else {
    for (Index j = 0; j < k; ++j)
      for (Index i = 0; i < n; ++i) Q(i, j) = normal(rng);
  }
  Q = Eigen::HouseholderQR<Matrix>(Q).householderQ() * Matrix::Identity(n, k);

  Matrix logs(k, intervals);  // log R_jj of each interval
  long done = 0;
  for (; done < intervals; ++done) {
    flow.advance(x, Q, o.interval);
    if (!x.allFinite() || x.cwiseAbs().maxCoeff() > o.blowup || !Q.allFinite()) {
      res.status = LyapunovStatus::Diverged;
      break;
    }
    // Thin QR in place by LAPACK (dgeqrf + dorgqr, blocked): R's diagonal, then Q.
    Vector tau_h(k);
    Matrix Qn = std::move(Q);
    const auto ln = static_cast<lapack_int>(n), lk = static_cast<lapack_int>(k);
    if (LAPACKE_dgeqrf(LAPACK_COL_MAJOR, ln, lk, Qn.data(), ln, tau_h.data()) != 0 || !Qn.allFinite()) {
      res.status = LyapunovStatus::Diverged;
      break;
    }
    const Vector R_diag = Qn.diagonal();
    LAPACKE_dorgqr(LAPACK_COL_MAJOR, ln, lk, lk, Qn.data(), ln, tau_h.data());
    for (Index j = 0; j < k; ++j) {
      const double r = R_diag(j);
      logs(j, done) = std::log(std::abs(r));
      if (r < 0) Qn.col(j) = -Qn.col(j);  // diag R > 0 keeps the frame continuous
    }
    Q = std::move(Qn);
  }
  res.final_state = x;
  res.reorthonormalisations = done;
  res.measured_time = static_cast<double>(done) * o.interval;
  if (done == 0) {
    res.exponents = Vector::Constant(k, NAN);
    res.ci_low = res.ci_high = res.standard_error = res.exponents;
    return res;
  }
  const Matrix used = logs.leftCols(done);
  res.exponents = used.rowwise().sum() / res.measured_time;

  // Blocks of (nearly) equal numbers of intervals; each block's estimate uses its own duration.
  const int B = static_cast<int>(std::min<long>(o.blocks, done));
  std::vector<long> edges(static_cast<std::size_t>(B + 1));
  for (int b = 0; b <= B; ++b) edges[static_cast<std::size_t>(b)] = done * b / B;
  Matrix block_sum(k, B);
  Vector block_time(B);
  for (int b = 0; b < B; ++b) {
    const long a = edges[static_cast<std::size_t>(b)], e = edges[static_cast<std::size_t>(b + 1)];
    block_sum.col(b) = used.middleCols(a, e - a).rowwise().sum();
    block_time(b) = static_cast<double>(e - a) * o.interval;
  }
  res.block_estimates = block_sum.array().rowwise() / block_time.transpose().array();
  res.running.resize(k, B);
  Vector acc = Vector::Zero(k);
  double acc_t = 0;
  for (int b = 0; b < B; ++b) {
    acc += block_sum.col(b);
    acc_t += block_time(b);
    res.running.col(b) = acc / acc_t;
  }
  const Vector mean_block = res.block_estimates.rowwise().mean();
  res.standard_error =
      ((res.block_estimates.colwise() - mean_block).array().square().rowwise().sum() / (B - 1)).sqrt() / std::sqrt(B);
  // Percentile bootstrap over blocks.
  std::mt19937_64 boot(o.seed ^ 0x9e3779b97f4a7c15ULL);
  std::uniform_int_distribution<int> pick(0, B - 1);
  Matrix samples(k, o.bootstrap_samples);
  for (int s = 0; s < o.bootstrap_samples; ++s) {
    Vector sum = Vector::Zero(k);
    double t = 0;
    for (int b = 0; b < B; ++b) {
      const int c = pick(boot);
      sum += block_sum.col(c);
      t += block_time(c);
    }
    samples.col(s) = sum / t;
  }
  res.ci_low.resize(k);
  res.ci_high.resize(k);
  const double alpha = (1 - o.confidence) / 2;
  for (Index j = 0; j < k; ++j) {
    std::vector<double> v(static_cast<std::size_t>(o.bootstrap_samples));
    for (int s = 0; s < o.bootstrap_samples; ++s) v[static_cast<std::size_t>(s)] = samples(j, s);
    std::sort(v.begin(), v.end());
    const auto at = [&](double q) {
      const double pos = q * static_cast<double>(v.size() - 1);
      const auto i = static_cast<std::size_t>(std::floor(pos));
      const double w = pos - static_cast<double>(i);
      return i + 1 < v.size() ? (1 - w) * v[i] + w * v[i + 1] : v[i];
    };
    res.ci_low(j) = at(alpha);
    res.ci_high(j) = at(1 - alpha);
  }
  return res;
}

}  // namespace rnndyn
