#pragma once
/// One-layer GRU cell with PyTorch's conventions (torch.nn.GRU / nn.GRUCell) and a constant
/// input u, as a map on the hidden state h in R^H:
///
///   r  = sigmoid(W_ir u + b_ir + W_hr h + b_hr)
///   z  = sigmoid(W_iz u + b_iz + W_hz h + b_hz)
///   n  = tanh(W_in u + b_in + r * (W_hn h + b_hn))
///   h' = (1 - z) * n + z * h
///
/// Weights are stored as in PyTorch's state_dict: weight_ih (3H x I) = [W_ir; W_iz; W_in],
/// weight_hh (3H x H) = [W_hr; W_hz; W_hn], bias_ih = [b_ir; b_iz; b_in], bias_hh = [b_hr; b_hz; b_hn]
/// (gate order r, z, n). Model-file keys: "W_ih", "W_hh", "b_ih", "b_hh", "u"; W_ih and u are
/// optional together (no input), biases default to zero.
#include <memory>

#include "rnndyn/models/model.hpp"

namespace rnndyn {

class GruModel final : public Model {
 public:
  /// W_hh: 3H x H; b_ih, b_hh: 3H (empty = zero); W_ih: 3H x I and u: I (both empty = no input).
  /// Throws InputError naming the field when shapes disagree or an entry is not finite.
  GruModel(Matrix W_hh, Vector b_ih = {}, Vector b_hh = {}, Matrix W_ih = {}, Vector u = {});

  std::string kind() const override { return "gru"; }
  Index dim() const override { return W_hh_.cols(); }
  TimeKind time_kind() const override { return TimeKind::Map; }
  void evaluate(const Vector& h, Vector& f, Matrix* jacobian = nullptr) const override;
  void evaluate_batch(const Matrix& X, Matrix& F) const override;
  std::vector<ParameterBlock> parameter_blocks() const override;
  std::unique_ptr<Model> clone() const override { return std::make_unique<GruModel>(*this); }
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
