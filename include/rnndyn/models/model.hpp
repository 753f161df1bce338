#pragma once
/// The one interface every analysis is written against.
///
/// A model is either a flow dx/dt = F(x) or a map x_{t+1} = F(x_t) on R^dim. It gives F, its
/// Jacobian DF (analytic; tests check it against finite differences), named scalar parameters
/// (`W[0,1]`, `b[0]`, `tau[1]`, `g`: the keys of the model file with zero-based indices), and,
/// when its activation is piecewise linear, the structure of seed 001 (hyperplanes and
/// per-region affine maps, see piecewise_linear.hpp).
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rnndyn/core/types.hpp"
#include "rnndyn/models/latent.hpp"
#include "rnndyn/models/piecewise_linear.hpp"

namespace rnndyn {

/// A linear readout z = W_out r + b_out of the model's rates r = Model::rates(x) (seed 000's
/// W_out, b_out; a reservoir's z = w_out^T phi(x), seed 003).
struct Readout {
  Matrix W_out;  ///< k x dim
  Vector b_out;  ///< k
};

/// A state a model was trained to hold (seed 003: a reservoir's open-loop fixed point x_m of
/// eq. 3, at which the closed loop reads out z = A_m). Fixed-point searches start from these, and
/// their results name the level a point belongs to.
struct TrainedState {
  double level = 0.0;  ///< the target output A_m
  Vector x;            ///< the state x_m (length dim)
};

/// The linear network of seed 002, tau dv/dt = -v + M v + h (one time constant for every unit).
struct LinearSystem {
  double tau = 1.0;
  Matrix M;
  Vector h;
};

class Model {
 public:
  virtual ~Model() = default;

  /// The model-file type name: rate, linear, plrnn, shplrnn, rnn, ...
  virtual std::string kind() const = 0;
  virtual Index dim() const = 0;
  virtual TimeKind time_kind() const = 0;

  /// F(x) into `f` (resized); if `jacobian` is non-null, DF(x) into it as well.
  virtual void evaluate(const Vector& x, Vector& f, Matrix* jacobian = nullptr) const = 0;

  /// F of every column of X (dim x B) into the columns of F (resized): many states at once, e.g.
  /// the orbits of a memory-time or basin census stepped in lockstep. The default calls evaluate
  /// per column; cells whose inputs are one matrix product (GRU, LSTM, RNN, ESN) override it with
  /// one matrix-matrix product, several times faster per state than B matrix-vector products.
  virtual void evaluate_batch(const Matrix& X, Matrix& F) const;

  /// F(x) into f and J(x) Q into JQ (both dim x k, column-major) without forming J, for the
  /// variational equations of Lyapunov spectra; false (nothing written) when the model has no
  /// such product and the caller forms J by evaluate(). The ESN overrides it: J = diag(1 - lr) +
  /// diag(lr f'(a)) M, so J Q is one product M Q and two row scalings, where forming J first
  /// read and wrote N^2 more entries a step (1.2 times slower than NumPy at N = 1000).
  virtual bool tangent_product(const Vector& x, Vector& f, const double* Q, double* JQ, Index k) const {
    (void)x, (void)f, (void)Q, (void)JQ, (void)k;
    return false;
  }

  /// The conveniences below check the length of x (InputError "x"); evaluate() does not.
  Vector rhs(const Vector& x) const {
    check_state(x);
    Vector f;
    evaluate(x, f);
    return f;
  }
  Matrix jacobian(const Vector& x) const {
    check_state(x);
    Vector f;
    Matrix J;
    evaluate(x, f, &J);
    return J;
  }
  /// F(x) for flows, F(x) - x for maps: zero exactly at fixed points.
  Vector fixed_point_residual(const Vector& x) const {
    Vector f = rhs(x);
    if (time_kind() == TimeKind::Map) f -= x;
    return f;
  }

  /// Scalar parameter by name, e.g. "W[0,1]", "tau[1]", "g". Throws InputError for unknown names.
  double parameter(const std::string& name) const;
  /// Throws InputError("parameter", ...) for an unknown name or a value outside the parameter's
  /// domain (non-finite; <= 0 for a time constant): a model never holds a value its equations
  /// exclude, whichever way the value arrives (model file, --set, continuation, perturbation).
  void set_parameter(const std::string& name, double value);
  /// Throws InputError(field, ...) unless x has dim() entries.
  void check_state(const Vector& x, const std::string& field = "x") const;
  /// Whether `value` lies in the domain of parameter `name` (which must exist).
  bool admits(const std::string& name, double value) const;
  /// A parameter located once (name parsed, index and block checked). Continuation sets one
  /// parameter thousands of times, and parsing the name and listing the blocks cost more than
  /// evaluating a small model (half the time of a 2-unit border-collision curve). Valid for this
  /// model and its clones.
  struct ParameterRef {
    std::string name;  ///< as typed, for error messages
    std::string symbol;
    Index row = 0;
    Index col = 0;
    bool positive = false;  ///< the domain is > 0 (time constants)
  };
  /// Throws InputError("parameter", ...) for an unknown name, as parameter(name) does.
  ParameterRef parameter_ref(const std::string& name) const;
  double parameter(const ParameterRef& p) const;
  void set_parameter(const ParameterRef& p, double value);
  bool admits(const ParameterRef& p, double value) const { return std::isfinite(value) && (!p.positive || value > 0); }
  /// Array-valued parameters (symbol and shape) this model has, e.g. {"W", 2, 2}.
  struct ParameterBlock {
    std::string symbol;
    Index rows = 1;
    Index cols = 1;
    /// The domain: every entry must be > 0 (time constants) instead of any finite number.
    bool positive = false;
  };
  virtual std::vector<ParameterBlock> parameter_blocks() const = 0;

  virtual std::unique_ptr<Model> clone() const = 0;

  /// The state analyses start from when the caller gives none: the model file's `x0`, else a
  /// trained reservoir's first trained state x_1 (set by train_reservoir); nullopt when the model
  /// has none (then zeros).
  const std::optional<Vector>& initial_state() const { return initial_state_; }
  /// Throws InputError("x0", ...) for a wrong length or non-finite entries.
  void set_initial_state(const Vector& x0);
  /// initial_state() when set, else zeros.
  Vector initial_state_or_zeros() const { return initial_state_ ? *initial_state_ : Vector::Zero(dim()); }

  /// The states the model was trained to hold, in the order of their levels (empty unless trained:
  /// a reservoir after train_reservoir). Default starts of every fixed-point search.
  const std::vector<TrainedState>& trained_states() const { return trained_states_; }
  /// Throws InputError("trained_states", ...) for a state of the wrong length or not finite.
  void set_trained_states(std::vector<TrainedState> states);

  /// External input u: the models with input weights (W_in, W_ih, w_in) read a constant input u of
  /// input_dim() channels (the model file's `u`, default zero). simulate() drives a clone of the
  /// model with a time-dependent u(t) through set_input (see simulate/input_signal.hpp).
  /// Models without input weights have input_dim() == 0 and refuse set_input.
  virtual Index input_dim() const { return 0; }
  /// The constant input u (length input_dim()).
  virtual Vector input() const { return {}; }
  /// Replaces u (length input_dim(), finite); throws InputError("u", ...) otherwise. No caches
  /// depend on u, so this is cheap enough to call before every evaluation.
  virtual void set_input(const Vector& u);

  /// The rates r(x) a readout reads: x itself unless the model says otherwise (phi(x) for
  /// current-form rate networks and reservoirs).
  virtual Vector rates(const Vector& x) const { return x; }
  /// The readout z = W_out r(x) + b_out (model file keys W_out, b_out), nullopt when none.
  virtual std::optional<Readout> readout() const { return readout_; }
  /// Throws InputError("W_out"/"b_out", ...) for wrong shapes or non-finite entries.
  void set_readout(const Readout& readout);
  /// z = W_out r(x) + b_out; throws InputError("W_out", ...) when the model has no readout.
  Vector output_of(const Vector& x) const;

  /// The seed-001 view of the model when its activation is piecewise linear, else nullopt.
  virtual std::optional<PiecewiseLinearStructure> piecewise_linear() const { return std::nullopt; }
  /// The latent reduction of a low-rank network (latent.hpp): the same fixed points from an
  /// R-dimensional problem, or nullopt when the model has none within `options`.
  virtual std::optional<LatentReduction> latent_reduction(const LatentOptions& options = {}) const {
    (void)options;
    return std::nullopt;
  }
  /// The seed-002 view tau dv/dt = -v + M v + h when the model is exactly such a network
  /// (linear models; rate networks with linear units and one time constant), else nullopt.
  virtual std::optional<LinearSystem> linear_system() const { return std::nullopt; }

 protected:
  /// The storage behind parameter `symbol` at (row, col), or nullptr if there is none.
  /// Vectors use col = 0; scalars use (0, 0).
  virtual double* parameter_slot(const std::string& symbol, Index row, Index col) = 0;
  /// Called after set_parameter so models can refresh cached quantities.
  virtual void parameters_changed() {}

 private:
  /// Validates `name` against parameter_blocks(); returns its storage and block.
  std::pair<double*, ParameterBlock> locate_parameter(const std::string& name);
  std::optional<Vector> initial_state_;
  std::vector<TrainedState> trained_states_;
  std::optional<Readout> readout_;
};

/// A parsed parameter name: `W[0,1]` -> {"W", 0, 1, 2}; `b[3]` -> {"b", 3, 0, 1}; `g` -> {"g", 0, 0, 0}.
struct ParameterName {
  std::string symbol;
  Index row = 0;
  Index col = 0;
  int rank = 0;  ///< number of indices given (0, 1 or 2)
};
/// Throws InputError naming the parameter when the syntax is wrong.
ParameterName parse_parameter_name(const std::string& name);

}  // namespace rnndyn
