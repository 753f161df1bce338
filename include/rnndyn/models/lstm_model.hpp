#pragma once
/// One-layer LSTM cell with PyTorch's conventions (torch.nn.LSTM / nn.LSTMCell, no projection)
/// and a constant input u, as a map on the state x = [h; c] in R^{2H}:
///
///   i  = sigmoid(W_ii u + b_ii + W_hi h + b_hi)
///   f  = sigmoid(W_if u + b_if + W_hf h + b_hf)
///   g  = tanh   (W_ig u + b_ig + W_hg h + b_hg)
///   o  = sigmoid(W_io u + b_io + W_ho h + b_ho)
///   c' = f * c + i * g
///   h' = o * tanh(c')
///
/// Weights as in PyTorch's state_dict: weight_ih (4H x I) = [W_ii; W_if; W_ig; W_io],
/// weight_hh (4H x H), bias_ih, bias_hh (4H) in gate order i, f, g, o. Model-file keys:
/// "W_ih", "W_hh", "b_ih", "b_hh", "u"; W_ih and u optional together, biases default to zero.
#include <memory>

#include "rnndyn/models/model.hpp"

namespace rnndyn {

class LstmModel final : public Model {
 public:
  /// W_hh: 4H x H; b_ih, b_hh: 4H (empty = zero); W_ih: 4H x I and u: I (both empty = no input).
  LstmModel(Matrix W_hh, Vector b_ih = {}, Vector b_hh = {}, Matrix W_ih = {}, Vector u = {});

  std::string kind() const override { return "lstm"; }
  /// 2H: the state is [h; c].
  Index dim() const override { return 2 * hidden_size(); }
  Index hidden_size() const { return W_hh_.cols(); }
  TimeKind time_kind() const override { return TimeKind::Map; }
  void evaluate(const Vector& x, Vector& f, Matrix* jacobian = nullptr) const override;
  void evaluate_batch(const Matrix& X, Matrix& F) const override;
  std::vector<ParameterBlock> parameter_blocks() const override;
  std::unique_ptr<Model> clone() const override { return std::make_unique<LstmModel>(*this); }
  Index input_dim() const override { return W_ih_.cols(); }
  Vector input() const override { return u_; }
  void set_input(const Vector& u) override {
    Model::set_input(u);
    u_ = u;
  }

  const Matrix& W_hh() const { return W_hh_; }
  const Matrix& W_ih() const { return W_ih_; }
  const Vector& b_ih() const { return b_ih_; }
  const Vector& b_hh() const { return b_hh_; }
  const Vector& u() const { return u_; }

 private:
  double* parameter_slot(const std::string& symbol, Index row, Index col) override;

  Matrix W_hh_;
  Vector b_ih_;
  Vector b_hh_;
  Matrix W_ih_;
  Vector u_;
};

}  // namespace rnndyn
