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

#include "pl_example_maps.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using examples::plrnn_10d;
using examples::plrnn_2d;

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
        const Index max_n = k == 2 ? 6 : 4;  // brute force: 2^(N k) pattern tuples per map
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
  EXPECT_EQ(field_of([](PlCycleOptions& o) { o.max_nodes = 0; }), "max_nodes");
  EXPECT_EQ(field_of([](PlCycleOptions& o) { o.time_limit = 0; }), "time_limit");
  EXPECT_EQ(field_of([](PlCycleOptions& o) { o.inner_loops = 0; }), "inner_loops");
  EXPECT_EQ(field_of([](PlCycleOptions& o) { o.outer_loops = -1; }), "outer_loops");
  try {
    parse_pl_cycle_method("exhaustive", "--cycle-method");
    FAIL() << "bad method accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "--cycle-method");
  }
  EXPECT_EQ(parse_pl_cycle_method("tuples"), PlCycleMethod::Tuples);
  // Size limit of the tuple method: 2 regions, period 3: 1 + 4 = 5 tuples.
  PlCycleOptions o;
  o.method = PlCycleMethod::Tuples;
  o.max_tuples = 4;
  try {
    find_cycles(pl, 3, o);
    FAIL() << "limit not enforced";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "max_tuples");
  }
  o.force = true;
  EXPECT_NO_THROW(find_cycles(pl, 3, o));
  o.method = PlCycleMethod::Pruned;  // the pruned search has a budget instead
  o.force = false;
  EXPECT_NO_THROW(find_cycles(pl, 3, o));
}

// ---- The pruned search against the tuple search, long periods, budgets, progress.

PlCycles run_method(const PiecewiseLinearStructure& pl, int k, PlCycleMethod method) {
  PlCycleOptions o;
  o.method = method;
  o.force = true;
  return find_cycles(pl, k, o);
}

/// Every cycle of `a` is in `b` and vice versa (up to a cyclic shift, 1e-8 relative).
void expect_same_cycles(const PlCycles& a, const PlCycles& b, const std::string& what) {
  ASSERT_EQ(a.cycles.size(), b.cycles.size()) << what;
  for (const auto& c : a.cycles) {
    bool found = false;
    for (const auto& d : b.cycles) found = found || same_cycle(c.points, d.points, 1e-8);
    EXPECT_TRUE(found) << what << ": cycle at " << c.points[0].transpose();
  }
}

/// z' = A z + V relu(U z + c) + h with A a rotation by a random angle scaled by 0.8-1.0 (first
/// two coordinates; the others contract by 0.5) and a weak random relu part: such maps have
/// cycles of many periods, unlike most draws of random_map.
PiecewiseLinearStructure near_rotation(Index R, Index N, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  PiecewiseLinearStructure pl;
  pl.time = TimeKind::Map;
  pl.A = 0.5 * Matrix::Identity(R, R);
  const double angle = 2.0 * 3.14159265358979 * (0.1 + 0.4 * u(rng)), rho = 0.8 + 0.2 * u(rng);
  pl.A.topLeftCorner(2, 2) << rho * std::cos(angle), -rho * std::sin(angle), rho * std::sin(angle),
      rho * std::cos(angle);
  pl.U = random_matrix(N, R, rng, 1.0);
  pl.c = random_vector(N, rng, 0.5);
  pl.V = random_matrix(R, N, rng, 0.6);
  pl.h = random_vector(R, rng, 0.5);
  for (Index i = 0; i < N; ++i) pl.units.push_back(Activation(ActivationKind::Relu));
  return pl;
}

/// F(z_j) = z_{j+1} step by step to 1e-7 relative (strongly unstable cycles amplify the rounding
/// of the solve along the orbit, so F^k(z_1) = z_1 is not checked at all).
void expect_steps_valid(const PiecewiseLinearStructure& pl, const PlCycles& r) {
  for (const auto& c : r.cycles) {
    const int k = c.period;
    ASSERT_EQ(static_cast<int>(c.points.size()), k);
    double scale = 1.0;
    for (const auto& p : c.points) scale = std::max(scale, p.lpNorm<Eigen::Infinity>());
    for (int j = 0; j < k; ++j)
      EXPECT_LE((pl.evaluate(c.points[static_cast<size_t>(j)]) - c.points[static_cast<size_t>((j + 1) % k)])
                    .lpNorm<Eigen::Infinity>(),
                1e-7 * scale);
  }
}

TEST(PlCycles, PrunedSearchEqualsTupleSearchOnRandomMaps) {
  // R = 1 and 2 use the cone clipping, R = 3 and 10 the LP; hardtanh gives two kinks per unit.
  struct Case {
    Index R, N;
    int max_period, reps;
  };
  const Case cases[] = {{1, 3, 6, 10}, {2, 2, 6, 20}, {2, 3, 6, 4}, {3, 2, 6, 8},
                        {2, 4, 4, 4},  {3, 3, 4, 6},  {3, 4, 3, 3}, {10, 3, 4, 2}};
  std::mt19937 rng(2027);
  int compared = 0, cycles = 0;
  for (const Case& cs : cases)
    for (int rep = 0; rep < cs.reps; ++rep) {
      const bool hardtanh = cs.N <= 3 && rep % 3 == 1;
      const auto pl =
          rep % 2 == 0 && cs.R >= 2 ? near_rotation(cs.R, cs.N, rng) : random_map(cs.R, cs.N, rng, hardtanh);
      for (int k = 2; k <= (hardtanh ? 3 : cs.max_period); ++k) {
        const PlCycles tuples = run_method(pl, k, PlCycleMethod::Tuples);
        const PlCycles pruned = run_method(pl, k, PlCycleMethod::Pruned);
        const std::string what = "R=" + std::to_string(cs.R) + " N=" + std::to_string(cs.N) +
                                 " k=" + std::to_string(k) + " rep=" + std::to_string(rep);
        EXPECT_EQ(pruned.status, PlCycleStatus::Complete) << what;
        EXPECT_TRUE(pruned.stopped_by.empty()) << what;
        EXPECT_EQ(pruned.heuristic_solves, 0) << what;
        EXPECT_LE(pruned.tuples_examined, tuples.tuples_examined) << what;
        expect_same_cycles(pruned, tuples, what);
        expect_steps_valid(pl, pruned);
        for (const auto& c : pruned.cycles) EXPECT_EQ(c.found_by, PlCycleSource::Exhaustive);
        ++compared;
        cycles += static_cast<int>(pruned.cycles.size());
      }
    }
  EXPECT_GE(cycles, 40) << "too few cycles to compare anything";
  std::cout << "[ info ] " << compared << " searches compared, " << cycles << " cycles\n";
}

TEST(PlCycles, CycleThroughAKinkIsKeptByThePrunedSearch) {
  // z' = 0.5 z - 1.5 relu(z) + 1: F(0) = 1, F(1) = 0.5 - 1.5 + 1 = 0, a 2-cycle with a point
  // exactly on the kink, where the prefix sets touch the hyperplane in one point: too thin to
  // decide, so they must be kept. Both methods find it (and the tuple (right, right) is a
  // continuum: slope -1 twice gives the multiplier 1).
  for (double scale : {1.0, 1e-5, 1e5}) {
    const auto pl = one_dim_map(0.5, -1.5, scale);
    const PlCycles pruned = run_method(pl, 2, PlCycleMethod::Pruned);
    const PlCycles tuples = run_method(pl, 2, PlCycleMethod::Tuples);
    expect_same_cycles(pruned, tuples, "kink, scale " + std::to_string(scale));
    ASSERT_GE(pruned.cycles.size(), 1u);
    bool kink = false;
    for (const auto& c : pruned.cycles)
      kink = kink || (std::abs(c.points[0](0)) <= 1e-12 * scale && std::abs(c.points[1](0) - scale) <= 1e-12 * scale);
    EXPECT_TRUE(kink) << "scale " << scale;
    EXPECT_EQ(pruned.continua.size(), tuples.continua.size());
  }
}

TEST(PlCycles, PrunedSearchEqualsTupleSearchOnDegenerateArrangements) {
  // Three lines through one point (listed sign choices that are not open regions) and a
  // hyperplane given twice: the prefix sets touch in points and lines, which must not be pruned.
  std::mt19937 rng(77);
  int cycles = 0;
  for (int rep = 0; rep < 10; ++rep) {
    auto pl = near_rotation(2, 4, rng);
    pl.U << 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0;
    pl.c.setZero();
    for (int k = 2; k <= 4; ++k) {
      const PlCycles tuples = run_method(pl, k, PlCycleMethod::Tuples);
      const PlCycles pruned = run_method(pl, k, PlCycleMethod::Pruned);
      expect_same_cycles(pruned, tuples, "degenerate k=" + std::to_string(k) + " rep=" + std::to_string(rep));
      EXPECT_EQ(pruned.continua.size() > 0, tuples.continua.size() > 0);
      cycles += static_cast<int>(pruned.cycles.size());
    }
  }
  EXPECT_GE(cycles, 1) << "no cycle to compare";
  std::cout << "[ info ] degenerate arrangements: " << cycles << " cycles\n";
}

TEST(PlCycles, PrunedSearchIsScaleInvariant) {
  // relu is positively homogeneous: scaling c and h by s maps every orbit z to s z, so the
  // decisions (prefixes kept, cycles found) must not change.
  std::mt19937 rng(31);
  for (Index R : {2, 3}) {
    const auto pl = random_map(R, 3, rng, false);
    auto big = pl;
    big.c *= 1e6;
    big.h *= 1e6;
    const PlCycles a = find_cycles(pl, 4), b = find_cycles(big, 4);
    EXPECT_EQ(a.nodes_examined, b.nodes_examined);
    ASSERT_EQ(a.cycles.size(), b.cycles.size());
    for (size_t q = 0; q < a.cycles.size(); ++q)
      EXPECT_TRUE(testing::near(a.cycles[q].points[0] * 1e6, b.cycles[q].points[0], 1e-8, 1e-8 * 1e6));
  }
}

/// z' = diag(a) z + W relu(z) + h with W = [[0, w12], [w21, 0]] (a 2-D PLRNN map).
/// The period of the attracting cycle the orbit of z settles on (after `burn` steps), or 0.
int settled_period(const PiecewiseLinearStructure& pl, Vector& z, int burn, int max_period) {
  z = iterate(pl, z, burn);
  Vector w = z;
  for (int p = 1; p <= max_period; ++p) {
    w = pl.evaluate(w);
    if ((w - z).lpNorm<Eigen::Infinity>() <= 1e-11 * std::max(1.0, z.lpNorm<Eigen::Infinity>())) return p;
  }
  return 0;
}

/// Distance of z from the nearest point of the cycle.
double distance_to_cycle(const PlCycle& c, const Vector& z) {
  double d = std::numeric_limits<double>::infinity();
  for (const auto& p : c.points) d = std::min(d, (p - z).lpNorm<Eigen::Infinity>());
  return d;
}

TEST(PlCycles, PrunedSearchFindsLongStableCyclesOfRotationLikeMaps) {
  // Near-rotations (A near 1, W off-diagonal of opposite signs) whose orbits lock onto stable
  // cycles of period 20-100: the period comes from simulation, the cycle from the exact search.
  // (Periods 55 and 99 are timed in bench/bench_pl_cycles.cpp: too slow for an -O0 test run.)
  struct Params {
    double a1, a2, w12, w21, h1, h2;
  };
  const Params cases[] = {
      {0.900447539444717, 0.9920629342558778, -0.2473917062054029, 0.6815244448713578, 0.10490272567820591,
       -0.2164943196908522},
      {1.0014412652837243, 0.9125034031624227, -0.3208890099743854, 0.4652934844758329, 0.4259641674233373,
       -0.49794315693538016},
      {0.9935128698011406, 0.9607505564328773, 0.17594335545778284, -0.759337023964882, -0.45031694973820946,
       0.2558344124568469},
  };
  std::mt19937 rng(5);
  for (const Params& c : cases) {
    const auto pl = plrnn_2d(c.a1, c.a2, c.w12, c.w21, c.h1, c.h2);
    Vector z = random_vector(2, rng, 1.0);
    const int p = settled_period(pl, z, 5000, 120);
    ASSERT_GE(p, 20);
    ASSERT_LE(p, 100);
    PlCycleOptions o;
    o.period = p;
    const PlCycles r = find_cycles(pl, p, o);
    EXPECT_EQ(r.status, PlCycleStatus::Complete) << "period " << p;
    double best = std::numeric_limits<double>::infinity();
    const PlCycle* hit = nullptr;
    for (const auto& cyc : r.cycles)
      if (distance_to_cycle(cyc, z) < best) {
        best = distance_to_cycle(cyc, z);
        hit = &cyc;
      }
    ASSERT_NE(hit, nullptr) << "no cycle of period " << p;
    EXPECT_LE(best, 1e-6) << "period " << p;
    EXPECT_EQ(hit->stability.n_unstable, 0);
    expect_cycles_valid(pl, r);
    std::cout << "[ info ] period " << p << ": " << r.cycles.size() << " cycles, " << r.nodes_examined << " prefixes, "
              << r.tuples_examined << " tuples closed\n";
  }
}

TEST(PlCycles, TenDimensionalPlrnnCycleIsFound) {
  const auto pl = plrnn_10d();
  std::mt19937 rng(8);
  Vector z = random_vector(10, rng, 0.5);
  const int p = settled_period(pl, z, 3000, 40);
  ASSERT_GE(p, 8);
  ASSERT_LE(p, 16);
  PlCycleOptions o;
  o.period = p;
  o.max_nodes = 300;  // keep the test short: the heuristic runs on top when this is reached
  o.outer_loops = 40;
  const PlCycles r = find_cycles(pl, p, o);
  ASSERT_FALSE(r.cycles.empty());
  double best = std::numeric_limits<double>::infinity();
  for (const auto& c : r.cycles) best = std::min(best, distance_to_cycle(c, z));
  EXPECT_LE(best, 1e-6);
  expect_cycles_valid(pl, r);
  if (r.status == PlCycleStatus::Incomplete) {
    EXPECT_EQ(r.stopped_by, "max_nodes");
    EXPECT_GT(r.unexplored_prefixes, 0);
    EXPECT_GT(r.heuristic_solves, 0);
    EXPECT_NE(r.guarantee.find("incomplete"), std::string::npos);
  }
  std::cout << "[ info ] 10-D period " << p << ": status " << to_string(r.status) << ", " << r.cycles.size()
            << " cycles, " << r.nodes_examined << " prefixes\n";
}

TEST(PlCycles, BudgetEndsTheSearchHonestly) {
  const auto pl = plrnn_2d(0.9452302306704704, 0.9325354974626041, 0.33008151234624, -0.6791974600321021,
                           -0.46071205119098213, 0.37776323741241224);
  PlCycleOptions o;
  o.period = 12;
  const PlCycles full = find_cycles(pl, 12, o);
  ASSERT_EQ(full.status, PlCycleStatus::Complete);
  o.max_nodes = full.nodes_examined / 3;
  o.heuristic_on_budget = false;
  const PlCycles part = find_cycles(pl, 12, o);
  EXPECT_EQ(part.status, PlCycleStatus::Incomplete);
  EXPECT_EQ(part.stopped_by, "max_nodes");
  EXPECT_GT(part.unexplored_prefixes, 0);
  EXPECT_EQ(part.heuristic_solves, 0);
  EXPECT_LE(part.cycles.size(), full.cycles.size());
  for (const auto& c : part.cycles) {
    bool found = false;
    for (const auto& d : full.cycles) found = found || same_cycle(c.points, d.points, 1e-8);
    EXPECT_TRUE(found);
  }
  // With the heuristic on top, every cycle it adds is a genuine one, labelled as such.
  o.heuristic_on_budget = true;
  const PlCycles topped = find_cycles(pl, 12, o);
  EXPECT_GT(topped.heuristic_solves, 0);
  EXPECT_GE(topped.cycles.size(), part.cycles.size());
  expect_cycles_valid(pl, topped);
  const auto j = to_json(topped);
  EXPECT_EQ(j["status"], "incomplete");
  EXPECT_EQ(j["stopped_by"], "max_nodes");
  EXPECT_EQ(j["method"], "pruned");
  for (const auto& c : j["cycles"]) EXPECT_TRUE(c["found_by"] == "exhaustive" || c["found_by"] == "heuristic");
  // A time limit reached at once (checked every 1024 prefixes).
  o.max_nodes = PlCycleOptions{}.max_nodes;
  o.time_limit = 1e-9;
  o.heuristic_on_budget = false;
  const PlCycles timed = find_cycles(pl, 12, o);
  EXPECT_EQ(timed.stopped_by, "time_limit");
  EXPECT_EQ(timed.status, PlCycleStatus::Incomplete);
}

TEST(PlCycles, ListingTheRegionsCountsAgainstTheBudget) {
  // A shallow map with R = 3, N = 150: sum_{r<=3} C(150, r) = 562,576 regions, several seconds to
  // list. Before, the listing ran outside the budget (the Lorenz shPLRNN, N = 200: time_limit 5 s,
  // 25 s wall).
  std::mt19937 rng(17);
  const Index R = 3, N = 150;
  PiecewiseLinearStructure pl;
  pl.time = TimeKind::Map;
  pl.A = 0.5 * Matrix::Identity(R, R);
  pl.U = random_matrix(N, R, rng, 1.0);
  pl.c = random_vector(N, rng, 1.0);
  pl.V = random_matrix(R, N, rng, 1.0 / std::sqrt(static_cast<double>(N)));
  pl.h = random_vector(R, rng, 0.5);
  pl.units.assign(static_cast<size_t>(N), Activation(ActivationKind::Relu));
  PlCycleOptions o;
  o.time_limit = 0.2;
  o.heuristic_on_budget = false;
  const PlCycles r = find_cycles(pl, 2, o);
  EXPECT_EQ(r.status, PlCycleStatus::Incomplete);
  EXPECT_EQ(r.stopped_by, "time_limit");
  EXPECT_LT(r.regions, 562576);
  EXPECT_NE(r.guarantee.find("listing the arrangement's regions"), std::string::npos) << r.guarantee;
  EXPECT_TRUE(r.cycles.empty());
}

TEST(PlCycles, HeuristicFindsOnlyGenuineCyclesAndIsReproducible) {
  const auto pl = plrnn_2d(0.900447539444717, 0.9920629342558778, -0.2473917062054029, 0.6815244448713578,
                           0.10490272567820591, -0.2164943196908522);
  PlCycleOptions o;
  o.method = PlCycleMethod::Heuristic;
  o.seed = 3;
  Vector z = Eigen::Vector2d(0.1, 0.2);
  const int p = settled_period(pl, z, 5000, 120);
  ASSERT_GT(p, 0);
  const PlCycles a = find_cycles(pl, p, o), b = find_cycles(pl, p, o);
  EXPECT_EQ(a.status, PlCycleStatus::Sampled);
  EXPECT_GT(a.heuristic_solves, 0);
  ASSERT_EQ(a.cycles.size(), b.cycles.size());
  for (size_t q = 0; q < a.cycles.size(); ++q) EXPECT_EQ(a.cycles[q].points[0], b.cycles[q].points[0]);
  bool attractor = false;
  for (const auto& c : a.cycles) {
    EXPECT_EQ(c.found_by, PlCycleSource::Heuristic);
    attractor = attractor || distance_to_cycle(c, z) <= 1e-6;
  }
  EXPECT_TRUE(attractor) << "the heuristic missed the attracting " << p << "-cycle";
  expect_cycles_valid(pl, a);
  // Everything it finds is among the exhaustive search's cycles.
  const PlCycles exact = find_cycles(pl, p);
  for (const auto& c : a.cycles) {
    bool found = false;
    for (const auto& d : exact.cycles) found = found || same_cycle(c.points, d.points, 1e-8);
    EXPECT_TRUE(found);
  }
}

TEST(PlCycles, ProgressCallbackAndStopRequestInterrupt) {
  const auto pl = plrnn_2d(0.9452302306704704, 0.9325354974626041, 0.33008151234624, -0.6791974600321021,
                           -0.46071205119098213, 0.37776323741241224);
  PlCycleOptions o;
  int calls = 0;
  std::int64_t last_done = 0;
  o.progress = [&](const Progress& p) {
    ++calls;
    last_done = p.done;
    return true;
  };
  const PlCycles full = find_cycles(pl, 30, o);  // enough prefixes for several polls
  EXPECT_EQ(full.status, PlCycleStatus::Complete);
  EXPECT_LE(last_done, full.nodes_examined);
  o.progress = [](const Progress&) { return false; };
  EXPECT_THROW(find_cycles(pl, 30, o), Interrupted);  // the first report comes at once
  o.progress = nullptr;
  request_stop();
  EXPECT_THROW(find_cycles(pl, 30, o), Interrupted);
  clear_stop_request();
  EXPECT_NO_THROW(find_cycles(pl, 3, o));
}

}  // namespace
}  // namespace rnndyn
