// Finite-size analysis of trained reservoirs (seed 003); see reservoir_analysis.hpp.
#include "rnndyn/reservoir/reservoir_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/reservoir/open_loop_gain.hpp"

namespace rnndyn {

void ReservoirAnalysisOptions::validate() const {
  for (double w : omegas)
    if (!(w >= 0.0 && std::isfinite(w))) throw InputError("omegas", "frequencies must be finite and >= 0");
  if (newton_max < 1) throw InputError("newton_max", "must be >= 1");
  if (!(newton_tol > 0.0)) throw InputError("newton_tol", "must be > 0");
  nyquist.validate();
}

namespace {

/// Newton on G(s) = 1; each root is a closed-loop eigenvalue (matrix determinant lemma).
Complex secular_root(const ModalOpenLoopGain& G, Complex s, const ReservoirAnalysisOptions& o) {
  for (int it = 0; it < o.newton_max; ++it) {
    const Complex f = G(s) - 1.0;
    if (std::abs(f) < o.newton_tol) return s;
    const Complex d = G.derivative(s);
    if (d == 0.0) break;
    Complex step = f / d;
    // Keep steps bounded: far from a root the modal sum has poles everywhere in the bulk.
    const double cap = 0.5;
    if (std::abs(step) > cap) step *= cap / std::abs(step);
    s -= step;
  }
  return std::abs(G(s) - 1.0) < 1e3 * o.newton_tol ? s : Complex(std::nan(""), std::nan(""));
}

/// The dense closed-loop spectrum (eq. 4), its largest real part, and the M eigenvalues farthest
/// from the open-loop spectrum lambda_k - 1.
void dense_closed_loop(const Matrix& K, const Vector& w_fb, const Vector& c, const ModalOpenLoopGain& G, Index M,
                       FiniteTargetAnalysis& a) {
  Matrix J = K;
  J.noalias() += w_fb * c.transpose();
  J.diagonal().array() -= 1.0;
  a.closed_loop_eigenvalues = dense_eigenvalues(J);
  if (a.closed_loop_eigenvalues.size()) a.max_real = a.closed_loop_eigenvalues.real().maxCoeff();
  a.stable = a.closed_loop_eigenvalues.size() > 0 && a.max_real < 0.0;
  const Index n = a.closed_loop_eigenvalues.size();
  std::vector<std::pair<double, Index>> dist(n);
  for (Index i = 0; i < n; ++i) {
    const Complex s = a.closed_loop_eigenvalues(i) + 1.0;
    dist[i] = {(G.eigenvalues().array() - s).abs().minCoeff(), i};
  }
  const Index take = std::min<Index>(M, n);
  std::partial_sort(dist.begin(), dist.begin() + take, dist.end(), std::greater<>());
  a.displaced.resize(take);
  for (Index i = 0; i < take; ++i) a.displaced(i) = a.closed_loop_eigenvalues(dist[i].second);
}

/// The simulation of a transient: deviations are of order amplitude, so 1e-7 tolerances resolve
/// them to ~1e-5 relative at a fraction of the cost of tighter ones (each step is an N x N product).
SimulateOptions transient_simulation(const TransientOptions& o) {
  SimulateOptions so;
  so.t_end = o.t_end;
  so.dt = o.dt;
  so.abs_tol = 1e-7;
  so.rel_tol = 1e-7;
  return so;
}

}  // namespace

std::vector<FiniteTargetAnalysis> analyze_reservoir(const Reservoir& res, const TrainingResult& training,
                                                    const MeanFieldResult* mf, const ReservoirAnalysisOptions& o) {
  o.validate();
  std::vector<FiniteTargetAnalysis> out;
  const Index M = static_cast<Index>(training.targets.size());
  for (Index m = 0; m < M; ++m) {
    const TrainedTarget& t = training.targets[m];
    FiniteTargetAnalysis a;
    a.A = t.A;
    a.residual = t.residual;
    a.converged = t.converged;
    Vector dr;
    res.activation().apply_derivative(t.x, dr);
    const Matrix K = res.W() * dr.asDiagonal();
    const Vector c = dr.cwiseProduct(res.w_out());
    ModalOpenLoopGain G(K, res.w_fb(), c);
    a.rho = G.spectral_radius();
    int p_unstable = 0;
    for (Index k = 0; k < G.eigenvalues().size(); ++k) p_unstable += G.eigenvalues()(k).real() > 1.0;
    a.max_real = std::numeric_limits<double>::quiet_NaN();
    if (o.dense_spectrum) dense_closed_loop(K, res.w_fb(), c, G, M, a);
    const ComplexVector starts = mf && static_cast<Index>(mf->targets.size()) == M ? mf->targets[m].poles : a.displaced;
    a.outliers.resize(starts.size());
    a.outlier_inside_bulk.resize(static_cast<std::size_t>(starts.size()));
    for (Index i = 0; i < starts.size(); ++i) {
      a.outliers(i) = secular_root(G, starts(i), o);
      a.outlier_inside_bulk[static_cast<std::size_t>(i)] = std::abs(a.outliers(i) + 1.0) < a.rho;
    }
    if (!o.omegas.empty()) a.gain = G.at_frequencies(Eigen::Map<const Vector>(o.omegas.data(), o.omegas.size()));
    a.nyquist = nyquist_criterion([&G](double w) { return G.at_frequency(w); }, p_unstable, o.nyquist);
    out.push_back(std::move(a));
  }
  return out;
}

void TransientOptions::validate() const {
  if (!(std::isfinite(amplitude) && amplitude != 0.0)) throw InputError("amplitude", "must be finite and nonzero");
  if (!(t_end > 0.0 && std::isfinite(t_end))) throw InputError("t_end", "must be finite and > 0");
  if (!(dt > 0.0 && dt <= t_end)) throw InputError("dt", "must be in (0, t_end]");
  if (neurons < 0) throw InputError("neurons", "must be >= 0");
  // simulate's own checks (its sample limit) here too, so that a run stops before training, not after.
  transient_simulation(*this).validate();
}

TransientResponse transient_response(const Reservoir& res, const Vector& x_fixed, double A, const TransientOptions& o) {
  o.validate();
  if (x_fixed.size() != res.dim()) throw InputError("x", "length must equal N");
  const Trajectory tr = simulate(res, x_fixed + o.amplitude * res.w_fb(), transient_simulation(o));
  TransientResponse out;
  out.t = tr.t;
  out.status = tr.status;
  const Index ns = static_cast<Index>(tr.t.size());
  const Index nn = std::min(o.neurons, res.dim());
  out.z.resize(ns);
  out.neurons.resize(nn, ns);
  for (Index j = 0; j < ns; ++j) {
    out.z(j) = res.output(tr.x.col(j)) - A;
    out.neurons.col(j) = tr.x.col(j).head(nn) - x_fixed.head(nn);
  }
  return out;
}

void ReservoirExperimentOptions::validate() const {
  mean_field.validate();
  network().validate();
  training().validate();
  if (!(transient >= 0.0 && std::isfinite(transient))) throw InputError("transient", "must be finite and >= 0");
  if (!(std::isfinite(kick) && kick != 0.0)) throw InputError("kick", "must be finite and nonzero");
  if (transient <= 0) return;
  // The transient's t_end and dt both follow `transient` (dt = min(dt, transient)), and the kick
  // was checked above: any error of its options is that field's (the CLI's --transient).
  try {
    transient_options().validate();
  } catch (const InputError& e) {
    throw InputError("transient", e.problem());
  }
}

ReservoirOptions ReservoirExperimentOptions::network() const {
  ReservoirOptions o;
  o.N = N;
  o.g = mean_field.g;
  o.activation = mean_field.activation;
  o.feedback = mean_field.feedback;
  o.feedback_scale = mean_field.feedback_scale;
  o.seed = seed;
  return o;
}

TrainingOptions ReservoirExperimentOptions::training() const {
  TrainingOptions o;
  o.targets = mean_field.targets;
  o.ridge = ridge;
  return o;
}

ReservoirAnalysisOptions ReservoirExperimentOptions::analysis() const {
  ReservoirAnalysisOptions o;
  o.dense_spectrum = dense_spectrum;
  o.omegas = mean_field.frequencies();
  o.nyquist = mean_field.nyquist;
  return o;
}

TransientOptions ReservoirExperimentOptions::transient_options() const {
  TransientOptions o;
  o.amplitude = kick;
  if (transient > 0) {
    o.t_end = transient;
    o.dt = std::min(o.dt, transient);
  }
  return o;
}

std::string to_string(ReservoirExperimentStatus s) {
  switch (s) {
    case ReservoirExperimentStatus::Ok:
      return "ok";
    case ReservoirExperimentStatus::TrainingNotConverged:
      return "training_not_converged";
    case ReservoirExperimentStatus::MeanFieldNotConverged:
      return "mean_field_not_converged";
  }
  return "unknown";
}

ReservoirExperiment analyze_reservoir(const ReservoirExperimentOptions& o) {
  const Stopwatch watch;
  o.validate();
  ReservoirExperiment r;
  r.options = o;
  r.mean_field = solve_mean_field(o.mean_field);
  r.omegas = r.mean_field.omegas;
  Reservoir reservoir(o.network());
  r.training = train_reservoir(reservoir, o.training());
  r.w_out_norm = r.training.w_out.norm();
  r.levels = analyze_reservoir(reservoir, r.training, &r.mean_field, o.analysis());
  const TransientOptions to = o.transient_options();
  for (std::size_t m = 0; m < r.levels.size(); ++m) {  // one level per trained target
    r.levels[m].spectrum_reported = o.spectrum;
    if (o.transient > 0) {
      const TrainedTarget& t = r.training.targets[m];
      r.levels[m].transient = transient_response(reservoir, t.x, t.A, to);
    }
  }
  if (r.training.status != TrainingStatus::Converged) {
    r.status = ReservoirExperimentStatus::TrainingNotConverged;
  } else if (r.mean_field.status != MeanFieldStatus::Converged) {
    r.status = ReservoirExperimentStatus::MeanFieldNotConverged;
  }
  r.info = {reservoir.kind(), reservoir.time_kind(), watch.seconds()};
  return r;
}

}  // namespace rnndyn
