// Fold (saddle-node) curves in a parameter plane (HopfCurveOptions::kind = "fold"; hopf_curve.hpp).
//
// On a fold curve the fixed point's branch x(p_y) turns, so x cannot be followed by Newton at
// fixed parameters (as the Hopf tracer does): the curve is followed in (x, u, v), u and v the two
// parameters scaled to the box [0, 1]^2, as the zero set of the augmented system
//
//   H(x, u, v) = ( G(x, p),  g(x, p) ) = 0,    G = F(x, p) - delta x   (delta = 1 maps, 0 flows),
//
// N + 1 equations in N + 2 unknowns. g is the bordered test function (Govaerts 2000, as MatCont):
//
//   [ A    b ] [ w ]   [ 0 ]             [ A^T  c ] [ z ]   [ 0 ]
//   [ c^T  0 ] [ g ] = [ 1 ],   A = G_x,   [ b^T  0 ] [ . ] = [ 1 ],
//
// g = 0 exactly where A is singular (b, c: the left and right null vectors of A at the previous
// point, so the border is regular), with the derivatives g_y = -z^T A_y w. Since second
// derivatives of G are symmetric, z^T (dA/dx_k) w = (z^T dA/dw)_k, so g_x = -z^T (J(x + h w) -
// J(x - h w)) / 2h: one pair of Jacobians, not N. Pseudo-arclength: predictor along the kernel of
// H's (N + 1) x (N + 2) Jacobian, corrector Newton on (H, t . (y - y_pred)) = 0.
//
// Piecewise-linear models are refused: within a region A is constant (a singular region holds a
// continuum), and their folds are border collisions, which this system does not describe.
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include <Eigen/LU>
#include <Eigen/SVD>

#include "fold_curve.hpp"
#include "parameter_field.hpp"
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/core/progress.hpp"

namespace rnndyn::detail {
namespace {

constexpr double kFd = 1e-6;  // central-difference step (box units for u, v; relative for w)

/// H, its Jacobian and g at one point y = (x, u, v).
struct Augmented {
  Vector H;     // N + 1
  Matrix DH;    // (N + 1) x (N + 2)
  Vector w, z;  // right and left null vectors of A (approximately, away from the curve)
  bool ok = false;
};

class FoldTracer {
 public:
  FoldTracer(const Model& model, const HopfCurveOptions& o)
      : o_(o),
        m_(model.clone()),
        rx_(model.parameter_ref(o.parameter_x)),
        ry_(model.parameter_ref(o.parameter_y)),
        n_(model.dim()),
        delta_(model.time_kind() == TimeKind::Map ? 1.0 : 0.0) {}

  double px(double u) const { return o_.x_from + u * (o_.x_to - o_.x_from); }
  double py(double v) const { return o_.y_from + v * (o_.y_to - o_.y_from); }

  /// G and A = G_x at x with the parameters (u, v); false outside the parameters' domains.
  bool residual(const Vector& x, double u, double v, Vector& G, Matrix& A) {
    if (!m_->admits(rx_, px(u)) || !m_->admits(ry_, py(v))) return false;
    m_->set_parameter(rx_, px(u));
    m_->set_parameter(ry_, py(v));
    m_->evaluate(x, G, &A);
    G -= delta_ * x;
    A.diagonal().array() -= delta_;
    return G.allFinite() && A.allFinite();
  }

  /// The borders from A's smallest singular vectors (at the start, and after each accepted point).
  void set_borders(const Matrix& A) {
    const Eigen::JacobiSVD<Matrix> svd(A, Eigen::ComputeFullU | Eigen::ComputeFullV);
    b_ = svd.matrixU().col(n_ - 1);
    c_ = svd.matrixV().col(n_ - 1);
  }

  /// H and its Jacobian at y.
  Augmented augmented(const Vector& y) {
    Augmented a;
    const Vector x = y.head(n_);
    const double u = y(n_), v = y(n_ + 1);
    Vector G;
    Matrix A;
    if (!residual(x, u, v, G, A)) return a;
    Matrix M = Matrix::Zero(n_ + 1, n_ + 1);
    M.topLeftCorner(n_, n_) = A;
    M.topRightCorner(n_, 1) = b_;
    M.bottomLeftCorner(1, n_) = c_.transpose();
    const Eigen::PartialPivLU<Matrix> lu(M);
    Vector e = Vector::Zero(n_ + 1);
    e(n_) = 1.0;
    const Vector wg = lu.solve(e), zs = lu.transpose().solve(e);
    if (!wg.allFinite() || !zs.allFinite()) return a;
    a.w = wg.head(n_);
    a.z = zs.head(n_);
    a.H.resize(n_ + 1);
    a.H.head(n_) = G;
    a.H(n_) = wg(n_);
    a.DH = Matrix::Zero(n_ + 1, n_ + 2);
    a.DH.topLeftCorner(n_, n_) = A;
    // g_x = -z^T dA/dw (symmetry of the second derivatives), one pair of Jacobians.
    const double hw = kFd * std::max(1.0, x.lpNorm<Eigen::Infinity>()) / std::max(1e-300, a.w.norm());
    Vector Gp, Gm;
    Matrix Ap, Am;
    if (!residual(x + hw * a.w, u, v, Gp, Ap) || !residual(x - hw * a.w, u, v, Gm, Am)) return a;
    a.DH.block(n_, 0, 1, n_) = -(a.z.transpose() * (Ap - Am)) / (2 * hw);
    // The parameter columns: G_u, G_v and g_u = -z^T A_u w, g_v alike.
    for (int q = 0; q < 2; ++q) {
      const double du = q == 0 ? kFd : 0.0, dv = q == 1 ? kFd : 0.0;
      if (!residual(x, u + du, v + dv, Gp, Ap) || !residual(x, u - du, v - dv, Gm, Am)) return a;
      a.DH.block(0, n_ + q, n_, 1) = (Gp - Gm) / (2 * kFd);
      a.DH(n_, n_ + q) = -a.z.dot((Ap - Am) * a.w) / (2 * kFd);
    }
    a.ok = a.DH.allFinite();
    return a;
  }

  /// The unit tangent at y (the kernel of DH), oriented along `prev` when given.
  bool tangent(const Augmented& a, const Vector* prev, Vector& t) const {
    const Eigen::JacobiSVD<Matrix> svd(a.DH, Eigen::ComputeFullV);
    t = svd.matrixV().col(n_ + 1);
    if (!t.allFinite()) return false;
    if (prev != nullptr && t.dot(*prev) < 0.0) t = -t;
    return true;
  }

  /// Newton on (H, t . (y - y0)) = 0 from y (y0 = the prediction); false when it does not converge.
  bool correct(Vector& y, const Vector& t, const Vector& y0, Augmented& a) {
    for (int it = 0; it < 15; ++it) {
      a = augmented(y);
      if (!a.ok) return false;
      Matrix K(n_ + 2, n_ + 2);
      K.topRows(n_ + 1) = a.DH;
      K.row(n_ + 1) = t.transpose();
      Vector r(n_ + 2);
      r.head(n_ + 1) = a.H;
      r(n_ + 1) = t.dot(y - y0);
      const Vector dy = Eigen::PartialPivLU<Matrix>(K).solve(r);
      if (!dy.allFinite()) return false;
      y -= dy;
      const double scale = 1.0 + y.lpNorm<Eigen::Infinity>();
      if (dy.lpNorm<Eigen::Infinity>() <= 1e-10 * scale) {
        a = augmented(y);
        return a.ok && a.H.lpNorm<Eigen::Infinity>() <= o_.tol * scale;
      }
    }
    return false;
  }

  HopfCurvePoint point(const Vector& y, const Augmented& a) const {
    return {px(y(n_)), py(y(n_ + 1)), y.head(n_), 0.0, a.H(n_)};
  }

  /// Follows the curve from y0 (on it) in the direction of t0; returns the points and the end.
  std::vector<HopfCurvePoint> follow(const Vector& y0, Vector t, std::string& end, Monitor& monitor) {
    std::vector<HopfCurvePoint> pts;
    Vector y = y0;
    double h = o_.step;
    end = "max_points";
    for (int k = 0; k < o_.max_points; ++k) {
      monitor.checkpoint({"fold curve", -1.0, k, static_cast<std::int64_t>(pts.size())});
      const Vector pred = y + h * t;
      Vector yc = pred;
      Augmented a;
      if (!correct(yc, t, pred, a) || (yc - y).norm() > 3.0 * h) {
        h *= 0.5;
        if (h < o_.min_step) {
          end = "step_too_small";
          return pts;
        }
        continue;
      }
      if (yc(n_) < 0.0 || yc(n_) > 1.0 || yc(n_ + 1) < 0.0 || yc(n_ + 1) > 1.0) {
        end = "box";
        return pts;
      }
      Vector tn;
      if (!tangent(a, &t, tn)) {
        end = "step_too_small";
        return pts;
      }
      y = yc;
      t = tn;
      set_borders(a.DH.topLeftCorner(n_, n_));
      pts.push_back(point(y, a));
      if (pts.size() > 5 && (y - y0).norm() < 0.75 * h) {
        end = "closed";
        return pts;
      }
      h = std::min(o_.max_step, 1.3 * h);
    }
    return pts;
  }

  const HopfCurveOptions& o_;
  std::unique_ptr<Model> m_;
  Model::ParameterRef rx_, ry_;
  Index n_;
  double delta_;
  Vector b_, c_;
};

}  // namespace

Bifurcation nearest_on_start_line(const Model& model, const HopfCurveOptions& o, BifurcationType type,
                                  const std::string& what) {
  std::unique_ptr<Model> m = model.clone();
  m->set_parameter(o.parameter_x, o.start_x);
  ContinuationOptions co;
  co.parameter = o.parameter_y;
  co.from = o.start_y;
  if (o.x0.size() > 0) co.starts = {o.x0};
  Bifurcation best;
  double dist = std::numeric_limits<double>::infinity();
  for (double to : {o.y_to, o.y_from}) {
    if (to == o.start_y) continue;
    co.to = to;
    for (const Bifurcation& b : continue_fixed_points(*m, co).bifurcations)
      if (b.type == type && !(type == BifurcationType::Fold && b.nonsmooth) && std::abs(b.p - o.start_y) < dist) {
        dist = std::abs(b.p - o.start_y);
        best = b;
      }
  }
  if (!std::isfinite(dist))
    throw InputError("start_y", "no " + what + " found along " + o.parameter_y + " from the start within the box");
  return best;
}

HopfCurveResult continue_fold_curve(const Model& model, const HopfCurveOptions& options) {
  if (model.piecewise_linear())
    throw InputError("kind",
                     "fold curves of piecewise-linear models are border collisions, which the augmented "
                     "system does not follow; use rnndyn scan for their two-parameter picture");
  const Stopwatch clock;
  Monitor monitor;
  const Bifurcation fold = nearest_on_start_line(model, options, BifurcationType::Fold, "fold");
  FoldTracer tracer(model, options);
  const Index n = model.dim();
  Vector y(n + 2);
  y.head(n) = fold.x;
  y(n) = (options.start_x - options.x_from) / (options.x_to - options.x_from);
  y(n + 1) = (fold.p - options.y_from) / (options.y_to - options.y_from);
  Vector G;
  Matrix A;
  if (!tracer.residual(fold.x, y(n), y(n + 1), G, A))
    throw InputError("start_y", "the fold found at the start is outside the parameters' domains");
  tracer.set_borders(A);
  // Onto the curve with u fixed (the located fold is accurate to the continuation's tolerance).
  Vector eu = Vector::Zero(n + 2);
  eu(n) = 1.0;
  Augmented a;
  Vector t;
  if (!tracer.correct(y, eu, y, a) || !tracer.tangent(a, nullptr, t))
    throw InputError("start_y", "the fold at " + options.parameter_y + " = " + std::to_string(fold.p) +
                                    " could not be refined onto the fold curve");
  tracer.set_borders(a.DH.topLeftCorner(n, n));
  HopfCurveResult r = join_halves(options, tracer.point(y, a),
                                  [&](int sign, std::string& end) { return tracer.follow(y, sign * t, end, monitor); });
  r.guarantee =
      "points where a real eigenvalue of the fixed point's Jacobian is at 0 (maps: 1) and the branch turns "
      "(|F - delta x| and the bordered test function <= tol), from one end to the other of the curve through the "
      "fold nearest the start along parameter_y; other fold curves in the box are not searched";
  r.info = {model.kind(), model.time_kind(), clock.seconds()};
  return r;
}

}  // namespace rnndyn::detail
