#pragma once
/// Discrete-time Elman RNN (PyTorch nn.RNN cell with constant input u):
///
///   h_{t+1} = phi(W_hh h_t + b + W_in u),   phi = tanh (default) or relu.
#include "rnndyn/models/activation.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

class RnnModel final : public Model {
 public:
  RnnModel(Activation activation, Matrix W_hh, Vector b, Matrix W_in = {}, Vector u = {});

  std::string kind() const override { return "rnn"; }
  Index dim() const override { return W_hh_.rows(); }
  TimeKind time_kind() const override { return TimeKind::Map; }
  void evaluate(const Vector& h, Vector& f, Matrix* jacobian = nullptr) const override;
  void evaluate_batch(const Matrix& X, Matrix& F) const override;
  std::vector<ParameterBlock> parameter_blocks() const override;
  std::unique_ptr<Model> clone() const override { return std::make_unique<RnnModel>(*this); }
  Index input_dim() const override { return W_in_.cols(); }
  Vector input() const override { return u_; }
  void set_input(const Vector& u) override {
    Model::set_input(u);
    u_ = u;
  }
  std::optional<PiecewiseLinearStructure> piecewise_linear() const override;
  /// W_hh = U V^T by its SVD: G(kappa) = V^T phi(U kappa + d) - kappa, d = b + W_in u, h* = phi(U kappa + d).
  std::optional<LatentReduction> latent_reduction(const LatentOptions& options = {}) const override;

  const Activation& activation() const { return activation_; }
  const Matrix& W_hh() const { return W_hh_; }
  const Vector& b() const { return b_; }
  const Matrix& W_in() const { return W_in_; }
  const Vector& u() const { return u_; }

 private:
  double* parameter_slot(const std::string& symbol, Index row, Index col) override;
  Vector preactivation(const Vector& h) const;

  Activation activation_;
  Matrix W_hh_;
  Vector b_;
  Matrix W_in_;
  Vector u_;
};

}  // namespace rnndyn
