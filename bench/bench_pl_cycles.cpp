// Exact k-cycles of piecewise-linear maps (issue 12, item 3): the pruned prefix search against
// the exhaustive tuple search on the same maps and periods (side by side in one run), and the
// long-period targets (stable cycles of period 20-100 of 2-D PLRNNs, each under 1 s).
// Counters: prefixes visited (pruned), tuples closed, cycles found, and for the side-by-side
// runs whether both methods found the same cycles.
//
// Maps: a shallow 2-D PLRNN with 4 relu units (side by side); z' = diag(a) z + W relu(z) + h with
// W off-diagonal (near-rotations whose orbits lock onto stable cycles; the same parameters as
// tests/test_pl_cycles.cpp); a 10-D PLRNN whose first two units carry a stable 12-cycle that
// eight contracting units follow (LP emptiness tests; budget and heuristic).
#include <benchmark/benchmark.h>

#include <cmath>

#include "../tests/pl_example_maps.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"

namespace {

using namespace rnndyn;

struct Params {
  double a1, a2, w12, w21, h1, h2;
};

// Periods of their attracting cycles (simulation, as the test finds them): 20, 23, 40, 55, 99.
const Params kMaps[] = {
    {0.900447539444717, 0.9920629342558778, -0.2473917062054029, 0.6815244448713578, 0.10490272567820591,
     -0.2164943196908522},
    {1.0014412652837243, 0.9125034031624227, -0.3208890099743854, 0.4652934844758329, 0.4259641674233373,
     -0.49794315693538016},
    {0.9935128698011406, 0.9607505564328773, 0.17594335545778284, -0.759337023964882, -0.45031694973820946,
     0.2558344124568469},
    {0.9908399968363343, 0.8678420231015049, -0.38255363117842106, 0.7164171049437088, 0.3643357016188029,
     -0.291971526351958},
    {0.9452302306704704, 0.9325354974626041, 0.33008151234624, -0.6791974600321021, -0.46071205119098213,
     0.37776323741241224},
};
const int kPeriods[] = {20, 23, 40, 55, 99};

PiecewiseLinearStructure plrnn_2d(const Params& p) { return examples::plrnn_2d(p.a1, p.a2, p.w12, p.w21, p.h1, p.h2); }

void counters(benchmark::State& state, const PlCycles& r) {
  state.counters["prefixes"] = static_cast<double>(r.nodes_examined);
  state.counters["tuples"] = static_cast<double>(r.tuples_examined);
  state.counters["cycles"] = static_cast<double>(r.cycles.size());
  state.counters["complete"] = r.status == PlCycleStatus::Complete ? 1 : 0;
}

bool same_cycles(const PlCycles& a, const PlCycles& b) {
  if (a.cycles.size() != b.cycles.size()) return false;
  for (size_t q = 0; q < a.cycles.size(); ++q)
    for (size_t j = 0; j < a.cycles[q].points.size(); ++j)
      if ((a.cycles[q].points[j] - b.cycles[q].points[j]).lpNorm<Eigen::Infinity>() > 1e-8) return false;
  return true;
}

/// A shallow PLRNN z' = A z + W1 relu(W2 z + h2) + h1, R = 2, N = 4 (11 regions), A a rotation by
/// 0.86 rad scaled by 0.86: its orbits lock onto a stable 7-cycle, and it has cycles of other
/// periods, so that the side-by-side runs compare non-empty sets.
PiecewiseLinearStructure shallow_2d() {
  PiecewiseLinearStructure pl;
  pl.time = TimeKind::Map;
  pl.A.resize(2, 2);
  pl.A << 0.5577820359933124, -0.6517636860551471, 0.6517636860551471, 0.5577820359933124;
  pl.V.resize(2, 4);
  pl.V << 0.6168538677534326, 0.900489322592843, -0.7133697945928004, -0.055874915737912645, 0.033778276916194,
      0.9489474447686514, 1.2762895396373795, 0.01618981556267429;
  pl.U.resize(4, 2);
  pl.U << -0.18391641933178393, 0.8020211144872159, 1.4205452534588578, -0.8791860084064322, 2.000393942957538,
      0.1555714619808692, 0.5529973369102241, -0.4705021565674302;
  pl.h = Eigen::Vector2d(0.13757660696641022, 0.2861178159958354);
  pl.c = Eigen::Vector4d(-0.27013021825149014, 0.7537527867981902, -0.07478835419319428, -0.01579031845184904);
  for (int i = 0; i < 4; ++i) pl.units.push_back(Activation(ActivationKind::Relu));
  return pl;
}

/// The shallow map at period range(0), by method range(1) (0 pruned, 1 tuples).
void BM_SideBySide(benchmark::State& state) {
  const auto pl = shallow_2d();
  const int k = static_cast<int>(state.range(0));
  PlCycleOptions o;
  o.method = state.range(1) == 0 ? PlCycleMethod::Pruned : PlCycleMethod::Tuples;
  o.force = true;
  PlCycles r;
  for (auto _ : state) {
    r = find_cycles(pl, k, o);
    benchmark::DoNotOptimize(r);
  }
  counters(state, r);
  o.method = o.method == PlCycleMethod::Pruned ? PlCycleMethod::Tuples : PlCycleMethod::Pruned;
  state.counters["same_as_other"] = same_cycles(r, find_cycles(pl, k, o)) ? 1 : 0;
}
BENCHMARK(BM_SideBySide)
    ->ArgsProduct({{3, 4, 5, 6, 7, 8}, {0, 1}})
    ->ArgNames({"period", "tuples"})
    ->Unit(benchmark::kMillisecond);

/// The long-period targets: map range(0) at the period of its attracting cycle.
void BM_LongPeriod(benchmark::State& state) {
  const auto idx = static_cast<size_t>(state.range(0));
  const auto pl = plrnn_2d(kMaps[idx]);
  PlCycles r;
  for (auto _ : state) {
    r = find_cycles(pl, kPeriods[idx]);
    benchmark::DoNotOptimize(r);
  }
  counters(state, r);
  state.counters["period"] = kPeriods[idx];
}
BENCHMARK(BM_LongPeriod)->DenseRange(0, 4)->Unit(benchmark::kMillisecond);

/// The 10-D PLRNN (LP emptiness tests) at period 12 with a node budget of range(0) prefixes,
/// the heuristic on top.
void BM_TenDimensional(benchmark::State& state) {
  const auto pl = examples::plrnn_10d();
  PlCycleOptions o;
  o.max_nodes = state.range(0);
  PlCycles r;
  for (auto _ : state) {
    r = find_cycles(pl, 12, o);
    benchmark::DoNotOptimize(r);
  }
  counters(state, r);
  state.counters["heuristic_solves"] = static_cast<double>(r.heuristic_solves);
}
BENCHMARK(BM_TenDimensional)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
