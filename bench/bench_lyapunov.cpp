// Full Lyapunov spectrum of a chaotic tanh rate network dx/dt = -x + g W tanh(x), W_ij ~ N(0, 1/N),
// g = 4, by the QR method with fixed-step RK4 (dt = 0.1, QR every time constant), against the
// NumPy implementation of the same algorithm (bench/lyapunov_numpy.py) started from the same W,
// x0 and tangent frame, in the same run: counters cpp_s, numpy_s, speedup (numpy_s / cpp_s) and
// max_abs_diff of the exponents (same algorithm, so it measures round-off only).
//
// The target case is N = 1000, t = 1000 time constants; its cost is linear in t, so the
// benchmark measures t = 1 (N = 1000) and t = 20 (N = 200) and the report extrapolates.
// Both sides run single-threaded (Eigen::setNbThreads(1), OPENBLAS_NUM_THREADS=1).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "rnndyn/io/npy.hpp"
#include "rnndyn/lyapunov/lyapunov.hpp"
#include "rnndyn/models/rate_model.hpp"

extern "C" void openblas_set_num_threads(int);  // from the OpenBLAS that librnndyn links

namespace {

using namespace rnndyn;

struct Case {
  RateModel model;
  Vector x0;
  Matrix Q0;
  std::string prefix;
};

Case make_case(Index n, double g) {
  std::mt19937 rng(7);
  std::normal_distribution<double> normal;
  Matrix W(n, n), Q0(n, n);
  Vector x0(n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) W(i, j) = normal(rng) / std::sqrt(static_cast<double>(n));
  for (Index i = 0; i < n; ++i) x0(i) = normal(rng);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < n; ++i) Q0(i, j) = normal(rng);
  Q0 = Eigen::HouseholderQR<Matrix>(Q0).householderQ();
  const std::string prefix =
      (std::filesystem::temp_directory_path() / ("rnndyn_bench_lyap_" + std::to_string(n))).string();
  write_npy(prefix + "_W.npy", W);
  write_npy(prefix + "_x0.npy", x0, true);
  write_npy(prefix + "_Q0.npy", Q0);
  return {RateModel(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(n), W, Vector::Zero(n), {},
                    {}, g),
          x0, Q0, prefix};
}

nlohmann::json run_numpy(const Case& c, double g, double t) {
  const std::string script = (std::filesystem::path(__FILE__).parent_path() / "lyapunov_numpy.py").string();
  // One BLAS thread on both sides: the machine is shared, and oversubscribed OpenMP/OpenBLAS
  // threads make timings meaningless (2 threads on a loaded 2-core box ran 5x slower than 1).
  const std::string cmd = "OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 " + script + " --W " + c.prefix +
                          "_W.npy --x0 " + c.prefix + "_x0.npy --Q0 " + c.prefix + "_Q0.npy --g " + std::to_string(g) +
                          " --t " + std::to_string(t) + " --interval " + std::to_string(t < 2 ? t / 2 : 1.0) +
                          " --dt 0.1";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  return nlohmann::json::parse(out, nullptr, false);
}

void BM_LyapunovVsNumpy(benchmark::State& state) {
  const Index n = state.range(0);
  const double t = static_cast<double>(state.range(1));
  const double g = 4.0;
  Eigen::setNbThreads(1);
  openblas_set_num_threads(1);
  const Case c = make_case(n, g);
  LyapunovOptions o;
  o.k = 0;
  o.warmup = 0;
  o.t_total = t;
  o.interval = 1;
  o.integrator = LyapunovIntegrator::Rk4;
  o.dt = 0.1;
  o.blocks = std::max(2, static_cast<int>(t));
  if (t < 2) o.interval = t / 2;  // two reorthonormalisations at least (the bootstrap needs 2 blocks)
  o.initial_tangents = c.Q0;
  o.x0 = c.x0;
  double cpp_total = 0, numpy_total = 0, diff = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const LyapunovSpectrum s = lyapunov_spectrum(c.model, o);
    const double cpp = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const nlohmann::json py = run_numpy(c, g, t);
    if (py.is_discarded() || !py.contains("seconds")) {
      state.SkipWithError("numpy reference failed");
      return;
    }
    Vector ref(n);
    for (Index i = 0; i < n; ++i) ref(i) = py["exponents"][static_cast<std::size_t>(i)].get<double>();
    diff = std::max(diff, (s.exponents - ref).cwiseAbs().maxCoeff());
    cpp_total += cpp;
    numpy_total += py["seconds"].get<double>();
    state.SetIterationTime(cpp);
    state.counters["lambda_max"] = s.exponents(0);
    state.counters["sum"] = s.exponents.sum();
  }
  const double iters = static_cast<double>(state.iterations());
  state.counters["cpp_s"] = cpp_total / iters;
  state.counters["numpy_s"] = numpy_total / iters;
  state.counters["speedup"] = numpy_total / cpp_total;
  state.counters["max_abs_diff"] = diff;
  state.counters["cpp_s_per_time_unit"] = cpp_total / iters / t;
}

BENCHMARK(BM_LyapunovVsNumpy)
    ->Args({200, 20})
    ->Args({1000, 1})
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
