#include "rnndyn/simulate/response.hpp"

#include <cmath>

#include "../detail/checks.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn {

std::string to_string(ResponseMethod m) { return m == ResponseMethod::Noise ? "noise" : "impulse"; }

ResponseMethod parse_response_method(const std::string& name, const std::string& field) {
  if (name == "impulse") return ResponseMethod::Impulse;
  if (name == "noise") return ResponseMethod::Noise;
  throw InputError(field, "expected impulse or noise, got '" + name + "'");
}

void ResponseOptions::validate() const {
  const auto positive = [](double v, const char* field) {
    if (!(v > 0.0) || !std::isfinite(v)) throw InputError(field, "must be a finite number > 0");
  };
  positive(amplitude, "amplitude");
  positive(t_end, "t_end");
  positive(dt, "dt");
  positive(omega_max, "omega_max");
  positive(abs_tol, "abs_tol");
  positive(rel_tol, "rel_tol");
  if (!(dt <= t_end)) throw InputError("dt", "must satisfy 0 < dt <= t_end");
  if (!(transient >= 0.0) || !std::isfinite(transient)) throw InputError("transient", "must be a finite number >= 0");
  if ((t_end + transient) / dt > 1e7) throw InputError("dt", "(transient + t_end)/dt exceeds 1e7 samples");
  if (repeats < 2) throw InputError("repeats", "must be >= 2 (the band needs two realisations)");
  if (n_omega < 1) throw InputError("n_omega", "must be >= 1");
  for (size_t i = 0; i < omega.size(); ++i)
    if (!(omega[i] >= 0.0) || !std::isfinite(omega[i]))
      throw InputError("omega[" + std::to_string(i) + "]", "must be a finite number >= 0");
}

namespace {

const Complex I(0.0, 1.0);

/// Trapezoid rule for the Fourier transform of samples y_k at t_k = t0 + k dt, k = first..last.
Complex trapezoid_ft(const Vector& y, Index first, Index last, double t0, double dt, double w) {
  Complex sum = 0.0;
  for (Index k = first; k <= last; ++k) {
    const double weight = (k == first || k == last) ? 0.5 : 1.0;
    sum += weight * y(k) * std::exp(-I * w * (t0 + static_cast<double>(k) * dt));
  }
  return sum * dt;
}

/// (1/dt) integral_0^dt e^{-i w t} dt: the transform of a unit-area pulse of width dt.
Complex pulse_ft(double w, double dt) {
  const double x = w * dt;
  if (std::abs(x) < 1e-6) return 1.0 - I * x / 2.0;
  return (1.0 - std::exp(-I * x)) / (I * x);
}

struct Run {
  Trajectory traj;
  Vector z;  // readout row `readout`
};

Run run(const Model& model, const ResponseOptions& o, double t_end, std::vector<InputSignal> inputs) {
  SimulateOptions s;
  s.t_end = t_end;
  s.dt = o.dt;
  s.abs_tol = o.abs_tol;
  s.rel_tol = o.rel_tol;
  s.x0 = o.x0;
  s.inputs = std::move(inputs);
  Run r{simulate(model, s), {}};
  if (r.traj.status != SimulateStatus::Ok)
    throw InputError("x0", "the trajectory diverged: the response is measured around a stable state");
  r.z = r.traj.z.row(o.readout).transpose();
  return r;
}

}  // namespace

ResponseResult measure_response(const Model& model, const ResponseOptions& options) {
  options.validate();
  const Stopwatch clock;
  if (model.time_kind() != TimeKind::Flow)
    throw InputError("model", "response functions are measured for flows; the " + model.kind() + " model is a map");
  if (model.input_dim() == 0)
    throw InputError("channel", "the " + model.kind() + " model has no input weights (W_in, W_ih or w_in)");
  if (options.channel < 0 || options.channel >= model.input_dim())
    throw InputError("channel", "must lie in [0, " + std::to_string(model.input_dim()) + ")");
  const auto ro = model.readout();
  if (!ro) throw InputError("readout", "the " + model.kind() + " model has no readout (W_out, b_out)");
  if (options.readout < 0 || options.readout >= ro->W_out.rows())
    throw InputError("readout", "must lie in [0, " + std::to_string(ro->W_out.rows()) + ")");

  ResponseOptions o = options;
  o.progress = nullptr;
  if (o.x0.size() == 0) o.x0 = model.initial_state_or_zeros();
  detail::require_length(o.x0, model.dim(), "x0");
  if (o.omega.empty())
    for (int k = 1; k <= o.n_omega; ++k) o.omega.push_back(o.omega_max * k / o.n_omega);
  const auto n_w = static_cast<Index>(o.omega.size());
  Monitor monitor(options.progress);

  ResponseResult res;
  res.omega = o.omega;
  res.G.resize(n_w);
  res.band.resize(n_w);
  if (o.method == ResponseMethod::Impulse) {
    // Baseline and two amplitudes; the pulse is the first piece of the input, [0, dt).
    const Run base = run(model, o, o.t_end, {});
    ComplexVector G_half(n_w);
    for (const double scale : {1.0, 0.5}) {
      InputSignal kick;
      kick.kind = InputKind::Clicks;
      kick.channel = o.channel;
      kick.times = {0.0};
      kick.delta = o.amplitude * scale;
      kick.width = o.dt;
      const Run driven = run(model, o, o.t_end, {kick});
      monitor.checkpoint({"response", scale == 1.0 ? 0.5 : 1.0, 0, 0, 0.0}, true);
      const Vector h = (driven.z - base.z) / kick.delta;
      const Index last = h.size() - 1;
      for (Index j = 0; j < n_w; ++j) {
        const double w = o.omega[static_cast<size_t>(j)];
        const Complex g = trapezoid_ft(h, 0, last, 0.0, o.dt, w) / pulse_ft(w, o.dt);
        (scale == 1.0 ? res.G : G_half)(j) = g;
      }
      if (scale == 1.0) {
        res.t = driven.traj.t;
        res.h = h;
      }
    }
    // Plus what the window may have cut off: the integral of |h| over its last tenth, which is
    // about the tail beyond t_end when h decays within a tenth of the window and flags a response
    // that has not decayed by t_end (a slow mode) with a wide band.
    const Index tail_first = res.h.size() - 1 - (res.h.size() - 1) / 10;
    const double tail = trapezoid_ft(res.h.cwiseAbs(), tail_first, res.h.size() - 1, 0.0, o.dt, 0.0).real();
    // G(a) = G + c a + O(a^2): the extrapolation 2 G(a/2) - G(a) removes the part linear in the
    // amplitude, and the size of what it removed, 2 |G(a) - G(a/2)| = |c| a, bounds the rest.
    for (Index j = 0; j < n_w; ++j) {
      const Complex removed = 2.0 * (res.G(j) - G_half(j));
      res.G(j) -= removed;
      res.band(j) = std::abs(removed) + tail / std::abs(pulse_ft(o.omega[static_cast<size_t>(j)], o.dt));
    }
  } else {
    const double total = o.transient + o.t_end;
    const Run base = run(model, o, total, {});
    const auto first = static_cast<Index>(std::llround(o.transient / o.dt));
    std::vector<ComplexVector> Z, S;
    for (int r = 0; r < o.repeats; ++r) {
      InputSignal noise;
      noise.kind = InputKind::Noise;
      noise.channel = o.channel;
      noise.sigma = o.amplitude;
      noise.dt = o.dt;
      noise.seed = o.seed + static_cast<std::uint64_t>(r);
      const Run driven = run(model, o, total, {noise});
      monitor.checkpoint({"response", (r + 1.0) / o.repeats, r + 1, o.repeats, 0.0}, true);
      const Vector y = driven.z - base.z;
      // The noise is held on [t_k, t_k + dt): its value is u(t_k) minus the constant input.
      const Vector s = (driven.traj.u.row(o.channel).array() - model.input()(o.channel)).transpose();
      const Index last = y.size() - 1;
      ComplexVector Zr(n_w), Sr(n_w);
      for (Index j = 0; j < n_w; ++j) {
        const double w = o.omega[static_cast<size_t>(j)];
        Zr(j) = trapezoid_ft(y, first, last, 0.0, o.dt, w);
        Complex sum = 0.0;
        for (Index k = first; k < last; ++k) sum += s(k) * std::exp(-I * w * (static_cast<double>(k) * o.dt));
        Sr(j) = sum * o.dt * pulse_ft(w, o.dt);
      }
      Z.push_back(Zr);
      S.push_back(Sr);
    }
    // G = sum Z conj(S) / sum |S|^2, and its jackknife over the realisations.
    const auto R = static_cast<Index>(Z.size());
    ComplexVector num = ComplexVector::Zero(n_w);
    Vector den = Vector::Zero(n_w);
    for (Index r = 0; r < R; ++r) {
      num.array() += Z[static_cast<size_t>(r)].array() * S[static_cast<size_t>(r)].array().conjugate();
      den.array() += S[static_cast<size_t>(r)].array().abs2();
    }
    res.G = num.array() / den.array().cast<Complex>();
    std::vector<ComplexVector> loo;
    ComplexVector mean = ComplexVector::Zero(n_w);
    for (Index r = 0; r < R; ++r) {
      const ComplexVector n_r =
          num.array() - Z[static_cast<size_t>(r)].array() * S[static_cast<size_t>(r)].array().conjugate();
      const Vector d_r = den.array() - S[static_cast<size_t>(r)].array().abs2();
      loo.push_back(n_r.array() / d_r.array().cast<Complex>());
      mean += loo.back() / static_cast<double>(R);
    }
    Vector var = Vector::Zero(n_w);
    for (const auto& g : loo) var.array() += (g - mean).array().abs2();
    var *= static_cast<double>(R - 1) / static_cast<double>(R);
    res.band = 2.0 * var.array().sqrt();
  }
  res.gain = res.G.cwiseAbs();
  Index peak = 0;
  res.gain.maxCoeff(&peak);
  res.peak_omega = res.omega[static_cast<size_t>(peak)];
  res.peak_gain = res.gain(peak);
  res.options = o;
  res.info = {model.kind(), model.time_kind(), clock.seconds()};
  return res;
}

}  // namespace rnndyn
