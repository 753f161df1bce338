// Branch and bound over activation patterns: the exact fixed-point search for dense (full-rank)
// piecewise-linear networks, where 2^N patterns and sum_{r<=N} C(N, r) arrangement regions are
// both out of reach.
//
// Equation. With A diagonal and d_r = delta - A_rr != 0 (delta = 1 for maps, 0 for flows), a
// fixed point delta z = A z + V phi(U z + c) + h is z = D^{-1} (V phi(a) + h), D = diag(d), where
// the pre-activations a = U z + c solve
//
//     a = Q phi(a) + r,   Q = U D^{-1} V  (N x N),   r = U D^{-1} h + c,
//
// and every solution a gives a fixed point z (a bijection), so the search runs on a.
//
// Search. A node is a box [L, H] of a, with the range of linear pieces each unit can be on. It is
// tightened by bound propagation (below); a node whose box becomes empty holds no fixed point and
// is pruned; a node on which every unit is decided (one piece each) is a leaf, whose region is
// solved by the same test as every other exact method (evaluate_cell), so that the leaves' answer
// equals brute force; otherwise the node splits the undecided unit of widest influence at one of
// its breakpoints (both children closed: a point on the kink is kept on both sides).
//
// Bound propagation at a node. With the decided units d on pieces phi_i(a) = s_i a + q_i, the
// decided pre-activations are eliminated exactly:
//     (I - Q_dd S_d) a_d = Q_dd q_d + Q_df y_f + r_d,        y_f = phi_f(a_f),
// so that every a_i is affine in the outputs y_f of the free units, a = T y_f + t. Feasibility
// based bound tightening (FBBT, as in MIP presolve) then sweeps the rows a_i = T_i y_f + t_i with
// a_i in its box (the piece's interval for decided units) and y_j = phi_j(a_j) monotone, shrinking
// the boxes of a and y until they stop moving. A finite box needs a trapping bound: with
// y~ = y - phi(-inf) >= 0 and phi(a) <= phi(0) + sigma a^+,
//     y~ <= sigma (Q^+ y~ + r~^+) + beta,   r~ = r + Q phi(-inf),
// which bounds y~ by (I - sigma Q^+)^{-1} (sigma r~^+ + beta) whenever I - sigma Q^+ is a
// nonsingular M-matrix (tested exactly: the solution for a positive right-hand side is positive).
// The same bound is tried on the reduced system a_f = G phi(a_f) + g of every node whose box is
// still unbounded, since deciding units cuts positive feedback loops. At the root a second bound
// covers contracting networks: sigma |Q|_2 < 1 (sigma the largest slope) bounds |a|_2; such a
// network has exactly one fixed point (Banach), found by iterating the map and confirmed by
// solving its region, so the tree is not searched at all.
//
// Tolerances. Every test keeps a slack of 1e-9 relative to the magnitudes summed in it, so that
// rounding never prunes a fixed point (in doubt a node is kept, costing only time). Elimination is
// skipped (interval sweeps on a = Q y + r instead) when I - Q_dd S_d is ill-conditioned.
#include <algorithm>
#include <cmath>
#include <limits>

#include "pl_detail.hpp"
#include "rnndyn/core/progress.hpp"

namespace rnndyn::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kSlack = 1e-9;

/// phi(a) = s_p a + q_p on piece p = [bp_{p-1}, bp_p] (bp_{-1} = -inf, bp_n = +inf).
struct UnitPieces {
  std::vector<double> bp, s, q;
  double value(double a) const {
    if (std::isinf(a)) {
      const size_t p = a > 0 ? s.size() - 1 : 0;
      return s[p] == 0.0 ? q[p] : (a > 0 ? kInf : -kInf);
    }
    size_t p = 0;
    while (p < bp.size() && a > bp[p]) ++p;
    return s[p] * a + q[p];
  }
  /// min{a : phi(a) >= y} (-inf when phi(-inf) >= y, +inf when phi never reaches y).
  double inverse_lo(double y) const {
    if (value(-kInf) >= y) return -kInf;
    for (size_t p = 0; p < s.size(); ++p) {
      const double hi = p < bp.size() ? bp[p] : kInf;
      if (value(hi) >= y) {
        const double lo = p == 0 ? -kInf : bp[p - 1];
        return s[p] > 0.0 ? std::max(lo, (y - q[p]) / s[p]) : lo;
      }
    }
    return kInf;
  }
  /// max{a : phi(a) <= y} (+inf when phi(+inf) <= y, -inf when phi is always above y).
  double inverse_hi(double y) const {
    if (value(kInf) <= y) return kInf;
    for (size_t p = s.size(); p-- > 0;) {
      const double lo = p == 0 ? -kInf : bp[p - 1];
      if (value(lo) <= y) {
        const double hi = p < bp.size() ? bp[p] : kInf;
        return s[p] > 0.0 ? std::min(hi, (y - q[p]) / s[p]) : hi;
      }
    }
    return -kInf;
  }
  double max_slope() const { return *std::max_element(s.begin(), s.end()); }
};

struct Problem {
  Index N = 0;
  Matrix Q;
  Vector r;
  std::vector<UnitPieces> units;
  std::vector<Index> first_hyperplane;  // hyperplane index of each unit's first breakpoint
};

struct Node {
  Vector L, H;
  std::vector<int> plo, phi;  // piece range of each unit
  double weight = 1.0;        // share of the whole search space this node stands for
};

/// Smallest and largest piece a unit with a in [L, H] can be on (closed pieces, with slack).
void piece_range(const UnitPieces& u, double L, double H, int& plo, int& phi) {
  const double sl = kSlack * (std::isfinite(L) ? std::abs(L) : 0.0) + 1e-300;
  const double sh = kSlack * (std::isfinite(H) ? std::abs(H) : 0.0) + 1e-300;
  plo = 0;
  phi = 0;
  for (double b : u.bp) {
    if (L - sl > b + kSlack * std::abs(b)) ++plo;
    if (H + sh > b - kSlack * std::abs(b)) ++phi;
  }
}

/// The nonsingular M-matrix bound on y~ = y - phi(-inf) for a = Qm y + rm (header comment);
/// intersects [L, H] with the implied box of a. False when the test fails (nothing changed).
bool trapping_bound(const Matrix& Qm, const Vector& rm, const std::vector<const UnitPieces*>& units, Vector& L,
                    Vector& H) {
  const Index n = Qm.rows();
  Vector ylo(n), cap(n), sigma(n), beta(n);
  for (Index j = 0; j < n; ++j) {
    const UnitPieces& u = *units[static_cast<size_t>(j)];
    ylo(j) = u.value(-kInf);
    if (!std::isfinite(ylo(j))) return false;  // phi unbounded below (linear units): no bound here
    cap(j) = u.value(kInf) - ylo(j);
    sigma(j) = std::isfinite(cap(j)) ? 0.0 : u.max_slope();
    beta(j) = u.value(0.0) - ylo(j);
  }
  const Vector rt = rm + Qm * ylo;
  Matrix B = sigma.asDiagonal() * Qm.cwiseMax(0.0);
  Vector v(n);
  for (Index j = 0; j < n; ++j) v(j) = std::isfinite(cap(j)) ? cap(j) : beta(j) + sigma(j) * std::max(rt(j), 0.0);
  v.array() += 1e-12 * (1.0 + v.array().abs());  // a positive right-hand side for the M-matrix test
  const Matrix IB = Matrix::Identity(n, n) - B;
  const Eigen::PartialPivLU<Matrix> lu(IB);
  const Vector x = lu.solve(v);
  if (!x.allFinite() || x.minCoeff() <= 0.0) return false;
  // Rounding: accept only a solution whose residual is tiny next to v.
  if ((IB * x - v).lpNorm<Eigen::Infinity>() > 1e-9 * v.lpNorm<Eigen::Infinity>()) return false;
  const Vector yt_hi = x * (1.0 + 1e-9);
  // a = Qm y~ + rt with 0 <= y~ <= yt_hi.
  const Vector mid = Qm * (0.5 * yt_hi) + rt;
  const Vector rad = Qm.cwiseAbs() * (0.5 * yt_hi);
  for (Index i = 0; i < n; ++i) {
    const double slack = kSlack * (std::abs(mid(i)) + rad(i));
    L(i) = std::max(L(i), mid(i) - rad(i) - slack);
    H(i) = std::min(H(i), mid(i) + rad(i) + slack);
  }
  return true;
}

/// The contraction bound: with |phi_i(a)| <= |phi_i(0)| + sigma |a_i| (sigma the largest slope)
/// and a = Qm phi(a) + rm, |a|_2 <= (|Qm|_2 |phi(0)|_2 + |rm|_2) / (1 - sigma |Qm|_2) whenever
/// sigma |Qm|_2 < 1 (then phi(a) lies in a ball and a_i in rm_i +- |Qm_i|_2 times its radius).
/// Intersects [L, H] with that box; false when sigma |Qm|_2 >= 1.
bool contraction_bound(const Matrix& Qm, const Vector& rm, const std::vector<const UnitPieces*>& units, Vector& L,
                       Vector& H) {
  if (Qm.rows() == 0) return false;
  const Index n = Qm.rows();
  double sigma = 0.0;
  Vector beta(n);
  for (Index j = 0; j < n; ++j) {
    sigma = std::max(sigma, units[static_cast<size_t>(j)]->max_slope());
    beta(j) = units[static_cast<size_t>(j)]->value(0.0);
  }
  const double qn = Eigen::BDCSVD<Matrix>(Qm).singularValues()(0) * (1.0 + 1e-12);  // |Qm|_2
  if (!(sigma * qn < 1.0 - 1e-9)) return false;
  const double ra = (qn * beta.norm() + rm.norm()) / (1.0 - sigma * qn);
  const double rphi = (beta.norm() + sigma * ra) * (1.0 + 1e-9);
  for (Index i = 0; i < n; ++i) {
    const double rad = Qm.row(i).norm() * rphi * (1.0 + 1e-9) + kSlack * std::abs(rm(i));
    L(i) = std::max(L(i), rm(i) - rad);
    H(i) = std::min(H(i), rm(i) + rad);
  }
  return true;
}

/// Interval of c * [lo, hi] (0 * inf = 0).
inline void scaled(double c, double lo, double hi, double& a, double& b) {
  if (c == 0.0) {
    a = b = 0.0;
  } else if (c > 0.0) {
    a = c * lo, b = c * hi;
  } else {
    a = c * hi, b = c * lo;
  }
}

/// Sums with infinite terms counted apart, so that "the sum without term j" stays exact.
struct RowSum {
  double lo = 0.0, hi = 0.0, abs = 0.0;
  int nlo = 0, nhi = 0;
  void add(double a, double b) {
    if (std::isinf(a))
      ++nlo;
    else
      lo += a, abs += std::abs(a);
    if (std::isinf(b))
      ++nhi;
    else
      hi += b, abs += std::abs(b);
  }
  double without_lo(double a) const {  // lower bound of the sum without a term with lower end a
    if (std::isinf(a)) return nlo > 1 ? -kInf : lo;
    return nlo > 0 ? -kInf : lo - a;
  }
  double without_hi(double b) const {
    if (std::isinf(b)) return nhi > 1 ? kInf : hi;
    return nhi > 0 ? kInf : hi - b;
  }
  double total_lo() const { return nlo > 0 ? -kInf : lo; }
  double total_hi() const { return nhi > 0 ? kInf : hi; }
};

/// The affine form a = T y + t over the free units' outputs y (vars[j] = unit of y_j).
struct AffineForm {
  Matrix T;
  Vector t;
  std::vector<Index> vars;
};

/// FBBT sweeps (header comment) on the rows a_i = T_i y + t_i; returns false when a box empties.
bool tighten(const Problem& pb, const AffineForm& f, Node& nd) {
  const Index N = pb.N, m = static_cast<Index>(f.vars.size());
  Vector ylo(m), yhi(m);
  for (Index j = 0; j < m; ++j) {
    const Index u = f.vars[static_cast<size_t>(j)];
    ylo(j) = pb.units[static_cast<size_t>(u)].value(nd.L(u));
    yhi(j) = pb.units[static_cast<size_t>(u)].value(nd.H(u));
  }
  for (int sweep = 0; sweep < 12; ++sweep) {
    double moved = 0.0;
    for (Index i = 0; i < N; ++i) {
      RowSum s;
      for (Index j = 0; j < m; ++j) {
        double a, b;
        scaled(f.T(i, j), ylo(j), yhi(j), a, b);
        s.add(a, b);
      }
      const double t = f.t(i), slack = kSlack * (s.abs + std::abs(t)) + 1e-300;
      const double lo = s.total_lo() + t, hi = s.total_hi() + t;
      if (lo > nd.H(i) + slack + kSlack * std::abs(nd.H(i)) || hi < nd.L(i) - slack - kSlack * std::abs(nd.L(i)))
        return false;
      const double w_old = nd.H(i) - nd.L(i);
      if (lo - slack > nd.L(i)) nd.L(i) = lo - slack;
      if (hi + slack < nd.H(i)) nd.H(i) = hi + slack;
      if (std::isfinite(w_old) && w_old > 0.0)
        moved = std::max(moved, 1.0 - (nd.H(i) - nd.L(i)) / w_old);
      else if (std::isinf(w_old) && std::isfinite(nd.H(i) - nd.L(i)))
        moved = 1.0;
      // Backward: T_ij y_j lies in [L_i - t - rest_hi, H_i - t - rest_lo].
      for (Index j = 0; j < m; ++j) {
        const double c = f.T(i, j);
        if (c == 0.0) continue;
        double a, b;
        scaled(c, ylo(j), yhi(j), a, b);
        const double lo_j = nd.L(i) - t - s.without_hi(b) - slack, hi_j = nd.H(i) - t - s.without_lo(a) + slack;
        if (c > 0.0) {
          ylo(j) = std::max(ylo(j), lo_j / c);
          yhi(j) = std::min(yhi(j), hi_j / c);
        } else {
          ylo(j) = std::max(ylo(j), hi_j / c);
          yhi(j) = std::min(yhi(j), lo_j / c);
        }
      }
    }
    // y_j = phi(a_j): the boxes of a_j and y_j shrink each other (phi is monotone).
    for (Index j = 0; j < m; ++j) {
      const Index u = f.vars[static_cast<size_t>(j)];
      const UnitPieces& up = pb.units[static_cast<size_t>(u)];
      const double ys =
          kSlack * (std::abs(std::isfinite(ylo(j)) ? ylo(j) : 0.0) + std::abs(std::isfinite(yhi(j)) ? yhi(j) : 0.0)) +
          1e-300;
      if (ylo(j) > yhi(j) + ys) return false;
      nd.L(u) = std::max(nd.L(u), up.inverse_lo(ylo(j) - ys));
      nd.H(u) = std::min(nd.H(u), up.inverse_hi(yhi(j) + ys));
      if (nd.L(u) > nd.H(u) + kSlack * (std::abs(nd.L(u)) + std::abs(nd.H(u))) + 1e-300) return false;
      ylo(j) = std::max(ylo(j), up.value(nd.L(u)));
      yhi(j) = std::min(yhi(j), up.value(nd.H(u)));
    }
    if (moved < 1e-3) break;
  }
  return true;
}

/// a = T y_f + t by eliminating the decided units (header comment); false when I - Q_dd S_d is
/// too ill-conditioned for the elimination to be trusted.
bool eliminate(const Problem& pb, const Node& nd, AffineForm& f) {
  const Index N = pb.N;
  std::vector<Index> dec;
  f.vars.clear();
  for (Index i = 0; i < N; ++i)
    (nd.plo[static_cast<size_t>(i)] == nd.phi[static_cast<size_t>(i)] ? dec : f.vars).push_back(i);
  const Index nd_ = static_cast<Index>(dec.size()), nf = static_cast<Index>(f.vars.size());
  Vector s(nd_), q(nd_);
  for (Index k = 0; k < nd_; ++k) {
    const Index i = dec[static_cast<size_t>(k)];
    const auto p = static_cast<size_t>(nd.plo[static_cast<size_t>(i)]);
    s(k) = pb.units[static_cast<size_t>(i)].s[p];
    q(k) = pb.units[static_cast<size_t>(i)].q[p];
  }
  Matrix Qdd(nd_, nd_), Qdf(nd_, nf), Qfd(nf, nd_), Qff(nf, nf);
  Vector rd(nd_), rf(nf);
  for (Index a = 0; a < nd_; ++a) {
    const Index i = dec[static_cast<size_t>(a)];
    rd(a) = pb.r(i);
    for (Index b = 0; b < nd_; ++b) Qdd(a, b) = pb.Q(i, dec[static_cast<size_t>(b)]);
    for (Index b = 0; b < nf; ++b) Qdf(a, b) = pb.Q(i, f.vars[static_cast<size_t>(b)]);
  }
  for (Index a = 0; a < nf; ++a) {
    const Index i = f.vars[static_cast<size_t>(a)];
    rf(a) = pb.r(i);
    for (Index b = 0; b < nd_; ++b) Qfd(a, b) = pb.Q(i, dec[static_cast<size_t>(b)]);
    for (Index b = 0; b < nf; ++b) Qff(a, b) = pb.Q(i, f.vars[static_cast<size_t>(b)]);
  }
  Matrix E(nd_, nf);
  Vector e(nd_);
  if (nd_ > 0) {
    const Matrix K = Matrix::Identity(nd_, nd_) - Qdd * s.asDiagonal();
    const Eigen::PartialPivLU<Matrix> lu(K);
    if (!(lu.rcond() > 1e-8)) return false;
    if (nf > 0) E = lu.solve(Qdf);  // (Eigen's triangular solve must not see an empty right-hand side)
    e = lu.solve(Qdd * q + rd);
  }
  f.T.resize(N, nf);
  f.t.resize(N);
  const Matrix QfdS = Qfd * s.asDiagonal();
  const Matrix G = nd_ > 0 ? Matrix(QfdS * E + Qff) : Qff;
  const Vector g = nd_ > 0 ? Vector(QfdS * e + Qfd * q + rf) : rf;
  // (Rows of an N x 0 matrix point into no storage: clang's UBSan rejects even forming them.)
  for (Index a = 0; a < nd_; ++a) {
    if (nf > 0) f.T.row(dec[static_cast<size_t>(a)]) = E.row(a);
    f.t(dec[static_cast<size_t>(a)]) = e(a);
  }
  for (Index a = 0; a < nf; ++a) {
    f.T.row(f.vars[static_cast<size_t>(a)]) = G.row(a);
    f.t(f.vars[static_cast<size_t>(a)]) = g(a);
  }
  return true;
}

/// The form a = Q y + r over every unit's output (no elimination).
AffineForm plain_form(const Problem& pb) {
  AffineForm f;
  f.T = pb.Q;
  f.t = pb.r;
  for (Index i = 0; i < pb.N; ++i) f.vars.push_back(i);
  return f;
}

/// a lies in the union of the pieces plo..phi: [bp_{plo-1}, bp_phi].
void clip_to_pieces(const Problem& pb, Node& nd) {
  for (Index i = 0; i < pb.N; ++i) {
    const auto& bp = pb.units[static_cast<size_t>(i)].bp;
    const int lo = nd.plo[static_cast<size_t>(i)], hi = nd.phi[static_cast<size_t>(i)];
    if (lo > 0) nd.L(i) = std::max(nd.L(i), bp[static_cast<size_t>(lo - 1)]);
    if (hi < static_cast<int>(bp.size())) nd.H(i) = std::min(nd.H(i), bp[static_cast<size_t>(hi)]);
  }
}

/// Bound propagation at a node until no unit is newly decided; false when the node is empty.
bool propagate(const Problem& pb, Node& nd) {
  for (int round = 0; round < 4; ++round) {
    AffineForm f;
    const bool elim = eliminate(pb, nd, f);
    if (!elim) f = plain_form(pb);
    if (elim && !f.vars.empty()) {
      // An unbounded free box may become bounded on the reduced system a_f = G phi(a_f) + g.
      bool unbounded = false;
      for (Index u : f.vars) unbounded = unbounded || !std::isfinite(nd.L(u)) || !std::isfinite(nd.H(u));
      if (unbounded) {
        const Index nf = static_cast<Index>(f.vars.size());
        Matrix G(nf, nf);
        Vector g(nf), Lf(nf), Hf(nf);
        std::vector<const UnitPieces*> us;
        for (Index a = 0; a < nf; ++a) {
          const Index u = f.vars[static_cast<size_t>(a)];
          for (Index b = 0; b < nf; ++b) G(a, b) = f.T(u, b);
          g(a) = f.t(u);
          Lf(a) = nd.L(u), Hf(a) = nd.H(u);
          us.push_back(&pb.units[static_cast<size_t>(u)]);
        }
        if (trapping_bound(G, g, us, Lf, Hf))
          for (Index a = 0; a < nf; ++a)
            nd.L(f.vars[static_cast<size_t>(a)]) = Lf(a), nd.H(f.vars[static_cast<size_t>(a)]) = Hf(a);
      }
    }
    if (!tighten(pb, f, nd)) return false;
    bool newly = false;
    for (Index i = 0; i < pb.N; ++i) {
      int lo, hi;
      piece_range(pb.units[static_cast<size_t>(i)], nd.L(i), nd.H(i), lo, hi);
      lo = std::max(lo, nd.plo[static_cast<size_t>(i)]);
      hi = std::min(hi, nd.phi[static_cast<size_t>(i)]);
      if (lo > hi) return false;
      newly = newly || (lo == hi && nd.plo[static_cast<size_t>(i)] != nd.phi[static_cast<size_t>(i)]);
      nd.plo[static_cast<size_t>(i)] = lo, nd.phi[static_cast<size_t>(i)] = hi;
    }
    clip_to_pieces(pb, nd);
    if (!newly) break;
  }
  return true;
}

/// The undecided unit of widest influence: box width times the column norm of Q (infinite boxes
/// first), or -1 when every unit is decided.
Index branch_unit(const Problem& pb, const Vector& colnorm, const Node& nd) {
  Index best = -1;
  double score = -1.0;
  for (Index i = 0; i < pb.N; ++i) {
    if (nd.plo[static_cast<size_t>(i)] == nd.phi[static_cast<size_t>(i)]) continue;
    const double w = nd.H(i) - nd.L(i);
    const double sc = std::isfinite(w) ? w * (colnorm(i) + 1e-300) : kInf;
    if (sc > score) score = sc, best = i;
  }
  return best;
}

/// The two children of `nd` split at a breakpoint of unit i inside its range (nearest the box's
/// middle when finite).
void split(const Problem& pb, Index i, const Node& nd, Node& left, Node& right) {
  const UnitPieces& u = pb.units[static_cast<size_t>(i)];
  const int lo = nd.plo[static_cast<size_t>(i)], hi = nd.phi[static_cast<size_t>(i)];
  int b = lo;  // breakpoint b separates pieces b and b + 1
  if (std::isfinite(nd.L(i)) && std::isfinite(nd.H(i))) {
    const double mid = 0.5 * (nd.L(i) + nd.H(i));
    for (int k = lo; k < hi; ++k)
      if (std::abs(u.bp[static_cast<size_t>(k)] - mid) < std::abs(u.bp[static_cast<size_t>(b)] - mid)) b = k;
  }
  const double beta = u.bp[static_cast<size_t>(b)];
  left = right = nd;
  left.weight = right.weight = 0.5 * nd.weight;
  left.phi[static_cast<size_t>(i)] = b;
  left.H(i) = std::min(nd.H(i), beta);
  right.plo[static_cast<size_t>(i)] = b + 1;
  right.L(i) = std::max(nd.L(i), beta);
}

/// Builds Q and r; false when A is not diagonal or some delta - A_rr vanishes.
bool make_problem(const PlPrepared& P, const PiecewiseLinearStructure& pl, Problem& pb) {
  const Index R = P.R;
  Vector dinv(R);
  for (Index a = 0; a < R; ++a)
    for (Index b = 0; b < R; ++b)
      if (a != b && P.A(a, b) != 0.0) return false;
  for (Index a = 0; a < R; ++a) {
    const double d = P.delta - P.A(a, a);
    if (!(std::abs(d) > 0.0)) return false;
    dinv(a) = 1.0 / d;
  }
  pb.N = P.N;
  pb.Q = pl.U * dinv.asDiagonal() * pl.V;
  pb.r = pl.U * (dinv.asDiagonal() * pl.h) + pl.c;
  Index k = 0;
  for (Index i = 0; i < P.N; ++i) {
    UnitPieces u;
    u.bp = P.breakpoints[static_cast<size_t>(i)];
    for (const auto& piece : pl.units[static_cast<size_t>(i)].pieces()) {
      if (piece.slope < 0.0) return false;  // monotone activations only
      u.s.push_back(piece.slope);
      u.q.push_back(piece.intercept);
    }
    pb.first_hyperplane.push_back(k);
    k += static_cast<Index>(u.bp.size());
    pb.units.push_back(std::move(u));
  }
  return true;
}

/// A contraction (sigma |Q|_2 < 1) has exactly one fixed point (Banach), the limit of the
/// iteration a <- Q phi(a) + r: its region, solved as every leaf, is the whole answer. False
/// (nothing appended) when the limit's region does not confirm it (a kink within rounding, or no
/// convergence), and the tree search decides instead.
bool contraction_shortcut(const PlPrepared& P, const Problem& pb, const PiecewiseLinearFixedPointOptions& o,
                          CellOutput& out, PlBranchBoundStats& res) {
  Vector a = pb.r, y(pb.N);
  bool converged = false;
  for (int it = 0; it < 100000 && !converged; ++it) {
    for (Index i = 0; i < pb.N; ++i) y(i) = pb.units[static_cast<size_t>(i)].value(a(i));
    const Vector next = pb.Q * y + pb.r;
    // Only the limit's region is needed (its system is then solved exactly): 1e-12 relative.
    converged = (next - a).lpNorm<Eigen::Infinity>() <=
                1e-12 * (next.lpNorm<Eigen::Infinity>() + pb.r.lpNorm<Eigen::Infinity>()) + 1e-300;
    a = next;
  }
  if (!converged) return false;
  std::vector<signed char> signs(static_cast<size_t>(P.K));
  for (Index u = 0; u < pb.N; ++u) {
    const auto& bp = pb.units[static_cast<size_t>(u)].bp;
    for (size_t b = 0; b < bp.size(); ++b)
      signs[static_cast<size_t>(pb.first_hyperplane[static_cast<size_t>(u)]) + b] = a(u) > bp[b] ? 1 : -1;
  }
  RegionTracker tracker(P);
  tracker.reset(signs);
  CellOutput cell;
  evaluate_cell(tracker, o, cell);
  if (cell.points.size() != 1 || !cell.continua.empty() || !cell.undecided.empty()) return false;
  out.points.push_back(std::move(cell.points.front()));
  res.nodes = res.leaves = 1;
  res.closed_share = 1.0;
  return true;
}

/// Whether the tree cannot close within the budget by orders of magnitude (projection_factor):
/// the projected time elapsed / closed share, judged only after max(1 s, 5 % of the budget) so
/// that the depth-first search has closed a representative share.
bool hopeless(const PiecewiseLinearFixedPointOptions& o, const PlBranchBoundStats& res, double elapsed) {
  if (o.projection_factor <= 0.0 || elapsed < std::max(1.0, 0.05 * o.time_limit)) return false;
  return elapsed > o.projection_factor * o.time_limit * res.closed_share;
}

}  // namespace

bool branch_and_bound(const PlPrepared& P, const PiecewiseLinearStructure& pl,
                      const PiecewiseLinearFixedPointOptions& o, CellOutput& out, PlBranchBoundStats& res,
                      Monitor& monitor) {
  res = PlBranchBoundStats{};
  Problem pb;
  if (!make_problem(P, pl, pb)) return false;
  Node root;
  bool contracting = false;
  root.L = Vector::Constant(pb.N, -kInf);
  root.H = Vector::Constant(pb.N, kInf);
  root.plo.assign(static_cast<size_t>(pb.N), 0);
  root.phi.resize(static_cast<size_t>(pb.N));
  for (Index i = 0; i < pb.N; ++i)
    root.phi[static_cast<size_t>(i)] = static_cast<int>(pb.units[static_cast<size_t>(i)].bp.size());
  {
    std::vector<const UnitPieces*> us;
    for (const auto& u : pb.units) us.push_back(&u);
    const bool mmatrix = trapping_bound(pb.Q, pb.r, us, root.L, root.H);
    contracting = contraction_bound(pb.Q, pb.r, us, root.L, root.H);
    res.trapping_box = mmatrix || contracting;
  }
  if (contracting && contraction_shortcut(P, pb, o, out, res)) return true;
  const Vector colnorm = pb.Q.cwiseAbs().colwise().sum().transpose();
  std::vector<Node> stack{std::move(root)};
  RegionTracker tracker(P);
  std::vector<signed char> signs(static_cast<size_t>(P.K));
  while (!stack.empty()) {
    if (res.nodes >= o.max_nodes || monitor.seconds() > o.time_limit) {
      res.budget_exhausted = true;
      break;
    }
    // Every 64 nodes, as the progress poll: a node can take milliseconds (large N, sanitizers).
    if (res.nodes % 64 == 0 && hopeless(o, res, monitor.seconds())) {
      res.budget_exhausted = res.hopeless = true;
      break;
    }
    // A stop request is read at every node (one atomic load), the callback every 64 nodes.
    if (monitor.stopped() || (res.nodes % 64 == 0 && !monitor.poll({"branch and bound", res.closed_share, res.nodes,
                                                                    static_cast<std::int64_t>(out.points.size())})))
      break;
    Node nd = std::move(stack.back());
    stack.pop_back();
    ++res.nodes;
    if (!propagate(pb, nd)) {
      ++res.pruned;
      res.closed_share += nd.weight;
      continue;
    }
    const Index i = branch_unit(pb, colnorm, nd);
    if (i < 0) {  // a leaf: the region of this pattern, solved as by every exact method
      for (Index u = 0; u < pb.N; ++u)
        for (size_t b = 0; b < pb.units[static_cast<size_t>(u)].bp.size(); ++b)
          signs[static_cast<size_t>(pb.first_hyperplane[static_cast<size_t>(u)]) + b] =
              static_cast<int>(b) < nd.plo[static_cast<size_t>(u)] ? 1 : -1;
      tracker.reset(signs);
      evaluate_cell(tracker, o, out);
      ++res.leaves;
      res.closed_share += nd.weight;
      continue;
    }
    Node left, right;
    split(pb, i, nd, left, right);
    stack.push_back(std::move(right));
    stack.push_back(std::move(left));
  }
  res.open_nodes = static_cast<std::int64_t>(stack.size());
  res.closed_share = stack.empty() ? 1.0 : std::min(res.closed_share, 1.0 - 1e-16);
  const double elapsed = monitor.seconds();
  res.projected_seconds = res.closed_share > 0.0 ? elapsed / res.closed_share : kInf;
  return true;
}

}  // namespace rnndyn::detail
