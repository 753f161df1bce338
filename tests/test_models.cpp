// Vector fields against their equations written out independently, analytic Jacobians against
// central finite differences, the piecewise-linear view against the model, parameters by name.
#include <gtest/gtest.h>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/models/linear_model.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/models/rnn_model.hpp"
#include "rnndyn/models/shallow_plrnn.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
using rnndyn::testing::finite_difference_jacobian;
using rnndyn::testing::near;
using rnndyn::testing::random_matrix;
using rnndyn::testing::random_vector;

namespace {

const char* kActivations[] = {"linear", "relu", "tanh", "sigmoid", "softplus", "hardtanh"};

// Central differences with h = 1e-6 on O(1) functions: error ~ h^2 + eps/h ~ 1e-10; 1e-6 leaves
// margin. Piecewise-linear activations are evaluated at random points, almost surely off kinks
// by more than h.
constexpr double kFdTol = 1e-6;

TEST(Activation, DerivativesMatchFiniteDifferences) {
  for (const char* name : kActivations) {
    const Activation act = Activation::from_name(name, std::string(name) == "relu" ? 0.3 : 0.0);
    for (double x : {-2.7, -0.61, 0.05, 0.8, 1.9, 35.0, -35.0}) {
      const double h = 1e-6;
      const double fd = (act.value(x + h) - act.value(x - h)) / (2 * h);
      EXPECT_TRUE(near(act.derivative(x), fd, 1e-7)) << name << " at " << x;
      const double fd2 = (act.derivative(x + h) - act.derivative(x - h)) / (2 * h);
      EXPECT_TRUE(near(act.second_derivative(x), fd2, 1e-5)) << name << " at " << x;
    }
  }
}

TEST(Activation, PiecesReproduceValues) {
  for (const char* name : {"linear", "relu", "hardtanh"}) {
    const Activation act = Activation::from_name(name, std::string(name) == "relu" ? -0.4 : 0.0);
    const auto bps = act.breakpoints();
    const auto pieces = act.pieces();
    ASSERT_EQ(pieces.size(), bps.size() + 1);
    for (double x = -3.0; x <= 3.0; x += 0.0737) {
      size_t p = 0;
      while (p < bps.size() && x > bps[p]) ++p;
      EXPECT_DOUBLE_EQ(pieces[p].slope * x + pieces[p].intercept, act.value(x)) << name << " at " << x;
    }
  }
}

TEST(Activation, RejectsUnknownNameAndStrayThreshold) {
  EXPECT_THROW(Activation::from_name("gelu"), InputError);
  EXPECT_THROW(Activation::from_name("tanh", 0.5), InputError);
}

TEST(RateModel, CurrentFormMatchesEquationAndFiniteDifferences) {
  std::mt19937 rng(1);
  for (const char* name : kActivations) {
    for (Index n : {1, 3, 7}) {
      const Activation act = Activation::from_name(name, std::string(name) == "relu" ? 0.1 : 0.0);
      const Matrix W = random_matrix(n, n, rng);
      const Vector b = random_vector(n, rng), tau = random_vector(n, rng).cwiseAbs().array() + 0.5;
      const Matrix W_in = random_matrix(n, 2, rng);
      const Vector u = random_vector(2, rng);
      const double g = 1.3;
      RateModel model(RateModel::Form::Current, act, tau, W, b, W_in, u, g);
      const Vector x = random_vector(n, rng, 1.5);
      Vector phi(n);
      for (Index i = 0; i < n; ++i) phi(i) = act.value(x(i));
      const Vector expected = ((-x + g * W * phi + b + W_in * u).array() / tau.array()).matrix();
      EXPECT_TRUE(near(model.rhs(x), expected, 1e-12, 1e-12)) << name;
      EXPECT_TRUE(near(model.jacobian(x), finite_difference_jacobian(model, x), kFdTol)) << name << " n=" << n;
      Vector inplace = x;  // evaluate(x, x): the output may be the input (per-thread scratch inside)
      model.evaluate(inplace, inplace);
      EXPECT_TRUE(near(inplace, expected, 1e-12, 1e-12)) << name;
    }
  }
}

TEST(RateModel, RateFormMatchesEquationAndFiniteDifferences) {
  std::mt19937 rng(2);
  for (const char* name : kActivations) {
    for (Index n : {1, 4, 9}) {
      const Activation act = Activation::from_name(name);
      const Matrix W = random_matrix(n, n, rng, 0.7);
      const Vector b = random_vector(n, rng), tau = Vector::Constant(n, 2.5);
      RateModel model(RateModel::Form::Rate, act, tau, W, b);
      const Vector r = random_vector(n, rng);
      Vector phi(n);
      const Vector a = W * r + b;
      for (Index i = 0; i < n; ++i) phi(i) = act.value(a(i));
      EXPECT_TRUE(near(model.rhs(r), ((-r + phi) / 2.5).eval(), 1e-12, 1e-12)) << name;
      EXPECT_TRUE(near(model.jacobian(r), finite_difference_jacobian(model, r), kFdTol)) << name << " n=" << n;
    }
  }
}

TEST(LinearModel, VectorFieldAndJacobian) {
  std::mt19937 rng(3);
  const Matrix M = random_matrix(5, 5, rng);
  const Vector h = random_vector(5, rng), v = random_vector(5, rng);
  LinearModel model(20.0, M, h);
  EXPECT_TRUE(near(model.rhs(v), ((-v + M * v + h) / 20.0).eval(), 1e-14, 1e-12));
  EXPECT_TRUE(near(model.jacobian(v), finite_difference_jacobian(model, v), kFdTol));
}

TEST(Plrnn, MapMatchesEquationAndFiniteDifferences) {
  std::mt19937 rng(4);
  for (Index n : {2, 6}) {
    const Matrix A = random_matrix(n, n, rng), W = random_matrix(n, n, rng);
    const Vector theta = random_vector(n, rng), h = random_vector(n, rng);
    Plrnn model(TimeKind::Map, A, W, theta, h);
    const Vector z = random_vector(n, rng);
    EXPECT_TRUE(near(model.rhs(z), (A * z + W * (z - theta).cwiseMax(0.0) + h).eval(), 1e-12, 1e-12));
    EXPECT_TRUE(near(model.jacobian(z), finite_difference_jacobian(model, z), kFdTol));
    EXPECT_EQ(model.time_kind(), TimeKind::Map);
  }
}

TEST(ShallowPlrnn, MatchesSeed001Equation) {
  std::mt19937 rng(5);
  for (auto [R, N] : {std::pair<Index, Index>{1, 5}, {2, 8}, {3, 20}}) {
    const Matrix A = Matrix(random_vector(R, rng).asDiagonal());
    const Matrix W1 = random_matrix(R, N, rng), W2 = random_matrix(N, R, rng);
    const Vector h1 = random_vector(R, rng), h2 = random_vector(N, rng);
    ShallowPlrnn model(TimeKind::Map, A, W1, W2, h1, h2);
    const Vector z = random_vector(R, rng);
    // Seed 001 eq. 1 with V^T = W1, U = W2, h_x = -h2, h_z = -h1.
    const Vector seed = A * z + W1 * (W2 * z - (-h2)).cwiseMax(0.0) - (-h1);
    EXPECT_TRUE(near(model.rhs(z), seed, 1e-12, 1e-12));
    EXPECT_TRUE(near(model.jacobian(z), finite_difference_jacobian(model, z), kFdTol));
  }
}

TEST(RnnModel, MatchesEquationAndFiniteDifferences) {
  std::mt19937 rng(6);
  for (const char* name : {"tanh", "relu"}) {
    const Matrix W = random_matrix(4, 4, rng), W_in = random_matrix(4, 3, rng);
    const Vector b = random_vector(4, rng), u = random_vector(3, rng);
    RnnModel model(Activation::from_name(name), W, b, W_in, u);
    const Vector h = random_vector(4, rng);
    const Vector a = W * h + b + W_in * u;
    Vector expected(4);
    for (Index i = 0; i < 4; ++i) expected(i) = std::string(name) == "tanh" ? std::tanh(a(i)) : std::max(0.0, a(i));
    EXPECT_TRUE(near(model.rhs(h), expected, 1e-12, 1e-12));
    EXPECT_TRUE(near(model.jacobian(h), finite_difference_jacobian(model, h), kFdTol));
  }
}

// The piecewise-linear view must reproduce F and, inside each region, DF.
TEST(PiecewiseLinearStructure, ReproducesEveryPiecewiseLinearModel) {
  std::mt19937 rng(7);
  std::vector<std::unique_ptr<Model>> models;
  for (const char* act : {"relu", "hardtanh", "linear"}) {
    const Matrix W = random_matrix(5, 5, rng);
    const Vector b = random_vector(5, rng), tau = random_vector(5, rng).cwiseAbs().array() + 0.2;
    const Matrix W_in = random_matrix(5, 1, rng);
    const Vector u = Vector::Constant(1, 0.7);
    const double theta = std::string(act) == "relu" ? 0.25 : 0.0;
    models.push_back(std::make_unique<RateModel>(RateModel::Form::Current, Activation::from_name(act, theta), tau, W, b,
                                                 W_in, u, 0.9));
    models.push_back(
        std::make_unique<RateModel>(RateModel::Form::Rate, Activation::from_name(act, theta), tau, W, b, W_in, u, 1.1));
  }
  models.push_back(std::make_unique<Plrnn>(TimeKind::Flow, random_matrix(4, 4, rng), random_matrix(4, 4, rng),
                                           random_vector(4, rng), random_vector(4, rng)));
  models.push_back(std::make_unique<ShallowPlrnn>(TimeKind::Map, random_matrix(2, 2, rng), random_matrix(2, 9, rng),
                                                  random_matrix(9, 2, rng), random_vector(2, rng),
                                                  random_vector(9, rng)));
  models.push_back(
      std::make_unique<RnnModel>(Activation::from_name("relu"), random_matrix(3, 3, rng), random_vector(3, rng)));
  models.push_back(std::make_unique<LinearModel>(3.0, random_matrix(3, 3, rng), random_vector(3, rng)));
  for (const auto& model : models) {
    const auto pl = model->piecewise_linear();
    ASSERT_TRUE(pl.has_value()) << model->kind();
    EXPECT_EQ(pl->time, model->time_kind());
    for (int trial = 0; trial < 20; ++trial) {
      const Vector x = random_vector(model->dim(), rng, 2.0);
      EXPECT_TRUE(near(pl->evaluate(x), model->rhs(x), 1e-12, 1e-12)) << model->kind();
      const AffineMap region = pl->region_map(pl->pattern_at(x));
      EXPECT_TRUE(near((region.matrix * x + region.offset).eval(), model->rhs(x), 1e-11, 1e-11)) << model->kind();
      EXPECT_TRUE(near(region.matrix, model->jacobian(x), 1e-12, 1e-12)) << model->kind();
    }
  }
  // Smooth activations have no such view.
  EXPECT_FALSE(RateModel(RateModel::Form::Current, Activation::from_name("tanh"), Vector::Ones(2),
                         Matrix::Identity(2, 2), Vector::Zero(2))
                   .piecewise_linear()
                   .has_value());
}

TEST(PiecewiseLinearStructure, HyperplanesSitOnTheKinks) {
  std::mt19937 rng(8);
  RateModel model(RateModel::Form::Rate, Activation::from_name("hardtanh"), Vector::Ones(3), random_matrix(3, 3, rng),
                  random_vector(3, rng));
  const auto pl = *model.piecewise_linear();
  const auto planes = pl.hyperplanes();
  ASSERT_EQ(planes.size(), 6u);  // two kinks per hardtanh unit
  for (const auto& p : planes) {
    // A point on the plane: z = -offset * normal / |normal|^2; its activation input is the kink.
    const Vector z = -p.offset * p.normal / p.normal.squaredNorm();
    const double a = (pl.U * z + pl.c)(p.unit);
    EXPECT_NEAR(a, pl.units[static_cast<size_t>(p.unit)].breakpoints()[static_cast<size_t>(p.breakpoint)], 1e-12);
  }
}

TEST(Parameters, ReadAndWriteByName) {
  Matrix W(2, 2);
  W << 0, 1, 1, 0;
  RateModel model(RateModel::Form::Rate, Activation::from_name("relu"), Vector::Constant(2, 10.0), W, Vector::Zero(2));
  EXPECT_EQ(model.parameter("W[0,1]"), 1.0);
  model.set_parameter("W[0,1]", 0.5);
  EXPECT_EQ(model.W()(0, 1), 0.5);
  model.set_parameter("tau[1]", 30.0);
  EXPECT_EQ(model.tau()(1), 30.0);
  model.set_parameter("b[0]", 0.25);
  EXPECT_EQ(model.b()(0), 0.25);
  model.set_parameter("g", 2.0);
  EXPECT_EQ(model.g(), 2.0);
  Vector x(2);
  x << 1.0, 2.0;
  // The change reaches the vector field: with g = 2, W[0,1] = .5, b0 = .25, tau1 = 30.
  EXPECT_NEAR(model.rhs(x)(0), (-1.0 + std::max(0.0, 2.0 * 0.5 * 2.0 + 0.25)) / 10.0, 1e-15);
  EXPECT_THROW(model.parameter("W[2,0]"), InputError);
  EXPECT_THROW(model.parameter("W[0]"), InputError);
  EXPECT_THROW(model.parameter("M[0,0]"), InputError);
  EXPECT_THROW(model.parameter("W[a,0]"), InputError);
  EXPECT_THROW(model.set_parameter("b[0]", std::nan("")), InputError);
}

// A located parameter reads and writes the same storage as its name, with the same domain checks.
TEST(Parameters, LocatedOnceActsAsItsName) {
  RateModel model(RateModel::Form::Rate, Activation::from_name("relu"), Vector::Constant(2, 10.0), Matrix::Ones(2, 2),
                  Vector::Zero(2));
  const Model::ParameterRef w = model.parameter_ref("W[1,0]"), tau = model.parameter_ref("tau[1]"),
                            b = model.parameter_ref("b[1,0]");
  model.set_parameter(w, -0.5);
  EXPECT_EQ(model.W()(1, 0), -0.5);
  EXPECT_EQ(model.parameter(w), model.parameter("W[1,0]"));
  model.set_parameter(b, 3.0);
  EXPECT_EQ(model.b()(1), 3.0);
  EXPECT_TRUE(model.admits(tau, 2.0));
  EXPECT_FALSE(model.admits(tau, 0.0));
  EXPECT_FALSE(model.admits(w, std::nan("")));
  EXPECT_TRUE(model.admits(w, -1e300));
  try {
    model.set_parameter(tau, -1.0);
    FAIL() << "a negative time constant was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'tau[1]'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(model.tau()(1), 10.0);
  const std::unique_ptr<Model> clone = model.clone();
  clone->set_parameter(w, 7.0);  // valid for clones; the original keeps its value
  EXPECT_EQ(clone->parameter("W[1,0]"), 7.0);
  EXPECT_EQ(model.W()(1, 0), -0.5);
  EXPECT_THROW(model.parameter_ref("W[2,0]"), InputError);
  EXPECT_THROW(model.parameter_ref("M"), InputError);
}

TEST(Models, ConstructorsRejectBadShapesAndValues) {
  const Matrix W = Matrix::Identity(2, 2);
  EXPECT_THROW(RateModel(RateModel::Form::Current, Activation(), Vector::Ones(3), W, Vector::Zero(2)), InputError);
  EXPECT_THROW(RateModel(RateModel::Form::Current, Activation(), -Vector::Ones(2), W, Vector::Zero(2)), InputError);
  Matrix bad = W;
  bad(1, 0) = std::numeric_limits<double>::infinity();
  EXPECT_THROW(RateModel(RateModel::Form::Current, Activation(), Vector::Ones(2), bad, Vector::Zero(2)), InputError);
  EXPECT_THROW(LinearModel(1.0, Matrix::Ones(2, 3), Vector::Zero(2)), InputError);
  EXPECT_THROW(LinearModel(0.0, W, Vector::Zero(2)), InputError);
  EXPECT_THROW(ShallowPlrnn(TimeKind::Map, Matrix::Zero(2, 2), Matrix::Zero(2, 4), Matrix::Zero(3, 2), Vector::Zero(2),
                            Vector::Zero(4)),
               InputError);
  try {
    RateModel(RateModel::Form::Current, Activation(), Vector::Ones(2), Matrix::Ones(2, 3), Vector::Zero(2));
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "W");
    EXPECT_NE(std::string(e.what()).find("2x2"), std::string::npos) << e.what();
  }
}

}  // namespace
