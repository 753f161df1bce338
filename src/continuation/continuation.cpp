// Pseudo-arclength continuation of fixed points; see continuation.hpp for the equations.
#include "rnndyn/continuation/continuation.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "../detail/checks.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {

void ContinuationOptions::validate() const {
  if (parameter.empty()) throw InputError("parameter", "a parameter name is required");
  if (!std::isfinite(from)) throw InputError("from", "must be finite");
  if (!std::isfinite(to)) throw InputError("to", "must be finite");
  if (from == to) throw InputError("to", "must differ from `from`");
  if (!(initial_step >= 0) || !std::isfinite(initial_step)) throw InputError("initial_step", "must be >= 0");
  if (!(max_step >= 0) || !std::isfinite(max_step)) throw InputError("max_step", "must be >= 0");
  if (!(min_step > 0)) throw InputError("min_step", "must be > 0");
  if (max_points < 2) throw InputError("max_points", "must be >= 2");
  if (!(newton_tol > 0)) throw InputError("newton_tol", "must be > 0");
  if (max_newton < 1) throw InputError("max_newton", "must be >= 1");
  if (!(fd_step > 0)) throw InputError("fd_step", "must be > 0");
  if (!(locate_tol > 0)) throw InputError("locate_tol", "must be > 0");
  if (!(max_norm > 0)) throw InputError("max_norm", "must be > 0");
}

void ContinuationOptions::validate(const Model& model) const {
  validate();
  // `to` may lie beyond the domain (the branch then ends at its edge); `from` may not.
  if (!model.admits(parameter, from))
    throw InputError(
        "from", parameter + " = " + detail::number_text(from) + " is outside its domain (a time constant must be > 0)");
}

std::string to_string(ContinuationStatus s) {
  switch (s) {
    case ContinuationStatus::Reached:
      return "reached";
    case ContinuationStatus::LeftInterval:
      return "left_interval";
    case ContinuationStatus::MaxPoints:
      return "max_points";
    case ContinuationStatus::StepTooSmall:
      return "step_too_small";
    case ContinuationStatus::Unbounded:
      return "unbounded";
    case ContinuationStatus::StartNotConverged:
      return "start_not_converged";
    case ContinuationStatus::DomainBoundary:
      return "domain_boundary";
  }
  return "unknown";
}

std::string to_string(BifurcationType t) {
  switch (t) {
    case BifurcationType::Fold:
      return "fold";
    case BifurcationType::Hopf:
      return "hopf";
    case BifurcationType::NeimarkSacker:
      return "neimark_sacker";
    case BifurcationType::PeriodDoubling:
      return "period_doubling";
    case BifurcationType::BorderCollision:
      return "border_collision";
  }
  return "unknown";
}

namespace {

/// G(x, p), its derivatives and the hyperplane arrangement at p, evaluated on a private clone.
class BranchSystem {
 public:
  BranchSystem(const Model& model, const ContinuationOptions& options)
      : work_(model.clone()), options_(options), n_(model.dim()), map_(model.time_kind() == TimeKind::Map) {
    param_ = work_->parameter_ref(options.parameter);  // throws InputError for an unknown name
    piecewise_ = work_->piecewise_linear().has_value();
  }

  Index n() const { return n_; }
  bool piecewise() const { return piecewise_; }
  TimeKind time() const { return map_ ? TimeKind::Map : TimeKind::Flow; }

  /// Whether p lies in the parameter's domain; every evaluation outside it gives NaN, so that
  /// predictor and corrector shrink their step towards the boundary instead of throwing.
  bool admits(double p) const { return work_->admits(param_, p); }
  /// Whether an evaluation since the last reset fell outside the domain.
  bool left_domain() const { return left_domain_; }
  void reset_domain_flag() { left_domain_ = false; }

  void eval(const Vector& x, double p, Vector& G, Matrix* Gx) {
    if (!admits(p)) {
      left_domain_ = true;
      G = Vector::Constant(n_, NAN);
      if (Gx) *Gx = Matrix::Constant(n_, n_, NAN);
      return;
    }
    work_->set_parameter(param_, p);
    work_->evaluate(x, G, Gx);
    if (map_) {
      G -= x;
      if (Gx) Gx->diagonal().array() -= 1.0;
    }
  }
  /// Central difference: error O(h^2 |G_ppp|) + O(eps |G| / h).
  Vector G_p(const Vector& x, double p) {
    const double h = options_.fd_step * std::max(1.0, std::abs(p));
    Vector gp, gm;
    eval(x, p + h, gp, nullptr);
    eval(x, p - h, gm, nullptr);
    return (gp - gm) / (2 * h);
  }
  /// G_p of a piecewise-linear model inside the region `pattern`: its affine map at p +- h with the
  /// pattern held. At a border point the plain difference straddles the border and mixes the two
  /// regions' G_p, which tilted the tangent into the new region.
  Vector G_p_in_region(const Vector& x, double p, const std::vector<int>& pattern) {
    const double h = options_.fd_step * std::max(1.0, std::abs(p));
    if (!admits(p + h) || !admits(p - h)) return G_p(x, p);
    work_->set_parameter(param_, p + h);
    const AffineMap up = work_->piecewise_linear()->region_map(pattern);
    work_->set_parameter(param_, p - h);
    const AffineMap down = work_->piecewise_linear()->region_map(pattern);
    return ((up.matrix - down.matrix) * x + up.offset - down.offset) / (2 * h);
  }
  std::vector<int> pattern_at(const Vector& x, double p) {
    if (admits(p)) work_->set_parameter(param_, p);
    return work_->piecewise_linear()->pattern_at(x);
  }
  /// DF (not G_x): the Jacobian whose spectrum decides stability.
  Matrix DF(const Vector& x, double p) {
    Vector f;
    Matrix J;
    work_->set_parameter(param_, p);
    work_->evaluate(x, f, &J);
    return J;
  }
  std::vector<Hyperplane> hyperplanes(double p) {
    // Beyond the domain's edge (a probe of a failed step) the last admitted value stands in.
    if (admits(p)) work_->set_parameter(param_, p);
    return work_->piecewise_linear()->hyperplanes();
  }

 private:
  std::unique_ptr<Model> work_;
  ContinuationOptions options_;
  Model::ParameterRef param_;
  Index n_;
  bool map_;
  bool piecewise_ = false;
  bool left_domain_ = false;
};

double inf_norm(const Vector& v) { return v.size() ? v.cwiseAbs().maxCoeff() : 0.0; }

/// Test functions whose changes between branch points mark bifurcations.
///
/// Counting only the complex unstable eigenvalues (as before 2026-12-06) also changes where an
/// unstable focus becomes an unstable node (a complex pair with Re > 0 meets on the real axis):
/// the E-I network reported a Hopf point at tau_I = 557 with eigenvalues 0.0116 +- 7e-9 i. So
/// the test counts every unstable eigenvalue, and a change is a Hopf (Neimark-Sacker) point only
/// where the critical eigenvalue at the located point is complex (locate_smooth); likewise a
/// period doubling is an odd change of the real multipliers below -1 (a complex pair meeting on
/// the negative axis beyond -1 adds two).
struct Indicators {
  int direction = 1;   ///< sign of dp/ds
  int n_unstable = 0;  ///< eigenvalues with Re > 0 (flows) or |lambda| > 1 (maps)
  int pd_parity = 0;   ///< maps: parity of the number of real multipliers < -1
};

class Continuer {
 public:
  Continuer(const Model& model, const ContinuationOptions& options)
      : sys_(model, options), o_(options), monitor_(options.progress) {
    const double span = std::abs(o_.to - o_.from);
    ds0_ = o_.initial_step > 0 ? o_.initial_step : span / 100;
    ds_max_ = o_.max_step > 0 ? o_.max_step : span / 20;
    ds0_ = std::min(ds0_, ds_max_);
    sense_ = o_.to > o_.from ? 1 : -1;
  }

  bool newton_fixed_p(Vector& x, double p) {
    Vector G;
    Matrix Gx;
    for (int it = 0; it < o_.max_newton; ++it) {
      sys_.eval(x, p, G, &Gx);
      if (!G.allFinite()) return false;
      const Vector dx = Gx.fullPivLu().solve(-G);
      if (!dx.allFinite()) return false;
      // Backtracking keeps Newton from jumping out of reach on strongly curved branches.
      double lambda = 1.0;
      const double g0 = inf_norm(G);
      Vector xt = x + dx;
      for (int k = 0; k < 20; ++k) {
        Vector Gt;
        sys_.eval(xt, p, Gt, nullptr);
        if (Gt.allFinite() && inf_norm(Gt) <= (1 - 1e-4 * lambda) * g0 + 1e-300) break;
        lambda *= 0.5;
        xt = x + lambda * dx;
      }
      x = xt;
      if (inf_norm(lambda * dx) <= o_.newton_tol * (1 + inf_norm(x))) {
        sys_.eval(x, p, G, nullptr);
        return inf_norm(G) <= 1e3 * o_.newton_tol * (1 + inf_norm(x));
      }
    }
    return false;
  }

  /// Newton on [G(y); t.(y - y_pred)] = 0 from y_pred.
  std::optional<Vector> correct(const Vector& y_pred, const Vector& t, int* iterations = nullptr) {
    const Index n = sys_.n();
    Vector y = y_pred;
    Vector G;
    Matrix Gx;
    Matrix M(n + 1, n + 1);
    Vector r(n + 1);
    for (int it = 0; it < o_.max_newton; ++it) {
      const Vector x = y.head(n);
      const double p = y(n);
      sys_.eval(x, p, G, &Gx);
      if (!G.allFinite()) return std::nullopt;
      M.topLeftCorner(n, n) = Gx;
      M.topRightCorner(n, 1) = sys_.G_p(x, p);
      M.bottomRows(1) = t.transpose();
      r.head(n) = G;
      r(n) = t.dot(y - y_pred);
      const Vector dy = M.partialPivLu().solve(-r);
      if (!dy.allFinite()) return std::nullopt;
      y += dy;
      if (inf_norm(dy) <= o_.newton_tol * (1 + inf_norm(y))) {
        sys_.eval(y.head(n), y(n), G, nullptr);
        if (iterations) *iterations = it + 1;
        if (inf_norm(G) <= 1e3 * o_.newton_tol * (1 + inf_norm(y))) return y;
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  /// Unit tangent of the branch at y, oriented along t_ref; `x_jac` is where G_x is taken (a
  /// point nudged into a region when y sits on its border).
  Vector tangent(const Vector& y, const Vector& t_ref, const Vector* x_jac = nullptr) {
    const Index n = sys_.n();
    Vector G;
    Matrix Gx;
    sys_.eval(x_jac ? *x_jac : Vector(y.head(n)), y(n), G, &Gx);
    Matrix M(n + 1, n + 1);
    M.topLeftCorner(n, n) = Gx;
    M.topRightCorner(n, 1) = x_jac && sys_.piecewise()
                                 ? sys_.G_p_in_region(y.head(n), y(n), sys_.pattern_at(*x_jac, y(n)))
                                 : sys_.G_p(y.head(n), y(n));
    M.bottomRows(1) = t_ref.transpose();
    Vector rhs = Vector::Zero(n + 1);
    rhs(n) = 1.0;
    Vector t = M.fullPivLu().solve(rhs);
    t.normalize();
    if (t.dot(t_ref) < 0) t = -t;
    return t;
  }

  Vector initial_tangent(const Vector& y) {
    const Index n = sys_.n();
    Vector G;
    Matrix Gx;
    sys_.eval(y.head(n), y(n), G, &Gx);
    Vector t(n + 1);
    t.head(n) = Gx.fullPivLu().solve(-sys_.G_p(y.head(n), y(n)));
    t(n) = 1.0;
    t.normalize();
    return sense_ * t;
  }

  Indicators indicators(const ComplexVector& ev, const Vector& t) const {
    Indicators ind;
    ind.direction = t(sys_.n()) >= 0 ? 1 : -1;
    const double imag_tol = std::max(o_.stability.imag_tol, 1e-10);
    int below_minus_one = 0;
    for (Index i = 0; i < ev.size(); ++i) {
      const bool complex = std::abs(ev(i).imag()) > imag_tol;
      if (sys_.time() == TimeKind::Flow) {
        if (ev(i).real() > 0) ++ind.n_unstable;
      } else {
        if (std::abs(ev(i)) > 1) ++ind.n_unstable;
        if (!complex && ev(i).real() < -1) ++below_minus_one;
      }
    }
    ind.pd_parity = below_minus_one % 2;
    return ind;
  }

  BranchPoint make_point(const Vector& y, const Vector& t, const Vector* x_jac = nullptr) {
    const Index n = sys_.n();
    BranchPoint bp;
    bp.x = y.head(n);
    bp.p = y(n);
    Vector G;
    sys_.eval(bp.x, bp.p, G, nullptr);
    bp.residual = inf_norm(G);
    bp.eigenvalues = eigen_decompose(sys_.DF(x_jac ? *x_jac : bp.x, bp.p), sys_.time()).eigenvalues;
    bp.stability = classify_spectrum(bp.eigenvalues, sys_.time(), o_.stability);
    bp.direction = t(n) >= 0 ? 1 : -1;
    return bp;
  }

  /// Signs of the hyperplane functions at (x, p); a value within round-off of zero keeps the
  /// sign in `current`, so that a point just located on a border counts as on either side.
  std::vector<int> sides(const Vector& x, double p, const std::vector<int>& current) {
    const auto planes = sys_.hyperplanes(p);
    std::vector<int> s(planes.size(), 1);
    const double scale = 1e-10 * (1 + inf_norm(x));
    for (std::size_t k = 0; k < planes.size(); ++k) {
      const double v = planes[k].normal.dot(x) + planes[k].offset;
      const double tol = scale * std::max(1.0, inf_norm(planes[k].normal));
      s[k] = v > tol ? 1 : (v < -tol ? -1 : (current.empty() ? (v >= 0 ? 1 : -1) : current[k]));
    }
    return s;
  }

  /// Locates, by bisection in s in (0, ds), each change of an indicator between y (s = 0) and the
  /// corrected point at s = ds, and records the bifurcations.
  void locate_smooth(const Vector& y, const Vector& t, double ds, const Indicators& a, const Indicators& b,
                     Index branch, Index point_index) {
    struct Test {
      BifurcationType type;
      int Indicators::*field;
    };
    const bool flow = sys_.time() == TimeKind::Flow;
    const Test tests[] = {{BifurcationType::Fold, &Indicators::direction},
                          {flow ? BifurcationType::Hopf : BifurcationType::NeimarkSacker, &Indicators::n_unstable},
                          {BifurcationType::PeriodDoubling, &Indicators::pd_parity}};
    for (const Test& test : tests) {
      if (a.*(test.field) == b.*(test.field)) continue;
      double lo = 0.0, hi = ds;
      Vector y_hi;
      Vector t_hi = t;
      while (hi - lo > o_.locate_tol * (1 + inf_norm(y))) {
        const double mid = 0.5 * (lo + hi);
        const auto ym = correct(y + mid * t, t);
        if (!ym) break;
        const Vector tm = tangent(*ym, t);
        const ComplexVector ev = eigen_decompose(sys_.DF(ym->head(sys_.n()), (*ym)(sys_.n())), sys_.time()).eigenvalues;
        const Indicators im = indicators(ev, tm);
        if (im.*(test.field) == a.*(test.field)) {
          lo = mid;
        } else {
          hi = mid;
          y_hi = *ym;
          t_hi = tm;
        }
      }
      const auto yc = correct(y + 0.5 * (lo + hi) * t, t);
      const Vector yb = yc ? *yc : (y_hi.size() ? y_hi : y);
      Bifurcation bif;
      bif.type = test.type;
      bif.x = yb.head(sys_.n());
      bif.p = yb(sys_.n());
      bif.eigenvalues = eigen_decompose(sys_.DF(bif.x, bif.p), sys_.time()).eigenvalues;
      if (test.type == BifurcationType::Hopf || test.type == BifurcationType::NeimarkSacker) {
        // The critical eigenvalue: the one closest to the stability boundary. Real, it is a fold
        // or a branch point (the direction test reports the fold), not a Hopf point.
        const auto dist = [&](Complex z) { return flow ? std::abs(z.real()) : std::abs(std::abs(z) - 1); };
        Index critical = 0;
        for (Index i = 1; i < bif.eigenvalues.size(); ++i)
          if (dist(bif.eigenvalues(i)) < dist(bif.eigenvalues(critical))) critical = i;
        const Complex z = bif.eigenvalues.size() ? bif.eigenvalues(critical) : Complex(0.0);
        if (std::abs(z.imag()) <= std::max(o_.stability.imag_tol, 1e-10)) continue;
        bif.omega = flow ? std::abs(z.imag()) : std::abs(std::arg(z));
      }
      bif.branch = branch;
      bif.point_index = point_index;
      found_.push_back(bif);
    }
  }

  Branch run(const Vector& start, Index branch_index) {
    const Index n = sys_.n();
    Branch br;
    Vector x = start;
    if (!newton_fixed_p(x, o_.from)) {
      br.status = ContinuationStatus::StartNotConverged;
      return br;
    }
    Vector y(n + 1);
    y.head(n) = x;
    y(n) = o_.from;
    Vector t = initial_tangent(y);
    std::vector<int> side;
    if (sys_.piecewise()) {
      side = sides(x, o_.from, {});
      // A start exactly on a hyperplane takes the side the tangent moves into.
      const auto planes = sys_.hyperplanes(o_.from);
      for (std::size_t k = 0; k < planes.size(); ++k)
        if (planes[k].normal.dot(x) + planes[k].offset == 0.0) side[k] = planes[k].normal.dot(t.head(n)) >= 0 ? 1 : -1;
    }
    const double y_scale = std::max(1.0, inf_norm(y));
    BranchPoint first = make_point(y, t);
    Indicators ind = indicators(first.eigenvalues, t);
    br.points.push_back(first);
    double ds = ds0_;
    // Once a step has run past the edge of the parameter's domain the step only shrinks, so the
    // branch closes in on the edge in O(log(ds / min_step)) points and stops there.
    bool at_edge = false;
    br.status = ContinuationStatus::MaxPoints;
    while (static_cast<int>(br.points.size()) < o_.max_points) {
      const double covered = std::clamp((y(n) - o_.from) / (o_.to - o_.from), 0.0, 1.0);
      monitor_.checkpoint({"continuation", covered, static_cast<std::int64_t>(br.points.size()),
                           static_cast<std::int64_t>(found_.size()), 0.0});
      int iterations = 0;
      const auto y_new = correct(y + ds * t, t, &iterations);
      bool crossing = false;
      if (sys_.piecewise()) {
        const Vector probe = y_new ? Vector(y_new->head(n)) : Vector((y + ds * t).head(n));
        const double p_probe = y_new ? (*y_new)(n) : y(n) + ds * t(n);
        crossing = sides(probe, p_probe, side) != side;
      }
      if (crossing) {
        if (cross_border(y, t, ds, side, ind, br, branch_index)) continue;
      }
      if (!y_new) {
        at_edge = at_edge || sys_.left_domain();
        ds *= 0.5;
        if (ds < o_.min_step) {
          br.status = sys_.left_domain() ? ContinuationStatus::DomainBoundary : ContinuationStatus::StepTooSmall;
          break;
        }
        continue;
      }
      sys_.reset_domain_flag();
      const Vector t_new = tangent(*y_new, t);
      BranchPoint bp = make_point(*y_new, t_new);
      const Indicators ind_new = indicators(bp.eigenvalues, t_new);
      locate_smooth(y, t, ds, ind, ind_new, branch_index, static_cast<Index>(br.points.size()));
      const double p_new = (*y_new)(n);
      // Against the edge a step can no longer advance p (the Jacobian scales like 1/tau there).
      if (at_edge && std::abs(p_new - y(n)) < o_.min_step) {
        br.status = ContinuationStatus::DomainBoundary;
        break;
      }
      if (sense_ * (p_new - o_.to) >= 0) {
        // Overshot `to`: end exactly at p = to, from the chord between the last two points.
        const double w = (o_.to - y(n)) / (p_new - y(n));
        Vector x_end = (1 - w) * y.head(n) + w * y_new->head(n);
        if (newton_fixed_p(x_end, o_.to)) {
          Vector y_end(n + 1);
          y_end.head(n) = x_end;
          y_end(n) = o_.to;
          bp = make_point(y_end, t_new);
        }
        br.points.push_back(bp);
        br.status = ContinuationStatus::Reached;
        break;
      }
      br.points.push_back(bp);
      if (sense_ * (p_new - o_.from) < 0) {
        br.status = ContinuationStatus::LeftInterval;
        break;
      }
      if (inf_norm(bp.x) > o_.max_norm) {
        br.status = ContinuationStatus::Unbounded;
        break;
      }
      y = *y_new;
      t = t_new;
      ind = ind_new;
      // The step cap grows with |y| so that a branch escaping to infinity gets there (status
      // Unbounded) instead of crawling at a fixed step.
      const double cap = ds_max_ * std::max(1.0, inf_norm(y) / y_scale);
      if (iterations <= 3 && !at_edge) ds = std::min(1.5 * ds, cap);
    }
    return br;
  }

  /// d/ds h_k(x(s), p(s)) along the tangent t at y, with h_k(x, p) = n_k(p).x + o_k(p) the k-th
  /// hyperplane function: which side of the border t heads to. The parameter's part matters: a branch
  /// whose state stays put while p moves (a unit switched off by its own bias, beyond the border x
  /// no longer depends on p) crosses by p alone, and n.x' = 0 there said nothing; read as a turn, it
  /// sent the seed-002 network's branch back and forth across b_I = -20 until max_points.
  double crossing_rate(std::size_t k, const Vector& y, const Vector& t) {
    const Index n = sys_.n();
    const double p = y(n), h = o_.fd_step * std::max(1.0, std::abs(p));
    double rate = sys_.hyperplanes(p)[k].normal.dot(t.head(n));
    if (sys_.admits(p + h) && sys_.admits(p - h)) {
      const Hyperplane up = sys_.hyperplanes(p + h)[k], down = sys_.hyperplanes(p - h)[k];
      const Vector x = y.head(n);
      rate += (up.normal.dot(x) + up.offset - down.normal.dot(x) - down.offset) / (2 * h) * t(n);
    }
    return rate;
  }

  /// The step from y over ds leaves the current region: find the border point by bisection on
  /// "the corrected point exists and keeps every side", record it, and restart the branch there
  /// with the tangent of the new region. Returns false when no crossing is found after all.
  bool cross_border(Vector& y, Vector& t, double ds, std::vector<int>& side, Indicators& ind, Branch& br,
                    Index branch_index) {
    const Index n = sys_.n();
    auto inside = [&](double s, Vector* out) {
      const auto ys = correct(y + s * t, t);
      if (!ys) return false;
      if (sides(ys->head(n), (*ys)(n), side) != side) return false;
      if (out) *out = *ys;
      return true;
    };
    if (inside(ds, nullptr)) return false;
    double lo = 0.0, hi = ds;
    Vector y_lo = y;
    while (hi - lo > o_.locate_tol * (1 + inf_norm(y))) {
      const double mid = 0.5 * (lo + hi);
      Vector ym;
      if (inside(mid, &ym)) {
        lo = mid;
        y_lo = ym;
      } else {
        hi = mid;
      }
    }
    // Smooth bifurcations inside the region before the border.
    if (lo > 0) {
      const Vector t_lo = tangent(y_lo, t);
      const BranchPoint bp_lo = make_point(y_lo, t_lo);
      locate_smooth(y, t, lo, ind, indicators(bp_lo.eigenvalues, t_lo), branch_index,
                    static_cast<Index>(br.points.size()));
    }
    // Which hyperplanes are hit: the sides that differ just past the border.
    const auto planes = sys_.hyperplanes(y_lo(n));
    const auto ys_hi = correct(y + hi * t, t);
    const Vector probe = ys_hi ? Vector(ys_hi->head(n)) : Vector((y + hi * t).head(n));
    const double p_probe = ys_hi ? (*ys_hi)(n) : y(n) + hi * t(n);
    const std::vector<int> past = sides(probe, p_probe, side);
    std::vector<std::size_t> hit;
    for (std::size_t k = 0; k < planes.size(); ++k)
      if (past[k] != side[k]) hit.push_back(k);
    if (hit.empty()) return false;
    // Polish the border point: Newton on [G(x, p); h_k(x, p)] = 0 with h_k = n_k(p).x + o_k(p)
    // the hyperplane function, and G_x of the old region (exact there).
    refine_on_hyperplane(y_lo, hit.front(), side[hit.front()]);
    const double p_b = y_lo(n);
    const Vector x_b = y_lo.head(n);
    std::vector<int> new_side = side;
    Vector nudge = Vector::Zero(n);
    for (std::size_t k : hit) {
      new_side[k] = -side[k];
      nudge += new_side[k] * planes[k].normal / std::max(planes[k].normal.norm(), 1e-300);
    }
    // Nudge into the new region so that the model's Jacobian is the new region's.
    const Vector x_new_region = x_b + 1e-7 * (1 + inf_norm(x_b)) * nudge;
    Vector t_new = tangent(y_lo, t, &x_new_region);
    if (new_side[hit.front()] * crossing_rate(hit.front(), y_lo, t_new) < 0) t_new = -t_new;

    BranchPoint bp = make_point(y_lo, t_new, &x_new_region);
    bp.on_border = true;
    const Index point_index = static_cast<Index>(br.points.size());
    for (std::size_t k : hit) {
      Bifurcation bif;
      bif.type = BifurcationType::BorderCollision;
      bif.p = p_b;
      bif.x = x_b;
      bif.eigenvalues = bp.eigenvalues;
      bif.unit = planes[k].unit;
      bif.breakpoint = planes[k].breakpoint;
      bif.branch = branch_index;
      bif.point_index = point_index;
      found_.push_back(bif);
    }
    const int old_direction = t(n) >= 0 ? 1 : -1;
    const int new_direction = t_new(n) >= 0 ? 1 : -1;
    if (old_direction != new_direction) {
      Bifurcation fold;
      fold.type = BifurcationType::Fold;
      fold.nonsmooth = true;
      fold.p = p_b;
      fold.x = x_b;
      fold.eigenvalues = bp.eigenvalues;
      fold.branch = branch_index;
      fold.point_index = point_index;
      found_.push_back(fold);
    }
    br.points.push_back(bp);
    y = y_lo;
    t = t_new;
    side = new_side;
    ind = indicators(bp.eigenvalues, t_new);
    return true;
  }

  /// Newton on [G(x, p); h_k(x, p)] = 0 from y, with G_x taken just inside side `sign` of
  /// hyperplane k and h_p by central differences; keeps y when it does not converge.
  void refine_on_hyperplane(Vector& y, std::size_t k, int sign) {
    const Index n = sys_.n();
    Vector z = y;
    auto h_of = [&](const Vector& x, double p) {
      const auto planes = sys_.hyperplanes(p);
      return planes[k].normal.dot(x) + planes[k].offset;
    };
    for (int it = 0; it < 8; ++it) {
      const Vector x = z.head(n);
      const double p = z(n);
      const auto planes = sys_.hyperplanes(p);
      const Vector nrm = planes[k].normal;
      const double hv = nrm.dot(x) + planes[k].offset;
      Vector G, G_in;
      Matrix Gx;
      sys_.eval(x, p, G, nullptr);
      const Vector x_in = x + sign * 1e-7 * (1 + inf_norm(x)) * nrm / std::max(nrm.norm(), 1e-300);
      sys_.eval(x_in, p, G_in, &Gx);
      const double dp = o_.fd_step * std::max(1.0, std::abs(p));
      Matrix M(n + 1, n + 1);
      M.topLeftCorner(n, n) = Gx;
      M.topRightCorner(n, 1) = sys_.G_p(x, p);
      M.bottomLeftCorner(1, n) = nrm.transpose();
      M(n, n) = (h_of(x, p + dp) - h_of(x, p - dp)) / (2 * dp);
      Vector r(n + 1);
      r.head(n) = G;
      r(n) = hv;
      const Vector dz = M.fullPivLu().solve(-r);
      if (!dz.allFinite()) return;
      z += dz;
      if (inf_norm(dz) <= 1e-3 * o_.newton_tol * (1 + inf_norm(z))) break;
    }
    Vector G;
    sys_.eval(z.head(n), z(n), G, nullptr);
    if (G.allFinite() && inf_norm(G) <= 1e3 * o_.newton_tol * (1 + inf_norm(z)) &&
        (z - y).norm() <= 1e-6 * (1 + y.norm()))
      y = z;
  }

  std::vector<Bifurcation> take_bifurcations() { return std::move(found_); }
  /// The last report, at 100 % (forced: a short run would otherwise report nothing).
  void report_done(std::int64_t points) {
    monitor_.checkpoint({"continuation", 1.0, points, static_cast<std::int64_t>(found_.size()), 0.0}, true);
  }

 private:
  BranchSystem sys_;
  ContinuationOptions o_;
  double ds0_ = 0.0;
  double ds_max_ = 0.0;
  int sense_ = 1;
  std::vector<Bifurcation> found_;
  Monitor monitor_;
};

}  // namespace

bool solve_fixed_point(const Model& model, Vector& x, const ContinuationOptions& options) {
  if (x.size() != model.dim())
    throw InputError("starts", "expected " + std::to_string(model.dim()) + " entries (the model's dimension), got " +
                                   std::to_string(x.size()));
  Continuer c(model, options);
  return c.newton_fixed_p(x, model.parameter(options.parameter));
}

ContinuationResult continue_fixed_points(const Model& model, const std::vector<Vector>& starts,
                                         const ContinuationOptions& options) {
  options.validate(model);
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const Vector& s = starts[k];
    if (s.size() != model.dim())
      throw InputError("starts", "start " + std::to_string(k) + " has " + std::to_string(s.size()) +
                                     " entries, expected " + std::to_string(model.dim()) + " (the model's dimension)");
    if (!s.allFinite()) throw InputError("starts", "start " + std::to_string(k) + " has entries that are not finite");
  }
  ContinuationResult result;
  result.parameter = options.parameter;
  Continuer c(model, options);
  std::int64_t points = 0;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    result.branches.push_back(c.run(starts[i], static_cast<Index>(i)));
    points += static_cast<std::int64_t>(result.branches.back().points.size());
  }
  c.report_done(points);
  const double lo = std::min(options.from, options.to), hi = std::max(options.from, options.to);
  const double slack = 1e-9 * std::max(1.0, std::max(std::abs(lo), std::abs(hi)));
  for (Bifurcation& b : c.take_bifurcations())
    if (b.p >= lo - slack && b.p <= hi + slack) result.bifurcations.push_back(std::move(b));
  std::stable_sort(result.bifurcations.begin(), result.bifurcations.end(),
                   [](const Bifurcation& a, const Bifurcation& b) {
                     return a.branch != b.branch ? a.branch < b.branch : a.point_index < b.point_index;
                   });
  return result;
}

}  // namespace rnndyn
