// Model-file readers for the built-in model types. Each reads the equation's symbols as keys;
// optional vectors default to zero, time constants to 1. A new model type adds one entry to
// add_builtin_model_readers.
#include "model_readers.hpp"

#include "../detail/checks.hpp"

#include "rnndyn/core/errors.hpp"
#include "rnndyn/models/esn_model.hpp"
#include "rnndyn/models/gru_model.hpp"
#include "rnndyn/models/linear_model.hpp"
#include "rnndyn/models/lstm_model.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/models/rnn_model.hpp"
#include "rnndyn/models/shallow_plrnn.hpp"
#include "rnndyn/models/stacked_model.hpp"
#include "rnndyn/reservoir/reservoir.hpp"

namespace rnndyn::detail {

namespace {

Vector vector_or_zero(const ModelFileReader& r, const std::string& key, Index n) {
  return r.has(key) ? r.vector(key, n) : Vector::Zero(n);
}

Activation read_activation(const ModelFileReader& r, const std::string& fallback) {
  return Activation::from_name(r.string_or("activation", fallback), r.number_or("threshold", 0.0));
}

/// Input weights W_in (n x k) and constant input u (k); both absent means no input.
std::pair<Matrix, Vector> read_input(const ModelFileReader& r, Index n) {
  if (!r.has("W_in")) {
    if (r.has("u")) throw InputError("u", "an input u needs input weights W_in");
    return {};
  }
  Matrix W_in = r.matrix("W_in", n, -1);
  Vector u = r.has("u") ? r.vector("u", W_in.cols()) : Vector::Zero(W_in.cols());
  return {W_in, u};
}

std::unique_ptr<Model> read_rate(const ModelFileReader& r) {
  const std::string form = r.string_or("form", "current");
  RateModel::Form f;
  if (form == "current")
    f = RateModel::Form::Current;
  else if (form == "rate")
    f = RateModel::Form::Rate;
  else
    throw InputError("form", "expected \"current\" or \"rate\", got \"" + form + "\"");
  if (r.has("U") || r.has("V")) {  // low-rank W = U V^T given as factors
    if (r.has("W")) throw InputError("W", "give either W or its factors U and V, not both");
    if (!r.has("U")) throw InputError("U", "missing: V is given, so W = U V^T needs U as well");
    Matrix U = r.matrix("U");
    const Index n = U.rows();
    Matrix V = r.matrix("V", n, U.cols());
    auto [W_in, u] = read_input(r, n);
    return std::make_unique<RateModel>(
        RateModel::low_rank(f, read_activation(r, "tanh"), r.has("tau") ? r.vector("tau", n) : Vector::Ones(n),
                            std::move(U), std::move(V), vector_or_zero(r, "b", n), W_in, u, r.number_or("g", 1.0)));
  }
  Matrix W = r.matrix("W");
  const Index n = W.rows();
  if (W.cols() != n) throw InputError("W", "expected a square matrix, got " + shape_string(W.rows(), W.cols()));
  auto [W_in, u] = read_input(r, n);
  return std::make_unique<RateModel>(f, read_activation(r, "tanh"), r.has("tau") ? r.vector("tau", n) : Vector::Ones(n),
                                     W, vector_or_zero(r, "b", n), W_in, u, r.number_or("g", 1.0));
}

std::unique_ptr<Model> read_linear(const ModelFileReader& r) {
  Matrix M = r.matrix("M");
  if (M.cols() != M.rows()) throw InputError("M", "expected a square matrix, got " + shape_string(M.rows(), M.cols()));
  auto [W_in, u] = read_input(r, M.rows());
  return std::make_unique<LinearModel>(r.number_or("tau", 1.0), M, vector_or_zero(r, "h", M.rows()), W_in, u);
}

std::unique_ptr<Model> read_plrnn(const ModelFileReader& r) {
  Matrix W = r.matrix("W");
  const Index n = W.rows();
  Matrix A = r.has("A") ? r.square_or_diagonal("A", n) : Matrix::Zero(n, n);
  return std::make_unique<Plrnn>(r.time_or(TimeKind::Map), A, W, vector_or_zero(r, "theta", n),
                                 vector_or_zero(r, "h", n));
}

std::unique_ptr<Model> read_shplrnn(const ModelFileReader& r) {
  Matrix W2 = r.matrix("W2");
  const Index dim = W2.cols();
  Matrix W1 = r.matrix("W1", dim, W2.rows());
  Matrix A = r.has("A") ? r.square_or_diagonal("A", dim) : Matrix::Zero(dim, dim);
  return std::make_unique<ShallowPlrnn>(r.time_or(TimeKind::Map), A, W1, W2, vector_or_zero(r, "h1", dim),
                                        vector_or_zero(r, "h2", W2.rows()));
}

/// One entry of "layers": {"W_ih", "W_hh", "b_ih", "b_hh"} (biases optional; a number is
/// broadcast to the `gates` H entries). Shapes are checked by StackedModel; errors name the
/// field inside the list, e.g. "layers[1].W_ih".
StackedModel::Layer read_layer(const nlohmann::json& j, const std::string& field, Index gates,
                               const ModelFileReader& parent) {
  if (!j.is_object())
    throw InputError(field, std::string("expected an object {W_ih, W_hh, b_ih, b_hh}, got ") + j.type_name());
  StackedModel::Layer layer;
  naming_fields_under(field + ".", [&] {
    const ModelFileReader r(j, parent.base_dir());
    layer.W_hh = r.matrix("W_hh");
    const Index n = gates * layer.W_hh.cols();
    if (r.has("W_ih")) layer.W_ih = r.matrix("W_ih");
    if (r.has("b_ih")) layer.b_ih = r.vector("b_ih", n);
    if (r.has("b_hh")) layer.b_hh = r.vector("b_hh", n);
    for (const auto& key : r.unread_keys())
      if (key.empty() || key[0] != '_') throw InputError(key, "not a key of a layer (W_ih, W_hh, b_ih, b_hh)");
  });
  return layer;
}

/// {"model": "rnn"|"gru"|"lstm", "layers": [{...}, ...], "u": [...]}: torch's num_layers > 1.
std::unique_ptr<Model> read_stacked(const ModelFileReader& r, StackedModel::Cell cell) {
  for (const char* key : {"W_ih", "W_hh", "b_ih", "b_hh", "W_in", "b"})
    if (r.has(key))
      throw InputError(key, "give the weights either per layer under \"layers\" or at the top level, not both");
  const nlohmann::json& list = r.json().at("layers");
  if (!list.is_array() || list.empty())
    throw InputError("layers", std::string("expected a non-empty list of layer objects, got ") +
                                   (list.is_array() ? "an empty list" : list.type_name()));
  const Index gates = cell == StackedModel::Cell::Rnn ? 1 : (cell == StackedModel::Cell::Gru ? 3 : 4);
  std::vector<StackedModel::Layer> layers;
  for (size_t l = 0; l < list.size(); ++l)
    layers.push_back(read_layer(list[l], "layers[" + std::to_string(l) + "]", gates, r));
  Vector u = r.has("u") ? r.vector("u") : Vector();
  const Activation activation = cell == StackedModel::Cell::Rnn ? read_activation(r, "tanh") : Activation();
  return std::make_unique<StackedModel>(cell, std::move(layers), std::move(u), activation);
}

std::unique_ptr<Model> read_rnn(const ModelFileReader& r) {
  if (r.has("layers")) return read_stacked(r, StackedModel::Cell::Rnn);
  Matrix W_hh = r.matrix("W_hh");
  const Index n = W_hh.rows();
  if (W_hh.cols() != n)
    throw InputError("W_hh", "expected a square matrix, got " + shape_string(W_hh.rows(), W_hh.cols()));
  // PyTorch keeps two biases; only their sum enters h' = phi(W_hh h + b_hh + W_ih u + b_ih).
  Vector b = vector_or_zero(r, "b", n);
  if (r.has("b_ih")) b += r.vector("b_ih", n);
  if (r.has("b_hh")) b += r.vector("b_hh", n);
  auto [W_in, u] = read_input(r, n);
  return std::make_unique<RnnModel>(read_activation(r, "tanh"), W_hh, b, W_in, u);
}

/// A PyTorch gated cell: W_hh with `gates` blocks of H rows stacked (PyTorch's weight_hh, gate
/// order `order`), b_ih, b_hh (default 0), optional W_ih and the constant input u.
template <class Cell>
std::unique_ptr<Model> read_gated_cell(const ModelFileReader& r, Index gates, const std::string& order) {
  Matrix W_hh = r.matrix("W_hh");
  if (W_hh.rows() != gates * W_hh.cols())
    throw InputError("W_hh", "expected a " + std::to_string(gates) + "H x H matrix (gates " + order +
                                 " stacked as in PyTorch's weight_hh), got " +
                                 detail::shape_string(W_hh.rows(), W_hh.cols()));
  const Index G = W_hh.rows();
  Vector b_ih = r.has("b_ih") ? r.vector("b_ih", G) : Vector::Zero(G);
  Vector b_hh = r.has("b_hh") ? r.vector("b_hh", G) : Vector::Zero(G);
  Matrix W_ih;
  Vector u;
  if (r.has("W_ih")) {
    W_ih = r.matrix("W_ih", G, -1);
    u = r.has("u") ? r.vector("u", W_ih.cols()) : Vector::Zero(W_ih.cols());
  } else if (r.has("u")) {
    throw InputError("u", "an input u needs input weights W_ih");
  }
  return std::make_unique<Cell>(W_hh, b_ih, b_hh, W_ih, u);
}

std::unique_ptr<Model> read_gru(const ModelFileReader& r) {
  if (r.has("layers")) return read_stacked(r, StackedModel::Cell::Gru);
  return read_gated_cell<GruModel>(r, 3, "r, z, n");
}
std::unique_ptr<Model> read_lstm(const ModelFileReader& r) {
  if (r.has("layers")) return read_stacked(r, StackedModel::Cell::Lstm);
  return read_gated_cell<LstmModel>(r, 4, "i, f, g, o");
}

/// The readout rows of an echo state network: a flat list (or an N-vector) is one output.
Matrix read_rows(const ModelFileReader& r, const std::string& key, Index cols) {
  Matrix m = r.matrix(key);
  if (m.cols() == 1 && m.rows() == cols && cols != 1) m.transposeInPlace();
  return m;
}

/// Seed 003's trained states in discrete time: for every level A of `trained_levels` the open-loop
/// state x_A held by y = A (one output only); the first one is also the default start x0.
void set_esn_trained_states(EsnModel& model, const Vector& levels) {
  if (model.outputs() != 1)
    throw InputError("trained_levels",
                     "needs exactly one output (W_fb with one column), got " + std::to_string(model.outputs()));
  std::vector<TrainedState> states;
  for (Index m = 0; m < levels.size(); ++m) {
    const auto x = model.open_loop_state(Vector::Constant(1, levels(m)));
    if (!x)
      throw InputError("trained_levels",
                       "the open loop driven by y = " + number_text(levels(m)) +
                           " does not settle (no echo state property there), so it has no trained state");
    states.push_back({levels(m), *x});
  }
  if (!states.empty()) model.set_initial_state(states.front().x);
  model.set_trained_states(std::move(states));
}

/// {"model": "esn", "W", "lr", "g", "b", "W_in", "u", "W_fb", "y", "W_out", "W_out_u", "b_out",
/// "loop": "open"|"closed", "trained_levels"}: ReservoirPy's leaky reservoir and Ridge readout.
std::unique_ptr<Model> read_esn(const ModelFileReader& r) {
  EsnModel::Weights w;
  w.W = r.matrix("W");
  const Index n = w.W.rows();
  if (w.W.cols() != n) throw InputError("W", "expected a square matrix, got " + shape_string(w.W.rows(), w.W.cols()));
  w.activation = read_activation(r, "tanh");
  w.g = r.number_or("g", 1.0);
  if (r.has("lr")) w.lr = r.vector("lr");
  if (r.has("b")) w.b = r.vector("b", n);
  auto [W_in, u] = read_input(r, n);
  w.W_in = W_in;
  w.u = u;
  if (r.has("W_fb")) w.W_fb = r.matrix("W_fb", n, -1);
  if (r.has("W_out")) w.W_out = read_rows(r, "W_out", n);
  if (r.has("W_out_u")) w.W_out_u = read_rows(r, "W_out_u", w.W_in.cols());
  if (r.has("b_out")) w.b_out = r.vector("b_out", w.W_out.size() > 0 ? w.W_out.rows() : -1);
  if (r.has("y")) w.y = r.vector("y", w.W_fb.size() > 0 ? w.W_fb.cols() : -1);
  const std::string loop = r.string_or("loop", w.W_fb.size() > 0 && w.W_out.size() > 0 ? "closed" : "open");
  if (loop != "open" && loop != "closed")
    throw InputError("loop", "expected \"open\" (y an input) or \"closed\" (y from the readout), got \"" + loop + "\"");
  w.closed_loop = loop == "closed";
  auto model = std::make_unique<EsnModel>(std::move(w));
  if (r.has("trained_levels")) set_esn_trained_states(*model, r.vector("trained_levels"));
  return model;
}

}  // namespace

void add_builtin_model_readers(std::map<std::string, ModelReaderFn>& readers) {
  readers["rate"] = read_rate;
  readers["linear"] = read_linear;
  readers["plrnn"] = read_plrnn;
  readers["shplrnn"] = read_shplrnn;
  readers["rnn"] = read_rnn;
  readers["gru"] = read_gru;
  readers["lstm"] = read_lstm;
  readers["reservoir"] = read_reservoir_model;
  readers["esn"] = read_esn;
}

}  // namespace rnndyn::detail
