#pragma once
/// Reservoir with output feedback (seed 003, eq. 1):
///
///   tau dx/dt = -x + W phi(x) + w_FB z + w_in u,    z = w_out^T phi(x),
///
/// W_ij ~ N(0, g^2/N), w_FB i.i.d. uniform on [-s, s] or N(0, s^2), w_in i.i.d. N(0, 1), u a
/// constant input (default 0). Until trained, w_out = 0 and the model is the open loop with no
/// feedback. As a rnndyn::Model (kind "reservoir") it is the closed loop, so simulate/linearize
/// apply; its Jacobian is tau^{-1}(-I + (W + w_FB w_out^T) R') with R' = diag(phi'(x)) (eq. 4).
#include <cstdint>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/models/activation.hpp"
#include "rnndyn/models/model.hpp"
#include "rnndyn/reservoir/mean_field.hpp"

namespace rnndyn {

struct ReservoirOptions {
  /// Number of neurons N. Default 1000, valid [2, 100000].
  Index N = 1000;
  /// Gain g of W_ij ~ N(0, g^2/N). Default 1.5, valid (0, 100].
  double g = 1.5;
  /// Activation phi. Default tanh.
  Activation activation{ActivationKind::Tanh};
  /// Feedback weight distribution and scale (half-width / std). Defaults uniform, 1 (> 0).
  FeedbackDistribution feedback = FeedbackDistribution::Uniform;
  double feedback_scale = 1.0;
  /// Time constant tau (> 0). Default 1: the seed's time unit.
  double tau = 1.0;
  /// Seed of the std::mt19937_64 drawing W, then w_FB, then w_in. Default 1.
  std::uint64_t seed = 1;
  void validate() const;
};

/// The fields of the options (core/describe.hpp), keys = those of a drawn reservoir's model file,
/// except the activation (two keys, activation and threshold, as in MeanFieldOptions). No flag: no
/// command offers them directly (the reservoir command's flags set ReservoirExperimentOptions, whose
/// network() fills them), and the model-file reader (reservoir.cpp) reads them by hand, N and g
/// required and N and seed checked to be integers, which the description cannot say.
template <>
struct Description<ReservoirOptions> {
  using O = ReservoirOptions;
  static constexpr auto fields =
      std::make_tuple(field("N", &O::N, "Number of neurons, in [2, 100000]"),
                      field("g", &O::g, "Gain g of W_ij ~ N(0, g^2/N), in (0, 100]"),
                      enum_field("feedback", &O::feedback, &feedback_distribution_from_name,
                                 "Feedback weight distribution: uniform (on [-s, s]) or gaussian"),
                      field("feedback_scale", &O::feedback_scale, "Scale s of the feedback distribution, finite, > 0"),
                      field("tau", &O::tau, "Time constant, finite, > 0"),
                      field("seed", &O::seed, "Seed of the mt19937_64 drawing W, then w_FB, then w_in"));
};

class Reservoir final : public Model {
 public:
  /// Draws W, w_FB and w_in from `options` (validated).
  explicit Reservoir(const ReservoirOptions& options);
  /// Explicit weights (model files). Shapes: W N x N, vectors of length N. Throws InputError.
  Reservoir(Activation activation, double tau, Matrix W, Vector w_fb, Vector w_out, Vector w_in = {}, double u = 0.0);

  std::string kind() const override { return "reservoir"; }
  Index dim() const override { return W_.rows(); }
  TimeKind time_kind() const override { return TimeKind::Flow; }
  void evaluate(const Vector& x, Vector& f, Matrix* jacobian = nullptr) const override;
  std::vector<ParameterBlock> parameter_blocks() const override;
  std::unique_ptr<Model> clone() const override { return std::make_unique<Reservoir>(*this); }
  /// One input channel u through w_in (zero unless given or drawn).
  Index input_dim() const override { return 1; }
  Vector input() const override { return Vector::Constant(1, u_); }
  void set_input(const Vector& u) override {
    Model::set_input(u);
    u_ = u(0);
  }
  /// r = phi(x), read out by w_out.
  Vector rates(const Vector& x) const override;
  /// The reservoir's own readout z = w_out^T phi(x) (the one fed back through w_FB).
  std::optional<Readout> readout() const override { return Readout{w_out_.transpose(), Vector::Zero(1)}; }

  const Activation& activation() const { return activation_; }
  double tau() const { return tau_; }
  const Matrix& W() const { return W_; }
  const Vector& w_fb() const { return w_fb_; }
  const Vector& w_out() const { return w_out_; }
  const Vector& w_in() const { return w_in_; }
  double u() const { return u_; }
  void set_w_out(const Vector& w_out);
  void set_input(double u) { u_ = u; }
  /// Readout z = w_out^T phi(x).
  double output(const Vector& x) const;

 private:
  double* parameter_slot(const std::string& symbol, Index row, Index col) override;
  Activation activation_;
  double tau_ = 1.0;
  Matrix W_;
  Vector w_fb_, w_out_, w_in_;
  double u_ = 0.0;
};

struct TrainingOptions {
  /// Target output levels A_1..A_M (M >= 1, finite, distinct). Default {1.0}.
  std::vector<double> targets{1.0};
  /// Ridge penalty lambda of the readout fit min ||R^T w - A||^2 + lambda ||w||^2 (>= 0).
  /// Default 0: the minimum-norm exact fit w_out = R (R^T R)^{-1} A (R = [r_1..r_M]).
  double ridge = 0.0;
  /// Damping eta of the open-loop iteration x <- (1-eta) x + eta (W phi(x) + w_FB A), (0, 1]. Default 1.
  double damping = 1.0;
  /// Damped iterations before Newton (>= 0). Default 3000; they stop early below newton_switch.
  int max_iterations = 3000;
  /// Below ||residual||_inf < newton_switch (> 0) switch to Newton, unless the observed contraction
  /// predicts convergence within N/4 more (cheaper) iterations. Default 1e-6.
  double newton_switch = 1e-6;
  /// Newton steps at most (>= 0). Default 20.
  int max_newton = 20;
  /// Converged when ||x - W phi(x) - w_FB A||_inf < tol (> 0). Default 1e-10.
  double tol = 1e-10;
  void validate() const;
};

/// The fields of the options (core/describe.hpp), keys = the names their errors use (and, for
/// targets and ridge, the keys of a drawn reservoir's model file). No flag: the reservoir command's
/// --targets and --ridge set ReservoirExperimentOptions, whose training() fills them.
template <>
struct Description<TrainingOptions> {
  using O = TrainingOptions;
  static constexpr auto fields = std::make_tuple(
      field("targets", &O::targets, "Target output levels A_1..A_M, M >= 1, finite, distinct"),
      field("ridge", &O::ridge, "Ridge penalty of the readout fit, finite, >= 0 (0: minimum-norm exact fit)"),
      field("damping", &O::damping, "Damping eta of the open-loop iteration, in (0, 1]"),
      field("max_iterations", &O::max_iterations, "Damped iterations before Newton, >= 0"),
      field("newton_switch", &O::newton_switch, "Switch to Newton below this max-norm residual, > 0"),
      field("max_newton", &O::max_newton, "Newton steps at most, >= 0"),
      field("tol", &O::tol, "Converged when the open-loop residual's max norm is below this, > 0"));
};

enum class TrainingStatus {
  Converged,     ///< every open-loop fixed point found to tol
  NotConverged,  ///< some open-loop fixed point not found (fading memory may fail: rho >= 1)
};
std::string to_string(TrainingStatus s);

struct TrainedTarget {
  double A = 0.0;
  Vector x;               ///< open-loop fixed point x_m (eq. 3)
  double residual = 0.0;  ///< ||x - W phi(x) - w_FB A||_inf
  bool converged = false;
  int iterations = 0;   ///< damped iterations + Newton steps
  double rho = 0.0;     ///< spectral radius of W R'(x_m), filled by analyze_reservoir (NaN before)
  double output = 0.0;  ///< w_out^T phi(x_m) after the fit
};

struct TrainingResult {
  TrainingStatus status = TrainingStatus::Converged;
  std::vector<TrainedTarget> targets;
  Vector w_out;
  double readout_error = 0.0;  ///< max_m |w_out^T r_m - A_m|
};

/// Solves the open-loop fixed points and fits w_out; sets it on `reservoir` (closing the loop).
TrainingResult train_reservoir(Reservoir& reservoir, const TrainingOptions& options);

class ModelFileReader;

/// Model-file reader for `"model": "reservoir"`. Either explicit weights (keys W, w_FB and
/// optionally w_out, w_in, u, tau, activation, threshold) or a generator: N, g, seed, feedback
/// ("uniform"|"gaussian"), feedback_scale, activation, threshold, tau, and optionally targets
/// (then the reservoir is trained, closing the loop) and ridge.
std::unique_ptr<Model> read_reservoir_model(const ModelFileReader& reader);

}  // namespace rnndyn
