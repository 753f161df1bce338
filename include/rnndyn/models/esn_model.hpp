#pragma once
/// Discrete-time leaky echo state network (ReservoirPy 0.4's `Reservoir` + `Ridge`, issue 31):
///
///   x[t+1] = (1 - lr) * x[t] + lr * f(g W x[t] + W_in u + W_fb y[t] + b)
///   y[t]   = W_out x[t] + W_out_u u + b_out
///
/// lr is one leak rate for every unit or one per unit (ReservoirPy's `lr`, float or array), f an
/// activation of activation.hpp (tanh, linear = ReservoirPy's identity, relu, sigmoid, softplus),
/// g a gain on W (the spectral radius is g rho(W), so continuing in g continues in ReservoirPy's
/// `sr`), b ReservoirPy's reservoir `bias`. W_out, b_out are the Ridge readout (ReservoirPy's
/// `Wout` transposed, its `bias`); W_out_u reads the input directly (`input_to_readout`).
///
/// Open loop: y is an input (teacher forcing), F(x) = (1 - lr) x + lr f(g W x + W_in u + W_fb y + b)
/// and the model's input is [u; y]. Closed loop: y = y(x) is the readout fed back one step later
/// (ReservoirPy's feedback edge of delay 1), so the map reads
///
///   F(x) = (1 - lr) x + lr f(M x + d),  M = g W + W_fb W_out,  d = b + W_in u + W_fb (W_out_u u + b_out)
///
/// and its Jacobian is DF = diag(1 - lr) + diag(lr f'(M x + d)) M.
#include <optional>

#include "rnndyn/models/activation.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

class EsnModel final : public Model {
 public:
  /// The weights of one network; shapes with N units, I inputs, O outputs (any of I, O may be 0).
  struct Weights {
    Activation activation{ActivationKind::Tanh};
    Matrix W;                  ///< N x N recurrent weights
    double g = 1.0;            ///< gain on W (finite)
    Vector lr;                 ///< leak rates: 1 (shared) or N entries, each > 0; empty means 1
    Vector b;                  ///< N reservoir bias; empty means zeros
    Matrix W_in;               ///< N x I input weights (empty: no input)
    Vector u;                  ///< I constant input; empty means zeros
    Matrix W_fb;               ///< N x O feedback weights (empty: no feedback)
    Vector y;                  ///< O fed-back output of the open loop; empty means zeros
    Matrix W_out;              ///< O x N readout weights (empty: no readout)
    Matrix W_out_u;            ///< O x I direct input-to-readout weights (empty: none)
    Vector b_out;              ///< O readout offset; empty means zeros
    bool closed_loop = false;  ///< y from the readout (needs W_fb and W_out) instead of the input y
  };

  /// Throws InputError naming the field (W, lr, W_in, W_fb, W_out, ...) for wrong shapes,
  /// non-finite values, lr <= 0, or a closed loop without W_fb or W_out.
  explicit EsnModel(Weights weights);

  std::string kind() const override { return "esn"; }
  Index dim() const override { return w_.W.rows(); }
  TimeKind time_kind() const override { return TimeKind::Map; }
  void evaluate(const Vector& x, Vector& f, Matrix* jacobian = nullptr) const override;
  void evaluate_batch(const Matrix& X, Matrix& F) const override;
  bool tangent_product(const Vector& x, Vector& f, const double* Q, double* JQ, Index k) const override;
  std::vector<ParameterBlock> parameter_blocks() const override;
  std::unique_ptr<Model> clone() const override { return std::make_unique<EsnModel>(*this); }

  /// Closed loop: u (I entries). Open loop: [u; y] (I + O entries), ReservoirPy's reservoir input.
  Index input_dim() const override;
  Vector input() const override;
  void set_input(const Vector& u) override;

  /// y = W_out x + (W_out_u u + b_out), nullopt without W_out.
  std::optional<Readout> readout() const override;
  /// Linear and relu units: F(x) = diag(1 - lr) x + diag(lr) phi(M x + d) (seed 001's form).
  std::optional<PiecewiseLinearStructure> piecewise_linear() const override;

  /// The open-loop state held by the constant output y: the solution of x = f(g W x + W_in u +
  /// W_fb y + b) (seed 003's trained state, eq. 3 in discrete time) by fixed-point iteration from
  /// zero; nullopt when it has not settled to `tol` (max norm of a step) within `max_steps`
  /// (no echo state property at this y).
  std::optional<Vector> open_loop_state(const Vector& y, int max_steps = 20000, double tol = 1e-13) const;

  const Weights& weights() const { return w_; }
  bool closed_loop() const { return w_.closed_loop; }
  Index outputs() const { return w_.W_fb.size() > 0 ? w_.W_fb.cols() : w_.W_out.rows(); }

 private:
  double* parameter_slot(const std::string& symbol, Index row, Index col) override;
  void parameters_changed() override { refresh(); }
  /// f = F(x) (ReservoirPy's leaky update); returns the pre-activation a = M x + d.
  Vector step(const Vector& x, Vector& f) const;
  /// Recomputes the cached M, d and per-unit leak rates from the weights.
  void refresh();
  /// Recomputes d alone (set_input: simulate calls it every step, M does not change).
  void refresh_drive();
  void validate();

  Weights w_;
  Matrix M_;     // g W (+ W_fb W_out in the closed loop)
  Vector d_;     // b + W_in u + W_fb y  (closed loop: W_fb (W_out_u u + b_out))
  Vector leak_;  // lr per unit
};

}  // namespace rnndyn
