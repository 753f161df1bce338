// Latent-space fixed points of low-rank networks and the exhaustive interval (Krawczyk) search;
// see low_rank_fixed_points.hpp for the equations and the guarantee.
#include "rnndyn/fixed_points/low_rank_fixed_points.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

#include "rnndyn/core/errors.hpp"

namespace rnndyn {

namespace {

bool supported(const Activation& a) {
  return a.kind() == ActivationKind::Tanh || a.kind() == ActivationKind::Sigmoid ||
         a.kind() == ActivationKind::Softplus;
}

/// Range of phi' over [lo, hi]: tanh' and sigmoid' peak at 0 and fall with |a|; softplus' is
/// increasing.
std::pair<double, double> derivative_range(const Activation& phi, double lo, double hi) {
  const double dlo = phi.derivative(lo), dhi = phi.derivative(hi);
  if (phi.kind() == ActivationKind::Softplus) return {dlo, dhi};
  const double peak = (lo <= 0.0 && hi >= 0.0) ? phi.derivative(0.0) : std::max(dlo, dhi);
  return {std::min(dlo, dhi), peak};
}

constexpr double kWiden = 1e-12;  // relative widening of enclosures against rounding

}  // namespace

LowRankProblem low_rank_problem(const Model& model, double rank_tol, Index max_rank) {
  if (!(rank_tol > 0.0 && rank_tol < 1.0)) throw InputError("rank_tol", "must lie in (0, 1)");
  LatentOptions o;
  o.rank_tol = rank_tol;
  o.max_rank = std::numeric_limits<Index>::max();  // any rank: the check below names the rank found
  auto p = model.latent_reduction(o);
  if (!p) throw InputError("model", "the low-rank search supports rate and rnn models, not " + model.kind());
  if (!supported(p->phi))
    throw InputError("activation", "the low-rank search needs tanh, sigmoid or softplus, not " + p->phi.name());
  if (p->rank() > max_rank)
    throw InputError("W", "has numerical rank " + std::to_string(p->rank()) + " > " + std::to_string(max_rank) +
                              " (the latent search is for low-rank connectivity)");
  return *std::move(p);
}

void LowRankSearchOptions::validate() const {
  if (lo.size() != hi.size()) throw InputError("lo", "lo and hi differ in length");
  for (Index i = 0; i < lo.size(); ++i)
    if (!(lo(i) < hi(i)) || !std::isfinite(lo(i)) || !std::isfinite(hi(i)))
      throw InputError("lo", "need finite lo < hi in dimension " + std::to_string(i));
  if (!(min_width > 0.0)) throw InputError("min_width", "must be > 0");
  if (max_boxes < 1) throw InputError("max_boxes", "must be >= 1");
  if (!(newton_tol > 0.0)) throw InputError("newton_tol", "must be > 0");
}

std::string to_string(LowRankGuarantee g) {
  return g == LowRankGuarantee::Complete
             ? "complete: every fixed point in the box was found and certified unique in its sub-box (Krawczyk), "
               "up to floating-point rounding"
             : "incomplete: some sub-boxes stayed undecided (listed as unresolved); fixed points there may be missed";
}

namespace {

/// The default search box: kappa = V^T phi(.) with phi in [0, 1] (sigmoid) or [-1, 1] (tanh)
/// bounds every latent fixed point, padded against rounding.
void default_box(const LowRankProblem& P, Vector& box_lo, Vector& box_hi) {
  const Index R = P.rank();
  const Index N = P.M.rows();
  if (P.phi.kind() == ActivationKind::Softplus) throw InputError("lo", "softplus is unbounded: give a box");
  box_lo.resize(R);
  box_hi.resize(R);
  const double plo = P.phi.kind() == ActivationKind::Tanh ? -1.0 : 0.0;
  for (Index r = 0; r < R; ++r) {
    double lo = 0, hi = 0;
    for (Index i = 0; i < N; ++i) {
      lo += std::min(P.V(i, r) * plo, P.V(i, r));
      hi += std::max(P.V(i, r) * plo, P.V(i, r));
    }
    const double pad = 1e-9 * (1.0 + hi - lo);
    box_lo(r) = lo - pad;
    box_hi(r) = hi + pad;
  }
}

/// Enclosures over one box X of a = M kappa + d and of phi(a), phi'(a), per unit (buffers reused
/// from box to box).
struct BoxEnclosure {
  Vector alo, ahi, plo, phi_hi, dlo, dhi;
  explicit BoxEnclosure(Index N) : alo(N), ahi(N), plo(N), phi_hi(N), dlo(N), dhi(N) {}
};

/// Fills e for the box [lo, hi], widened against rounding so that it contains the exact ranges.
void enclose(const LowRankProblem& P, const Vector& lo, const Vector& hi, BoxEnclosure& e) {
  const Index R = P.rank();
  const Index N = P.M.rows();
  for (Index i = 0; i < N; ++i) {
    double l = P.d(i), h = P.d(i);
    for (Index r = 0; r < R; ++r) {
      const double u = P.M(i, r) * lo(r), v = P.M(i, r) * hi(r);
      l += std::min(u, v);
      h += std::max(u, v);
    }
    const double w = kWiden * (1.0 + std::abs(l) + std::abs(h));
    e.alo(i) = l - w;
    e.ahi(i) = h + w;
    e.plo(i) = P.phi.value(e.alo(i));
    e.phi_hi(i) = P.phi.value(e.ahi(i));
    std::tie(e.dlo(i), e.dhi(i)) = derivative_range(P.phi, e.alo(i), e.ahi(i));
  }
}

/// Exclusion: true when 0 is not in G(X) = V^T phi(A) - X, so the box holds no fixed point.
bool excluded(const LowRankProblem& P, const Vector& lo, const Vector& hi, const BoxEnclosure& e) {
  const Index R = P.rank();
  const Index N = P.M.rows();
  for (Index r = 0; r < R; ++r) {
    double l = -hi(r), h = -lo(r);
    for (Index i = 0; i < N; ++i) {
      const double u = P.V(i, r) * e.plo(i), v = P.V(i, r) * e.phi_hi(i);
      l += std::min(u, v);
      h += std::max(u, v);
    }
    const double w = kWiden * (1.0 + std::abs(l) + std::abs(h));
    if (l - w > 0.0 || h + w < 0.0) return true;
  }
  return false;
}

struct KrawczykResult {
  bool certified = false;  // K(X) inside X: exactly one zero in X
  bool empty = false;      // K(X) misses X: no zero in X
};

/// Krawczyk test of X = [lo, hi] around its centre c: K(X) = c - Y G(c) + (I - Y J(X)) (X - c),
/// Y = DG(c)^{-1}; neither flag is set when DG(c) is singular or K(X) overlaps X's boundary.
KrawczykResult krawczyk(const LowRankProblem& P, const Vector& lo, const Vector& hi, const Vector& c,
                        const BoxEnclosure& e) {
  const Index R = P.rank();
  const Index N = P.M.rows();
  const Vector half = 0.5 * (hi - lo);
  Matrix Jc;
  const Vector Gc = P.latent_residual(c, &Jc);
  Eigen::FullPivLU<Matrix> lu(Jc);
  KrawczykResult res;
  if (!lu.isInvertible()) return res;
  const Matrix Y = lu.inverse();
  // Interval Jacobian J(X) = V^T diag(phi'(A)) M - I as (Jlo, Jhi).
  Matrix Jlo = -Matrix::Identity(R, R), Jhi = -Matrix::Identity(R, R);
  for (Index r = 0; r < R; ++r)
    for (Index s = 0; s < R; ++s)
      for (Index i = 0; i < N; ++i) {
        const double k = P.V(i, r) * P.M(i, s);
        Jlo(r, s) += std::min(k * e.dlo(i), k * e.dhi(i));
        Jhi(r, s) += std::max(k * e.dlo(i), k * e.dhi(i));
      }
  // B = I - Y J(X): midpoint/radius form, |B| bounded by |I - Y Jmid| + |Y| Jrad.
  const Matrix Jmid = 0.5 * (Jlo + Jhi), Jrad = 0.5 * (Jhi - Jlo);
  const Matrix Bmag = (Matrix::Identity(R, R) - Y * Jmid).cwiseAbs() + Y.cwiseAbs() * Jrad;
  const Vector center = c - Y * Gc;
  const Vector rad = Bmag * half;
  res.certified = true;
  for (Index r = 0; r < R; ++r) {
    const double w = kWiden * (1.0 + std::abs(center(r)) + rad(r));
    const double kl = center(r) - rad(r) - w, kh = center(r) + rad(r) + w;
    if (kh < lo(r) || kl > hi(r)) res.empty = true;
    if (!(kl > lo(r) && kh < hi(r))) res.certified = false;
  }
  return res;
}

/// At most 50 Newton steps on the latent residual from k, stopping once |G(k)| <= tol.
void newton(const LowRankProblem& P, double tol, Vector& k) {
  for (int it = 0; it < 50; ++it) {
    Matrix J;
    const Vector G = P.latent_residual(k, &J);
    if (G.norm() <= tol) break;
    k -= J.fullPivLu().solve(G);
  }
}

/// Appends kappa k (and its lift) unless a point within dup_tol (relative) is already listed.
void add_point(const LowRankProblem& P, const Vector& k, double dup_tol, bool certified, LowRankSearchResult& res) {
  const bool dup = std::any_of(res.kappa.begin(), res.kappa.end(),
                               [&](const Vector& q) { return (q - k).norm() <= dup_tol * (1.0 + k.norm()); });
  if (!dup) {
    res.kappa.push_back(k);
    res.x.push_back(P.lift(k));
    res.certified.push_back(certified);
  }
}

/// Splits [lo, hi] along its widest side into two work boxes, or lists it as unresolved once that
/// side is narrower than min_width.
void bisect(const Vector& lo, const Vector& hi, const LowRankSearchOptions& o,
            std::deque<std::pair<Vector, Vector>>& work, LowRankSearchResult& res) {
  Index widest = 0;
  (hi - lo).maxCoeff(&widest);
  if (hi(widest) - lo(widest) < o.min_width) {
    res.unresolved.emplace_back(lo, hi);
    return;
  }
  // Split slightly off-centre: symmetric networks put zeros exactly at the centre of symmetric
  // boxes, and a zero on a shared face can never be certified (K(X) must lie inside X).
  Vector mid_hi = hi, mid_lo = lo;
  mid_hi(widest) = mid_lo(widest) = lo(widest) + 0.4817 * (hi(widest) - lo(widest));
  work.emplace_back(lo, mid_hi);
  work.emplace_back(mid_lo, hi);
}

/// Undecided boxes: reports a zero found by Newton from their centre as uncertified.
void add_uncertified(const LowRankProblem& P, const LowRankSearchOptions& o, LowRankSearchResult& res) {
  for (const auto& [lo, hi] : res.unresolved) {
    Vector k = 0.5 * (lo + hi);
    newton(P, o.newton_tol, k);
    if (!k.allFinite() || P.latent_residual(k).norm() > 1e-8) continue;
    add_point(P, k, 1e-7, false, res);
  }
}

}  // namespace

LowRankSearchResult find_low_rank_fixed_points(const LowRankProblem& P, const LowRankSearchOptions& o) {
  o.validate();
  const Index R = P.rank();
  const Index N = P.M.rows();
  LowRankSearchResult res;
  res.default_box = o.lo.size() == 0;
  if (o.lo.size() > 0) {
    if (o.lo.size() != R) throw InputError("lo", "expected the latent dimension " + std::to_string(R));
    res.lo = o.lo;
    res.hi = o.hi;
  } else {
    default_box(P, res.lo, res.hi);
  }
  if (R == 0) {  // W = 0: the single fixed point
    res.kappa.push_back(Vector::Zero(0));
    res.x.push_back(P.lift(Vector::Zero(0)));
    res.certified.push_back(true);
    return res;
  }

  // Breadth-first branch and bound: each box is excluded, certified, or bisected.
  std::deque<std::pair<Vector, Vector>> work{{res.lo, res.hi}};
  BoxEnclosure e(N);
  while (!work.empty()) {
    auto [lo, hi] = work.front();
    work.pop_front();
    if (res.n_boxes >= o.max_boxes) {
      res.unresolved.emplace_back(lo, hi);
      continue;
    }
    ++res.n_boxes;
    enclose(P, lo, hi, e);
    if (excluded(P, lo, hi, e)) continue;
    const Vector c = 0.5 * (lo + hi);
    const KrawczykResult kr = krawczyk(P, lo, hi, c, e);
    if (kr.empty) continue;
    if (kr.certified) {
      // Exactly one zero in X; Newton from c converges to it (the Krawczyk contraction).
      Vector k = c;
      newton(P, o.newton_tol, k);
      add_point(P, k, 1e-9, true, res);
      continue;
    }
    bisect(lo, hi, o, work, res);
  }
  add_uncertified(P, o, res);
  res.guarantee = res.unresolved.empty() ? LowRankGuarantee::Complete : LowRankGuarantee::Unresolved;
  return res;
}

}  // namespace rnndyn
