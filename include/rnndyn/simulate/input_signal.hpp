#pragma once
/// Input signals that drive a model over time in simulate() (issue 18).
///
/// A model with input weights (W_in of rate, linear and rnn models, W_ih of gru/lstm, w_in of a
/// reservoir; Model::input_dim() = k > 0) reads during a simulation
///
///   u(t) = u + sum_i s_i(t)
///
/// with u its constant input (model file `u`, default zero) and s_i the signals of
/// SimulateOptions::inputs, each driving one channel of u (a series drives every channel).
///
/// - Flows integrate dx/dt = F(x; u(t)). Every signal is piecewise linear in t (constant on most
///   pieces), and the integrator restarts at every break of u(t), so a discontinuity is never
///   stepped over: between breaks the right-hand side is smooth and the adaptive stepper keeps
///   its tolerance.
/// - Maps iterate x_{n+1} = F(x_n; u_n) with u_n the input of step n (as torch's nn.RNN reads
///   input[n] to produce h_{n+1}): one input per step.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "rnndyn/core/enums.hpp"
#include "rnndyn/core/types.hpp"

namespace rnndyn {

enum class InputKind {
  Series,         ///< samples (a .npy/CSV file or a list): piecewise constant or linear (flows), one per step (maps)
  Clicks,         ///< pulses of area delta * sign at given times
  PoissonClicks,  ///< clicks of area delta at the events of a Poisson process
  Noise,          ///< Gaussian white noise, or Ornstein-Uhlenbeck noise with a correlation time
  Step,           ///< a constant amplitude on [onset, offset)
};
std::string to_string(InputKind k);  ///< "series", "clicks", "poisson", "noise", "step"
InputKind parse_input_kind(const std::string& name, const std::string& field = "kind");

enum class Interpolation {
  Hold,    ///< row j holds on [t_j, t_{j+1})
  Linear,  ///< linear between t_j and t_{j+1}
};
std::string to_string(Interpolation i);  ///< "hold" / "linear"
Interpolation parse_interpolation(const std::string& name, const std::string& field = "interpolation");

/// One input signal s(t). Fields that do not belong to `kind` are ignored. Flow times are in the
/// model's time units; for maps, times, onset and offset count steps.
struct InputSignal {
  InputKind kind = InputKind::Step;
  /// The channel of u the signal adds to, 0 <= channel < input_dim(). Default 0. (A series
  /// drives every channel: one column each.)
  Index channel = 0;

  // -- series --
  /// T x k samples, T >= 1 (linear: T >= 2), k = input_dim(): row j is the value at
  /// t_j = j * dt (flows), or the input of step j (maps). The series is zero after its end:
  /// from T dt (hold) or from t_{T-1} (linear) on, and from step T on (maps).
  Matrix values;
  /// Flows: Hold (default) or Linear between samples.
  Interpolation interpolation = Interpolation::Hold;
  /// Flows: the spacing of series samples and of the noise grid, > 0; 0 (default): the
  /// simulation's output interval SimulateOptions::dt.
  double dt = 0.0;

  // -- clicks and Poisson clicks --
  /// Click times, each >= 0 (maps: whole steps). Clicks may coincide; they add.
  std::vector<double> times;
  /// One sign (any finite weight) per click; empty (default): every click +1.
  std::vector<double> signs;
  /// The area of one click, finite: integral of s over the click (flows), its value on its step
  /// (maps). Default 1.
  double delta = 1.0;
  /// Flows: a click at t is the pulse delta * sign / width on [t, t + width), width > 0. Default
  /// 0.01. A model linear in u (current-form rate, linear, reservoir) responds to it as to a
  /// delta kick as width -> 0; where u enters a nonlinearity (rate form: phi(W r + b + W_in u))
  /// a tall pulse is clipped by phi, so choose a width for which delta/width stays small.
  double width = 0.01;
  /// Poisson clicks: expected clicks per unit time (flows) or per step (maps: the number on a
  /// step is Poisson), > 0. Default 1.
  double rate = 1.0;
  /// Seed of the std::mt19937_64 that draws Poisson clicks and noise. Default 1.
  std::uint64_t seed = 1;

  // -- noise --
  /// Intensity sigma >= 0. Flows: with correlation_time = 0, white noise
  /// <s(t) s(t')> = sigma^2 delta(t - t'), realised as constant on each step of a grid of step h
  /// (dt) with independent N(0, sigma^2 / h) values; with correlation_time tau_c > 0, the
  /// Ornstein-Uhlenbeck process tau_c ds = -s dt + sigma dW (variance sigma^2 / (2 tau_c),
  /// power spectrum sigma^2 / (1 + omega^2 tau_c^2): white noise of intensity sigma^2 below
  /// 1/tau_c), drawn exactly on the grid from its stationary law and linear in between. Maps:
  /// u_n ~ N(0, sigma^2) independent, or the AR(1) process with correlation exp(-|n - m| / tau_c)
  /// and variance sigma^2. Default 1.
  double sigma = 1.0;
  /// tau_c >= 0; 0 (default): white.
  double correlation_time = 0.0;

  // -- step --
  /// s = amplitude on [onset, offset), else 0. Defaults 1, 0, +infinity (never off).
  double amplitude = 1.0;
  double onset = 0.0;
  double offset = std::numeric_limits<double>::infinity();

  /// Throws InputError naming `prefix` + field (e.g. "inputs[1].width") for a value outside its
  /// range or a shape that does not fit a model with `input_dim` channels.
  void validate(Index input_dim, TimeKind time, const std::string& prefix = "") const;
};

}  // namespace rnndyn
