// Level-set pruning of the arrangement walk for latent dimension R = 2 (method "level_set").
//
// A fixed point z* of region D solves G_D(z) = (M_D - delta I) z + m_D = 0, so in particular one
// chosen component G_c vanishes at z*. G is continuous and piecewise linear; inside a region the
// zero set of G_c is a line (or the whole region, or empty). If it passes through z*, it meets the
// region's boundary in at least one edge (every region of an arrangement with two non-parallel
// lines contains no full line), and on that edge the restriction of G_c, a linear function, has
// a zero. Hence only regions adjacent to an edge on which G_c has a zero need to be solved.
//
// Along the line of hyperplane k, z = p + t e, G_c(t) = alpha + beta t between crossings, and a
// crossing of hyperplane j adds f_j (dalpha_j, dbeta_j) (rank-one change of M, m; f_j = +-1 the
// direction of the crossing). These increments add up independently of their order, so the
// crossings are bucketed by t (counting sort, no comparison sort) and a bucket [lo, hi] is
// skipped when the linear part alone stays away from zero by more than the largest possible
// effect of its crossings, sum |dbeta_j| (hi - lo):
//
//   |G_c(t) - G_c(lo) - beta (t - lo)| <= sum_{j in bucket} |dbeta_j| (hi - lo).
//
// Only the few buckets that may hold a zero are sorted and walked crossing by crossing; for each
// edge with a zero the two regions beside it (sign of k = -1 and +1) are solved and tested. The
// result is exact in the same sense as the full walk (closed regions, relative tolerances); a
// region with a singular system or two coincident hyperplanes returns false, and the caller falls
// back to the full walk, which handles continua and degenerate arrangements.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "pl_detail.hpp"

namespace rnndyn::detail {
namespace {

struct Crossing {
  double t;
  int b;  // active index of the crossed hyperplane
};

struct LineWork {
  // Per active hyperplane on the current line.
  std::vector<double> t, dalpha, dbeta;
  std::vector<signed char> f;  // +1: sign goes - to + with increasing t; 0: parallel
  std::vector<signed char> parallel_sign;
  // Buckets.
  std::vector<int> count, start, order;
  std::vector<double> s_alpha, s_beta, s_abs_beta, s_abs_alpha, s_M, s_m, lo, hi;
  std::vector<Crossing> sorted;
  std::vector<double> sample;
};

struct Found {
  std::int64_t line;
  int seq;
  double z0, z1;
};

}  // namespace

bool level_set_walk_2d(const PlPrepared& P, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                       std::int64_t& solved) {
  if (P.R != 2 || P.D != 2) return false;
  const int Ka = static_cast<int>(P.active.size());
  if (Ka < 2) return false;
  // The component of G to follow: the one with the larger coupling (either is correct).
  const Index c = P.V.row(0).squaredNorm() >= P.V.row(1).squaredNorm() ? 0 : 1;
  // Base map: every unit on its leftmost piece, plus the zero-normal hyperplanes that are on.
  Eigen::Matrix2d Mbase = P.A;
  Eigen::Vector2d mbase = P.h;
  for (Index i = 0; i < P.N; ++i) {
    const double s0 = P.slope[static_cast<size_t>(i)][0], q0 = P.shift[static_cast<size_t>(i)][0];
    Mbase += s0 * Eigen::Map<const Eigen::Matrix2d>(P.outer.col(i).data());
    mbase += q0 * P.V.col(i);
  }
  for (Index k = 0; k < P.K; ++k)
    if (P.constant_sign[static_cast<size_t>(k)] > 0 &&
        std::find(P.active.begin(), P.active.end(), k) == P.active.end()) {
      const Index i = P.unit_of[static_cast<size_t>(k)];
      Mbase += P.dslope[static_cast<size_t>(k)] * Eigen::Map<const Eigen::Matrix2d>(P.outer.col(i).data());
      mbase += P.dshift[static_cast<size_t>(k)] * P.V.col(i);
    }
  // Per active hyperplane: normal, offset, and the rank-one change of (M, m) when it turns on.
  std::vector<Eigen::Vector2d> n(static_cast<size_t>(Ka));
  std::vector<double> off(static_cast<size_t>(Ka)), nrm1(static_cast<size_t>(Ka)), nsq(static_cast<size_t>(Ka));
  std::vector<Eigen::Matrix2d> dM(static_cast<size_t>(Ka));
  std::vector<Eigen::Vector2d> dm(static_cast<size_t>(Ka));
  for (int a = 0; a < Ka; ++a) {
    const Index k = P.active[static_cast<size_t>(a)];
    const Index i = P.unit_of[static_cast<size_t>(k)];
    n[static_cast<size_t>(a)] = P.NT.col(k);
    off[static_cast<size_t>(a)] = P.offsets(k);
    nrm1[static_cast<size_t>(a)] = P.norm1(k);
    nsq[static_cast<size_t>(a)] = P.NT.col(k).squaredNorm();
    dM[static_cast<size_t>(a)] =
        P.dslope[static_cast<size_t>(k)] * Eigen::Map<const Eigen::Matrix2d>(P.outer.col(i).data());
    dm[static_cast<size_t>(a)] = P.dshift[static_cast<size_t>(k)] * P.V.col(i);
  }
  const double delta = P.delta;
  const double zero_rel = 1e-9;  // relative size under which G_c counts as zero at an edge end
  std::atomic<bool> degenerate{false};
  std::vector<std::vector<Found>> parts;
  std::atomic<std::int64_t> n_solved{0};

#pragma omp parallel
  {
#pragma omp single
    parts.resize(static_cast<size_t>(detail::team_size()));
    auto& found = parts[static_cast<size_t>(detail::team_index())];
    LineWork w;
    w.t.resize(static_cast<size_t>(Ka));
    w.dalpha.resize(static_cast<size_t>(Ka));
    w.dbeta.resize(static_cast<size_t>(Ka));
    w.f.resize(static_cast<size_t>(Ka));
    w.parallel_sign.resize(static_cast<size_t>(Ka));
    std::int64_t my_solved = 0;
#pragma omp for schedule(dynamic, 8)
    for (int a = 0; a < Ka; ++a) {
      if (degenerate.load(std::memory_order_relaxed)) continue;
      const Eigen::Vector2d& na = n[static_cast<size_t>(a)];
      const double nn = na.squaredNorm();
      const Eigen::Vector2d p = -off[static_cast<size_t>(a)] / nn * na;
      const Eigen::Vector2d e = Eigen::Vector2d(-na(1), na(0)) / std::sqrt(nn);
      // Pass 1: crossings, increments of G_c along the line, and (M, m) at t -> -inf (with
      // hyperplane a itself off: G is continuous across it, so the line sees either side's value).
      Eigen::Matrix2d M = Mbase;
      Eigen::Vector2d m = mbase;
      double tmin = std::numeric_limits<double>::infinity(), tmax = -tmin;
      int n_cross = 0;
      bool bad = false;
      for (int b = 0; b < Ka; ++b) {
        if (b == a) {
          w.f[static_cast<size_t>(b)] = 0;
          w.parallel_sign[static_cast<size_t>(b)] = 0;
          continue;
        }
        const Eigen::Vector2d& nb = n[static_cast<size_t>(b)];
        const double den = nb.dot(e), num = nb.dot(p) + off[static_cast<size_t>(b)];
        if (den * den <= 1e-24 * nsq[static_cast<size_t>(b)]) {  // parallel to the line: constant sign
          if (std::abs(num) <= 1e-12 * (nb.norm() * p.norm() + std::abs(off[static_cast<size_t>(b)]))) {
            bad = true;  // coincident hyperplanes
            break;
          }
          w.f[static_cast<size_t>(b)] = 0;
          w.parallel_sign[static_cast<size_t>(b)] = num > 0 ? 1 : -1;
          if (num > 0) {
            M += dM[static_cast<size_t>(b)];
            m += dm[static_cast<size_t>(b)];
          }
          continue;
        }
        const signed char f = den > 0 ? 1 : -1;
        w.f[static_cast<size_t>(b)] = f;
        const double t = -num / den;
        w.t[static_cast<size_t>(b)] = t;
        tmin = std::min(tmin, t);
        tmax = std::max(tmax, t);
        ++n_cross;
        const double on = f < 0 ? 1.0 : 0.0;  // on at t -> -inf (branch-free: f is random)
        M.noalias() += on * dM[static_cast<size_t>(b)];
        m.noalias() += on * dm[static_cast<size_t>(b)];
        const Eigen::Matrix2d& D = dM[static_cast<size_t>(b)];
        w.dalpha[static_cast<size_t>(b)] = f * (D(c, 0) * p(0) + D(c, 1) * p(1) + dm[static_cast<size_t>(b)](c));
        w.dbeta[static_cast<size_t>(b)] = f * (D(c, 0) * e(0) + D(c, 1) * e(1));
      }
      if (bad) {
        degenerate = true;
        continue;
      }
      // G_c(t) = alpha + beta t with row c of (M - delta I) and m_c.
      auto alpha_beta = [&](const Eigen::Matrix2d& Mx, const Eigen::Vector2d& mx, double& al, double& be) {
        const double r0 = Mx(c, 0) - (c == 0 ? delta : 0.0), r1 = Mx(c, 1) - (c == 1 ? delta : 0.0);
        al = r0 * p(0) + r1 * p(1) + mx(c);
        be = r0 * e(0) + r1 * e(1);
      };
      double alpha, beta;
      alpha_beta(M, m, alpha, beta);
      double acc_abs = std::abs(alpha) + std::abs(beta);  // scale of the accumulated increments
      int seq = 0;
      // Solve the two regions beside the edge through t = pm (neighbours nb1, nb2 tested first).
      auto solve_edge = [&](double pm, const Eigen::Matrix2d& Medge, const Eigen::Vector2d& medge) {
        for (int side = -1; side <= 1; side += 2) {
          Eigen::Matrix2d G = Medge;
          Eigen::Vector2d g = medge;
          if (side > 0) {
            G += dM[static_cast<size_t>(a)];
            g += dm[static_cast<size_t>(a)];
          }
          G(0, 0) -= delta;
          G(1, 1) -= delta;
          ++my_solved;
          // LU with partial pivoting, as evaluate_cell, so "singular" means the same there.
          const double scale = G.cwiseAbs().maxCoeff();
          const int piv = std::abs(G(1, 0)) > std::abs(G(0, 0)) ? 1 : 0;
          const double p0 = G(piv, 0);
          const double det = G(0, 0) * G(1, 1) - G(0, 1) * G(1, 0);
          if (!(scale > 0.0) || std::abs(p0) <= o.singular_tol * scale ||
              std::abs(det / p0) <= o.singular_tol * scale) {
            degenerate = true;  // continuum or no solution: the full walk examines it
            return;
          }
          const Eigen::Vector2d z((-g(0) * G(1, 1) + g(1) * G(0, 1)) / det, (-g(1) * G(0, 0) + g(0) * G(1, 0)) / det);
          const double zinf = z.lpNorm<Eigen::Infinity>();
          auto ok = [&](int b, int s) {
            const double v = n[static_cast<size_t>(b)].dot(z) + off[static_cast<size_t>(b)];
            return s * v >=
                   -o.region_tol * (nrm1[static_cast<size_t>(b)] * zinf + std::abs(off[static_cast<size_t>(b)]));
          };
          if (!ok(a, side)) continue;
          bool inside = true;
          for (int b = 0; b < Ka && inside; ++b) {
            if (b == a) continue;
            const signed char f = w.f[static_cast<size_t>(b)];
            const int s =
                f == 0 ? w.parallel_sign[static_cast<size_t>(b)] : (w.t[static_cast<size_t>(b)] < pm ? f : -f);
            inside = ok(b, s);
          }
          if (inside) found.push_back({a, seq++, z(0), z(1)});
        }
      };
      auto zero_on = [&](double ta, double tb) {  // G_c = alpha + beta t has a zero in [ta, tb]
        const double ga = alpha + beta * ta, gb = alpha + beta * tb;
        const double tol = zero_rel * (acc_abs * (1.0 + std::max(std::abs(ta), std::abs(tb))));
        return (ga <= tol && gb >= -tol) || (ga >= -tol && gb <= tol);
      };
      if (n_cross == 0) {  // no crossing (cannot happen with rank 2, kept for safety)
        degenerate = true;
        continue;
      }
      // Left unbounded edge (-inf, tmin).
      {
        const double far = tmin - 1e6 * (1.0 + std::abs(tmin)) * (1.0 + std::abs(alpha / (beta != 0 ? beta : 1.0)));
        if (zero_on(far, tmin) || (beta != 0.0 && -alpha / beta <= tmin))
          solve_edge(tmin - (1.0 + std::abs(tmin)), M, m);
      }
      // Buckets by u(t) = sign(t) (1 - s / (|t| + s)), which maps the heavy-tailed crossing
      // positions (t ~ 1 / cos of the angle between lines) to about uniform in (-1, 1); s is the
      // median |t| of a sample. Every step is a correctly rounded monotone operation, so the
      // bucket index is monotone in t and buckets never overlap.
      const int nbk = std::max(1, n_cross / 4);
      w.sample.clear();
      for (int b = 0, stride = std::max(1, Ka / 64); b < Ka; b += stride)
        if (w.f[static_cast<size_t>(b)] != 0) w.sample.push_back(std::abs(w.t[static_cast<size_t>(b)]));
      double s_scale = 1.0;
      if (!w.sample.empty()) {
        std::nth_element(w.sample.begin(), w.sample.begin() + static_cast<std::ptrdiff_t>(w.sample.size() / 2),
                         w.sample.end());
        s_scale = w.sample[w.sample.size() / 2];
        if (!(s_scale > 0.0) || !std::isfinite(s_scale)) s_scale = 1.0;
      }
      const double half = 0.5 * nbk;
      w.count.assign(static_cast<size_t>(nbk) + 1, 0);
      w.s_alpha.assign(static_cast<size_t>(nbk), 0.0);
      w.s_beta.assign(static_cast<size_t>(nbk), 0.0);
      w.s_abs_beta.assign(static_cast<size_t>(nbk), 0.0);
      w.s_abs_alpha.assign(static_cast<size_t>(nbk), 0.0);
      w.s_M.assign(static_cast<size_t>(nbk) * 6, 0.0);
      w.lo.assign(static_cast<size_t>(nbk), std::numeric_limits<double>::infinity());
      w.hi.assign(static_cast<size_t>(nbk), -std::numeric_limits<double>::infinity());
      auto bucket_of = [&](double t) {
        const double u = t >= 0.0 ? 1.0 - s_scale / (t + s_scale) : s_scale / (s_scale - t) - 1.0;
        return std::min(nbk - 1, std::max(0, static_cast<int>((u + 1.0) * half)));
      };
      for (int b = 0; b < Ka; ++b) {
        const signed char f = w.f[static_cast<size_t>(b)];
        if (f == 0) continue;
        const double t = w.t[static_cast<size_t>(b)];
        const auto q = static_cast<size_t>(bucket_of(t));
        ++w.count[q + 1];
        w.s_alpha[q] += w.dalpha[static_cast<size_t>(b)];
        w.s_beta[q] += w.dbeta[static_cast<size_t>(b)];
        w.s_abs_alpha[q] += std::abs(w.dalpha[static_cast<size_t>(b)]);
        w.s_abs_beta[q] += std::abs(w.dbeta[static_cast<size_t>(b)]);
        const Eigen::Matrix2d& D = dM[static_cast<size_t>(b)];
        const Eigen::Vector2d& d = dm[static_cast<size_t>(b)];
        double* s = w.s_M.data() + 6 * q;
        s[0] += f * D(0, 0), s[1] += f * D(1, 0), s[2] += f * D(0, 1), s[3] += f * D(1, 1);
        s[4] += f * d(0), s[5] += f * d(1);
        w.lo[q] = std::min(w.lo[q], t);
        w.hi[q] = std::max(w.hi[q], t);
      }
      for (int q = 0; q < nbk; ++q) w.count[static_cast<size_t>(q) + 1] += w.count[static_cast<size_t>(q)];
      w.order.resize(static_cast<size_t>(n_cross));
      w.start = w.count;
      for (int b = 0; b < Ka; ++b)
        if (w.f[static_cast<size_t>(b)] != 0)
          w.order[static_cast<size_t>(w.start[static_cast<size_t>(bucket_of(w.t[static_cast<size_t>(b)]))]++)] = b;
      double prev_hi = tmin;
      for (int q = 0; q < nbk && !degenerate.load(std::memory_order_relaxed); ++q) {
        const auto qs = static_cast<size_t>(q);
        if (w.count[qs + 1] == w.count[qs]) continue;
        const double lo = w.lo[qs], hi = w.hi[qs];
        // Gap between the previous bucket's last crossing and this bucket's first: one edge.
        if (lo > prev_hi && zero_on(prev_hi, lo)) solve_edge(0.5 * (prev_hi + lo), M, m);
        // Can G_c vanish inside [lo, hi]?
        const double glo = alpha + beta * lo, lin_hi = glo + beta * (hi - lo);
        const double reach =
            w.s_abs_beta[qs] * (hi - lo) + zero_rel * ((acc_abs + w.s_abs_alpha[qs] + w.s_abs_beta[qs]) *
                                                       (1.0 + std::max(std::abs(lo), std::abs(hi))));
        const bool away = (glo > reach && lin_hi > reach) || (glo < -reach && lin_hi < -reach);
        if (!away) {
          w.sorted.clear();
          for (int r = w.count[qs]; r < w.count[qs + 1]; ++r) {
            const int b = w.order[static_cast<size_t>(r)];
            w.sorted.push_back({w.t[static_cast<size_t>(b)], b});
          }
          std::sort(w.sorted.begin(), w.sorted.end(), [](const Crossing& x, const Crossing& y) { return x.t < y.t; });
          for (size_t r = 0; r < w.sorted.size(); ++r) {
            const int b = w.sorted[r].b;
            const signed char f = w.f[static_cast<size_t>(b)];
            alpha += w.dalpha[static_cast<size_t>(b)];
            beta += w.dbeta[static_cast<size_t>(b)];
            acc_abs += std::abs(w.dalpha[static_cast<size_t>(b)]) + std::abs(w.dbeta[static_cast<size_t>(b)]);
            M += f * dM[static_cast<size_t>(b)];
            m += f * dm[static_cast<size_t>(b)];
            if (r + 1 < w.sorted.size()) {
              const double ta = w.sorted[r].t, tb = w.sorted[r + 1].t;
              if (tb > ta && zero_on(ta, tb)) solve_edge(0.5 * (ta + tb), M, m);
            }
          }
        } else {
          alpha += w.s_alpha[qs];
          beta += w.s_beta[qs];
          acc_abs += w.s_abs_alpha[qs] + w.s_abs_beta[qs];
          const double* s = w.s_M.data() + 6 * qs;
          M(0, 0) += s[0], M(1, 0) += s[1], M(0, 1) += s[2], M(1, 1) += s[3];
          m(0) += s[4], m(1) += s[5];
        }
        prev_hi = hi;
      }
      // Right unbounded edge (tmax, inf); alpha, beta are exact there up to rounding.
      {
        const double far = tmax + 1e6 * (1.0 + std::abs(tmax)) * (1.0 + std::abs(alpha / (beta != 0 ? beta : 1.0)));
        if (zero_on(tmax, far) || (beta != 0.0 && -alpha / beta >= tmax))
          solve_edge(tmax + (1.0 + std::abs(tmax)), M, m);
      }
    }
    n_solved += my_solved;
  }
  if (degenerate) return false;
  std::vector<Found> all;
  for (auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  std::sort(all.begin(), all.end(),
            [](const Found& x, const Found& y) { return x.line != y.line ? x.line < y.line : x.seq < y.seq; });
  for (const auto& f : all) out.points.emplace_back(Eigen::Vector2d(f.z0, f.z1));
  solved += n_solved.load();
  return true;
}

}  // namespace rnndyn::detail
