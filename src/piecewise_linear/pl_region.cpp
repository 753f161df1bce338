// The region-level pieces of the piecewise-linear fixed-point search: preparing the hyperplane
// arrangement {n_k . z + o_k = 0}, the region's affine map F(z) = M z + m kept up to date by
// rank-one updates, and the fixed-point test of one region, (M - delta I) z + m = 0 (seed 001,
// eq. 4 with delta = 1 for maps; delta = 0 for flows), including singular but consistent systems
// (continua such as the line attractors of seed 000).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "pl_detail.hpp"

namespace rnndyn::detail {

PlPrepared prepare(const PiecewiseLinearStructure& pl) {
  PlPrepared P;
  P.R = pl.dim();
  P.N = pl.hidden();
  P.delta = pl.time == TimeKind::Map ? 1.0 : 0.0;
  P.A = pl.A;
  P.Ut = pl.U.transpose();
  P.V = pl.V;
  P.c = pl.c;
  P.h = pl.h;
  P.breakpoints.resize(static_cast<size_t>(P.N));
  P.slope.resize(static_cast<size_t>(P.N));
  P.shift.resize(static_cast<size_t>(P.N));
  for (Index i = 0; i < P.N; ++i) {
    const auto& act = pl.units[static_cast<size_t>(i)];
    P.breakpoints[static_cast<size_t>(i)] = act.breakpoints();
    for (const auto& piece : act.pieces()) {
      P.slope[static_cast<size_t>(i)].push_back(piece.slope);
      P.shift[static_cast<size_t>(i)].push_back(piece.slope * pl.c(i) + piece.intercept);
    }
    for (size_t b = 0; b < P.breakpoints[static_cast<size_t>(i)].size(); ++b) {
      P.unit_of.push_back(i);
      P.bp_of.push_back(static_cast<int>(b));
    }
  }
  P.K = static_cast<Index>(P.unit_of.size());
  for (Index k = 0; k < P.K; ++k) {
    const auto i = static_cast<size_t>(P.unit_of[static_cast<size_t>(k)]);
    const auto b = static_cast<size_t>(P.bp_of[static_cast<size_t>(k)]);
    P.dslope.push_back(P.slope[i][b + 1] - P.slope[i][b]);
    P.dshift.push_back(P.shift[i][b + 1] - P.shift[i][b]);
  }
  P.outer.resize(P.R * P.R, P.N);
  for (Index i = 0; i < P.N; ++i)
    Eigen::Map<Matrix>(P.outer.col(i).data(), P.R, P.R) = P.V.col(i) * P.Ut.col(i).transpose();
  P.NT.resize(P.R, P.K);
  P.offsets.resize(P.K);
  P.norm1.resize(P.K);
  P.constant_sign.assign(static_cast<size_t>(P.K), -1);
  for (Index k = 0; k < P.K; ++k) {
    const Index i = P.unit_of[static_cast<size_t>(k)];
    P.NT.col(k) = pl.U.row(i).transpose();
    P.offsets(k) =
        pl.c(i) - P.breakpoints[static_cast<size_t>(i)][static_cast<size_t>(P.bp_of[static_cast<size_t>(k)])];
    P.norm1(k) = P.NT.col(k).lpNorm<1>();
    if (P.NT.col(k).lpNorm<Eigen::Infinity>() > 0.0)
      P.active.push_back(k);
    else  // a unit with U_i = 0 sits on one piece everywhere (the left one when exactly at a kink)
      P.constant_sign[static_cast<size_t>(k)] = P.offsets(k) > 0.0 ? 1 : -1;
  }
  // Work in the span of the normals: along its orthogonal complement nothing switches, so every
  // region is a product of a pointed region of the span and that complement.
  const Index Ka = static_cast<Index>(P.active.size());
  Matrix Nn(Ka, P.R);
  Vector on(Ka);
  for (Index a = 0; a < Ka; ++a) {
    const Index k = P.active[static_cast<size_t>(a)];
    const double nrm = P.NT.col(k).stableNorm();  // no overflow for weights near 1e160
    Nn.row(a) = P.NT.col(k).transpose() / nrm;
    on(a) = P.offsets(k) / nrm;
  }
  if (Ka == 0) {
    P.D = 0;
    P.G.resize(0, 0);
    P.go.resize(0);
    return P;
  }
  Eigen::JacobiSVD<Matrix> svd(Nn, Eigen::ComputeThinV);
  const Vector sv = svd.singularValues();
  Index rank = 0;
  for (Index j = 0; j < sv.size(); ++j)
    if (sv(j) > 1e-12 * sv(0) * std::sqrt(static_cast<double>(std::max(Ka, P.R)))) ++rank;
  P.D = rank;
  P.G = Nn * svd.matrixV().leftCols(rank);
  // Rows keep unit length up to the (tiny) part outside the span; renormalise for clean distances.
  for (Index a = 0; a < Ka; ++a) {
    const double nrm = P.G.row(a).norm();
    P.G.row(a) /= nrm;
    on(a) /= nrm;
  }
  P.go = on;
  return P;
}

RegionTracker::RegionTracker(const PlPrepared& prepared) : P(&prepared) {
  sign.assign(static_cast<size_t>(P->K), -1);
  piece.assign(static_cast<size_t>(P->N), 0);
}

void RegionTracker::reset(const std::vector<signed char>& signs) {
  sign = signs;
  std::fill(piece.begin(), piece.end(), 0);
  for (Index k = 0; k < P->K; ++k)
    if (sign[static_cast<size_t>(k)] > 0) ++piece[static_cast<size_t>(P->unit_of[static_cast<size_t>(k)])];
  // M = A + sum_i s_i V_i U_i^T, m = h + sum_i shift_i V_i (column sums, no temporaries).
  const Index R = P->R;
  M = P->A;
  m = P->h;
  double* mm = M.data();
  for (Index i = 0; i < P->N; ++i) {
    const auto p = static_cast<size_t>(piece[static_cast<size_t>(i)]);
    const double s = P->slope[static_cast<size_t>(i)][p];
    const double q = P->shift[static_cast<size_t>(i)][p];
    if (s != 0.0) {
      const double* op = P->outer.col(i).data();
      for (Index r = 0; r < R * R; ++r) mm[r] += s * op[r];
    }
    if (q != 0.0) m += q * P->V.col(i);
  }
}

void RegionTracker::set(Index k, signed char s) {
  auto& cur = sign[static_cast<size_t>(k)];
  if (cur == s) return;
  cur = s;
  // Crossing hyperplane k (unit i, breakpoint b) moves unit i between pieces b and b + 1:
  // M changes by +-(s_{b+1} - s_b) V_i U_i^T and m by +-(shift_{b+1} - shift_b) V_i.
  const Index i = P->unit_of[static_cast<size_t>(k)];
  const double f = s > 0 ? 1.0 : -1.0;
  piece[static_cast<size_t>(i)] += s > 0 ? 1 : -1;
  const double ds = f * P->dslope[static_cast<size_t>(k)];
  const double dq = f * P->dshift[static_cast<size_t>(k)];
  const Index R = P->R;
  if (ds != 0.0) {
    const double* op = P->outer.col(i).data();
    double* mm = M.data();
    for (Index q = 0; q < R * R; ++q) mm[q] += ds * op[q];
  }
  if (dq != 0.0) {
    const double* v = P->V.col(i).data();
    for (Index a = 0; a < R; ++a) m(a) += dq * v[a];
  }
}

bool in_closed_region(const PlPrepared& P, const std::vector<signed char>& sign, const Vector& z, double tol) {
  const double zinf = z.lpNorm<Eigen::Infinity>();
  const Index R = P.R;
  for (Index k = 0; k < P.K; ++k) {
    const double* n = P.NT.col(k).data();
    double v = P.offsets(k);
    for (Index a = 0; a < R; ++a) v += n[a] * z(a);
    if (sign[static_cast<size_t>(k)] * v < -tol * (P.norm1(k) * zinf + std::abs(P.offsets(k)))) return false;
  }
  return true;
}

namespace {

/// 2^-e with 2^(e-1) <= x < 2^e: scales x into [0.5, 1) exactly; 1 for x = 0.
double pow2_inverse(double x) {
  if (!(x > 0.0) || !std::isfinite(x)) return 1.0;
  // Normal x with a normal result: from the exponent bits (frexp and ldexp are library calls,
  // a third of the level-set walk's region solves for R = 4).
  std::uint64_t bits = 0;
  std::memcpy(&bits, &x, sizeof bits);
  const auto biased = static_cast<int>(bits >> 52);  // x > 0: no sign bit
  if (biased >= 1 && biased <= 2044) {
    const std::uint64_t r = static_cast<std::uint64_t>(2045 - biased) << 52;
    double out = 0.0;
    std::memcpy(&out, &r, sizeof out);
    return out;
  }
  int e = 0;
  std::frexp(x, &e);
  return std::ldexp(1.0, -e);
}

}  // namespace

double equilibrated_lu_solve(double* g, Index rs, Index cs, Index n, double* rhs, double* z) {
  auto at = [&](Index r, Index c) -> double& { return g[r * rs + c * cs]; };
  // Row scaling (rhs with it), then column scaling; z holds the column scales until the end.
  for (Index r = 0; r < n; ++r) {
    double mx = 0.0;
    for (Index c = 0; c < n; ++c) mx = std::max(mx, std::abs(at(r, c)));
    if (mx == 0.0) return 0.0;
    const double f = pow2_inverse(mx);
    for (Index c = 0; c < n; ++c) at(r, c) *= f;
    rhs[r] *= f;
  }
  for (Index c = 0; c < n; ++c) {
    double mx = 0.0;
    for (Index r = 0; r < n; ++r) mx = std::max(mx, std::abs(at(r, c)));
    if (mx == 0.0) return 0.0;
    z[c] = pow2_inverse(mx);
    for (Index r = 0; r < n; ++r) at(r, c) *= z[c];
  }
  double min_pivot = std::numeric_limits<double>::infinity();
  for (Index col = 0; col < n; ++col) {
    Index piv = col;
    for (Index r = col + 1; r < n; ++r)
      if (std::abs(at(r, col)) > std::abs(at(piv, col))) piv = r;
    min_pivot = std::min(min_pivot, std::abs(at(piv, col)));
    if (!(min_pivot > 0.0)) return 0.0;
    if (piv != col) {
      for (Index c = 0; c < n; ++c) std::swap(at(piv, c), at(col, c));
      std::swap(rhs[piv], rhs[col]);
    }
    for (Index r = col + 1; r < n; ++r) {
      const double f = at(r, col) / at(col, col);
      if (f == 0.0) continue;
      for (Index c = col; c < n; ++c) at(r, c) -= f * at(col, c);
      rhs[r] -= f * rhs[col];
    }
  }
  // Back substitution for y (overwriting rhs), then z = D_c y.
  for (Index r = n - 1; r >= 0; --r) {
    double v = rhs[r];
    for (Index c = r + 1; c < n; ++c) v -= at(r, c) * rhs[c];
    rhs[r] = v / at(r, r);
  }
  for (Index r = 0; r < n; ++r) z[r] *= rhs[r];
  return n == 0 ? 1.0 : min_pivot;
}

bool lu_solve_in_place(Matrix& G, Vector& rhs, double tol, Vector& z) {
  const Index n = G.rows();
  z.resize(n);
  if (n == 0) return true;
  return equilibrated_lu_solve(G.data(), 1, n, n, rhs.data(), z.data()) > tol;
}

namespace {

/// Sutherland-Hodgman clip of a convex polygon (columns) by {y : a . y <= b}.
Matrix clip_polygon(const Matrix& poly, const Vector& a, double b) {
  std::vector<Vector> out;
  const Index n = poly.cols();
  for (Index i = 0; i < n; ++i) {
    const Vector p = poly.col(i), q = poly.col((i + 1) % n);
    const double fp = a.dot(p) - b, fq = a.dot(q) - b;
    if (fp <= 0) out.push_back(p);
    if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) out.push_back(p + (fp / (fp - fq)) * (q - p));
  }
  Matrix r(2, static_cast<Index>(out.size()));
  for (size_t i = 0; i < out.size(); ++i) r.col(static_cast<Index>(i)) = out[i];
  return r;
}

/// Row and column scales (powers of two) that give every row, then every column, of G unit
/// max-norm, as in equilibrated_lu_solve; zero rows and columns keep scale 1.
void equilibrate(const Matrix& G, Vector& dr, Vector& dc) {
  dr.resize(G.rows());
  dc.resize(G.cols());
  for (Index r = 0; r < G.rows(); ++r) dr(r) = pow2_inverse(G.row(r).cwiseAbs().maxCoeff());
  const Matrix Gr = dr.asDiagonal() * G;
  for (Index c = 0; c < G.cols(); ++c) dc(c) = pow2_inverse(Gr.col(c).cwiseAbs().maxCoeff());
}

/// Returns false when G z = -m is inconsistent; else the least-norm solution z0 and an orthonormal
/// basis B of the null space. The rank is decided on the equilibrated matrix D_r G D_c (singular
/// values > singular_tol times the largest), so it does not depend on the scale of the weights:
/// G z = -m is (D_r G D_c) y = -D_r m with z = D_c y.
bool singular_solution_set(const Matrix& G, const Vector& m, double singular_tol, Vector& z0, Matrix& B) {
  const Index R = G.rows();
  Vector dr, dc;
  equilibrate(G, dr, dc);
  const Matrix Ge = dr.asDiagonal() * G * dc.asDiagonal();
  const Vector me = dr.asDiagonal() * m;
  Eigen::JacobiSVD<Matrix> svd(Ge, Eigen::ComputeFullU | Eigen::ComputeFullV);
  const Vector sv = svd.singularValues();
  Index rank = 0;
  for (Index j = 0; j < R; ++j)
    if (sv(j) > singular_tol * std::max(sv(0), std::numeric_limits<double>::min())) ++rank;
  const Matrix Ur = svd.matrixU().leftCols(rank), Vr = svd.matrixV().leftCols(rank);
  const Vector y0 = -(Vr * (sv.head(rank).cwiseInverse().asDiagonal() * (Ur.transpose() * me)));
  // Consistency: the least-squares solution must solve the equilibrated system up to rounding.
  const double res = (Ge * y0 + me).lpNorm<Eigen::Infinity>();
  const double scale = (Ge.cwiseAbs() * y0.cwiseAbs()).lpNorm<Eigen::Infinity>() + me.lpNorm<Eigen::Infinity>();
  if (res > 1e-9 * scale + 1e-300) return false;
  const Index dim = R - rank;
  B = Eigen::HouseholderQR<Matrix>(dc.asDiagonal() * svd.matrixV().rightCols(dim)).householderQ() *
      Matrix::Identity(R, dim);
  z0 = dc.asDiagonal() * y0;
  z0 -= B * (B.transpose() * z0);  // the least-norm point of z0 + span(B)
  return true;
}

void continuum(const RegionTracker& t, const Matrix& G, const PiecewiseLinearFixedPointOptions& o, CellOutput& out) {
  const PlPrepared& P = *t.P;
  const Index R = P.R;
  Vector z0;
  Matrix B;
  if (!singular_solution_set(G, t.m, o.singular_tol, z0, B)) return;
  const Index dim = B.cols();
  if (dim == 0) {  // full rank after all (the SVD is sharper than the LU's pivots)
    if (in_closed_region(P, t.sign, z0, o.region_tol)) out.points.push_back(z0);
    return;
  }
  // Region constraints s_k (n_k . (z0 + B y) + o_k) >= 0 as rows a y <= b.
  std::vector<Vector> rows;
  std::vector<double> rhs;
  const double zinf = z0.lpNorm<Eigen::Infinity>();
  for (Index k = 0; k < P.K; ++k) {
    const double s = t.sign[static_cast<size_t>(k)];
    const Vector a = -s * (B.transpose() * P.NT.col(k));
    const double b = s * (P.NT.col(k).dot(z0) + P.offsets(k));
    const double tol = o.region_tol * (P.norm1(k) * zinf + std::abs(P.offsets(k)));
    if (a.lpNorm<Eigen::Infinity>() <= 1e-12 * P.norm1(k)) {
      if (b < -tol) return;  // the affine set misses the region
      continue;
    }
    rows.push_back(a);
    rhs.push_back(b);
  }
  PlContinuum cont;
  cont.pattern = t.piece;
  cont.dimension = dim;
  cont.origin = z0;
  cont.basis = B;
  cont.inequalities_A.resize(static_cast<Index>(rows.size()), dim);
  cont.inequalities_b.resize(static_cast<Index>(rows.size()));
  for (size_t r = 0; r < rows.size(); ++r) {
    cont.inequalities_A.row(static_cast<Index>(r)) = rows[r].transpose();
    cont.inequalities_b(static_cast<Index>(r)) = rhs[r];
  }
  const double len_tol = 1e3 * o.region_tol * std::max(1.0, zinf);
  if (dim == 1) {
    double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    for (size_t r = 0; r < rows.size(); ++r) {
      const double a = rows[r](0);
      if (a > 0)
        hi = std::min(hi, rhs[r] / a);
      else
        lo = std::max(lo, rhs[r] / a);
    }
    if (lo > hi + len_tol) return;
    if (hi - lo <= len_tol) {  // the set touches the region in one point: an isolated fixed point
      out.points.push_back(z0 + B.col(0) * (0.5 * (lo + hi)));
      return;
    }
    cont.y_min = lo;
    cont.y_max = hi;
    cont.bounded = std::isfinite(lo) && std::isfinite(hi);
    cont.shape = cont.bounded ? "segment" : (std::isfinite(lo) || std::isfinite(hi)) ? "ray" : "line";
    std::vector<Vector> ends;
    if (std::isfinite(lo)) ends.push_back(z0 + lo * B.col(0));
    if (std::isfinite(hi)) ends.push_back(z0 + hi * B.col(0));
    cont.vertices.resize(R, static_cast<Index>(ends.size()));
    for (size_t e = 0; e < ends.size(); ++e) cont.vertices.col(static_cast<Index>(e)) = ends[e];
  } else if (dim == 2) {
    const double L = 1e6 * std::max(1.0, zinf);
    const auto clip = [&](const Vector& lo, const Vector& hi) {
      Matrix poly(2, 4);
      poly << lo(0), hi(0), hi(0), lo(0), lo(1), lo(1), hi(1), hi(1);
      for (size_t r = 0; r < rows.size() && poly.cols() > 0; ++r) poly = clip_polygon(poly, rows[r], rhs[r]);
      return poly;
    };
    Matrix poly = clip(Vector::Constant(2, -L), Vector::Constant(2, L));
    if (poly.cols() == 0) return;
    double extent = 0.0;
    for (Index j = 0; j < poly.cols(); ++j) extent = std::max(extent, (poly.col(j) - poly.col(0)).norm());
    if (extent <= len_tol) {
      out.points.push_back(z0 + B * poly.col(0));
      return;
    }
    cont.bounded = poly.cwiseAbs().maxCoeff() < L * (1 - 1e-9);
    if (cont.bounded) {
      // Clipped again from a box just around it: the corners of the first clip carry the large
      // box's rounding (L eps, ~1e-10 at L = 1e6), those of the second the polygon's own.
      const Vector lo = poly.rowwise().minCoeff(), hi = poly.rowwise().maxCoeff();
      const double pad = 0.5 * (hi - lo).maxCoeff() + 1e-9 * L;
      const Matrix tight = clip(lo.array() - pad, hi.array() + pad);
      if (tight.cols() > 0) poly = tight;
    }
    cont.shape = cont.bounded ? "polygon" : "unbounded polygon";
    cont.vertices = (B * poly).colwise() + z0;
  } else {
    cont.shape = "polyhedron";
  }
  out.continua.push_back(std::move(cont));
}

}  // namespace

namespace {

/// s_k (n_k . z + o_k) >= -tol (|n_k|_1 |z|_inf + |o_k|) for the hyperplanes `first`, then all.
bool raw_in_region(const PlPrepared& P, const std::vector<signed char>& sign, const double* z, double tol,
                   const Index* first, int n_first) {
  const Index R = P.R;
  double zinf = 0.0;
  for (Index a = 0; a < R; ++a) zinf = std::max(zinf, std::abs(z[a]));
  auto ok = [&](Index k) {
    const double* n = P.NT.col(k).data();
    double v = P.offsets(k);
    for (Index a = 0; a < R; ++a) v += n[a] * z[a];
    return sign[static_cast<size_t>(k)] * v >= -tol * (P.norm1(k) * zinf + std::abs(P.offsets(k)));
  };
  for (int q = 0; q < n_first; ++q)
    if (!ok(first[q])) return false;
  for (Index k = 0; k < P.K; ++k)
    if (!ok(k)) return false;
  return true;
}

}  // namespace

void evaluate_cell(const RegionTracker& t, const PiecewiseLinearFixedPointOptions& o, CellOutput& out,
                   const Index* first, int n_first) {
  const PlPrepared& P = *t.P;
  const Index R = P.R;
  // Small latent dimension (the common case) works on the stack; the hyperplanes through the
  // region's lowest vertex (`first`) reject most candidates: the solution of another region's
  // system rarely lies in this vertex's cone.
  double g_small[64], rhs_small[8], z_small[8];
  std::vector<double> g_big, rhs_big, z_big;
  double *g = g_small, *rhs = rhs_small, *z = z_small;
  if (R > 8) {
    g_big.resize(static_cast<size_t>(R * R));
    rhs_big.resize(static_cast<size_t>(R));
    z_big.resize(static_cast<size_t>(R));
    g = g_big.data(), rhs = rhs_big.data(), z = z_big.data();
  }
  for (Index b = 0; b < R; ++b)
    for (Index a = 0; a < R; ++a) g[a * R + b] = t.M(a, b) - (a == b ? P.delta : 0.0);
  for (Index a = 0; a < R; ++a) rhs[a] = -t.m(a);
  const double pivot = equilibrated_lu_solve(g, R, 1, R, rhs, z);
  if (pivot > o.singular_tol) {
    if (raw_in_region(P, t.sign, z, o.region_tol, first, n_first))
      out.points.emplace_back(Eigen::Map<const Vector>(z, R));
    return;
  }
  Matrix G = t.M;
  G.diagonal().array() -= P.delta;
  const std::size_t before = out.points.size() + out.continua.size();
  continuum(t, G, o, out);
  // Nothing consistent was found, yet the nearly singular system has a solution inside the
  // region: whether it is a fixed point cannot be decided at this conditioning.
  if (out.points.size() + out.continua.size() == before && pivot > kRoundingPivot &&
      raw_in_region(P, t.sign, z, o.region_tol, first, n_first))
    out.undecided.push_back(t.piece);
}

}  // namespace rnndyn::detail
