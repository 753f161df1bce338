// Seed 003 benchmark: N = 3000 closed-loop spectrum (dense LAPACK dgeev) and G_OL on 200
// frequencies (one eigen-decomposition of W R', then O(N) per frequency), plus the mean-field
// solve. bench/reservoir_numpy.py times NumPy/SciPy on the same matrices (written as .npy when
// RNNDYN_BENCH_DUMP=<dir> is set) and reports the ratios side by side; see bench/README.md.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "rnndyn/io/npy.hpp"
#include "rnndyn/reservoir/open_loop_gain.hpp"
#include "rnndyn/reservoir/reservoir_analysis.hpp"

namespace {

using namespace rnndyn;

struct Setup {
  Matrix K, J;
  Vector b, c;
  std::vector<double> omegas;
  Setup() {
    const char* env_n = std::getenv("RNNDYN_BENCH_N");
    ReservoirOptions o;
    o.N = env_n ? std::atol(env_n) : 3000;
    o.g = 1.5;
    o.seed = 1;
    Reservoir r(o);
    TrainingOptions t;
    t.targets = {1.0};
    const auto tr = train_reservoir(r, t);
    Vector dr;
    r.activation().apply_derivative(tr.targets[0].x, dr);
    K = r.W() * dr.asDiagonal();
    b = r.w_fb();
    c = dr.cwiseProduct(r.w_out());
    J = K + b * c.transpose();
    J.diagonal().array() -= 1.0;
    for (int i = 0; i < 200; ++i) omegas.push_back(10.0 * i / 199.0);
    if (const char* dir = std::getenv("RNNDYN_BENCH_DUMP")) {
      const std::string d(dir);
      write_npy(d + "/K.npy", K);
      write_npy(d + "/J.npy", J);
      write_npy(d + "/b.npy", b, true);
      write_npy(d + "/c.npy", c, true);
      // Reference values for the accuracy comparison in reservoir_numpy.py.
      ModalOpenLoopGain G(K, b, c);
      const ComplexVector g = G.at_frequencies(Eigen::Map<const Vector>(omegas.data(), 200));
      Matrix gm(200, 3);
      for (int i = 0; i < 200; ++i) gm.row(i) << omegas[i], g(i).real(), g(i).imag();
      write_npy(d + "/G_rnndyn.npy", gm);
    }
  }
};

const Setup& setup() {
  static const Setup s;
  return s;
}

void BM_ClosedLoopSpectrum(benchmark::State& state) {
  const Setup& s = setup();
  for (auto _ : state) benchmark::DoNotOptimize(dense_eigenvalues(s.J));
  state.counters["N"] = static_cast<double>(s.J.rows());
}

void BM_OpenLoopGain200(benchmark::State& state) {
  const Setup& s = setup();
  const Eigen::Map<const Vector> w(s.omegas.data(), 200);
  for (auto _ : state) {
    ModalOpenLoopGain G(s.K, s.b, s.c);
    benchmark::DoNotOptimize(G.at_frequencies(w));
  }
}

void BM_OpenLoopGainDirect1(benchmark::State& state) {
  // One dense complex solve per frequency: the cost the modal form avoids (x200 for the grid).
  const Setup& s = setup();
  for (auto _ : state) benchmark::DoNotOptimize(open_loop_gain_direct(s.K, s.b, s.c, Complex(0.0, s.omegas[10])));
}

void BM_MeanField(benchmark::State& state) {
  MeanFieldOptions o;
  o.g = 0.9;
  o.targets = state.range(0) == 1 ? std::vector<double>{1.0} : std::vector<double>{0.5, 1.0, 1.5};
  for (auto _ : state) benchmark::DoNotOptimize(solve_mean_field(o));
}

BENCHMARK(BM_ClosedLoopSpectrum)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_OpenLoopGain200)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_OpenLoopGainDirect1)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_MeanField)->Arg(1)->Arg(3)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
