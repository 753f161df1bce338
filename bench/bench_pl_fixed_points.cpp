// Exact piecewise-linear fixed points (seed 001): the arrangement walk against brute force over
// all 2^N activation patterns, and the growth of the walk's time with N for R = 1, 2, 3 (it should
// follow the region count sum_{r<=R} C(N, r)). Counters: regions visited, fixed points found,
// and, for the brute comparison, whether both methods found the same points. BM_LevelSet_R2
// times the pruned R = 2 walk (method level_set) on the same networks as BM_Arrangement_R2.
//
// Random shallow PLRNN maps z' = A z + W1 relu(W2 z + h2) + h1 with fixed seeds (the same
// networks as bench/pl_fixed_points_numpy.py writes with --write).
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "rnndyn/models/shallow_plrnn.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"

namespace {

using namespace rnndyn;

PiecewiseLinearStructure network(Index R, Index N, std::uint32_t seed = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0.0, 1.0);
  auto mat = [&](Index r, Index c, double s) {
    Matrix m(r, c);
    for (Index j = 0; j < c; ++j)
      for (Index i = 0; i < r; ++i) m(i, j) = s * n(rng);
    return m;
  };
  const Matrix A = Matrix(mat(R, 1, 0.3).col(0).asDiagonal());
  const Matrix W1 = mat(R, N, 1.0 / std::sqrt(static_cast<double>(N)));
  const Matrix W2 = mat(N, R, 1.0);
  const Vector h1 = mat(R, 1, 0.5).col(0), h2 = mat(N, 1, 1.0).col(0);
  return *ShallowPlrnn(TimeKind::Map, A, W1, W2, h1, h2).piecewise_linear();
}

void run(benchmark::State& state, Index R, PlFixedPointMethod method) {
  const Index N = state.range(0);
  const auto pl = network(R, N);
  PiecewiseLinearFixedPointOptions o;
  o.method = method;
  o.force = true;
  PiecewiseLinearFixedPoints r;
  for (auto _ : state) {
    r = find_fixed_points(pl, o);
    benchmark::DoNotOptimize(r);
  }
  state.counters["regions"] = static_cast<double>(r.regions_visited);
  state.counters["fixed_points"] = static_cast<double>(r.fixed_points.size());
  state.counters["ns_per_region"] =
      benchmark::Counter(static_cast<double>(r.regions_visited),
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  if (method == PlFixedPointMethod::Brute) {
    // Accuracy against the reference: the arrangement's points must be brute force's.
    o.method = PlFixedPointMethod::Arrangement;
    const auto a = find_fixed_points(pl, o);
    bool same = a.fixed_points.size() == r.fixed_points.size();
    for (size_t i = 0; same && i < a.fixed_points.size(); ++i)
      same = (a.fixed_points[i].x - r.fixed_points[i].x).lpNorm<Eigen::Infinity>() < 1e-9;
    state.counters["same_as_arrangement"] = same ? 1 : 0;
  }
}

/// z -> z + 0.3 sin(3 z) per coordinate on the box [-2.5, 2.5]^R as a shallow relu map
/// F(z) = 0.5 z + W1 relu(U z + c) + h (U rows random unit vectors, c uniform in [-3, 3], (W1, h)
/// by ridge least squares on 20 N samples of the box): a grid of ~5^R fixed points, the
/// multistable case the level-set walk is for (tests/test_pl_level_set_nd.cpp builds the same).
PiecewiseLinearStructure sine_grid(Index R, Index N, std::uint32_t seed = 7) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::uniform_real_distribution<double> unif(-1.0, 1.0);
  Matrix U(N, R);
  for (Index i = 0; i < N; ++i) {
    for (Index r = 0; r < R; ++r) U(i, r) = gauss(rng);
    U.row(i).normalize();
  }
  Vector c(N);
  for (Index i = 0; i < N; ++i) c(i) = 3.0 * unif(rng);
  const Index samples = 20 * N;
  Matrix X(samples, N + 1), Y(samples, R);
  for (Index s = 0; s < samples; ++s) {
    Vector z(R);
    for (Index r = 0; r < R; ++r) z(r) = 2.5 * unif(rng);
    X.row(s).head(N) = (U * z + c).cwiseMax(0.0).transpose();
    X(s, N) = 1.0;
    for (Index r = 0; r < R; ++r) Y(s, r) = 0.5 * z(r) + 0.3 * std::sin(3.0 * z(r));
  }
  Matrix G = X.transpose() * X;
  G.diagonal().array() += 1e-6 * static_cast<double>(samples);
  const Matrix W = G.ldlt().solve(X.transpose() * Y);
  PiecewiseLinearStructure pl;
  pl.time = TimeKind::Map;
  pl.A = 0.5 * Matrix::Identity(R, R);
  pl.U = U;
  pl.c = c;
  pl.V = W.topRows(N).transpose();
  pl.h = W.row(N).transpose();
  pl.units.assign(static_cast<size_t>(N), Activation(ActivationKind::Relu));
  return pl;
}

/// One method on the sine grid (R, N = range(0)): wall time (OpenMP threads as set), regions
/// solved, fixed points.
void run_grid(benchmark::State& state, Index R, PlFixedPointMethod method) {
  const auto pl = sine_grid(R, state.range(0));
  PiecewiseLinearFixedPointOptions o;
  o.method = method;
  o.skip_eigen = true;
  PiecewiseLinearFixedPoints r;
  for (auto _ : state) {
    r = find_fixed_points(pl, o);
    benchmark::DoNotOptimize(r);
  }
  state.counters["regions"] = static_cast<double>(r.regions_visited);
  state.counters["fixed_points"] = static_cast<double>(r.fixed_points.size());
  state.counters["level_set"] = r.algorithm == "level_set" ? 1 : 0;
  state.counters["ns_per_region"] =
      benchmark::Counter(static_cast<double>(r.regions_visited),
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_Arrangement_R1(benchmark::State& s) { run(s, 1, PlFixedPointMethod::Arrangement); }
void BM_Arrangement_R2(benchmark::State& s) { run(s, 2, PlFixedPointMethod::Arrangement); }
void BM_Arrangement_R3(benchmark::State& s) { run(s, 3, PlFixedPointMethod::Arrangement); }
void BM_LevelSet_R2(benchmark::State& s) { run(s, 2, PlFixedPointMethod::LevelSet); }
void BM_LevelSet_Grid_R3(benchmark::State& s) { run_grid(s, 3, PlFixedPointMethod::LevelSet); }
void BM_Arrangement_Grid_R3(benchmark::State& s) { run_grid(s, 3, PlFixedPointMethod::Arrangement); }
void BM_LevelSet_Grid_R4(benchmark::State& s) { run_grid(s, 4, PlFixedPointMethod::LevelSet); }
void BM_Arrangement_Grid_R4(benchmark::State& s) { run_grid(s, 4, PlFixedPointMethod::Arrangement); }
void BM_Brute_R2(benchmark::State& s) { run(s, 2, PlFixedPointMethod::Brute); }
void BM_Arrangement_R2_vs_brute(benchmark::State& s) { run(s, 2, PlFixedPointMethod::Arrangement); }

BENCHMARK(BM_Arrangement_R1)->RangeMultiplier(4)->Range(16, 16384)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Arrangement_R2)
    ->Arg(10)
    ->Arg(30)
    ->Arg(100)
    ->Arg(300)
    ->Arg(1000)
    ->Arg(3000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);
// The pruned walk on the same R = 2 networks (regions = regions solved).
BENCHMARK(BM_LevelSet_R2)->Arg(100)->Arg(300)->Arg(1000)->Arg(3000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Arrangement_R3)->Arg(10)->Arg(30)->Arg(100)->Arg(300)->Arg(1000)->Unit(benchmark::kMillisecond);
// The level-set walk for R = 3, 4 on the sine grid next to the full walk (wall time: both run on
// all OpenMP threads; one iteration each). The full walk at R = 3, N = 1000 (166 M regions)
// takes about a minute; at R = 4, N = 300 (330 M regions) it is left out and extrapolated from
// N = 100 by its time per region (bench/README.md).
BENCHMARK(BM_LevelSet_Grid_R3)
    ->Arg(100)
    ->Arg(300)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_Arrangement_Grid_R3)
    ->Arg(100)
    ->Arg(300)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_LevelSet_Grid_R4)
    ->Arg(60)
    ->Arg(100)
    ->Arg(300)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_Arrangement_Grid_R4)->Arg(60)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
// Brute force at N = 12..20 next to the walk on the same networks.
BENCHMARK(BM_Brute_R2)->DenseRange(12, 20, 4)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Arrangement_R2_vs_brute)->DenseRange(12, 20, 4)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
