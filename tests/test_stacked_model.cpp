// Stacked PyTorch cells (num_layers > 1): the analytic chain-rule Jacobian against central finite
// differences, one layer against the single-layer models, two layers against composing
// single-layer models by hand (the state layout of torch's h_n / c_n), and the model file.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/models/gru_model.hpp"
#include "rnndyn/models/lstm_model.hpp"
#include "rnndyn/models/rnn_model.hpp"
#include "rnndyn/models/stacked_model.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using rnndyn::testing::finite_difference_jacobian;
using rnndyn::testing::near;
using rnndyn::testing::random_matrix;
using rnndyn::testing::random_vector;
using Cell = StackedModel::Cell;

Index gates_of(Cell cell) { return cell == Cell::Rnn ? 1 : (cell == Cell::Gru ? 3 : 4); }

/// Random layers of the given hidden sizes on an input of I entries (I = 0: no input).
std::vector<StackedModel::Layer> random_layers(Cell cell, const std::vector<Index>& sizes, Index I, std::mt19937& rng) {
  const Index G = gates_of(cell);
  std::vector<StackedModel::Layer> layers;
  Index in = I;
  for (Index H : sizes) {
    const double scale = 1.5 / std::sqrt(double(H));
    layers.push_back({in > 0 ? random_matrix(G * H, in, rng, scale) : Matrix(), random_matrix(G * H, H, rng, scale),
                      random_vector(G * H, rng), random_vector(G * H, rng)});
    in = H;
  }
  return layers;
}

/// Central differences with step 1e-6: truncation ~1e-12 |F'''|, round-off ~1e-16 / 1e-6, so
/// 1e-8 absolute on O(1) entries (the tolerance of the single-layer tests).
TEST(StackedModel, JacobianMatchesFiniteDifferences) {
  std::mt19937 rng(21);
  for (Cell cell : {Cell::Rnn, Cell::Gru, Cell::Lstm})
    for (const std::vector<Index>& sizes : std::vector<std::vector<Index>>{{4}, {3, 5}, {4, 2, 3}, {6, 6, 6}})
      for (Index I : {0, 2}) {
        StackedModel m(cell, random_layers(cell, sizes, I, rng), I > 0 ? random_vector(I, rng) : Vector());
        for (int trial = 0; trial < 3; ++trial) {
          const Vector x = random_vector(m.dim(), rng);
          EXPECT_TRUE(near(m.jacobian(x), finite_difference_jacobian(m, x), 1e-8))
              << m.kind() << ", " << sizes.size() << " layers, input " << I;
        }
      }
}

TEST(StackedModel, JacobianWithReluUnitsMatchesFiniteDifferences) {
  // Away from the kinks relu is linear, so the differences are exact up to round-off; random
  // states sit at a kink (|a| < 1e-6) with probability ~1e-6 per unit.
  std::mt19937 rng(22);
  StackedModel m(Cell::Rnn, random_layers(Cell::Rnn, {5, 4, 3}, 2, rng), random_vector(2, rng),
                 Activation(ActivationKind::Relu));
  for (int trial = 0; trial < 5; ++trial) {
    const Vector x = random_vector(m.dim(), rng);
    EXPECT_TRUE(near(m.jacobian(x), finite_difference_jacobian(m, x), 1e-8));
  }
}

/// F and DF of `a` and `b` agree to `tol` at a few random states.
void expect_same_map(const Model& a, const Model& b, std::mt19937& rng, double tol) {
  ASSERT_EQ(a.dim(), b.dim());
  for (int trial = 0; trial < 4; ++trial) {
    const Vector x = random_vector(a.dim(), rng);
    EXPECT_TRUE(near(a.rhs(x), b.rhs(x), tol)) << a.kind();
    EXPECT_TRUE(near(a.jacobian(x), b.jacobian(x), tol)) << a.kind();
  }
}

// The same float64 formulas with the sums taken in another order: a few ulps of O(1) values.
TEST(StackedModel, OneLayerEqualsTheSingleLayerModels) {
  std::mt19937 rng(23);
  const Vector u = random_vector(2, rng);
  auto gru = random_layers(Cell::Gru, {4}, 2, rng);
  expect_same_map(StackedModel(Cell::Gru, gru, u), GruModel(gru[0].W_hh, gru[0].b_ih, gru[0].b_hh, gru[0].W_ih, u), rng,
                  1e-14);
  auto lstm = random_layers(Cell::Lstm, {3}, 2, rng);
  expect_same_map(StackedModel(Cell::Lstm, lstm, u),
                  LstmModel(lstm[0].W_hh, lstm[0].b_ih, lstm[0].b_hh, lstm[0].W_ih, u), rng, 1e-14);
  for (ActivationKind phi : {ActivationKind::Tanh, ActivationKind::Relu}) {
    auto rnn = random_layers(Cell::Rnn, {5}, 2, rng);
    expect_same_map(StackedModel(Cell::Rnn, rnn, u, Activation(phi)),
                    RnnModel(Activation(phi), rnn[0].W_hh, rnn[0].b_ih + rnn[0].b_hh, rnn[0].W_ih, u), rng, 1e-14);
  }
  // Without input as well.
  auto bare = random_layers(Cell::Gru, {3}, 0, rng);
  expect_same_map(StackedModel(Cell::Gru, bare), GruModel(bare[0].W_hh, bare[0].b_ih, bare[0].b_hh), rng, 1e-14);
}

// Two layers against the single-layer models composed by hand: layer 1's input is layer 0's NEW
// hidden state, and the state is [h_0; h_1] (GRU) or [h_0; h_1; c_0; c_1] (LSTM) as in torch.
TEST(StackedModel, TwoLayersComposeTheCellsInTorchsLayout) {
  std::mt19937 rng(24);
  const Vector u = random_vector(2, rng);
  auto gl = random_layers(Cell::Gru, {3, 4}, 2, rng);
  StackedModel gru(Cell::Gru, gl, u);
  ASSERT_EQ(gru.dim(), 7);
  const Vector x = random_vector(7, rng);
  const Vector h0 = GruModel(gl[0].W_hh, gl[0].b_ih, gl[0].b_hh, gl[0].W_ih, u).rhs(x.head(3));
  const Vector h1 = GruModel(gl[1].W_hh, gl[1].b_ih, gl[1].b_hh, gl[1].W_ih, h0).rhs(x.tail(4));
  Vector expected(7);
  expected << h0, h1;
  EXPECT_TRUE(near(gru.rhs(x), expected, 1e-14));

  auto ll = random_layers(Cell::Lstm, {2, 3}, 2, rng);
  StackedModel lstm(Cell::Lstm, ll, u);
  ASSERT_EQ(lstm.dim(), 10);
  const Vector y = random_vector(10, rng);  // [h_0 (2); h_1 (3); c_0 (2); c_1 (3)]
  Vector s0(4), s1(6);
  s0 << y.segment(0, 2), y.segment(5, 2);
  s1 << y.segment(2, 3), y.segment(7, 3);
  const Vector t0 = LstmModel(ll[0].W_hh, ll[0].b_ih, ll[0].b_hh, ll[0].W_ih, u).rhs(s0);
  const Vector t1 = LstmModel(ll[1].W_hh, ll[1].b_ih, ll[1].b_hh, ll[1].W_ih, t0.head(2)).rhs(s1);
  Vector want(10);
  want << t0.head(2), t1.head(3), t0.tail(2), t1.tail(3);
  EXPECT_TRUE(near(lstm.rhs(y), want, 1e-14));
}

nlohmann::json matrix_json(const Matrix& m) {
  nlohmann::json rows = nlohmann::json::array();
  for (Index i = 0; i < m.rows(); ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    rows.push_back(row);
  }
  return rows;
}

nlohmann::json two_layer_gru_file() {
  std::mt19937 rng(25);
  auto layers = random_layers(Cell::Gru, {2, 3}, 1, rng);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& L : layers)
    list.push_back({{"W_ih", matrix_json(L.W_ih)},
                    {"W_hh", matrix_json(L.W_hh)},
                    {"b_ih", matrix_json(L.b_ih)},
                    {"b_hh", matrix_json(L.b_hh)}});
  return {{"model", "gru"}, {"layers", list}, {"u", {0.5}}};
}

TEST(StackedModel, ReadsModelFilesAndNamesParametersByLayer) {
  const nlohmann::json j = two_layer_gru_file();
  auto m = model_from_json(j);
  EXPECT_EQ(m->kind(), "gru");
  EXPECT_EQ(m->dim(), 5);
  EXPECT_DOUBLE_EQ(m->parameter("u[0]"), 0.5);
  EXPECT_DOUBLE_EQ(m->parameter("W_hh_l1[0,1]"), j["layers"][1]["W_hh"][0][1].get<double>());
  EXPECT_DOUBLE_EQ(m->parameter("W_ih_l1[8,1]"), j["layers"][1]["W_ih"][8][1].get<double>());
  EXPECT_DOUBLE_EQ(m->parameter("b_ih_l0[3]"), j["layers"][0]["b_ih"][3][0].get<double>());
  // A parameter change reaches the map: W_hh_l1 acts on h_1 only.
  const Vector x = Vector::Constant(5, 0.3);
  const Vector before = m->rhs(x);
  m->set_parameter("W_hh_l1[0,1]", 2.0);
  const Vector after = m->rhs(x);
  EXPECT_TRUE(near(Vector(after.head(2)), Vector(before.head(2)), 0.0));
  EXPECT_FALSE(near(Vector(after.tail(3)), Vector(before.tail(3)), 1e-6));
  EXPECT_THROW(m->parameter("W_hh_l2[0,0]"), InputError);
  EXPECT_THROW(m->parameter("W_hh[0,0]"), InputError);
  // A 1-layer list reads as the single-layer file does (same map).
  nlohmann::json one = j;
  one["layers"].erase(1);
  std::mt19937 rng(26);
  nlohmann::json flat = one["layers"][0];
  flat["model"] = "gru";
  flat["u"] = {0.5};
  expect_same_map(*model_from_json(one), *model_from_json(flat), rng, 1e-14);
}

/// The field of the InputError model_from_json(j) throws ("" when it throws none).
std::string error_field(const nlohmann::json& j) {
  try {
    model_from_json(j);
  } catch (const InputError& e) {
    return e.field();
  }
  return "";
}

TEST(StackedModel, ShapeErrorsNameTheField) {
  const nlohmann::json good = two_layer_gru_file();
  ASSERT_EQ(error_field(good), "");
  nlohmann::json j = good;
  j["layers"][1]["W_ih"] = {{1.0, 2.0, 3.0}};  // 1 x 3: needs 9 x 2 (H_0 = 2 columns)
  EXPECT_EQ(error_field(j), "layers[1].W_ih");
  j = good;
  j["layers"][1]["W_ih"] = matrix_json(Matrix::Zero(9, 3));  // 3 columns, H_0 = 2
  EXPECT_EQ(error_field(j), "layers[1].W_ih");
  j = good;
  j["layers"][1].erase("W_ih");
  EXPECT_EQ(error_field(j), "layers[1].W_ih");
  j = good;
  j["layers"][0]["W_hh"] = matrix_json(Matrix::Zero(4, 2));  // 4 x 2: a GRU needs 6 x 2
  EXPECT_EQ(error_field(j), "layers[0].W_hh");
  j = good;
  j["layers"][1]["b_hh"] = {1.0, 2.0};
  EXPECT_EQ(error_field(j), "layers[1].b_hh");
  j = good;
  j["layers"][1]["W_hx"] = 1.0;  // a typo
  EXPECT_EQ(error_field(j), "layers[1].W_hx");
  j = good;
  j["layers"][0]["W_hh"][0][0] = "x";
  EXPECT_EQ(error_field(j), "layers[0].W_hh");
  j = good;
  j["u"] = {1.0, 2.0};
  EXPECT_EQ(error_field(j), "u");
  j = good;
  j["W_hh"] = {{1.0}};
  EXPECT_EQ(error_field(j), "W_hh");
  j = good;
  j["layers"] = nlohmann::json::array();
  EXPECT_EQ(error_field(j), "layers");
  j = good;
  j["layers"][1] = 3.0;
  EXPECT_EQ(error_field(j), "layers[1]");
  j = good;
  j["activation"] = "relu";  // gru cells have no activation choice
  EXPECT_EQ(error_field(j), "activation");
  // The constructor names the same fields.
  std::mt19937 rng(27);
  auto layers = random_layers(Cell::Lstm, {2, 3}, 1, rng);
  layers[1].W_ih = Matrix::Zero(12, 3);
  try {
    StackedModel(Cell::Lstm, layers, Vector::Zero(1));
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "layers[1].W_ih");
    EXPECT_NE(std::string(e.what()).find("12x2"), std::string::npos) << e.what();
  }
}

TEST(StackedModel, RnnFileTakesTheActivation) {
  nlohmann::json j = {{"model", "rnn"},
                      {"activation", "relu"},
                      {"layers",
                       {{{"W_ih", {{1.0}, {-1.0}}}, {"W_hh", {{0.5, 0.0}, {0.0, 0.5}}}},
                        {{"W_ih", {{1.0, 1.0}}}, {"W_hh", {{0.25}}}, {"b_ih", -0.5}, {"b_hh", 0.25}}}},
                      {"u", {1.0}}};
  auto m = model_from_json(j);
  EXPECT_EQ(m->kind(), "rnn");
  // h_0' = relu([0.5 + 1, 0.5 - 1]) = [1.5, 0]; h_1' = relu(1.5 + 0 + 0.25 * 1 - 0.25) = 1.5.
  const Vector f = m->rhs(Vector::Constant(3, 1.0));
  EXPECT_TRUE(near(f, Vector((Vector(3) << 1.5, 0.0, 1.5).finished()), 1e-15));
  // d h_1'/d h_0 = W_ih_l1 diag(relu') W_hh_l0 = [0.5, 0] (unit 1 of layer 0 is off); d/d h_1 = 0.25.
  const Matrix J = m->jacobian(Vector::Constant(3, 1.0));
  EXPECT_TRUE(near(Matrix(J.row(2)), Matrix((Matrix(1, 3) << 0.5, 0.0, 0.25).finished()), 1e-15));
}

}  // namespace
}  // namespace rnndyn
