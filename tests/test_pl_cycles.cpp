// Exact k-cycles of piecewise-linear maps: a 1-D 2-cycle in closed form, the arrangement-based
// search against an independent brute force over activation-pattern k-tuples (no arrangement
// code) on random maps, direct checks of F^k(z) = z and the minimal period, multipliers against
// finite differences of F^k, continua, and input validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <complex>
#include <iostream>
#include <limits>
#include <random>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/piecewise_linear_cycles.hpp"
#include "rnndyn/fixed_points/piecewise_linear_cycles_json.hpp"
#include "rnndyn/fixed_points/piecewise_linear_fixed_points.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using testing::random_matrix;
using testing::random_vector;

PiecewiseLinearStructure one_dim_map(double a, double w, double h) {
  // z' = a z + w relu(z) + h as F(z) = A z + V relu(U z + c) + h.
  PiecewiseLinearStructure pl;
  pl.time = TimeKind::Map;
  pl.A = Matrix::Constant(1, 1, a);
  pl.U = Matrix::Constant(1, 1, 1.0);
  pl.c = Vector::Zero(1);
  pl.V = Matrix::Constant(1, 1, w);
  pl.h = Vector::Constant(1, h);
  pl.units = {Activation(ActivationKind::Relu)};
  return pl;
}

Vector iterate(const PiecewiseLinearStructure& pl, Vector z, int times) {
  for (int t = 0; t < times; ++t) z = pl.evaluate(z);
  return z;
}

TEST(PlCycles, OneDimensionalTwoCycleInClosedForm) {
  // z' = 0.5 z - 2 relu(z) + 1: slope a = 0.5 for z <= 0, b = a + w = -1.5 for z > 0.
  // A 2-cycle alternating between the pieces: z1 > 0, z2 = b z1 + h <= 0, z1 = a z2 + h, so
  // z1 = a (b z1 + h) + h, z1 = h (1 + a) / (1 - a b) = 1.5 / 1.75 = 6/7 > 0 and
  // z2 = -1.5 * 6/7 + 1 = -2/7 <= 0 (consistent). Multiplier a b = -0.75: stable.
  // No cycle within one piece (affine pieces have no isolated 2-cycles); the fixed point
  // z = h / (1 - b) = 0.4 > 0 (right piece) has period 1 and must not be listed.
  const auto pl = one_dim_map(0.5, -2.0, 1.0);
  const PlCycles r = find_cycles(pl, 2);
  EXPECT_EQ(r.status, PlCycleStatus::Complete);
  EXPECT_EQ(r.regions, 2);
  EXPECT_EQ(r.tuples_examined, 3);  // (0,0), (0,1), (1,1): one per cyclic class
  EXPECT_EQ(r.degenerate_tuples, 0);
  ASSERT_EQ(r.cycles.size(), 1u);
  const PlCycle& c = r.cycles[0];
  EXPECT_EQ(c.period, 2);
  ASSERT_EQ(c.points.size(), 2u);
  EXPECT_NEAR(c.points[0](0), -2.0 / 7.0, 1e-14);  // lexicographically smallest first
  EXPECT_NEAR(c.points[1](0), 6.0 / 7.0, 1e-14);
  EXPECT_EQ(c.patterns, (std::vector<std::vector<int>>{{0}, {1}}));
  ASSERT_EQ(c.multipliers.size(), 1);
  EXPECT_NEAR(c.multipliers(0).real(), -0.75, 1e-14);
  EXPECT_NEAR(c.multipliers(0).imag(), 0.0, 1e-14);
  EXPECT_EQ(c.stability.type, StabilityClass::StableNode);
  EXPECT_EQ(c.stability.n_stable, 1);
  EXPECT_LE(c.residual, 1e-15);
  EXPECT_FALSE(c.on_boundary);

  // Period 1 gives the fixed point 0.4, as find_fixed_points does.
  const PlCycles one = find_cycles(pl, 1);
  ASSERT_EQ(one.cycles.size(), 1u);
  EXPECT_NEAR(one.cycles[0].points[0](0), 0.4, 1e-14);
  const auto fps = find_fixed_points(pl);
  ASSERT_EQ(fps.fixed_points.size(), 1u);
  EXPECT_NEAR(fps.fixed_points[0].x(0), 0.4, 1e-14);

  // JSON shape.
  const auto j = to_json(r);
  EXPECT_EQ(j["period"], 2);
  EXPECT_EQ(j["status"], "complete");
  ASSERT_EQ(j["cycles"].size(), 1u);
  EXPECT_EQ(j["cycles"][0]["points"].size(), 2u);
  EXPECT_EQ(j["cycles"][0]["multipliers"][0].size(), 2u);
  EXPECT_EQ(j["cycles"][0]["stability"], "stable node");
}

// ---- Independent brute force: every k-tuple of activation patterns (prod_i pieces_i per step).

struct PatternMap {
  std::vector<int> pieces;
  Matrix M;
  Vector m;
};

std::vector<PatternMap> all_pattern_maps(const PiecewiseLinearStructure& pl) {
  const Index N = pl.hidden();
  std::vector<PatternMap> out;
  std::vector<int> p(static_cast<size_t>(N), 0);
  while (true) {
    Vector s(N), q(N);
    for (Index i = 0; i < N; ++i) {
      const auto pieces = pl.units[static_cast<size_t>(i)].pieces();
      s(i) = pieces[static_cast<size_t>(p[static_cast<size_t>(i)])].slope;
      q(i) = pieces[static_cast<size_t>(p[static_cast<size_t>(i)])].intercept;
    }
    // phi_i(a) = s_i a + q_i with a = U z + c on the piece.
    out.push_back({p, pl.A + pl.V * s.asDiagonal() * pl.U, pl.V * (s.cwiseProduct(pl.c) + q) + pl.h});
    Index i = 0;
    for (; i < N; ++i) {
      const int np = static_cast<int>(pl.units[static_cast<size_t>(i)].breakpoints().size()) + 1;
      if (++p[static_cast<size_t>(i)] < np) break;
      p[static_cast<size_t>(i)] = 0;
    }
    if (i == N) break;
  }
  return out;
}

/// z consistent with the pieces: each unit input lies in its piece's closed interval.
bool consistent(const PiecewiseLinearStructure& pl, const std::vector<int>& pieces, const Vector& z) {
  const Vector a = pl.U * z + pl.c;
  for (Index i = 0; i < pl.hidden(); ++i) {
    const auto bps = pl.units[static_cast<size_t>(i)].breakpoints();
    const int p = pieces[static_cast<size_t>(i)];
    const double tol = 1e-9 * (1.0 + std::abs(a(i)) + pl.U.row(i).lpNorm<1>() * z.lpNorm<Eigen::Infinity>());
    if (p > 0 && a(i) < bps[static_cast<size_t>(p - 1)] - tol) return false;
    if (p < static_cast<int>(bps.size()) && a(i) > bps[static_cast<size_t>(p)] + tol) return false;
  }
  return true;
}

bool same_cycle(const std::vector<Vector>& a, const std::vector<Vector>& b, double tol) {
  if (a.size() != b.size()) return false;
  const size_t k = a.size();
  for (size_t s = 0; s < k; ++s) {
    bool same = true;
    for (size_t j = 0; j < k && same; ++j)
      same = (a[j] - b[(j + s) % k]).lpNorm<Eigen::Infinity>() <= tol * std::max(1.0, a[j].lpNorm<Eigen::Infinity>());
    if (same) return true;
  }
  return false;
}

std::vector<std::vector<Vector>> brute_force_cycles(const PiecewiseLinearStructure& pl, int k, int& singular) {
  const auto maps = all_pattern_maps(pl);
  const Index R = pl.dim();
  const auto n = static_cast<std::int64_t>(maps.size());
  std::int64_t total = 1;
  for (int j = 0; j < k; ++j) total *= n;
  std::vector<std::vector<Vector>> found;
  singular = 0;
  for (std::int64_t idx = 0; idx < total; ++idx) {
    std::vector<std::int64_t> t(static_cast<size_t>(k));
    std::int64_t rest = idx;
    for (int j = 0; j < k; ++j, rest /= n) t[static_cast<size_t>(j)] = rest % n;
    Matrix P = Matrix::Identity(R, R);
    Vector q = Vector::Zero(R);
    for (int j = 0; j < k; ++j) {
      const auto& mp = maps[static_cast<size_t>(t[static_cast<size_t>(j)])];
      P = (mp.M * P).eval();
      q = (mp.M * q + mp.m).eval();
    }
    Eigen::FullPivLU<Matrix> lu(P - Matrix::Identity(R, R));
    lu.setThreshold(1e-10);
    if (lu.rank() < R) {
      ++singular;
      continue;
    }
    Vector z = lu.solve(-q);
    std::vector<Vector> pts;
    bool ok = true;
    for (int j = 0; j < k && ok; ++j) {
      const auto& mp = maps[static_cast<size_t>(t[static_cast<size_t>(j)])];
      ok = consistent(pl, mp.pieces, z);
      pts.push_back(z);
      z = mp.M * z + mp.m;
    }
    if (!ok) continue;
    // Minimal period k: no proper divisor d with z_{j+d} = z_j.
    bool minimal = true;
    for (int d = 1; d < k && minimal; ++d) {
      if (k % d) continue;
      bool same = true;
      for (int j = 0; j < k && same; ++j)
        same = (pts[static_cast<size_t>(j)] - pts[static_cast<size_t>((j + d) % k)]).lpNorm<Eigen::Infinity>() <=
               1e-8 * std::max(1.0, pts[static_cast<size_t>(j)].lpNorm<Eigen::Infinity>());
      minimal = !same;
    }
    if (!minimal) continue;
    bool dup = false;
    for (const auto& f : found) dup = dup || same_cycle(f, pts, 1e-8);
    if (!dup) found.push_back(pts);
  }
  return found;
}

PiecewiseLinearStructure random_map(Index R, Index N, std::mt19937& rng, bool with_hardtanh) {
  PiecewiseLinearStructure pl;
  pl.time = TimeKind::Map;
  pl.A = Matrix(random_vector(R, rng, 0.5).asDiagonal());
  pl.U = random_matrix(N, R, rng, 1.0);
  pl.c = random_vector(N, rng, 1.0);
  // Mostly negative feedback through each unit (V_i ~ -g_i U_i^T, g_i > 0) makes the map overshoot,
  // so that many draws have cycles; plus an unstructured part.
  const Vector g = random_vector(N, rng, 4.0 / std::sqrt(static_cast<double>(N))).cwiseAbs();
  pl.V = -(pl.U.transpose() * g.asDiagonal()) + random_matrix(R, N, rng, 0.5 / std::sqrt(static_cast<double>(N)));
  pl.h = random_vector(R, rng, 0.5);
  std::bernoulli_distribution ht(with_hardtanh ? 0.3 : 0.0);
  for (Index i = 0; i < N; ++i)
    pl.units.push_back(ht(rng) ? Activation(ActivationKind::Hardtanh) : Activation(ActivationKind::Relu));
  return pl;
}

bool lex_less_helper(const Vector& a, const Vector& b) {
  for (Index i = 0; i < a.size(); ++i)
    if (a(i) != b(i)) return a(i) < b(i);
  return false;
}

/// F^k(z_1) = z_1 to 1e-9 relative by direct evaluation, consecutive points map onto each other,
/// and no proper divisor d of k has F^d(z_1) = z_1.
void expect_cycles_valid(const PiecewiseLinearStructure& pl, const PlCycles& r) {
  for (const auto& c : r.cycles) {
    const int k = c.period;
    ASSERT_EQ(static_cast<int>(c.points.size()), k);
    const Vector& z1 = c.points[0];
    double scale = 1.0;
    for (const auto& p : c.points) scale = std::max(scale, p.lpNorm<Eigen::Infinity>());
    EXPECT_LE((iterate(pl, z1, k) - z1).lpNorm<Eigen::Infinity>(), 1e-9 * scale) << z1.transpose();
    for (int j = 0; j < k; ++j)
      EXPECT_LE((pl.evaluate(c.points[static_cast<size_t>(j)]) - c.points[static_cast<size_t>((j + 1) % k)])
                    .lpNorm<Eigen::Infinity>(),
                1e-9 * scale);
    for (int d = 1; d < k; ++d)
      if (k % d == 0) {
        EXPECT_GT((iterate(pl, z1, d) - z1).lpNorm<Eigen::Infinity>(), 1e-7 * scale);
      }
    EXPECT_LE(c.residual, 1e-9 * scale);
    for (const auto& p : c.points) EXPECT_FALSE(lex_less_helper(p, z1));
    ASSERT_EQ(c.patterns.size(), c.points.size());
    for (int j = 0; j < k; ++j)
      EXPECT_EQ(c.patterns[static_cast<size_t>(j)], pl.pattern_at(c.points[static_cast<size_t>(j)]));
    EXPECT_EQ(c.multipliers.size(), pl.dim());
  }
}

TEST(PlCycles, MatchesIndependentBruteForceOnRandomMaps) {
  std::mt19937 rng(4242);
  int networks = 0, with_cycles = 0, total_cycles = 0;
  for (int k : {2, 3})
    for (Index R : {1, 2})
      for (int rep = 0; rep < 50; ++rep) {
        const Index max_n = k == 2 ? 6 : 5;
        const Index N = 1 + rep % max_n;
        const bool hardtanh = N <= 3 && rep % 2 == 1;  // 3 pieces per unit: keep 3^(N k) small
        const auto pl = random_map(R, N, rng, hardtanh);
        const PlCycles r = find_cycles(pl, k);
        int singular = 0;
        const auto ref = brute_force_cycles(pl, k, singular);
        EXPECT_EQ(r.status, PlCycleStatus::Complete);
        if (!hardtanh) {
          EXPECT_EQ(r.regions, generic_region_count(N, std::min(R, N))) << "R=" << R << " N=" << N;
        }
        ASSERT_EQ(r.cycles.size(), ref.size()) << "k=" << k << " R=" << R << " N=" << N << " rep=" << rep;
        for (const auto& c : r.cycles) {
          bool found = false;
          for (const auto& f : ref) found = found || same_cycle(c.points, f, 1e-7);
          EXPECT_TRUE(found) << "k=" << k << " R=" << R << " N=" << N << " cycle at " << c.points[0].transpose();
        }
        EXPECT_EQ(singular, 0);
        EXPECT_EQ(r.degenerate_tuples, 0);
        expect_cycles_valid(pl, r);
        ++networks;
        with_cycles += !r.cycles.empty();
        total_cycles += static_cast<int>(r.cycles.size());
      }
  EXPECT_EQ(networks, 200);
  EXPECT_GE(with_cycles, 40) << "too few maps with cycles to test anything";
  std::cout << "[ info ] " << networks << " maps, " << with_cycles << " with cycles, " << total_cycles << " cycles\n";
}

TEST(PlCycles, PeriodOneEqualsFixedPoints) {
  std::mt19937 rng(99);
  for (int rep = 0; rep < 20; ++rep) {
    const auto pl = random_map(2, 1 + rep % 8, rng, false);
    const PlCycles r = find_cycles(pl, 1);
    const auto fps = find_fixed_points(pl);
    ASSERT_EQ(r.cycles.size(), fps.fixed_points.size());
    for (size_t q = 0; q < r.cycles.size(); ++q)
      EXPECT_TRUE(testing::near(r.cycles[q].points[0], fps.fixed_points[q].x, 1e-10, 1e-10));
  }
}

TEST(PlCycles, MultipliersMatchFiniteDifferenceJacobianOfIterate) {
  std::mt19937 rng(777);
  int checked = 0;
  for (int rep = 0; rep < 60 && checked < 30; ++rep) {
    const Index R = 2, N = 3 + rep % 5;
    const int k = 2 + rep % 3;
    const auto pl = random_map(R, N, rng, false);
    const PlCycles r = find_cycles(pl, k);
    for (const auto& c : r.cycles) {
      // Away from kinks (every unit input 1e-4 from its kink along the orbit), F^k is affine
      // near z_1 and central differences are exact up to round-off.
      bool far = true;
      for (const auto& z : c.points) far = far && (pl.U * z + pl.c).cwiseAbs().minCoeff() > 1e-4;
      if (!far) continue;
      const double h = 1e-7;
      Matrix J(R, R);
      for (Index j = 0; j < R; ++j) {
        Vector zp = c.points[0], zm = c.points[0];
        zp(j) += h;
        zm(j) -= h;
        J.col(j) = (iterate(pl, zp, k) - iterate(pl, zm, k)) / (2 * h);
      }
      EXPECT_TRUE(testing::near(c.monodromy, J, 1e-6, 1e-6));
      const ComplexVector fd = Eigen::EigenSolver<Matrix>(J).eigenvalues();
      for (Index q = 0; q < c.multipliers.size(); ++q) {
        double best = std::numeric_limits<double>::infinity();
        for (Index p = 0; p < fd.size(); ++p) best = std::min(best, std::abs(fd(p) - c.multipliers(q)));
        EXPECT_LE(best, 1e-5 * std::max(1.0, std::abs(c.multipliers(q))));
      }
      const Stability s = classify_spectrum(fd, TimeKind::Map);
      EXPECT_EQ(s.n_unstable, c.stability.n_unstable);
      ++checked;
    }
  }
  EXPECT_GE(checked, 10);
}

TEST(PlCycles, SingularTupleIsReportedAsContinuum) {
  // z' = -z + 1 (no hidden units, one region): every z != 1/2 has period 2, a line of 2-cycles.
  PiecewiseLinearStructure pl;
  pl.time = TimeKind::Map;
  pl.A = Matrix::Constant(1, 1, -1.0);
  pl.U.resize(0, 1);
  pl.c.resize(0);
  pl.V.resize(1, 0);
  pl.h = Vector::Constant(1, 1.0);
  const PlCycles r = find_cycles(pl, 2);
  EXPECT_TRUE(r.cycles.empty());
  EXPECT_EQ(r.regions, 1);
  EXPECT_EQ(r.degenerate_tuples, 1);
  ASSERT_EQ(r.continua.size(), 1u);
  const auto& c = r.continua[0];
  EXPECT_EQ(c.dimension, 1);
  EXPECT_EQ(c.tuple_period, 1);
  EXPECT_TRUE(c.meets_regions);
  EXPECT_TRUE(std::isinf(c.y_min) && std::isinf(c.y_max));
  // Any witness is periodic with period 2.
  EXPECT_NEAR(iterate(pl, c.witness, 2)(0), c.witness(0), 1e-12);

  // With a relu cutting the line, the continuum is clipped: z' = -z + 1 + relu(z - 3) has the
  // 2-cycles z <-> 1 - z only while both stay <= 3, i.e. z in [-2, 3]: an exact interval.
  pl.U = Matrix::Constant(1, 1, 1.0);
  pl.c = Vector::Constant(1, -3.0);
  pl.V = Matrix::Constant(1, 1, 1.0);
  pl.units = {Activation(ActivationKind::Relu)};
  const PlCycles r2 = find_cycles(pl, 2);
  ASSERT_GE(r2.continua.size(), 1u);
  const auto& c2 = r2.continua[0];
  EXPECT_EQ(c2.patterns, (std::vector<std::vector<int>>{{0}, {0}}));
  const double z_lo = std::min(c2.origin(0) + c2.basis(0, 0) * c2.y_min, c2.origin(0) + c2.basis(0, 0) * c2.y_max);
  const double z_hi = std::max(c2.origin(0) + c2.basis(0, 0) * c2.y_min, c2.origin(0) + c2.basis(0, 0) * c2.y_max);
  EXPECT_NEAR(z_lo, -2.0, 1e-8);
  EXPECT_NEAR(z_hi, 3.0, 1e-8);
}

TEST(PlCycles, PlrnnModelStructure) {
  // The discrete plrnn z' = A z + W relu(z - theta) + h through Model::piecewise_linear().
  const Plrnn model(TimeKind::Map, Matrix::Constant(1, 1, 0.5), Matrix::Constant(1, 1, -2.0), Vector::Zero(1),
                    Vector::Constant(1, 1.0));
  const PlCycles r = find_cycles(*model.piecewise_linear(), 2);
  ASSERT_EQ(r.cycles.size(), 1u);
  EXPECT_NEAR(r.cycles[0].points[0](0), -2.0 / 7.0, 1e-14);
}

TEST(PlCycles, FlowsAndBadOptionsAreRejected) {
  auto pl = one_dim_map(0.5, -2.0, 1.0);
  pl.time = TimeKind::Flow;
  try {
    find_cycles(pl, 2);
    FAIL() << "a flow was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "cycles");
    EXPECT_NE(std::string(e.what()).find("discrete-time"), std::string::npos);
  }
  pl.time = TimeKind::Map;
  EXPECT_THROW(find_cycles(pl, 0), InputError);
  auto field_of = [&](auto mutate) {
    PlCycleOptions o;
    mutate(o);
    try {
      o.validate();
    } catch (const InputError& e) {
      return e.field();
    }
    return std::string("none");
  };
  EXPECT_EQ(field_of([](PlCycleOptions& o) { o.max_tuples = 0; }), "max_tuples");
  EXPECT_EQ(field_of([](PlCycleOptions& o) { o.region_tol = -1; }), "region_tol");
  EXPECT_EQ(field_of([](PlCycleOptions& o) { o.singular_tol = 0; }), "singular_tol");
  EXPECT_EQ(field_of([](PlCycleOptions& o) { o.dedup_tol = 1; }), "dedup_tol");
  EXPECT_EQ(field_of([](PlCycleOptions& o) { o.max_continua = -1; }), "max_continua");
  EXPECT_EQ(field_of([](PlCycleOptions& o) { o.stability.marginal_tol = -1; }), "stability.marginal_tol");
  EXPECT_EQ(field_of([](PlCycleOptions&) {}), "none");
  // Size limit: 2 regions, period 3: 1 + 4 = 5 tuples.
  PlCycleOptions o;
  o.max_tuples = 4;
  try {
    find_cycles(pl, 3, o);
    FAIL() << "limit not enforced";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "max_tuples");
  }
  o.force = true;
  EXPECT_NO_THROW(find_cycles(pl, 3, o));
}

}  // namespace
}  // namespace rnndyn
