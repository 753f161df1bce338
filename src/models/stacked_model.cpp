// A stack of PyTorch cells as one map, s_l' = cell_l(h_{l-1}', s_l); see stacked_model.hpp.
#include "rnndyn/models/stacked_model.hpp"

#include <cmath>
#include <string>

#include "../detail/checks.hpp"

namespace rnndyn {

namespace {

using Layer = StackedModel::Layer;

double sigmoid(double a) { return 1.0 / (1.0 + std::exp(-a)); }

/// One cell step from input v and own state s: s' and, when asked, A = ds'/dv and B = ds'/ds.
struct CellStep {
  Vector s;
  Matrix A;
  Matrix B;
};

/// sum_g diag(C.col(g)) W.middleRows(g H, H) with H = C.rows(): the derivative of outputs y_k
/// that depend on the gate pre-activations a_{gH+k} = (W w)_{gH+k} with sensitivities
/// dy_k/da_{gH+k} = C(k, g), with respect to w.
Matrix gate_combination(const Matrix& W, const Matrix& C) {
  const Index H = C.rows();
  Matrix out = Matrix::Zero(H, W.cols());
  if (W.size() == 0) return out;  // no input: a block of an empty matrix is UB in Eigen (null + offset)
  for (Index g = 0; g < C.cols(); ++g) out.noalias() += C.col(g).asDiagonal() * W.middleRows(g * H, H);
  return out;
}

/// W_ih v, zero when the layer has no input (layer 0 without u).
Vector input_part(const Layer& L, const Vector& v) {
  return v.size() > 0 ? Vector(L.W_ih * v) : Vector(Vector::Zero(L.W_hh.rows()));
}

/// h' = phi(W_ih v + b_ih + W_hh h + b_hh): A = diag(phi') W_ih, B = diag(phi') W_hh.
void rnn_cell(const Activation& phi, const Layer& L, const Vector& v, const Vector& h, CellStep& out, bool jac) {
  Vector a = input_part(L, v) + L.b_ih + L.b_hh;
  a.noalias() += L.W_hh * h;
  phi.apply(a, out.s);
  if (!jac) return;
  Vector d;
  phi.apply_derivative(a, d);
  out.A = d.asDiagonal() * L.W_ih;
  out.B = d.asDiagonal() * L.W_hh;
}

/// The GRU cell of gru_model.hpp. With gi = W_ih v + b_ih, gh = W_hh h + b_hh and
/// m = (gh)_n, h'_k depends on gi through (1-z) n' (m r' on r, 1 on n) and (h-n) z' on z, and
/// on gh alike except that n sees gh_n scaled by r; plus z h directly.
void gru_cell(const Layer& L, const Vector& v, const Vector& h, CellStep& out, bool jac) {
  const Index H = h.size();
  const Vector gi = input_part(L, v) + L.b_ih;
  Vector gh = L.b_hh;
  gh.noalias() += L.W_hh * h;
  Vector r(H), z(H), n(H);
  for (Index k = 0; k < H; ++k) {
    r(k) = sigmoid(gi(k) + gh(k));
    z(k) = sigmoid(gi(H + k) + gh(H + k));
    n(k) = std::tanh(gi(2 * H + k) + r(k) * gh(2 * H + k));
  }
  out.s = (1.0 - z.array()) * n.array() + z.array() * h.array();
  if (!jac) return;
  Matrix Ci(H, 3), Ch(H, 3);
  for (Index k = 0; k < H; ++k) {
    const double base = (1.0 - z(k)) * (1.0 - n(k) * n(k));
    Ci(k, 0) = Ch(k, 0) = base * gh(2 * H + k) * r(k) * (1.0 - r(k));
    Ci(k, 1) = Ch(k, 1) = (h(k) - n(k)) * z(k) * (1.0 - z(k));
    Ci(k, 2) = base;
    Ch(k, 2) = base * r(k);
  }
  out.A = gate_combination(L.W_ih, Ci);
  out.B = gate_combination(L.W_hh, Ch);
  out.B.diagonal() += z;
}

/// The LSTM cell of lstm_model.hpp on s = [h; c]. v and h enter only through
/// a = W_ih v + W_hh h + b: c'_k has sensitivities (i' g, f' c, i g', 0) to the gates (i, f, g, o),
/// h'_k = o tanh(c'_k) has q_k times those plus tanh(c'_k) o' on o (q_k = o (1 - tanh^2 c'_k));
/// directly, dc'/dc = diag(f) and dh'/dc = diag(q f).
void lstm_cell(const Layer& L, const Vector& v, const Vector& s, CellStep& out, bool jac) {
  const Index H = s.size() / 2;
  const auto c = s.tail(H);
  Vector a = input_part(L, v) + L.b_ih + L.b_hh;
  a.noalias() += L.W_hh * s.head(H);
  out.s.resize(2 * H);
  Matrix Ch(H, 4), Cc(H, 4);
  Vector q(H), gf(H);
  for (Index k = 0; k < H; ++k) {
    const double gi = sigmoid(a(k)), gg = std::tanh(a(2 * H + k)), go = sigmoid(a(3 * H + k));
    gf(k) = sigmoid(a(H + k));
    const double cn = gf(k) * c(k) + gi * gg, tc = std::tanh(cn);
    out.s(k) = go * tc;
    out.s(H + k) = cn;
    q(k) = go * (1.0 - tc * tc);
    Cc.row(k) << gi * (1.0 - gi) * gg, gf(k) * (1.0 - gf(k)) * c(k), gi * (1.0 - gg * gg), 0.0;
    Ch.row(k) = q(k) * Cc.row(k);
    Ch(k, 3) = tc * go * (1.0 - go);
  }
  if (!jac) return;
  out.A.resize(2 * H, L.W_ih.cols());  // no comma initializer: W_ih may have no columns
  if (L.W_ih.size() > 0) {             // (and blocks of an empty matrix are UB in Eigen)
    out.A.topRows(H) = gate_combination(L.W_ih, Ch);
    out.A.bottomRows(H) = gate_combination(L.W_ih, Cc);
  }
  out.B.resize(2 * H, 2 * H);
  out.B << gate_combination(L.W_hh, Ch), Matrix(q.cwiseProduct(gf).asDiagonal()), gate_combination(L.W_hh, Cc),
      Matrix(gf.asDiagonal());
}

const char* gate_order(StackedModel::Cell cell) {
  switch (cell) {
    case StackedModel::Cell::Rnn:
      return "";
    case StackedModel::Cell::Gru:
      return " (gates r, z, n stacked as in PyTorch)";
    case StackedModel::Cell::Lstm:
      return " (gates i, f, g, o stacked as in PyTorch)";
  }
  return "";
}

}  // namespace

StackedModel::StackedModel(Cell cell, std::vector<Layer> layers, Vector u, Activation activation)
    : cell_(cell), layers_(std::move(layers)), u_(std::move(u)), activation_(activation) {
  if (layers_.empty()) throw InputError("layers", "must list at least one layer");
  for (size_t l = 0; l < layers_.size(); ++l) validate_layer(l, l == 0 ? -1 : hidden_size(l - 1));
  const Index I = layers_[0].W_ih.cols();
  if (I == 0 && u_.size() > 0) throw InputError("layers[0].W_ih", "required when an input u is given");
  if (u_.size() == 0) u_ = Vector::Zero(I);
  detail::require_length(u_, I, "u");
  Index total = 0;
  for (size_t l = 0; l < layers_.size(); ++l) {
    h_offset_.push_back(total);
    total += hidden_size(l);
  }
  for (size_t l = 0; l < layers_.size(); ++l) c_offset_.push_back(total + h_offset_[l]);
  dim_ = cell_ == Cell::Lstm ? 2 * total : total;
}

Index StackedModel::gates() const { return cell_ == Cell::Rnn ? 1 : (cell_ == Cell::Gru ? 3 : 4); }

std::string StackedModel::kind() const { return cell_ == Cell::Rnn ? "rnn" : (cell_ == Cell::Gru ? "gru" : "lstm"); }

void StackedModel::validate_layer(size_t l, Index input_size) {
  const std::string p = "layers[" + std::to_string(l) + "].";
  Layer& L = layers_[l];
  const Index H = L.W_hh.cols(), G = gates();
  detail::require_nonempty(H, p + "W_hh");
  if (L.W_hh.rows() != G * H)
    throw InputError(p + "W_hh", "expected a " + (G > 1 ? std::to_string(G) : std::string()) + "H x H matrix" +
                                     gate_order(cell_) + ", got " + detail::shape_string(L.W_hh.rows(), H));
  detail::require_finite(L.W_hh, p + "W_hh");
  if (L.b_ih.size() == 0) L.b_ih = Vector::Zero(G * H);
  if (L.b_hh.size() == 0) L.b_hh = Vector::Zero(G * H);
  detail::require_length(L.b_ih, G * H, p + "b_ih");
  detail::require_length(L.b_hh, G * H, p + "b_hh");
  if (L.W_ih.size() == 0) {
    // Layer 0 may have no input; every later layer reads the hidden state of the one below.
    if (input_size >= 0)
      throw InputError(p + "W_ih", "required: layer " + std::to_string(l) + "'s input is layer " +
                                       std::to_string(l - 1) + "'s hidden state (" + std::to_string(input_size) +
                                       " units)");
    L.W_ih = Matrix::Zero(G * H, 0);
  }
  detail::require_shape(L.W_ih, G * H, input_size >= 0 ? input_size : L.W_ih.cols(), p + "W_ih");
}

Vector StackedModel::gather_state(const Vector& x, size_t l) const {
  const Index H = hidden_size(l);
  if (cell_ != Cell::Lstm) return x.segment(h_offset_[l], H);
  Vector s(2 * H);
  s << x.segment(h_offset_[l], H), x.segment(c_offset_[l], H);
  return s;
}

void StackedModel::evaluate(const Vector& x, Vector& f, Matrix* jacobian) const {
  f.resize(dim_);
  if (jacobian) jacobian->setZero(dim_, dim_);
  const bool lstm = cell_ == Cell::Lstm;
  Vector input = u_;
  Matrix d_input;  // d(input of layer l)/dx = dh_{l-1}'/dx; u is constant
  CellStep step;
  for (size_t l = 0; l < layers_.size(); ++l) {
    const Index H = hidden_size(l);
    const Vector s = gather_state(x, l);
    if (cell_ == Cell::Rnn)
      rnn_cell(activation_, layers_[l], input, s, step, jacobian != nullptr);
    else if (cell_ == Cell::Gru)
      gru_cell(layers_[l], input, s, step, jacobian != nullptr);
    else
      lstm_cell(layers_[l], input, s, step, jacobian != nullptr);
    f.segment(h_offset_[l], H) = step.s.head(H);
    if (lstm) f.segment(c_offset_[l], H) = step.s.tail(H);
    if (jacobian) {
      Matrix D = Matrix::Zero(step.s.size(), dim_);  // ds_l'/dx = A_l dh_{l-1}'/dx + B_l E_l
      D.middleCols(h_offset_[l], H) = step.B.leftCols(H);
      if (lstm) D.middleCols(c_offset_[l], H) = step.B.rightCols(H);
      if (l > 0) D.noalias() += step.A * d_input;
      jacobian->middleRows(h_offset_[l], H) = D.topRows(H);
      if (lstm) jacobian->middleRows(c_offset_[l], H) = D.bottomRows(H);
      d_input = D.topRows(H);
    }
    input = step.s.head(H);
  }
}

std::vector<Model::ParameterBlock> StackedModel::parameter_blocks() const {
  std::vector<ParameterBlock> blocks;
  for (size_t l = 0; l < layers_.size(); ++l) {
    const Layer& L = layers_[l];
    const std::string tag = "_l" + std::to_string(l);
    if (L.W_ih.cols() > 0) blocks.push_back({"W_ih" + tag, L.W_ih.rows(), L.W_ih.cols()});
    blocks.push_back({"W_hh" + tag, L.W_hh.rows(), L.W_hh.cols()});
    blocks.push_back({"b_ih" + tag, L.b_ih.size(), 1});
    blocks.push_back({"b_hh" + tag, L.b_hh.size(), 1});
  }
  if (u_.size() > 0) blocks.push_back({"u", u_.size(), 1});
  return blocks;
}

double* StackedModel::parameter_slot(const std::string& symbol, Index row, Index col) {
  if (symbol == "u") return &u_(row);
  // <symbol>_l<k>; locate_parameter has checked the name against parameter_blocks().
  const auto tag = symbol.rfind("_l");
  if (tag == std::string::npos) return nullptr;
  const std::string base = symbol.substr(0, tag), index = symbol.substr(tag + 2);
  if (index.empty() || index.find_first_not_of("0123456789") != std::string::npos) return nullptr;
  const size_t l = std::stoul(index);
  if (l >= layers_.size()) return nullptr;
  Layer& L = layers_[l];
  if (base == "W_ih") return &L.W_ih(row, col);
  if (base == "W_hh") return &L.W_hh(row, col);
  if (base == "b_ih") return &L.b_ih(row);
  if (base == "b_hh") return &L.b_hh(row);
  return nullptr;
}

}  // namespace rnndyn
