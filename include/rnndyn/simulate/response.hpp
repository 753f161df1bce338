#pragma once
/// The linear response of a flow's readout to its input, measured by simulation (issue 18):
///
///   G(omega) = Z(omega) / S(omega),
///
/// Z the Fourier transform of z(t) - z_0(t) (the readout driven by the input s(t) through one
/// channel of u, minus the undriven readout from the same start x0) and S that of s(t). Around a
/// stable fixed point x* the driven flow is dx/dt = A dx + B s + O(|dx|^2, s^2) (A = DF(x*),
/// B = dF/du_c) and z = C dx with C = W_out dr/dx(x*), so for small inputs
///
///   G(omega) = C (i omega I - A)^{-1} B,
///
/// the closed form tests compare against. Two estimators:
/// - Impulse: one pulse of area a = `amplitude` and width dt at t = 0; G_a = (trapezoid FT of h)
///   / P, h = (z - z_0)/a, P(omega) = (1 - e^{-i omega dt})/(i omega dt) the pulse's own
///   transform. G_a = G + c a + O(a^2), so G is reported as the Richardson extrapolation
///   2 G_{a/2} - G_a. Band: 2 |G_a - G_{a/2}| = |c| a, the size of the nonlinear part removed
///   (zero for a linear model up to the integrator's tolerance), plus the
///   integral of |h| over the last tenth of [0, t_end], which stands for the tail the window cuts
///   off: choose t_end beyond the slowest decay (a slowly decaying h gives a wide band).
/// - Noise: `repeats` realisations of white noise of intensity amplitude^2 (held on the grid dt);
///   after `transient`, G = sum_r Z_r conj(S_r) / sum_r |S_r|^2 over windows of length t_end
///   (S_r exact for the held noise, Z_r by the trapezoid rule). Band: 2 jackknife standard errors
///   over the realisations. Edge effects of the window (response to input before it, the tail
///   after it) bias |G| by about (relaxation time)/t_end.
#include <cstdint>
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

enum class ResponseMethod { Impulse, Noise };
std::string to_string(ResponseMethod m);  ///< "impulse" / "noise"
ResponseMethod parse_response_method(const std::string& name, const std::string& field = "method");

struct ResponseOptions {
  /// Impulse (default) or Noise.
  ResponseMethod method = ResponseMethod::Impulse;
  /// Start (length dim, usually a stable fixed point); empty (default): the model's x0, else zeros.
  Vector x0;
  /// Input channel driven, 0 <= channel < input_dim(). Default 0.
  Index channel = 0;
  /// Readout row observed, 0 <= readout < outputs (the model needs W_out / a reservoir's w_out). Default 0.
  Index readout = 0;
  /// Impulse: area of the pulse; noise: sigma. > 0; small enough for a linear response. Default 1e-3.
  double amplitude = 1e-3;
  /// Impulse: recorded length of the response; noise: window length per realisation. > 0. Default 200.
  double t_end = 200.0;
  /// Noise: time simulated and discarded before each window, >= 0. Default 50.
  double transient = 50.0;
  /// Sampling step, pulse width and noise grid, 0 < dt <= t_end. Default 0.05.
  double dt = 0.05;
  /// Noise: realisations (seeds seed, seed + 1, ...), >= 2. Default 16.
  int repeats = 16;
  std::uint64_t seed = 1;
  /// Angular frequencies, each >= 0; empty (default): n_omega points evenly on (0, omega_max].
  std::vector<double> omega;
  int n_omega = 100;       ///< >= 1
  double omega_max = 2.0;  ///< > 0
  double abs_tol = 1e-10;  ///< integrator tolerances, > 0
  double rel_tol = 1e-10;
  /// Reports (stage "response": share of the simulations done). Default: none.
  ProgressCallback progress;
  void validate() const;
};

/// The fields of the options (core/describe.hpp); x0 has its own CLI parser, omega none (a list).
template <>
struct Description<ResponseOptions> {
  using O = ResponseOptions;
  static constexpr auto fields = std::make_tuple(
      enum_field("method", &O::method, &parse_response_method,
                 "impulse (one pulse) or noise (white-noise realisations)", "--method"),
      field("x0", &O::x0, "Start, usually a stable fixed point; empty: the model's x0, else zeros"),
      field("channel", &O::channel, "Input channel driven, in [0, input_dim)", "--channel"),
      field("readout", &O::readout, "Readout row observed, in [0, outputs)", "--readout"),
      field("amplitude", &O::amplitude, "Pulse area (impulse) or noise sigma, > 0 (small: a linear response)",
            "--amplitude"),
      field("t_end", &O::t_end, "Response length (impulse) or window per realisation (noise), > 0", "--t-end"),
      field("transient", &O::transient, "Noise: time simulated and discarded before each window, >= 0", "--transient"),
      field("dt", &O::dt, "Sampling step, pulse width and noise grid, 0 < dt <= t_end", "--dt"),
      field("repeats", &O::repeats, "Noise: realisations (seeds seed, seed + 1, ...), >= 2", "--repeats"),
      field("seed", &O::seed, "Noise: seed of the first realisation", "--seed"),
      field("omega", &O::omega, "Angular frequencies, each >= 0; empty: n_omega points evenly on (0, omega_max]"),
      field("n_omega", &O::n_omega, "Frequencies on (0, omega_max] when omega is empty, >= 1", "--n-omega"),
      field("omega_max", &O::omega_max, "Largest angular frequency when omega is empty, > 0", "--omega-max"),
      field("abs_tol", &O::abs_tol, "Absolute tolerance of the integrator, > 0", "--atol"),
      field("rel_tol", &O::rel_tol, "Relative tolerance of the integrator, > 0", "--rtol"));
};

struct ResponseResult {
  std::vector<double> omega;
  ComplexVector G;          ///< transfer function at omega
  Vector gain;              ///< |G|
  Vector band;              ///< half-width of the confidence band of G (see the header)
  double peak_omega = 0.0;  ///< the omega of the largest |G| on the grid
  double peak_gain = 0.0;
  /// Impulse: h(t) = (z(t) - z_0(t)) / amplitude at t = 0, dt, ... (empty for noise).
  std::vector<double> t;
  Vector h;
  RunInfo info;
  ResponseOptions options;  ///< x0 and omega resolved
};

template <>
struct Description<ResponseResult> {
  using R = ResponseResult;
  static constexpr auto fields = std::make_tuple(
      field("omega", &R::omega, "The frequencies"), field("G", &R::G, "Transfer function at omega"),
      field("gain", &R::gain, "|G|"), field("band", &R::band, "Half-width of the confidence band of G"),
      field("peak_omega", &R::peak_omega, "The omega of the largest |G| on the grid"),
      field("peak_gain", &R::peak_gain, "The largest |G| on the grid"),
      when(
          field("t", &R::t, "Impulse: the times of h (empty for noise)"), +[](const R& r) { return !r.t.empty(); }),
      when(
          field("h", &R::h, "Impulse: the response per unit amplitude (empty for noise)"),
          +[](const R& r) { return !r.t.empty(); }),
      field("options", &R::options, "The options it ran with, x0 and omega resolved"),
      view(
          "method", "impulse or noise (options.method)", +[](const R& r) { return to_string(r.options.method); }));
};

/// Throws InputError for maps, models without inputs or readout, a bad channel/output or options.
ResponseResult measure_response(const Model& model, const ResponseOptions& options);

}  // namespace rnndyn
