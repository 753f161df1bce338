// Mean-field theory of trained reservoirs (seed 003); see include/rnndyn/reservoir/mean_field.hpp
// for the equations and docs/reservoir.md for the derivation of the M > 1 case.
#include "rnndyn/reservoir/mean_field.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <Eigen/Eigenvalues>

#include "../detail/checks.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {

std::string to_string(FeedbackDistribution d) { return d == FeedbackDistribution::Uniform ? "uniform" : "gaussian"; }

FeedbackDistribution feedback_distribution_from_name(const std::string& name, const std::string& field) {
  if (name == "uniform") return FeedbackDistribution::Uniform;
  if (name == "gaussian" || name == "normal") return FeedbackDistribution::Gaussian;
  throw InputError(field, "expected \"uniform\" or \"gaussian\", got \"" + name + "\"");
}

std::string to_string(MeanFieldStatus s) {
  switch (s) {
    case MeanFieldStatus::Converged:
      return "converged";
    case MeanFieldStatus::NotConverged:
      return "not_converged";
    case MeanFieldStatus::Degenerate:
      return "degenerate";
    case MeanFieldStatus::Diverged:
      return "diverged";
  }
  return "unknown";
}

void MeanFieldOptions::validate() const {
  if (!(g > 0.0 && g <= 100.0)) throw InputError("g", "must be in (0, 100], got " + std::to_string(g));
  if (targets.empty()) throw InputError("targets", "at least one target level is needed");
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (!std::isfinite(targets[i])) throw InputError("targets", "target levels must be finite");
    for (std::size_t j = 0; j < i; ++j)
      if (targets[i] == targets[j]) throw InputError("targets", "target levels must be distinct");
  }
  if (!(feedback_scale > 0.0 && std::isfinite(feedback_scale)))
    throw InputError("feedback_scale", "must be finite and > 0");
  if (hermite_order < 4 || hermite_order > 400) throw InputError("hermite_order", "must be in [4, 400]");
  if (feedback_order < 2 || feedback_order > 400) throw InputError("feedback_order", "must be in [2, 400]");
  if (!(tol > 0.0 && tol <= 1e-2)) throw InputError("tol", "must be in (0, 1e-2]");
  if (max_iter < 1) throw InputError("max_iter", "must be >= 1");
  for (double w : omegas)
    if (!(w >= 0.0 && std::isfinite(w))) throw InputError("omegas", "frequencies must be finite and >= 0");
  if (n_omega < 0 || n_omega > 100000) throw InputError("n_omega", "must be in [0, 100000]");
  if (!(omega_max > 0.0 && std::isfinite(omega_max))) throw InputError("omega_max", "must be finite and > 0");
  // Named by its path, as a file writes it (nyquist.omega_max is not the grid's omega_max).
  naming_fields_under("nyquist.", [&] { nyquist.validate(); });
}

std::vector<double> frequency_grid(int n, double omega_max) {
  if (n < 0 || n > 100000) throw InputError("n_omega", "must be in [0, 100000]");
  if (!(omega_max > 0.0 && std::isfinite(omega_max))) throw InputError("omega_max", "must be finite and > 0");
  std::vector<double> w;
  if (n == 0) return w;
  w.push_back(0.0);
  for (int i = 1; i < n; ++i)
    w.push_back(omega_max * std::pow(1e-4, 1.0 - static_cast<double>(i - 1) / std::max(1, n - 2)));
  return w;
}

std::vector<double> MeanFieldOptions::frequencies() const {
  return omegas.empty() ? frequency_grid(n_omega, omega_max) : omegas;
}

namespace {

/// Golub-Welsch: nodes are the eigenvalues of the Jacobi matrix, weights mu0 * (first component)^2.
void golub_welsch(const Vector& diag, const Vector& offdiag, double mu0, Vector& nodes, Vector& weights) {
  const Index n = diag.size();
  Eigen::SelfAdjointEigenSolver<Matrix> es;
  Matrix J = Matrix::Zero(n, n);
  J.diagonal() = diag;
  for (Index i = 0; i + 1 < n; ++i) J(i, i + 1) = J(i + 1, i) = offdiag(i);
  es.compute(J);
  nodes = es.eigenvalues();
  weights = mu0 * es.eigenvectors().row(0).transpose().array().square();
}

}  // namespace

void gauss_hermite_probabilists(int n, Vector& nodes, Vector& weights) {
  // Monic Hermite He_k: recurrence coefficient b_k = k, so offdiag sqrt(k); measure mass 1.
  Vector off(std::max(n - 1, 0));
  for (int k = 1; k < n; ++k) off(k - 1) = std::sqrt(static_cast<double>(k));
  golub_welsch(Vector::Zero(n), off, 1.0, nodes, weights);
}

void gauss_legendre_mean(int n, Vector& nodes, Vector& weights) {
  Vector off(std::max(n - 1, 0));
  for (int k = 1; k < n; ++k) off(k - 1) = k / std::sqrt(4.0 * k * k - 1.0);
  golub_welsch(Vector::Zero(n), off, 1.0, nodes, weights);
}

namespace {

/// Moments of (phi_k = phi(w A_k + x_k^1), phi_n = phi(w A_n + x_n^1)) with (x_k^1, x_n^1) Gaussian.
struct PairMoments {
  double phik_phin = 0;  // <phi_k phi_n>
  double dk_dn = 0;      // <phi'_k phi'_n>: d<phi_k phi_n>/dC_kn (Price's theorem), for the secant guess
  double w_term = 0;     // <phi_k phi'_n w>
  double xk_term = 0;    // <phi_k phi'_n x_k^1>
  double xn_term = 0;    // <phi_k phi'_n x_n^1>
  double dn2 = 0;        // <phi'_n^2>
  double eq15 = 0;       // <phi_n (phi_n - x_n phi'_n)> (meaningful when k == n)
};

class Quadrature {
 public:
  explicit Quadrature(const MeanFieldOptions& o) : act_(o.activation), kinks_(o.activation.breakpoints()) {
    gauss_legendre_mean(kPanelNodes, panel_t_, panel_v_);
    gauss_hermite_probabilists(o.hermite_order, y_, wy_);
    if (o.feedback == FeedbackDistribution::Uniform) {
      gauss_legendre_mean(o.feedback_order, w_, ww_);
    } else {
      gauss_hermite_probabilists(o.feedback_order, w_, ww_);
    }
    w_ *= o.feedback_scale;
  }

  /// Univariate case k == n: x^1 = sqrt(c) y, E over y by gaussian_rule.
  PairMoments single(double A, double c) const {
    PairMoments m;
    const double s = std::sqrt(std::max(c, 0.0));
    Vector y, wy;
    for (Index iw = 0; iw < w_.size(); ++iw) {
      const double w = w_(iw);
      gaussian_rule(w * A, s, y, wy);
      for (Index i = 0; i < y.size(); ++i) {
        const double wt = ww_(iw) * wy(i);
        const double x1 = s * y(i);
        const double x = w * A + x1;
        const double p = act_.value(x), d = act_.derivative(x);
        m.phik_phin += wt * p * p;
        m.dk_dn += wt * d * d;
        m.w_term += wt * p * d * w;
        m.xk_term += wt * p * d * x1;
        m.dn2 += wt * d * d;
        m.eq15 += wt * p * (p - x * d);
      }
    }
    m.xn_term = m.xk_term;
    return m;
  }

  /// Bivariate case: Cholesky of [[ckk, ckn], [ckn, cnn]].
  PairMoments pair(double Ak, double An, double ckk, double cnn, double ckn) const {
    PairMoments m;
    const double l11 = std::sqrt(std::max(ckk, 0.0));
    const double l21 = l11 > 0 ? ckn / l11 : 0.0;
    const double l22 = std::sqrt(std::max(cnn - l21 * l21, 0.0));
    const Index q = y_.size();
    for (Index iw = 0; iw < w_.size(); ++iw) {
      const double w = w_(iw);
      for (Index i = 0; i < q; ++i) {
        const double xk1 = l11 * y_(i);
        const double xk = w * Ak + xk1;
        const double pk = act_.value(xk), dk = act_.derivative(xk);
        for (Index j = 0; j < q; ++j) {
          const double wt = ww_(iw) * wy_(i) * wy_(j);
          const double xn1 = l21 * y_(i) + l22 * y_(j);
          const double xn = w * An + xn1;
          const double pn = act_.value(xn), dn = act_.derivative(xn);
          m.phik_phin += wt * pk * pn;
          m.dk_dn += wt * dk * dn;
          m.w_term += wt * pk * dn * w;
          m.xk_term += wt * pk * dn * xk1;
          m.xn_term += wt * pk * dn * xn1;
        }
      }
    }
    return m;
  }

 private:
  /// Nodes and weights of E f(y), y ~ N(0, 1), for f(y) = g(centre + s y) with g the activation
  /// (and products of it and its derivative), over |y| <= 8.5 (the Gaussian beyond is below
  /// 1e-16): panels of width at most 0.5 in y, split at the activation's kinks (piecewise-linear
  /// kinds: polynomial between them) and, for smooth kinds, at most 0.5 wide in x too where
  /// |x| <= kFeature (tanh, sigmoid and softplus are flat to 1e-10 beyond), so the panel count
  /// stays bounded however large s grows (a diverging variance). kPanelNodes Gauss-Legendre nodes
  /// each. A Gauss-Hermite rule converges slowly on a kink of phi (a jump of phi') and misses
  /// features of phi narrower than its node spacing s / sqrt(order): with 64 nodes it missed
  /// beta_0 by 6e-2 for relu with threshold -0.3 (g 1.3) and by 5e-2 for tanh at g 3
  /// (tests/python/test_independent_mean_field.py, against scipy quadrature).
  void gaussian_rule(double centre, double s, Vector& y, Vector& wy) const {
    constexpr double kTail = 8.5, kFeature = 12.0;
    std::vector<double> cuts{-kTail, kTail};
    const auto cut_at = [&](double x) {
      const double yk = (x - centre) / s;
      if (std::abs(yk) < kTail) cuts.push_back(yk);
    };
    const bool smooth = kinks_.empty();
    if (s > 0) {
      for (double k : kinks_) cut_at(k);
      if (smooth) cut_at(-kFeature), cut_at(kFeature);
    }
    std::sort(cuts.begin(), cuts.end());
    std::vector<double> ys, ws;
    for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
      const double len = cuts[c + 1] - cuts[c];
      const double mid_x = centre + s * 0.5 * (cuts[c] + cuts[c + 1]);
      const bool fine = smooth && s > 1.0 && std::abs(mid_x) < kFeature;
      const int panels = std::max(1, static_cast<int>(std::ceil(len / (fine ? 0.5 / s : 0.5))));
      const double width = len / panels;
      for (int p = 0; p < panels; ++p) {
        const double mid = cuts[c] + (p + 0.5) * width;
        for (Index i = 0; i < panel_t_.size(); ++i) {
          const double yi = mid + 0.5 * width * panel_t_(i);
          ys.push_back(yi);
          ws.push_back(width * panel_v_(i) * std::exp(-0.5 * yi * yi) / std::sqrt(2.0 * M_PI));
        }
      }
    }
    y = Eigen::Map<const Vector>(ys.data(), static_cast<Index>(ys.size()));
    wy = Eigen::Map<const Vector>(ws.data(), static_cast<Index>(ws.size()));
  }

  static constexpr int kPanelNodes = 8;
  Activation act_;
  std::vector<double> kinks_;
  Vector panel_t_, panel_v_;
  Vector y_, wy_, w_, ww_;
};

/// Solves c = F(c) by secant iteration on F(c) - c, with plain iteration as a fallback.
/// `slope(c)` is dF/dc at c (Price's theorem), used for a Newton first step.
template <typename F>
bool solve_scalar(F&& map, double& c, double tol, int max_iter, int& iterations) {
  double c0 = c;
  auto [f0, s0] = map(c0);
  double r0 = f0 - c0;
  // Newton step from the analytic slope (falls back to plain iteration when the slope is ~1).
  double c1 = std::abs(1.0 - s0) > 1e-3 ? c0 - r0 / (s0 - 1.0) : f0;
  for (int it = 0; it < max_iter; ++it) {
    ++iterations;
    auto [f1, s1] = map(c1);
    const double r1 = f1 - c1;
    if (std::abs(r1) <= tol * std::max(1.0, std::abs(c1))) {
      c = f1;
      return true;
    }
    double next;
    if (std::abs(r1 - r0) > 1e-300 && std::abs(1.0 - s1) > 1e-6) {
      next = c1 - r1 * (c1 - c0) / (r1 - r0);
    } else {
      next = f1;
    }
    // A secant step that jumps very far (slope estimate ~1, or non-finite) is replaced by a plain
    // iteration step; near a slowly contracting fixed point secant steps are legitimately larger.
    if (!std::isfinite(next) || std::abs(next - c1) > 50.0 * std::abs(f1 - c1) + 1e-12 * std::abs(c1)) next = f1;
    c0 = c1;
    r0 = r1;
    c1 = next;
  }
  c = c1;
  return false;
}

}  // namespace

Complex MeanFieldTarget::open_loop_gain(double omega) const {
  const Index M = a.size();
  const Complex u(1.0, omega);
  Eigen::MatrixXcd Mx = u * Eigen::MatrixXcd::Identity(M, M) - P.cast<Complex>();
  Eigen::VectorXcd y = Mx.partialPivLu().solve(a.cast<Complex>());
  return k.cast<Complex>().dot(y);  // dot conjugates its first argument; k is real
}

namespace {

/// Beyond this the variance iteration is taken to diverge: C = g^2 <phi^2> of any realistic
/// target level and gain is many orders of magnitude smaller.
constexpr double kDivergedVariance = 1e100;
/// Where the growth of the variance map is probed when the solver finds no C > 0 (in units of
/// max(1, g^2, A^2)): far beyond any solution, close enough for the quadrature to be accurate.
constexpr double kFarVariance = 1e8;

/// C by eq. 8 per target (diagonal), then C_kn = g^2 <phi_k phi_n> given the diagonal; sets
/// status (Converged, NotConverged, Degenerate when C is singular) and the iteration count.
void solve_covariance(const MeanFieldOptions& o, const Quadrature& quad, MeanFieldResult& res) {
  const Index M = static_cast<Index>(o.targets.size());
  const double g2 = o.g * o.g;
  res.C = Matrix::Zero(M, M);
  bool converged = true;
  for (Index n = 0; n < M; ++n) {
    const double A = o.targets[n];
    double c = g2;
    auto map = [&](double cc) {
      const PairMoments m = quad.single(A, cc);
      // dF/dC = g^2 <(phi^2)''>/2 = g^2 <phi'^2 + phi phi''>; <phi phi''> is dropped (slope is only a guess).
      return std::pair<double, double>{g2 * m.phik_phin, g2 * m.dn2};
    };
    const bool solved = solve_scalar(map, c, o.tol, o.max_iter, res.iterations);
    converged &= solved;
    res.C(n, n) = std::max(c, 0.0);
    // An unbounded activation whose second moment grows like C (relu: <phi^2> ~ C/2) makes the
    // map F: C -> g^2 <phi^2> grow at least like C once g^2/2 >= 1. With F(0) > 0 there is then
    // no C >= 0 with F(C) = C (the solver wanders to C <= 0 or fails): F(C) >= C far out says so.
    const double far = kFarVariance * std::max({1.0, g2, A * A});
    if (!std::isfinite(c) || c > kDivergedVariance || ((!solved || !(c > 0)) && map(far).first >= far)) {
      res.status = MeanFieldStatus::Diverged;
      res.message = "no finite self-consistent variance at A = " + detail::number_text(A) +
                    ": sigma^2 grows without bound (for relu this happens when g >= sqrt(2))";
      return;
    }
  }
  // Off-diagonal: slope g^2 <phi'_k phi'_n> (Price).
  for (Index n = 0; n < M; ++n) {
    for (Index k = 0; k < n; ++k) {
      const double ckk = res.C(k, k), cnn = res.C(n, n);
      double c = 0.5 * std::sqrt(ckk * cnn);
      auto map = [&](double cc) {
        const double bound = std::sqrt(ckk * cnn);
        cc = std::clamp(cc, -bound, bound);
        const PairMoments m = quad.pair(o.targets[k], o.targets[n], ckk, cnn, cc);
        return std::pair<double, double>{g2 * m.phik_phin, g2 * m.dk_dn};
      };
      converged &= solve_scalar(map, c, o.tol, o.max_iter, res.iterations);
      res.C(k, n) = res.C(n, k) = c;
    }
  }
  res.status = converged ? MeanFieldStatus::Converged : MeanFieldStatus::NotConverged;
  if (!converged) res.message = "the covariance iteration did not reach tol within max_iter";
  const double cmax = res.C.diagonal().maxCoeff();
  Eigen::SelfAdjointEigenSolver<Matrix> ces(res.C);
  if (!(cmax > 0.0) || ces.eigenvalues().minCoeff() <= 1e-12 * cmax) {
    res.status = MeanFieldStatus::Degenerate;
    res.message = "the covariance C is singular (e.g. every rate is zero), so the poles are not defined";
  }
}

/// The theory at target n: sigma^2, rho, a, P, beta_0, beta_1, eq. 15 and the closed-loop poles.
MeanFieldTarget solve_target(const MeanFieldOptions& o, const Quadrature& quad, const MeanFieldResult& res,
                             const Matrix& Cinv, Index n) {
  const Index M = static_cast<Index>(o.targets.size());
  const double g2 = o.g * o.g;
  MeanFieldTarget t;
  t.A = o.targets[n];
  t.sigma2 = res.C(n, n);
  t.a = Vector::Zero(M);
  Matrix B = Matrix::Zero(M, M);
  const PairMoments self = quad.single(t.A, t.sigma2);
  t.rho = std::sqrt(g2 * self.dn2);
  for (Index kk = 0; kk < M; ++kk) {
    PairMoments m = kk == n ? self : quad.pair(o.targets[kk], t.A, res.C(kk, kk), res.C(n, n), res.C(kk, n));
    t.a(kk) = m.w_term;
    // B_km = <phi_k phi'_n x_m^1> with E[x_m^1 | x_k^1, x_n^1] linear in (x_k^1, x_n^1).
    for (Index mm = 0; mm < M; ++mm) {
      if (kk == n) {
        B(kk, mm) = res.C(mm, n) / std::max(res.C(n, n), 1e-300) * m.xn_term;
      } else {
        Eigen::Matrix2d S;
        S << res.C(kk, kk), res.C(kk, n), res.C(kk, n), res.C(n, n);
        const Eigen::Vector2d cm(res.C(mm, kk), res.C(mm, n));
        const Eigen::Vector2d coef = S.ldlt().solve(cm);
        B(kk, mm) = coef(0) * m.xk_term + coef(1) * m.xn_term;
      }
    }
  }
  t.P = g2 * B * Cinv;
  t.k = res.k;
  t.beta0 = t.sigma2 > 0 ? g2 * t.a(n) / t.sigma2 : 0.0;
  t.beta1 = t.sigma2 > 0 ? g2 * self.xn_term / t.sigma2 : 0.0;
  t.lambda_out_eq15 = M == 1 && t.sigma2 > 0 ? -g2 / t.sigma2 * self.eq15 : std::numeric_limits<double>::quiet_NaN();
  Matrix closed = t.P + t.a * res.k.transpose();
  Eigen::EigenSolver<Matrix> es(closed, false);
  ComplexVector poles = es.eigenvalues().array() - 1.0;
  std::vector<Complex> v(poles.data(), poles.data() + poles.size());
  std::sort(v.begin(), v.end(),
            [](Complex x, Complex y) { return x.real() != y.real() ? x.real() > y.real() : x.imag() > y.imag(); });
  t.poles = Eigen::Map<ComplexVector>(v.data(), M);
  t.stable = res.status != MeanFieldStatus::Degenerate && t.poles.real().maxCoeff() < 0.0;
  return t;
}

/// The numbers derived from the theory at one level: time scales, G^OL on the frequencies and
/// the Nyquist verdict (open-loop poles eig(P) - 1 in Re s > 0 enter the count as P).
void describe_target(MeanFieldTarget& t, const std::vector<double>& omegas, const NyquistOptions& nyquist) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  t.tau_net = t.rho < 1 ? 1.0 / (1.0 - t.rho) : std::numeric_limits<double>::infinity();
  t.lambda_out = t.a.size() == 1 ? t.poles(0).real() : nan;
  t.tau_out = t.a.size() == 1 ? -1.0 / t.poles(0).real() : nan;
  Eigen::EigenSolver<Matrix> es(t.P, false);
  t.open_loop_unstable = 0;
  for (Index i = 0; i < es.eigenvalues().size(); ++i) t.open_loop_unstable += es.eigenvalues()(i).real() > 1.0;
  t.nyquist = nyquist_criterion([&t](double w) { return t.open_loop_gain(w); }, t.open_loop_unstable, nyquist);
  t.gain.resize(static_cast<Index>(omegas.size()));
  for (std::size_t i = 0; i < omegas.size(); ++i) t.gain(static_cast<Index>(i)) = t.open_loop_gain(omegas[i]);
}

}  // namespace

MeanFieldResult solve_mean_field(const MeanFieldOptions& o) {
  const Stopwatch watch;
  o.validate();
  const Index M = static_cast<Index>(o.targets.size());
  Quadrature quad(o);
  MeanFieldResult res;
  res.options = o;
  res.omegas = o.frequencies();
  solve_covariance(o, quad, res);
  res.info = {"reservoir", TimeKind::Flow, watch.seconds()};
  // Diverged: no variance, so no poles or gains. Degenerate: C is singular, k = g^2 C^-1 z has no
  // value (a floor on C's eigenvalues printed k = 1e300) and neither have the poles built on it.
  if (res.status == MeanFieldStatus::Diverged || res.status == MeanFieldStatus::Degenerate) return res;
  Eigen::SelfAdjointEigenSolver<Matrix> ces(res.C);
  const Matrix Cinv =
      ces.eigenvectors() * ces.eigenvalues().cwiseInverse().asDiagonal() * ces.eigenvectors().transpose();
  res.k = o.g * o.g * Cinv * Eigen::Map<const Vector>(o.targets.data(), M);
  for (Index n = 0; n < M; ++n) {
    res.targets.push_back(solve_target(o, quad, res, Cinv, n));
    describe_target(res.targets.back(), res.omegas, o.nyquist);
  }
  res.info = {"reservoir", TimeKind::Flow, watch.seconds()};
  return res;
}

}  // namespace rnndyn
