// Hopf curves in a parameter plane; see hopf_curve.hpp for the test function and the method.
#include "rnndyn/continuation/hopf_curve.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

#include <Eigen/Eigenvalues>
#include <Eigen/LU>

#include "fold_curve.hpp"
#include "parameter_field.hpp"
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/core/progress.hpp"

namespace rnndyn {
namespace {

/// NoPair: the test function is not defined there (no complex pair; border curves: x_D outside D).
enum class Outcome { Ok, NoFixedPoint, NoPair };

struct Eval {
  Outcome outcome = Outcome::Ok;
  double tau = 0.0, omega = 0.0;
  Vector x;
};

/// Follows the zero set of a test function tau(u, v) at box-scaled coordinates (u, v); the
/// subclasses say what tau is.
class CurveTracer {
 public:
  virtual ~CurveTracer() = default;
  CurveTracer(const CurveTracer&) = delete;
  CurveTracer& operator=(const CurveTracer&) = delete;

  double px(double u) const { return o_.x_from + u * (o_.x_to - o_.x_from); }
  double py(double v) const { return o_.y_from + v * (o_.y_to - o_.y_from); }

  /// The fixed point from `guess` at (u, v) and tau there.
  virtual Eval eval(double u, double v, const Vector& guess) = 0;

  /// Sets both parameters to their values at (u, v) on m; false outside their domains.
  bool set_parameters(Model& m, double u, double v) const {
    if (!m.admits(rx_, px(u)) || !m.admits(ry_, py(v))) return false;
    m.set_parameter(rx_, px(u));
    m.set_parameter(ry_, py(v));
    return true;
  }

  /// grad tau at (u, v) by central differences (false when an evaluation fails; `why`, when
  /// given, says how: NoFixedPoint when any of the four lost the fixed point).
  bool gradient(double u, double v, const Vector& x, double& gu, double& gv, Outcome* why = nullptr) {
    const double h = 1e-6;
    const Eval a = eval(u + h, v, x), b = eval(u - h, v, x), c = eval(u, v + h, x), d = eval(u, v - h, x);
    if (why) *why = Outcome::Ok;
    for (const Eval* e : {&a, &b, &c, &d})
      if (e->outcome == Outcome::NoFixedPoint && why) *why = Outcome::NoFixedPoint;
    for (const Eval* e : {&a, &b, &c, &d})
      if (e->outcome != Outcome::Ok) return false;
    gu = (a.tau - b.tau) / (2 * h);
    gv = (c.tau - d.tau) / (2 * h);
    return std::isfinite(gu) && std::isfinite(gv) && (gu != 0.0 || gv != 0.0);
  }

  /// Newton on tau = 0 from (u, v) along the unit normal (nu, nv); `limit` bounds the move.
  bool correct(double& u, double& v, double nu, double nv, Vector& x, double limit, Outcome& why, Eval& out) {
    double s = 0.0;
    for (int it = 0; it < 12; ++it) {
      const Eval e = eval(u + s * nu, v + s * nv, x);
      if (e.outcome != Outcome::Ok) {
        why = e.outcome;
        return false;
      }
      x = e.x;
      if (std::abs(e.tau) <= o_.tol) {
        u += s * nu;
        v += s * nv;
        out = e;
        return true;
      }
      double gu = 0.0, gv = 0.0;
      if (!gradient(u + s * nu, v + s * nv, x, gu, gv)) {
        why = Outcome::NoFixedPoint;
        return false;
      }
      const double slope = gu * nu + gv * nv;
      if (!(std::abs(slope) > 0.0)) break;
      s -= e.tau / slope;
      if (!(std::abs(s) <= limit)) break;  // a jump of tau, not a zero near here
    }
    why = Outcome::Ok;  // no convergence: a switching boundary or a turn too sharp for the step
    return false;
  }

  /// Follows the curve from `start` in direction `sign` until an end; returns the points and why it ended.
  std::vector<HopfCurvePoint> follow(const HopfCurvePoint& start, double su, double sv, int sign, std::string& end,
                                     Monitor& monitor) {
    std::vector<HopfCurvePoint> pts;
    double u = su, v = sv, h = o_.step;
    Vector x = start.x;
    double gu = 0.0, gv = 0.0;
    Outcome lost = Outcome::Ok;
    if (!gradient(u, v, x, gu, gv, &lost)) {
      end = lost == Outcome::NoFixedPoint ? "no_fixed_point" : "non_smooth";
      return pts;
    }
    double tu = -gv * sign, tv = gu * sign;
    const double tn = std::hypot(tu, tv);
    tu /= tn;
    tv /= tn;
    end = "max_points";
    for (int k = 0; k < o_.max_points; ++k) {
      monitor.checkpoint({"hopf curve", -1.0, k, static_cast<std::int64_t>(pts.size())});
      const double gn = std::hypot(gu, gv);
      double nu = gu / gn, nv = gv / gn, cu = u + h * tu, cv = v + h * tv;
      Vector xc = x;
      Outcome why = Outcome::Ok;
      Eval e;
      if (!correct(cu, cv, nu, nv, xc, 2.0 * h, why, e)) {
        h *= 0.5;
        if (h < o_.min_step) {
          end = why == Outcome::NoFixedPoint ? "no_fixed_point" : "non_smooth";
          return pts;
        }
        continue;
      }
      if (cu < 0.0 || cu > 1.0 || cv < 0.0 || cv > 1.0) {
        end = "box";
        return pts;
      }
      double ngu = 0.0, ngv = 0.0;
      // A gradient that cannot be taken beside a corrected point: the fixed point is lost within
      // the difference step (a fold of the fixed points, or the edge of a parameter's domain),
      // or the test function is not smooth there.
      if (!gradient(cu, cv, xc, ngu, ngv, &lost)) {
        end = lost == Outcome::NoFixedPoint ? "no_fixed_point" : "non_smooth";
        return pts;
      }
      double ntu = -ngv, ntv = ngu;
      const double nn = std::hypot(ntu, ntv);
      ntu /= nn;
      ntv /= nn;
      if (ntu * tu + ntv * tv < 0.0) {
        ntu = -ntu;
        ntv = -ntv;
      }
      u = cu;
      v = cv;
      x = xc;
      gu = ngu;
      gv = ngv;
      tu = ntu;
      tv = ntv;
      pts.push_back({px(u), py(v), x, e.omega, e.tau});
      if (pts.size() > 5 && std::hypot(u - su, v - sv) < 0.75 * h) {
        end = "closed";
        return pts;
      }
      h = std::min(o_.max_step, 1.3 * h);
    }
    return pts;
  }

 protected:
  CurveTracer(const Model& model, const HopfCurveOptions& o)
      : o_(o), rx_(model.parameter_ref(o.parameter_x)), ry_(model.parameter_ref(o.parameter_y)) {}
  const HopfCurveOptions& o_;
  Model::ParameterRef rx_, ry_;
};

/// tau = Re lambda (maps: |lambda| - 1) of the complex pair nearest the boundary, at the fixed
/// point followed by Newton.
class HopfTracer final : public CurveTracer {
 public:
  HopfTracer(const Model& model, const HopfCurveOptions& o) : CurveTracer(model, o), m_(model.clone()) {
    newton_.parameter = o.parameter_x;
    newton_.from = o.x_from;
    newton_.to = o.x_to;
  }

  /// The fixed point from `guess` at (u, v) and tau there.
  Eval eval(double u, double v, const Vector& guess) override {
    Eval e;
    e.x = guess;
    if (!set_parameters(*m_, u, v)) {
      e.outcome = Outcome::NoFixedPoint;
      return e;
    }
    if (!solve_fixed_point(*m_, e.x, newton_) || !e.x.allFinite()) {
      e.outcome = Outcome::NoFixedPoint;
      return e;
    }
    Vector f;
    Matrix J;
    m_->evaluate(e.x, f, &J);
    const Eigen::EigenSolver<Matrix> es(J, false);
    const bool map = m_->time_kind() == TimeKind::Map;
    const double scale = std::max(1.0, J.lpNorm<Eigen::Infinity>());
    double best = std::numeric_limits<double>::infinity();
    for (Index i = 0; i < es.eigenvalues().size(); ++i) {
      const Complex l = es.eigenvalues()(i);
      if (!(std::abs(l.imag()) > 1e-9 * scale)) continue;  // only a complex pair makes a Hopf point
      const double t = map ? std::abs(l) - 1.0 : l.real();
      if (std::abs(t) < std::abs(best)) {
        best = t;
        e.omega = map ? std::abs(std::arg(l)) : std::abs(l.imag());
      }
    }
    if (!std::isfinite(best)) e.outcome = Outcome::NoPair;
    e.tau = best;
    return e;
  }

 private:
  std::unique_ptr<Model> m_;
  ContinuationOptions newton_;
};

/// tau = U_i x + c_i - beta: the pre-activation of the colliding unit i at its breakpoint beta,
/// with x the fixed point of the one region D beside the border (its affine map, solved exactly;
/// off the curve x is D's virtual fixed point). The curve ends where x leaves D through another
/// hyperplane (a corner: two borders at once), reported as "non_smooth".
class BorderTracer final : public CurveTracer {
 public:
  BorderTracer(const Model& model, const PiecewiseLinearStructure& pl, const HopfCurveOptions& o,
               const Bifurcation& hit)
      : CurveTracer(model, o),
        m_(model.clone()),
        unit_(hit.unit),
        pattern_(pl.pattern_at(hit.x)),
        beta_(pl.units[static_cast<size_t>(unit_)].breakpoints()[static_cast<size_t>(hit.breakpoint)]) {
    pattern_[static_cast<size_t>(unit_)] = static_cast<int>(hit.breakpoint);  // the side below the kink
  }

  Eval eval(double u, double v, const Vector& guess) override {
    Eval e;
    e.x = guess;
    e.outcome = Outcome::NoFixedPoint;
    if (!set_parameters(*m_, u, v)) return e;
    const std::optional<PiecewiseLinearStructure> pl = m_->piecewise_linear();
    const AffineMap D = pl->region_map(pattern_);
    Matrix G = D.matrix;
    if (m_->time_kind() == TimeKind::Map) G.diagonal().array() -= 1.0;
    const Eigen::FullPivLU<Matrix> lu(G);
    if (!lu.isInvertible()) return e;
    e.x = lu.solve(-D.offset);
    if (!e.x.allFinite()) return e;
    if (!inside_other_borders(*pl, e.x)) {  // a corner: the test function ends, reported non_smooth
      e.outcome = Outcome::NoPair;
      return e;
    }
    e.tau = pl->U.row(unit_).dot(e.x) + pl->c(unit_) - beta_;
    e.outcome = Outcome::Ok;
    return e;
  }

 private:
  /// x in D's closure for every unit but the colliding one (relative tolerance 1e-9).
  bool inside_other_borders(const PiecewiseLinearStructure& pl, const Vector& x) const {
    for (Index j = 0; j < pl.hidden(); ++j) {
      if (j == unit_) continue;
      const double a = pl.U.row(j).dot(x) + pl.c(j), tol = 1e-9 * (1.0 + std::abs(a));
      const std::vector<double> bp = pl.units[static_cast<size_t>(j)].breakpoints();
      const int piece = pattern_[static_cast<size_t>(j)];
      if (piece > 0 && a < bp[static_cast<size_t>(piece - 1)] - tol) return false;
      if (piece < static_cast<int>(bp.size()) && a > bp[static_cast<size_t>(piece)] + tol) return false;
    }
    return true;
  }

  std::unique_ptr<Model> m_;
  Index unit_;
  std::vector<int> pattern_;
  double beta_ = 0.0;
};

}  // namespace

namespace detail {

HopfCurveResult join_halves(const HopfCurveOptions& o, const HopfCurvePoint& start,
                            const std::function<std::vector<HopfCurvePoint>(int, std::string&)>& follow) {
  HopfCurveResult r;
  r.kind = o.kind;
  r.parameter_x = o.parameter_x;
  r.parameter_y = o.parameter_y;
  const std::vector<HopfCurvePoint> fwd = follow(+1, r.end_forward);
  std::vector<HopfCurvePoint> bwd;
  if (r.end_forward == "closed")
    r.end_backward = "closed";
  else
    bwd = follow(-1, r.end_backward);
  r.points.assign(bwd.rbegin(), bwd.rend());
  r.points.push_back(start);
  r.points.insert(r.points.end(), fwd.begin(), fwd.end());
  const auto done = [](const std::string& e) { return e == "box" || e == "closed"; };
  r.status = done(r.end_forward) && done(r.end_backward) ? "complete" : "partial";
  r.options = o;
  return r;
}

}  // namespace detail

void HopfCurveOptions::validate() const {
  if (kind != "hopf" && kind != "fold" && kind != "border_collision")
    throw InputError("kind", "expected hopf, fold or border_collision, got '" + kind + "'");
  if (parameter_x.empty()) throw InputError("parameter_x", "a parameter name is required");
  if (parameter_y.empty()) throw InputError("parameter_y", "a parameter name is required");
  if (parameter_x == parameter_y) throw InputError("parameter_y", "must differ from parameter_x");
  for (const auto& [name, value] : {std::pair<const char*, double>{"x_from", x_from},
                                    {"x_to", x_to},
                                    {"y_from", y_from},
                                    {"y_to", y_to},
                                    {"start_x", start_x},
                                    {"start_y", start_y}})
    if (!std::isfinite(value)) throw InputError(name, "must be finite");
  if (x_from == x_to) throw InputError("x_to", "must differ from x_from");
  if (y_from == y_to) throw InputError("y_to", "must differ from y_from");
  if (!(max_step > 0.0) || !std::isfinite(max_step)) throw InputError("max_step", "must be finite and > 0");
  if (!(step > 0.0) || !(max_step >= step) || !(min_step > 0.0) || !(min_step <= step))
    throw InputError("step", "need 0 < min_step <= step <= max_step (" + std::to_string(max_step) + ")");
  if (!(tol > 0.0)) throw InputError("tol", "must be > 0");
  if (max_points < 2) throw InputError("max_points", "must be >= 2");
  if (x0.size() > 0 && !x0.allFinite()) throw InputError("x0", "has entries that are not finite");
}

HopfCurveResult continue_hopf_curve(const Model& model, const HopfCurveOptions& options) {
  options.validate();
  if (options.x0.size() > 0 && options.x0.size() != model.dim())
    throw InputError("x0", "expected " + std::to_string(model.dim()) + " entries (the model's dimension)");
  for (const auto& [field, name, value] :
       {std::tuple<const char*, const std::string&, double>{"parameter_x", options.parameter_x, options.start_x},
        {"parameter_y", options.parameter_y, options.start_y}})
    if (!detail::admits_all(model, field, name, {value}))
      throw InputError(field, "'" + name + "' is outside its domain at the start");
  if (options.kind == "fold") return detail::continue_fold_curve(model, options);
  const Stopwatch clock;
  Monitor monitor;
  const bool border = options.kind == "border_collision";
  std::unique_ptr<CurveTracer> tracer;
  double start_y = options.start_y;
  Vector x = options.x0.size() > 0 ? options.x0 : model.initial_state().value_or(Vector::Zero(model.dim()));
  if (border) {
    const std::optional<PiecewiseLinearStructure> pl = model.piecewise_linear();
    if (!pl || pl->dim() != model.dim())
      throw InputError("kind",
                       "border-collision curves need a piecewise-linear model whose state is its "
                       "arrangement's space (rate, rnn, plrnn, shplrnn)");
    const Bifurcation hit =
        detail::nearest_on_start_line(model, options, BifurcationType::BorderCollision, "border collision");
    tracer = std::make_unique<BorderTracer>(model, *pl, options, hit);
    start_y = hit.p;
    x = hit.x;
  } else {
    tracer = std::make_unique<HopfTracer>(model, options);
  }
  const double su = (options.start_x - options.x_from) / (options.x_to - options.x_from);
  double sv = (start_y - options.y_from) / (options.y_to - options.y_from);
  // Onto the curve along p_y: secant iteration on tau(su, v).
  Eval a = tracer->eval(su, sv, x);
  if (a.outcome != Outcome::Ok)
    throw InputError("start_y", a.outcome == Outcome::NoFixedPoint
                                    ? "no fixed point found from x0 at the start"
                                    : "the fixed point at the start has no complex pair of eigenvalues");
  double v0 = sv, t0 = a.tau, v1 = sv + (border ? 1e-6 : 0.01);
  Eval b = std::abs(a.tau) <= options.tol ? a : tracer->eval(su, v1, a.x);
  if (std::abs(a.tau) <= options.tol) v1 = sv;
  for (int it = 0; it < 60 && b.outcome == Outcome::Ok && std::abs(b.tau) > options.tol; ++it) {
    if (b.tau == t0) break;
    const double v2 = v1 - b.tau * (v1 - v0) / (b.tau - t0);
    v0 = v1;
    t0 = b.tau;
    v1 = std::clamp(v2, v1 - 0.25, v1 + 0.25);  // damped: tau is only piecewise smooth
    b = tracer->eval(su, v1, b.x);
  }
  if (b.outcome != Outcome::Ok || !(std::abs(b.tau) <= options.tol))
    throw InputError("start_y", "no Hopf point found along " + options.parameter_y + " from the start");
  sv = v1;
  const HopfCurvePoint start{tracer->px(su), tracer->py(sv), b.x, b.omega, b.tau};
  HopfCurveResult r = detail::join_halves(
      options, start, [&](int sign, std::string& end) { return tracer->follow(start, su, sv, sign, end, monitor); });
  r.guarantee =
      border ? "points where the fixed point of the region beside the border found nearest the start along "
               "parameter_y lies on that unit's kink (|tau| <= tol), exact per region, from one end to the other "
               "(a corner, where it meets another border, ends it as non_smooth); other border collisions in the "
               "box are not searched"
             : "points where the complex pair of the followed fixed point crosses the stability boundary (|tau| <= "
               "tol), from one end to the other of the curve through the start; other Hopf curves in the box are "
               "not searched";
  r.info = {model.kind(), model.time_kind(), clock.seconds()};
  return r;
}

}  // namespace rnndyn
