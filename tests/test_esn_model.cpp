// The leaky echo state network (issue 31): one step against a value worked by hand, the analytic
// Jacobian against central finite differences (open and closed loop, shared and per-unit leak
// rates, every smooth activation), the piecewise-linear view, parameters by name and the model file.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/models/esn_model.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using rnndyn::testing::finite_difference_jacobian;
using rnndyn::testing::near;
using rnndyn::testing::random_matrix;
using rnndyn::testing::random_vector;

EsnModel::Weights random_weights(Index n, Index inputs, Index outputs, bool closed, std::mt19937& rng) {
  EsnModel::Weights w;
  w.W = random_matrix(n, n, rng, 0.9 / std::sqrt(static_cast<double>(n)));
  w.g = 1.1;
  w.lr = (random_vector(n, rng).array().abs() * 0.5 + 0.1).matrix();
  w.b = random_vector(n, rng, 0.2);
  w.W_in = random_matrix(n, inputs, rng);
  w.u = random_vector(inputs, rng);
  w.W_fb = random_matrix(n, outputs, rng);
  w.W_out = random_matrix(outputs, n, rng, 0.3);
  w.W_out_u = random_matrix(outputs, inputs, rng, 0.3);
  w.b_out = random_vector(outputs, rng, 0.1);
  if (!closed) w.y = random_vector(outputs, rng);
  w.closed_loop = closed;
  return w;
}

TEST(EsnModel, OneStepMatchesTheLeakyUpdateWorkedByHand) {
  // N = 2, one input, one output, closed loop: y = W_out x + W_out_u u + b_out is fed back.
  EsnModel::Weights w;
  w.W = (Matrix(2, 2) << 0.5, -0.2, 0.1, 0.3).finished();
  w.g = 2.0;
  w.lr = (Vector(2) << 0.3, 0.7).finished();
  w.b = (Vector(2) << 0.1, -0.1).finished();
  w.W_in = (Matrix(2, 1) << 1.0, -1.0).finished();
  w.u = Vector::Constant(1, 0.5);
  w.W_fb = (Matrix(2, 1) << 0.4, 0.2).finished();
  w.W_out = (Matrix(1, 2) << 1.5, -0.5).finished();
  w.W_out_u = Matrix::Constant(1, 1, 0.25);
  w.b_out = Vector::Constant(1, -0.2);
  w.closed_loop = true;
  const EsnModel model(w);
  const Vector x = (Vector(2) << 0.2, -0.4).finished();
  const double y = 1.5 * 0.2 - 0.5 * -0.4 + 0.25 * 0.5 - 0.2;  // 0.425
  const double a0 = 2.0 * (0.5 * 0.2 - 0.2 * -0.4) + 1.0 * 0.5 + 0.4 * y + 0.1;
  const double a1 = 2.0 * (0.1 * 0.2 + 0.3 * -0.4) - 1.0 * 0.5 + 0.2 * y - 0.1;
  const Vector expected = (Vector(2) << 0.7 * 0.2 + 0.3 * std::tanh(a0), 0.3 * -0.4 + 0.7 * std::tanh(a1)).finished();
  EXPECT_TRUE(near(model.rhs(x), expected, 1e-15));
  EXPECT_TRUE(near(model.output_of(x), Vector::Constant(1, y), 1e-15));
  // The open loop with y given reads the same step.
  w.closed_loop = false;
  w.y = Vector::Constant(1, y);
  EXPECT_TRUE(near(EsnModel(w).rhs(x), expected, 1e-15));
  EXPECT_EQ(EsnModel(w).input_dim(), 2);  // [u; y]
}

TEST(EsnModel, JacobianMatchesFiniteDifferences) {
  std::mt19937 rng(7);
  for (const Index n : {3, 12, 40}) {
    for (const bool closed : {false, true}) {
      for (const auto kind : {ActivationKind::Tanh, ActivationKind::Sigmoid, ActivationKind::Softplus}) {
        auto w = random_weights(n, 2, 1, closed, rng);
        w.activation = Activation(kind);
        const EsnModel model(w);
        const Vector x = random_vector(n, rng, 0.5);
        EXPECT_TRUE(near(model.jacobian(x), finite_difference_jacobian(model, x), 1e-8, 1e-7))
            << "n " << n << " closed " << closed << " " << w.activation.name();
      }
    }
  }
}

TEST(EsnModel, SharedLeakRateIsOneScalarParameter) {
  std::mt19937 rng(3);
  auto w = random_weights(5, 1, 1, true, rng);
  w.lr = Vector::Constant(1, 0.3);
  EsnModel model(w);
  const Vector x = random_vector(5, rng);
  const Vector before = model.rhs(x);
  model.set_parameter("lr", 0.6);
  EXPECT_DOUBLE_EQ(model.parameter("lr"), 0.6);
  EXPECT_FALSE(near(model.rhs(x), before, 1e-3));
  EXPECT_THROW(model.set_parameter("lr", 0.0), InputError);
  // g scales W (the spectral radius), W_out enters the closed loop: both change F.
  const Vector at_lr = model.rhs(x);
  model.set_parameter("g", 0.5);
  EXPECT_FALSE(near(model.rhs(x), at_lr, 1e-6));
  const Vector at_g = model.rhs(x);
  model.set_parameter("W_out[0,2]", model.parameter("W_out[0,2]") + 0.5);
  EXPECT_FALSE(near(model.rhs(x), at_g, 1e-6));
  EXPECT_TRUE(near(model.jacobian(x), finite_difference_jacobian(model, x), 1e-8, 1e-7));
}

TEST(EsnModel, ReluViewIsThePiecewiseLinearMap) {
  std::mt19937 rng(11);
  auto w = random_weights(6, 1, 1, true, rng);
  w.activation = Activation(ActivationKind::Relu);
  const EsnModel model(w);
  const auto pl = model.piecewise_linear();
  ASSERT_TRUE(pl.has_value());
  for (int k = 0; k < 5; ++k) {
    const Vector x = random_vector(6, rng);
    EXPECT_TRUE(near(pl->evaluate(x), model.rhs(x), 1e-13, 1e-13));
  }
}

TEST(EsnModel, ModelFileReadsEveryKeyAndRefusesWhatItCannotRepresent) {
  const auto model = model_from_json(nlohmann::json::parse(R"({
    "model": "esn", "W": [[0.1, 0.2], [0.0, -0.3]], "lr": [0.5, 0.25], "b": [0.1, 0.0],
    "W_in": [[1.0], [0.5]], "u": [0.2], "W_fb": [[0.3], [-0.3]], "W_out": [1.0, -1.0], "b_out": [0.05],
    "W_out_u": [[0.1]], "activation": "tanh"})"));
  EXPECT_EQ(model->kind(), "esn");
  EXPECT_EQ(model->time_kind(), TimeKind::Map);
  EXPECT_DOUBLE_EQ(model->parameter("lr[1]"), 0.25);
  EXPECT_DOUBLE_EQ(model->parameter("W_out[0,1]"), -1.0);  // closed loop by default: a parameter
  ASSERT_TRUE(model->readout().has_value());
  EXPECT_DOUBLE_EQ(model->readout()->b_out(0), 0.05 + 0.1 * 0.2);
  auto bad = [](const char* text) {
    try {
      model_from_json(nlohmann::json::parse(text));
    } catch (const InputError& e) {
      return e.field();
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(bad(R"({"model": "esn", "W": [[0.5]], "lr": 0})"), "lr");
  EXPECT_EQ(bad(R"({"model": "esn", "W": [[0.5]], "lr": [0.5, 0.5, 0.5]})"), "lr");
  EXPECT_EQ(bad(R"({"model": "esn", "W": [[0.5]], "W_fb": [[1]], "loop": "closed"})"), "W_out");
  EXPECT_EQ(bad(R"({"model": "esn", "W": [[0.5]], "W_out": [[1]], "loop": "closed"})"), "W_fb");
  EXPECT_EQ(bad(R"({"model": "esn", "W": [[0.5]], "loop": "half"})"), "loop");
  EXPECT_EQ(bad(R"({"model": "esn", "W": [[0.5, 0.1], [0, 0]], "W_out": [[1, 2, 3]]})"), "W_out");
  EXPECT_EQ(bad(R"({"model": "esn", "W": [[0.5]], "W_fb": [[1]], "W_out": [[1]], "y": [1]})"), "y");
}

TEST(EsnModel, TrainedLevelsAreTheOpenLoopStates) {
  // x_A = tanh(W x_A + W_fb A): the closed loop with a readout that reads A there has x_A as a
  // fixed point, and the reader labels it.
  const auto model = model_from_json(nlohmann::json::parse(R"({
    "model": "esn", "W": [[0.2, -0.1], [0.3, 0.1]], "lr": 0.4, "W_fb": [[1.0], [0.5]],
    "W_out": [[0.0, 0.0]], "loop": "open", "trained_levels": [0.5, -0.5]})"));
  ASSERT_EQ(model->trained_states().size(), 2u);
  for (const auto& s : model->trained_states()) {
    auto open = model->clone();
    open->set_parameter("y[0]", s.level);
    EXPECT_LT(open->fixed_point_residual(s.x).cwiseAbs().maxCoeff(), 1e-12);
  }
  ASSERT_TRUE(model->initial_state().has_value());
  EXPECT_TRUE(near(*model->initial_state(), model->trained_states()[0].x, 0.0));
}

}  // namespace
}  // namespace rnndyn
