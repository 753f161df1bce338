// Continuation of limit cycles by shooting and pseudo-arclength; see cycle_continuation.hpp.
#include "rnndyn/continuation/cycle_continuation.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "../detail/checks.hpp"
#include "pl_cycle_continuation.hpp"
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/dynamics/tangent.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn {

void LimitCycleContinuationOptions::validate() const {
  if (parameter.empty()) throw InputError("parameter", "a parameter name is required");
  if (!std::isfinite(from)) throw InputError("from", "must be finite");
  if (!std::isfinite(to)) throw InputError("to", "must be finite");
  if (from == to) throw InputError("to", "must differ from `from`");
  if (!start.allFinite()) throw InputError("start", "entries must be finite");
  if (!(initial_step >= 0) || !std::isfinite(initial_step)) throw InputError("initial_step", "must be >= 0");
  if (!(max_step >= 0) || !std::isfinite(max_step)) throw InputError("max_step", "must be >= 0");
  if (!(min_step > 0)) throw InputError("min_step", "must be > 0");
  if (max_points < 2) throw InputError("max_points", "must be >= 2");
  if (!(newton_tol > 0)) throw InputError("newton_tol", "must be > 0");
  if (max_newton < 1) throw InputError("max_newton", "must be >= 1");
  if (!(fd_step > 0)) throw InputError("fd_step", "must be > 0");
  if (!(abs_tol > 0)) throw InputError("abs_tol", "must be > 0");
  if (!(rel_tol > 0)) throw InputError("rel_tol", "must be > 0");
  if (samples < 16) throw InputError("samples", "must be >= 16");
  if (!(hopf_offset > 0 && hopf_offset < 1)) throw InputError("hopf_offset", "must lie in (0, 1)");
  if (!(hopf_kick > 0) || !std::isfinite(hopf_kick)) throw InputError("hopf_kick", "must be > 0");
  if (!(collapse_tol > 0)) throw InputError("collapse_tol", "must be > 0");
  if (!(max_period > 0)) throw InputError("max_period", "must be > 0");
  if (!(max_norm > 0)) throw InputError("max_norm", "must be > 0");
  if (map_period < 2 || map_period > 64)
    throw InputError("map_period", "must lie in [2, 64], got " + std::to_string(map_period));
  if (!(locate_tol > 0) || !std::isfinite(locate_tol)) throw InputError("locate_tol", "must be > 0");
  naming_fields_under("search.", [&] { search.validate(); });
  naming_fields_under("cycles.", [&] { cycles.validate(); });
}

void LimitCycleContinuationOptions::validate(const Model& model) const {
  validate();
  if (model.time_kind() != TimeKind::Flow && !model.piecewise_linear())
    throw InputError("model",
                     "cycles of maps are continued for piecewise-linear maps only (the exact k-cycles); this map is "
                     "smooth");
  model.parameter(parameter);  // throws InputError for an unknown name
  if (!model.admits(parameter, from))
    throw InputError(
        "from", parameter + " = " + detail::number_text(from) + " is outside its domain (a time constant must be > 0)");
  if (start.size() != 0 && start.size() != model.dim())
    throw InputError("start", "expected " + std::to_string(model.dim()) + " entries (the model's dimension), got " +
                                  std::to_string(start.size()));
}

std::string to_string(CycleBranchStatus s) {
  switch (s) {
    case CycleBranchStatus::Reached:
      return "reached";
    case CycleBranchStatus::LeftInterval:
      return "left_interval";
    case CycleBranchStatus::CycleLost:
      return "cycle_lost";
    case CycleBranchStatus::Collapsed:
      return "collapsed";
    case CycleBranchStatus::Unbounded:
      return "unbounded";
    case CycleBranchStatus::MaxPoints:
      return "max_points";
    case CycleBranchStatus::DomainBoundary:
      return "domain_boundary";
    case CycleBranchStatus::StartNotFound:
      return "start_not_found";
    case CycleBranchStatus::BorderCollision:
      return "border_collision";
  }
  return "unknown";
}

std::string to_string(CycleBifurcationType t) {
  switch (t) {
    case CycleBifurcationType::Fold:
      return "fold";
    case CycleBifurcationType::PeriodDoubling:
      return "period_doubling";
    case CycleBifurcationType::NeimarkSacker:
      return "neimark_sacker";
    case CycleBifurcationType::Hopf:
      return "hopf";
    case CycleBifurcationType::BorderCollision:
      return "border_collision";
  }
  return "unknown";
}

namespace {

double inf_norm(const Vector& v) { return v.size() ? v.cwiseAbs().maxCoeff() : 0.0; }

/// A bifurcation of a flow's cycle (the map-only fields keep their defaults).
CycleBifurcation flow_bifurcation(CycleBifurcationType type, double p, double period, Index branch, Index point) {
  CycleBifurcation b;
  b.type = type;
  b.p = p;
  b.period = period;
  b.branch = branch;
  b.point_index = point;
  return b;
}

/// The flow phi_T(x; p), its monodromy and its derivatives, on a private clone of the model.
class Shooting {
 public:
  Shooting(const Model& model, const LimitCycleContinuationOptions& o)
      : work_(model.clone()),
        o_(o),
        param_(model.parameter_ref(o.parameter)),
        n_(model.dim()),
        integrator_(*work_, model.dim(), tangent_options(o)) {}

  bool admits(double p) const { return work_->admits(param_, p); }
  /// Whether a flow since the last reset was asked at a p outside the domain (the central
  /// difference of flow_p straddling the edge: p - h <= 0 for a time constant p < h).
  bool left_domain() const { return left_domain_; }
  void reset_domain_flag() { left_domain_ = false; }
  const Model& model_at(double p) {
    work_->set_parameter(param_, p);
    return *work_;
  }
  Vector F(const Vector& x, double p) {
    Vector f;
    model_at(p).evaluate(x, f);
    return f;
  }
  /// x(T) and, when asked, Phi(T); false when the orbit is not finite.
  bool flow(const Vector& x, double T, double p, Vector& xT, Matrix* Phi) {
    if (!admits(p)) left_domain_ = true;
    if (!(T > 0) || !admits(p)) return false;
    model_at(p);
    xT = x;
    if (Phi) {
      *Phi = Matrix::Identity(n_, n_);
      integrator_.advance(xT, *Phi, T);
      return xT.allFinite() && Phi->allFinite();
    }
    integrator_.advance_state(xT, T, 1e-3 * T);
    return xT.allFinite();
  }
  /// d phi_T / dp by a central difference: error O(h^2) + O(tol / h).
  std::optional<Vector> flow_p(const Vector& x, double T, double p) {
    const double h = o_.fd_step * std::max(1.0, std::abs(p));
    Vector plus, minus;
    if (!flow(x, T, p + h, plus, nullptr) || !flow(x, T, p - h, minus, nullptr)) return std::nullopt;
    return Vector((plus - minus) / (2 * h));
  }
  /// Range of each coordinate along one period, from `samples` dense samples.
  void range(const Vector& x, double T, double p, Vector& lo, Vector& hi) {
    SimulateOptions so;
    so.t_end = T;
    so.dt = T / o_.samples;
    so.abs_tol = o_.abs_tol;
    so.rel_tol = o_.rel_tol;
    const Trajectory orbit = simulate(model_at(p), x, so);
    lo = orbit.x.rowwise().minCoeff();
    hi = orbit.x.rowwise().maxCoeff();
  }

 private:
  static TangentOptions tangent_options(const LimitCycleContinuationOptions& o) {
    TangentOptions t;
    t.abs_tol = o.abs_tol;
    t.rel_tol = o.rel_tol;
    return t;
  }
  std::unique_ptr<Model> work_;
  const LimitCycleContinuationOptions& o_;
  Model::ParameterRef param_;
  Index n_;
  TangentIntegrator integrator_;
  bool left_domain_ = false;
};

/// The shooting residual [phi_T(x) - x; F_ref.(x - x_ref)] at y = (x, T, p), its Jacobian
/// (n + 1) x (n + 2) and the monodromy Phi(T).
struct Shot {
  Vector r;
  Matrix A;
  Matrix Phi;
};

/// Test functions whose changes between branch points mark bifurcations of cycles.
///
/// A complex pair outside the unit circle that meets on the real axis changes the counts of the
/// complex and of the real multipliers outside by two without crossing the circle: a
/// Neimark-Sacker point is a change of the number of all multipliers outside together with one
/// of the complex ones, a period doubling an odd change of the real ones below -1 (see
/// continuation.cpp's Indicators).
struct Indicators {
  int below_minus_one = 0;   ///< real multipliers < -1
  int unstable_complex = 0;  ///< complex multipliers with |mu| > 1
  int n_outside = 0;         ///< multipliers with |mu| > 1
  double pd_gap = NAN;       ///< -mu - 1 of the real negative multiplier nearest -1
  double ns_gap = NAN;       ///< |mu| - 1 of the largest complex multiplier
};

/// Multipliers without the trivial one (the one nearest 1).
std::vector<Complex> nontrivial(const ComplexVector& mu) {
  std::vector<Complex> out(mu.data(), mu.data() + mu.size());
  if (out.empty()) return out;
  auto trivial = std::min_element(out.begin(), out.end(),
                                  [](Complex a, Complex b) { return std::abs(a - 1.0) < std::abs(b - 1.0); });
  out.erase(trivial);
  return out;
}

Indicators indicators(const ComplexVector& mu) {
  Indicators ind;
  for (const Complex m : nontrivial(mu)) {
    // A second multiplier at 1 (a fold, or a family of cycles at one p, as at the non-smooth Hopf
    // point of a piecewise-linear flow) splits into 1 +- i eps by rounding: no crossing to report.
    if (std::abs(m - 1.0) <= 1e-3) continue;
    const bool real = std::abs(m.imag()) <= 1e-12 * (1 + std::abs(m));
    ind.n_outside += std::abs(m) > 1;
    if (real && m.real() < 0) {
      ind.below_minus_one += m.real() < -1;
      if (std::isnan(ind.pd_gap) || std::abs(-m.real() - 1) < std::abs(ind.pd_gap)) ind.pd_gap = -m.real() - 1;
    }
    if (!real) {
      ind.unstable_complex += std::abs(m) > 1;
      ind.ns_gap = std::isnan(ind.ns_gap) ? std::abs(m) - 1 : std::max(ind.ns_gap, std::abs(m) - 1);
    }
  }
  return ind;
}

/// Where g crosses 0 between (p0, g0) and (p1, g1), linearly; the midpoint without both values.
double crossing(double p0, double g0, double p1, double g1) {
  if (std::isnan(g0) || std::isnan(g1) || g0 == g1) return 0.5 * (p0 + p1);
  return p0 + (p1 - p0) * g0 / (g0 - g1);
}

/// The extreme value of the parabola through (s_k, p_k), k = 0, 1, 2 (a fold's parameter value).
double parabola_extreme(double s0, double s1, double s2, double p0, double p1, double p2) {
  const double d01 = (p1 - p0) / (s1 - s0), d12 = (p2 - p1) / (s2 - s1);
  const double a = (d12 - d01) / (s2 - s0);
  if (!(std::abs(a) > 0) || !std::isfinite(a)) return p1;
  const double b = d01 - a * (s0 + s1);
  const double s = -b / (2 * a);
  return a * s * s + b * s + (p0 - a * s0 * s0 - b * s0);
}

/// Where a collapsing branch meets its equilibrium: range^2 extrapolated linearly in p to 0 from
/// the last two points (exact for the smooth Hopf law range^2 ~ p - p_H; at a non-smooth Hopf
/// point the last points share one p, which it returns).
double hopf_end(const CycleBranch& br) {
  const CyclePoint& b = br.points.back();
  const double r1 = (b.x_max - b.x_min).maxCoeff();
  if (br.points.size() < 2) return b.p;
  const CyclePoint& a = br.points[br.points.size() - 2];
  const double r0 = (a.x_max - a.x_min).maxCoeff();
  return r0 > r1 ? b.p + (b.p - a.p) * r1 * r1 / (r0 * r0 - r1 * r1) : b.p;
}

class CycleFollower {
 public:
  CycleFollower(const Model& model, const LimitCycleContinuationOptions& o, Monitor& monitor)
      : shoot_(model, o), o_(o), n_(model.dim()), monitor_(monitor) {
    ds_max_ = o.max_step > 0 ? o.max_step : 0.05;
    ds0_ = std::min(o.initial_step > 0 ? o.initial_step : 0.01, ds_max_);
    sense_ = o.to > o.from ? 1 : -1;
  }

  /// One branch from the cycle through x with period T at p.
  CycleBranch follow(const Vector& x, double T, double p, Index branch_index, std::vector<CycleBifurcation>& found);

 private:
  Vector e_p() const {
    Vector e = Vector::Zero(n_ + 2);
    e(n_ + 1) = 1;
    return e;
  }
  /// The state of one branch's walk: the last point y, its tangent t (scaled), the step, the
  /// arclength of every point so far and the last shot.
  struct Walk {
    Vector y, t;
    double ds = 0;
    std::vector<double> arclength{0.0};
    Shot shot;
  };
  std::optional<Vector> step(Walk& w, int& iterations);
  std::optional<double> locate_fold(Walk& w, double ds, int direction);
  std::optional<CycleBranchStatus> add_point(CycleBranch& br, Walk& w, const Vector& y, const Vector& t, Index branch,
                                             std::vector<CycleBifurcation>& found);
  CycleBranchStatus finish(CycleBranch& br, Walk& w, const Vector& y_new, Index branch,
                           std::vector<CycleBifurcation>& found);
  bool shot(const Vector& y, Shot& s);
  std::optional<Vector> correct(const Vector& y_pred, const Vector& c, Shot& s, int* iterations);
  Vector tangent(const Shot& s, const Vector& t_ref) const;
  /// The arclength is measured in z = y / scale_: x in units of the largest range of the cycles so
  /// far, T of their longest period, p of |to - from|, so that no component dominates the step
  /// and a growing cycle is followed in steps relative to its size (never relative to a shrinking
  /// one: the steps to a collapse stay finite).
  void set_scale(const CyclePoint& pt) {
    const double range = (pt.x_max - pt.x_min).maxCoeff();
    const double x_scale = std::max(range, 1e-8 * (1 + inf_norm(pt.x)));
    if (scale_.size() != n_ + 2) scale_ = Vector::Zero(n_ + 2);
    scale_.head(n_).setConstant(std::max(scale_(0), x_scale));
    scale_(n_) = std::max(scale_(n_), pt.period);
    scale_(n_ + 1) = std::abs(o_.to - o_.from);
  }
  double distance(const Vector& a, const Vector& b) const { return (a - b).cwiseQuotient(scale_).norm(); }
  CyclePoint make_point(const Vector& y, const Shot& s, const Vector& t);
  /// The cycle has shrunk onto an equilibrium: its range is below collapse_tol, or smaller than
  /// what the last step took off it, so that the next step would carry the predictor through the
  /// equilibrium onto the same family again.
  bool collapsed(const CyclePoint& pt, const CyclePoint& prev) const {
    const double scale = 1 + std::max(inf_norm(pt.x_max), inf_norm(pt.x_min));
    const double range = (pt.x_max - pt.x_min).maxCoeff(), before = (prev.x_max - prev.x_min).maxCoeff();
    return range <= o_.collapse_tol * scale || (range < before && range <= before - range);
  }
  void detect(const CycleBranch& br, const CyclePoint& next, const std::vector<double>& arclength, Index branch,
              std::vector<CycleBifurcation>& found) const;

  Shooting shoot_;
  const LimitCycleContinuationOptions& o_;
  Index n_;
  Monitor& monitor_;
  Vector x_ref_, f_ref_;  // the phase hyperplane of the current corrector
  Vector scale_;
  double ds0_ = 0, ds_max_ = 0;
  int sense_ = 1;
};

bool CycleFollower::shot(const Vector& y, Shot& s) {
  const Vector x = y.head(n_);
  const double T = y(n_), p = y(n_ + 1);
  Vector xT;
  if (!shoot_.flow(x, T, p, xT, &s.Phi)) return false;
  const auto xp = shoot_.flow_p(x, T, p);
  if (!xp) return false;
  s.r.resize(n_ + 1);
  s.r.head(n_) = xT - x;
  s.r(n_) = f_ref_.dot(x - x_ref_);
  s.A = Matrix::Zero(n_ + 1, n_ + 2);
  s.A.topLeftCorner(n_, n_) = s.Phi - Matrix::Identity(n_, n_);
  s.A.block(0, n_, n_, 1) = shoot_.F(xT, p);
  s.A.block(0, n_ + 1, n_, 1) = *xp;
  s.A.block(n_, 0, 1, n_) = f_ref_.transpose();
  return s.A.allFinite();
}

/// Newton on [R; s; c.(y - y_pred)] = 0 from y_pred; c is the tangent (arclength) or e_p (fixed p).
std::optional<Vector> CycleFollower::correct(const Vector& y_pred, const Vector& c, Shot& s, int* iterations) {
  Vector y = y_pred;
  Matrix M(n_ + 2, n_ + 2);
  Vector rhs(n_ + 2);
  for (int it = 0; it <= o_.max_newton; ++it) {
    if (!shot(y, s)) return std::nullopt;
    const double scale = 1 + inf_norm(y.head(n_));
    if (inf_norm(s.r) <= o_.newton_tol * scale && std::abs(c.dot(y - y_pred)) <= o_.newton_tol * scale) {
      if (iterations) *iterations = it;
      return y;
    }
    if (it == o_.max_newton) break;
    M.topRows(n_ + 1) = s.A;
    M.row(n_ + 1) = c.transpose();
    rhs.head(n_ + 1) = -s.r;
    rhs(n_ + 1) = -c.dot(y - y_pred);
    const Vector dy = M.fullPivLu().solve(rhs);
    if (!dy.allFinite()) return std::nullopt;
    y += dy;
  }
  return std::nullopt;
}

/// The null vector of A in scaled coordinates z: [A; (t_ref / scale)^T] t_y = e_last, t = t_y / scale
/// normalised and oriented like t_ref (both in z).
Vector CycleFollower::tangent(const Shot& s, const Vector& t_ref) const {
  Matrix M(n_ + 2, n_ + 2);
  M.topRows(n_ + 1) = s.A;
  M.row(n_ + 1) = t_ref.cwiseQuotient(scale_).transpose();
  Vector e = Vector::Zero(n_ + 2);
  e(n_ + 1) = 1;
  Vector t = M.fullPivLu().solve(e).cwiseQuotient(scale_);
  t.normalize();
  return t.dot(t_ref) < 0 ? Vector(-t) : t;
}

CyclePoint CycleFollower::make_point(const Vector& y, const Shot& s, const Vector& t) {
  CyclePoint pt;
  pt.x = y.head(n_);
  pt.period = y(n_);
  pt.p = y(n_ + 1);
  pt.floquet_multipliers = eigen_decompose(s.Phi, TimeKind::Map).eigenvalues;
  const ComplexVector& mu = pt.floquet_multipliers;
  pt.trivial_multiplier_error = (mu.array() - Complex(1.0, 0.0)).abs().minCoeff();
  pt.stable = true;
  for (const Complex m : nontrivial(mu)) pt.stable = pt.stable && std::abs(m) < 1;
  pt.residual = inf_norm(s.r.head(n_));
  pt.direction = t(n_ + 1) >= 0 ? 1 : -1;
  shoot_.range(pt.x, pt.period, pt.p, pt.x_min, pt.x_max);
  return pt;
}

void CycleFollower::detect(const CycleBranch& br, const CyclePoint& next, const std::vector<double>& arclength,
                           Index branch, std::vector<CycleBifurcation>& found) const {
  const CyclePoint& prev = br.points.back();
  const Index k = static_cast<Index>(br.points.size()) - 1;
  const Indicators a = indicators(prev.floquet_multipliers), b = indicators(next.floquet_multipliers);
  auto add = [&](CycleBifurcationType type, double p) {
    found.push_back(flow_bifurcation(type, p, prev.period, branch, k));
  };
  if (prev.direction != next.direction) {
    double p = sense_ * prev.p > sense_ * next.p ? prev.p : next.p;
    if (br.points.size() >= 2) {
      const std::size_t m = br.points.size();
      p = parabola_extreme(arclength[m - 2], arclength[m - 1], arclength[m], br.points[m - 2].p, prev.p, next.p);
    }
    add(CycleBifurcationType::Fold, p);
  }
  if ((a.below_minus_one - b.below_minus_one) % 2 != 0)
    add(CycleBifurcationType::PeriodDoubling, crossing(prev.p, a.pd_gap, next.p, b.pd_gap));
  if (a.unstable_complex != b.unstable_complex && a.n_outside != b.n_outside)
    add(CycleBifurcationType::NeimarkSacker, crossing(prev.p, a.ns_gap, next.p, b.ns_gap));
}

/// Predictor y + ds (scale t) and corrector; empty when the corrector fails, leaves the domain or
/// jumps to another orbit (the period moves by more than half).
std::optional<Vector> CycleFollower::step(Walk& w, int& iterations) {
  const Vector y_pred = w.y + w.ds * w.t.cwiseProduct(scale_);
  shoot_.reset_domain_flag();
  if (!shoot_.admits(y_pred(n_ + 1))) return std::nullopt;
  x_ref_ = w.y.head(n_);
  f_ref_ = shoot_.F(x_ref_, w.y(n_ + 1));
  auto y_new = correct(y_pred, w.t.cwiseQuotient(scale_), w.shot, &iterations);
  if (y_new && std::abs((*y_new)(n_)-w.y(n_)) > 0.5 * w.y(n_)) y_new.reset();
  return y_new;
}

/// Adds the point at y (its tangent t), with the bifurcations since the last point; returns the
/// branch's end status when the point ends it.
std::optional<CycleBranchStatus> CycleFollower::add_point(CycleBranch& br, Walk& w, const Vector& y, const Vector& t,
                                                          Index branch, std::vector<CycleBifurcation>& found) {
  CyclePoint pt = make_point(y, w.shot, t);
  // Along a family of cycles at one p the p-component of the tangent is rounding noise: keep
  // the last direction, so that only a real turn of p is a fold.
  if (std::abs(t(n_ + 1)) <= 1e-6) pt.direction = br.points.back().direction;
  w.arclength.push_back(w.arclength.back() + distance(y, w.y));
  const std::size_t before = found.size();
  detect(br, pt, w.arclength, branch, found);
  for (std::size_t i = before; i < found.size(); ++i)
    if (found[i].type == CycleBifurcationType::Fold)
      if (const auto p = locate_fold(w, w.ds, br.points.back().direction)) found[i].p = *p;
  const bool shrunk = collapsed(pt, br.points.back());
  const bool unbounded = std::max(inf_norm(pt.x_max), inf_norm(pt.x_min)) > o_.max_norm;
  const bool too_long = pt.period > o_.max_period;
  br.points.push_back(std::move(pt));
  if (unbounded) return CycleBranchStatus::Unbounded;
  if (shrunk) {
    found.push_back(flow_bifurcation(CycleBifurcationType::Hopf, hopf_end(br), br.points.back().period, branch,
                                     static_cast<Index>(br.points.size()) - 1));
    return CycleBranchStatus::Collapsed;
  }
  if (too_long) return CycleBranchStatus::CycleLost;
  return std::nullopt;
}

/// The fold between the walk's point w.y and the point a step `ds` further: bisection along that
/// step on the sign of dp/ds at the corrected point (each a corrector on the hyperplane
/// t.(y - y_pred) = 0, as the step itself), to 1e-10 of the step. Empty when a corrector fails
/// (the parabola's estimate then stands).
std::optional<double> CycleFollower::locate_fold(Walk& w, double ds, int direction) {
  double lo = 0, hi = ds, p = NAN;
  const Vector c = w.t.cwiseQuotient(scale_);
  for (int it = 0; it < 40 && hi - lo > 1e-10 * ds; ++it) {
    const double mid = 0.5 * (lo + hi);
    const auto y = correct(w.y + mid * w.t.cwiseProduct(scale_), c, w.shot, nullptr);
    if (!y) return std::nullopt;
    const Vector t = tangent(w.shot, w.t);
    (t(n_ + 1) * direction > 0 ? lo : hi) = mid;
    p = (*y)(n_ + 1);
  }
  if (std::isnan(p)) return std::nullopt;
  return p;
}

/// The last point, solved at exactly p = to from the chord between w.y and y_new.
CycleBranchStatus CycleFollower::finish(CycleBranch& br, Walk& w, const Vector& y_new, Index branch,
                                        std::vector<CycleBifurcation>& found) {
  Vector y_end = w.y + (o_.to - w.y(n_ + 1)) / (y_new(n_ + 1) - w.y(n_ + 1)) * (y_new - w.y);
  y_end(n_ + 1) = o_.to;
  const auto ye = correct(y_end, e_p(), w.shot, nullptr);
  if (!ye) return CycleBranchStatus::CycleLost;
  add_point(br, w, *ye, tangent(w.shot, w.t), branch, found);
  return CycleBranchStatus::Reached;
}

CycleBranch CycleFollower::follow(const Vector& x, double T, double p, Index branch,
                                  std::vector<CycleBifurcation>& found) {
  CycleBranch br;
  Walk w;
  w.y.resize(n_ + 2);
  w.y << x, T, p;
  // The first point: the simulated cycle polished at fixed p, its phase plane through itself.
  x_ref_ = x;
  f_ref_ = shoot_.F(x, p);
  const auto y0 = correct(w.y, e_p(), w.shot, nullptr);
  if (!y0) {
    br.status = CycleBranchStatus::CycleLost;
    return br;
  }
  w.y = *y0;
  scale_ = Vector::Ones(n_ + 2);
  br.points.push_back(make_point(w.y, w.shot, sense_ * e_p()));
  scale_.resize(0);
  set_scale(br.points.back());
  w.t = tangent(w.shot, sense_ * e_p());
  w.ds = ds0_;
  const double span = std::abs(o_.to - o_.from);
  while (static_cast<int>(br.points.size()) < o_.max_points) {
    const double covered = std::clamp(sense_ * (w.y(n_ + 1) - o_.from) / span, 0.0, 1.0);
    monitor_.checkpoint({"cycle continuation", covered, static_cast<std::int64_t>(br.points.size()),
                         static_cast<std::int64_t>(found.size()), 0.0});
    int its = 0;
    const auto y_new = step(w, its);
    if (!y_new) {
      w.ds /= 2;
      if (w.ds >= o_.min_step) continue;
      // The last prediction (step 2 ds) outside the domain, or its corrector's difference
      // quotient in p reaching past the edge: the branch ran into the edge of the domain.
      const bool inside = shoot_.admits(w.y(n_ + 1) + 2 * w.ds * w.t(n_ + 1) * scale_(n_ + 1));
      br.status = inside && !shoot_.left_domain() ? CycleBranchStatus::CycleLost : CycleBranchStatus::DomainBoundary;
      return br;
    }
    const double p_new = (*y_new)(n_ + 1);
    if (sense_ * (p_new - o_.to) >= 0) {
      br.status = finish(br, w, *y_new, branch, found);
      return br;
    }
    if (sense_ * (p_new - o_.from) < 0) {
      br.status = CycleBranchStatus::LeftInterval;
      return br;
    }
    const Vector t_new = tangent(w.shot, w.t);
    if (const auto end = add_point(br, w, *y_new, t_new, branch, found)) {
      br.status = *end;
      return br;
    }
    w.y = *y_new;
    const Vector old_scale = scale_;
    set_scale(br.points.back());
    w.t = t_new.cwiseProduct(old_scale).cwiseQuotient(scale_).normalized();
    if (its <= 3) w.ds = std::min(1.5 * w.ds, ds_max_);
  }
  br.status = CycleBranchStatus::MaxPoints;
  return br;
}

/// A cycle to start a branch from.
struct CycleStart {
  Vector x;
  double period = 0.0;
  double p = 0.0;
  std::string source;
  double source_p = 0.0;
  std::string status;  ///< of the simulation that looked for it
};

/// The cycle reached from x0 at p (find_limit_cycle on a clone).
CycleStart cycle_at(const Model& model, const LimitCycleContinuationOptions& o, double p, const Vector& x0) {
  auto work = model.clone();
  work->set_parameter(o.parameter, p);
  LimitCycleOptions lo = o.search;
  lo.x0 = x0;
  lo.progress = nullptr;
  const LimitCycle c = find_limit_cycle(*work, lo);
  CycleStart s;
  s.status = to_string(c.status);
  s.p = p;
  if (c.status == LimitCycleStatus::Found) {
    s.x = c.section_point;
    s.period = c.period;
  }
  return s;
}

/// The fixed point x_H plus a kick of hopf_kick (1 + |x_H|) along the critical eigenvector
/// (real and imaginary parts) of DF at p.
Vector kicked(const Model& model, const LimitCycleContinuationOptions& o, const Vector& xh, double p) {
  auto work = model.clone();
  work->set_parameter(o.parameter, p);
  Vector f;
  Matrix J;
  work->evaluate(xh, f, &J);
  const EigenDecomposition ed = eigen_decompose(J, TimeKind::Flow);
  Vector v = ed.eigenvectors.col(0).real() + ed.eigenvectors.col(0).imag();
  if (!(inf_norm(v) > 0)) v = Vector::Ones(xh.size());
  return xh + o.hopf_kick * (1 + inf_norm(xh)) * v / inf_norm(v);
}

/// The cycle next to a Hopf point: at p_H + hopf_offset (to - from) first, else (a subcritical
/// Hopf point, or a fixed point unstable on the side of `from`) at p_H - hopf_offset (to - from);
/// either only inside [from, to] and the parameter's domain.
CycleStart cycle_near_hopf(const Model& model, const LimitCycleContinuationOptions& o, const Bifurcation& b) {
  CycleStart s;
  s.status = "outside_interval";  // neither side lies inside [from, to]
  s.p = b.p;
  for (const double side : {1.0, -1.0}) {
    const double p0 = b.p + side * o.hopf_offset * (o.to - o.from);
    if ((o.to - p0) * (p0 - o.from) < 0 || !model.admits(o.parameter, p0)) continue;
    s = cycle_at(model, o, p0, kicked(model, o, b.x, p0));
    if (s.x.size()) break;
  }
  s.source = "hopf";
  s.source_p = b.p;
  return s;
}

/// Hopf starts: the Hopf points of the fixed-point branches on [from, to] (default starts).
std::vector<CycleStart> hopf_starts(const Model& model, const LimitCycleContinuationOptions& o,
                                    std::vector<double>& hopf_points) {
  ContinuationOptions co;
  co.parameter = o.parameter;
  co.from = o.from;
  co.to = o.to;
  ContinuationResult fp;
  try {
    fp = continue_fixed_points(model, co);
  } catch (const InputError&) {  // no fixed point at `from`: no Hopf start
    return {};
  }
  std::vector<CycleStart> out;
  for (const Bifurcation& b : fp.bifurcations) {
    if (b.type != BifurcationType::Hopf) continue;
    const bool seen = std::any_of(hopf_points.begin(), hopf_points.end(),
                                  [&](double q) { return std::abs(q - b.p) <= 1e-8 * (1 + std::abs(q)); });
    if (seen) continue;
    hopf_points.push_back(b.p);
    out.push_back(cycle_near_hopf(model, o, b));
  }
  return out;
}

/// The starts of the front door: `start`, else Hopf points, else the model's x0.
std::vector<CycleStart> find_starts(const Model& model, const LimitCycleContinuationOptions& o,
                                    LimitCycleContinuationResult& r) {
  if (o.start.size()) {
    CycleStart s = cycle_at(model, o, o.from, o.start);
    s.source = "start";
    s.source_p = o.from;
    return {s};
  }
  std::vector<CycleStart> starts = hopf_starts(model, o, r.hopf_points);
  if (starts.empty() && model.initial_state()) {
    CycleStart s = cycle_at(model, o, o.from, *model.initial_state());
    s.source = "initial_state";
    s.source_p = o.from;
    starts.push_back(std::move(s));
  }
  return starts;
}

std::string empty_message(const LimitCycleContinuationResult& r) {
  for (const CycleBranch& b : r.branches)
    if (!b.points.empty()) return "";
  if (r.branches.empty())
    return "no start cycle: no Hopf point of the fixed points on [from, to] and no start state; give --start";
  std::string what;
  for (const CycleBranch& b : r.branches)
    what += (what.empty() ? "" : "; ") + b.source + " start at " + detail::number_text(b.start_p) + ": " +
            b.start_status + (b.start_status == "found" ? ", but the orbit does not close under Newton" : "");
  return "no cycle found at the start (" + what + "); give a start state near a cycle or longer search times";
}

}  // namespace

LimitCycleContinuationResult continue_limit_cycles(const Model& model, const LimitCycleContinuationOptions& options) {
  options.validate(model);
  if (model.time_kind() == TimeKind::Map) return detail::continue_map_cycles(model, options);
  const Stopwatch clock;
  LimitCycleContinuationResult r;
  r.parameter = options.parameter;
  r.options = options;
  r.options.progress = nullptr;  // the result keeps the settings, not the caller's callback
  Monitor monitor(options.progress);
  const std::vector<CycleStart> starts = find_starts(model, options, r);
  CycleFollower follower(model, options, monitor);
  for (const CycleStart& s : starts) {
    CycleBranch br;
    if (s.x.size())
      br = follower.follow(s.x, s.period, s.p, static_cast<Index>(r.branches.size()), r.bifurcations);
    else
      br.status = CycleBranchStatus::StartNotFound;
    br.source = s.source;
    br.source_p = s.source_p;
    br.start_p = s.p;
    br.start_status = s.status;
    r.branches.push_back(std::move(br));
  }
  r.message = empty_message(r);
  monitor.checkpoint({"cycle continuation", 1.0, 0, static_cast<std::int64_t>(r.bifurcations.size()), 0.0}, true);
  r.info = {model.kind(), model.time_kind(), clock.seconds()};
  return r;
}

}  // namespace rnndyn
