// Exact piecewise-linear fixed points (seed 001): the arrangement walk against brute force over
// all 2^N activation patterns, and the growth of the walk's time with N for R = 1, 2, 3 (it should
// follow the region count sum_{r<=R} C(N, r)). Counters: regions visited, fixed points found,
// and, for the brute comparison, whether both methods found the same points. BM_LevelSet_R2
// times the pruned R = 2 walk (method level_set) on the same networks as BM_Arrangement_R2.
//
// Random shallow PLRNN maps z' = A z + W1 relu(W2 z + h2) + h1 with fixed seeds (the same
// networks as bench/pl_fixed_points_numpy.py writes with --write).
#include <benchmark/benchmark.h>

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

void BM_Arrangement_R1(benchmark::State& s) { run(s, 1, PlFixedPointMethod::Arrangement); }
void BM_Arrangement_R2(benchmark::State& s) { run(s, 2, PlFixedPointMethod::Arrangement); }
void BM_Arrangement_R3(benchmark::State& s) { run(s, 3, PlFixedPointMethod::Arrangement); }
void BM_LevelSet_R2(benchmark::State& s) { run(s, 2, PlFixedPointMethod::LevelSet); }
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
// Brute force at N = 12..20 next to the walk on the same networks.
BENCHMARK(BM_Brute_R2)->DenseRange(12, 20, 4)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Arrangement_R2_vs_brute)->DenseRange(12, 20, 4)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
