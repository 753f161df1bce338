#pragma once
/// A stack of L PyTorch recurrent cells (torch.nn.RNN / GRU / LSTM with num_layers = L,
/// unidirectional, no projection) with a constant input u, as one map: one time step of the
/// whole stack,
///
///   s_0' = cell_0(u, s_0),   s_l' = cell_l(h_{l-1}', s_l)   (l = 1, ..., L-1),
///
/// where s_l is layer l's state (h_l; [h_l; c_l] for the LSTM) and layer l's input is the NEW
/// hidden state h_{l-1}' of the layer below, as in torch's forward. Each cell is the one of
/// rnn_model.hpp (h' = phi(W_ih v + b_ih + W_hh h + b_hh)), gru_model.hpp or lstm_model.hpp with
/// input v. The state is laid out as torch's h_n (and c_n) for batch 1:
///
///   rnn, gru:  x = [h_0; h_1; ...; h_{L-1}]                         = h_n.reshape(-1)
///   lstm:      x = [h_0; ...; h_{L-1}; c_0; ...; c_{L-1}]           = cat(h_n.reshape(-1), c_n.reshape(-1))
///
/// (for L = 1 the LSTM layout is LstmModel's [h; c]). The Jacobian follows the chain rule:
/// with A_l = ds_l'/dv and B_l = ds_l'/ds_l of cell l,
///
///   ds_0'/dx = B_0 E_0,   ds_l'/dx = A_l dh_{l-1}'/dx + B_l E_l,
///
/// E_l selecting s_l from x. Parameters by name: W_ih_l<k>, W_hh_l<k>, b_ih_l<k>, b_hh_l<k>
/// (torch's weight_ih_l<k> etc., zero-based layer k and entries, e.g. W_hh_l1[0,1]) and u[i].
#include <memory>
#include <vector>

#include "rnndyn/models/activation.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

class StackedModel final : public Model {
 public:
  enum class Cell { Rnn, Gru, Lstm };
  /// One layer's weights as in torch's state_dict: W_ih (G H x I_l), W_hh (G H x H), b_ih, b_hh
  /// (G H), G = 1, 3, 4 gates (rnn, gru: r, z, n; lstm: i, f, g, o).
  struct Layer {
    Matrix W_ih;
    Matrix W_hh;
    Vector b_ih;
    Vector b_hh;
  };

  /// Empty biases are zero. Layer 0's W_ih may be empty together with u (no input); layer l > 0
  /// needs W_ih with H_{l-1} columns. `activation` applies to rnn cells only. Throws InputError
  /// naming the field as in the model file, e.g. "layers[1].W_hh", or "u".
  StackedModel(Cell cell, std::vector<Layer> layers, Vector u = {}, Activation activation = Activation());

  /// "rnn", "gru" or "lstm", as the single-layer models.
  std::string kind() const override;
  Index dim() const override { return dim_; }
  TimeKind time_kind() const override { return TimeKind::Map; }
  void evaluate(const Vector& x, Vector& f, Matrix* jacobian = nullptr) const override;
  std::vector<ParameterBlock> parameter_blocks() const override;
  std::unique_ptr<Model> clone() const override { return std::make_unique<StackedModel>(*this); }
  Index input_dim() const override { return u_.size(); }
  Vector input() const override { return u_; }
  void set_input(const Vector& u) override {
    Model::set_input(u);
    u_ = u;
  }

  Cell cell() const { return cell_; }
  const std::vector<Layer>& layers() const { return layers_; }
  const Vector& u() const { return u_; }
  const Activation& activation() const { return activation_; }
  /// H_l of layer l.
  Index hidden_size(size_t layer) const { return layers_[layer].W_hh.cols(); }

 private:
  double* parameter_slot(const std::string& symbol, Index row, Index col) override;
  Index gates() const;
  void validate_layer(size_t l, Index input_size);
  /// Where layer l's state s_l sits in x: h_l at h_offset_[l], c_l (lstm) at c_offset_[l].
  Vector gather_state(const Vector& x, size_t l) const;

  Cell cell_;
  std::vector<Layer> layers_;
  Vector u_;
  Activation activation_;
  Index dim_ = 0;
  std::vector<Index> h_offset_;
  std::vector<Index> c_offset_;
};

}  // namespace rnndyn
