// Exact fixed points of low-rank ReLU rate networks W = U V^T, searched in the R-dimensional
// latent space, against the same network searched in its N-dimensional state space by brute
// force over all 2^N activation patterns (an independent enumeration of the same equations).
#include <gtest/gtest.h>

#include <random>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using testing::random_matrix;
using testing::random_vector;

RateModel random_low_rank(RateModel::Form form, Index N, Index R, double threshold, std::mt19937& rng) {
  // U V^T of order one so that several fixed points exist in many draws.
  const Matrix U = random_matrix(N, R, rng, 1.0);
  const Matrix V = random_matrix(N, R, rng, 3.0 / static_cast<double>(N));
  std::uniform_real_distribution<double> tau(0.5, 2.0);
  Vector t(N);
  for (Index i = 0; i < N; ++i) t(i) = tau(rng);
  return RateModel::low_rank(form, Activation::from_name("relu", threshold), t, U, V, random_vector(N, rng, 1.0), {},
                             {}, 1.3);
}

TEST(LowRankPlFixedPoints, LatentSearchEqualsStateSpaceBruteForce) {
  std::mt19937 rng(2024);
  int total_points = 0, draws_with_several = 0;
  for (int trial = 0; trial < 120; ++trial) {
    const Index R = 1 + trial % 3, N = 6 + trial % 7;  // N <= 12: 2^N brute force stays cheap
    const auto form = trial % 2 ? RateModel::Form::Rate : RateModel::Form::Current;
    const RateModel model = random_low_rank(form, N, R, trial % 4 == 0 ? 0.2 : 0.0, rng);
    const auto latent = find_fixed_points_exact(model);
    PiecewiseLinearFixedPointOptions brute;
    brute.method = PlFixedPointMethod::Brute;
    const auto full = find_fixed_points(*model.piecewise_linear(), brute);
    ASSERT_EQ(latent.latent_dimension, R);
    ASSERT_TRUE(full.continua.empty());  // random weights: isolated points only
    ASSERT_EQ(latent.fixed_points.size(), full.fixed_points.size()) << "trial " << trial;
    for (const auto& a : latent.fixed_points) {
      // Same points (matched by distance), patterns and spectra.
      const PlFixedPoint* match = &full.fixed_points.front();
      for (const auto& q : full.fixed_points)
        if ((q.x - a.x).lpNorm<Eigen::Infinity>() < (match->x - a.x).lpNorm<Eigen::Infinity>()) match = &q;
      const auto& b = *match;
      EXPECT_TRUE(testing::near(a.x, b.x, 1e-9, 1e-9)) << "trial " << trial;
      EXPECT_EQ(a.pattern, b.pattern);
      EXPECT_EQ(a.stability.type, b.stability.type);
      EXPECT_LE(a.relative_residual, 1e-12);
      EXPECT_LE(model.fixed_point_residual(a.x).lpNorm<Eigen::Infinity>(), 1e-10 * (1 + a.x.lpNorm<Eigen::Infinity>()));
      ASSERT_EQ(a.eigenvalues.size(), N);
      // Eigenvalues of the full N x N Jacobian (N - R of them are -1/tau_i shifted only through
      // the rank-R part, so compare sorted spectra).
      EXPECT_LE((a.eigenvalues - b.eigenvalues).cwiseAbs().maxCoeff(), 1e-8);
    }
    // The latent arrangement: N hyperplanes in R^R, sum_{r<=R} C(N, r) regions.
    EXPECT_EQ(latent.regions_visited, generic_region_count(N, R));
    total_points += static_cast<int>(full.fixed_points.size());
    draws_with_several += full.fixed_points.size() > 1;
  }
  EXPECT_GT(total_points, 100);  // the comparison is not vacuous (131 points, 20+ multi-point draws)
  EXPECT_GT(draws_with_several, 20);
}

TEST(LowRankPlFixedPoints, RayAttractorLiftedToStateSpace) {
  // dx/dt = -x + U V^T relu(x), U = (1, 1), V = (1/2, 1/2): the latent flow
  // dkappa/dt = -kappa + (1/2 + 1/2) relu(kappa) vanishes for every kappa >= 0, so the network
  // has the ray x = kappa (1, 1), kappa >= 0, of fixed points (and nothing else).
  Matrix U(2, 1), V(2, 1);
  U << 1, 1;
  V << 0.5, 0.5;
  const RateModel model = RateModel::low_rank(RateModel::Form::Current, Activation::from_name("relu"), Vector::Ones(2),
                                              U, V, Vector::Zero(2));
  const auto r = find_fixed_points_exact(model);
  ASSERT_EQ(r.continua.size(), 1u);
  EXPECT_TRUE(r.fixed_points.empty());
  const auto& c = r.continua[0];
  EXPECT_EQ(c.shape, "ray");
  EXPECT_EQ(c.dimension, 1);
  ASSERT_EQ(c.basis.rows(), 2);
  EXPECT_NEAR(std::abs(c.basis(0, 0)), std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(c.basis(0, 0), c.basis(1, 0), 1e-12);
  ASSERT_EQ(c.vertices.cols(), 1);
  EXPECT_LE(c.vertices.col(0).lpNorm<Eigen::Infinity>(), 1e-12);  // the ray starts at the origin
  // Inequalities in the new coordinate: the set is {origin + basis y : y in [y_min, y_max]}.
  const double y_end = std::isfinite(c.y_min) ? c.y_min : c.y_max;
  EXPECT_LE((c.origin + c.basis.col(0) * y_end).lpNorm<Eigen::Infinity>(), 1e-12);
  // Every point of the ray is a fixed point of the network; eigenvalues of the full Jacobian
  // -I + W on the ray are 0 (along it) and -1.
  const double y_in = std::isfinite(c.y_min) ? c.y_min + 3.0 : c.y_max - 3.0;
  const Vector x = c.origin + c.basis.col(0) * y_in;
  EXPECT_LE(model.fixed_point_residual(x).lpNorm<Eigen::Infinity>(), 1e-12);
  ASSERT_EQ(c.eigenvalues.size(), 2);
  std::vector<double> re{c.eigenvalues(0).real(), c.eigenvalues(1).real()};
  std::sort(re.begin(), re.end());
  EXPECT_NEAR(re[0], -1.0, 1e-12);
  EXPECT_NEAR(re[1], 0.0, 1e-12);
  // Same set as the state-space search finds.
  const auto full = find_fixed_points(*model.piecewise_linear());
  ASSERT_EQ(full.continua.size(), 1u);
  EXPECT_EQ(full.continua[0].shape, "ray");
}

TEST(LowRankPlFixedPoints, FactorsAreTheParameters) {
  Matrix U(2, 1), V(2, 1);
  U << 1, 2;
  V << 3, 4;
  RateModel model = RateModel::low_rank(RateModel::Form::Current, Activation::from_name("relu"), Vector::Ones(2), U, V,
                                        Vector::Zero(2));
  EXPECT_EQ(model.W()(1, 0), 6.0);
  model.set_parameter("U[1,0]", -1.0);
  EXPECT_EQ(model.W()(1, 0), -3.0);  // W = U V^T follows its factors
  EXPECT_EQ(model.parameter("V[0,0]"), 3.0);
  EXPECT_THROW(model.set_parameter("W[0,0]", 1.0), InputError);
  EXPECT_THROW(RateModel::low_rank(RateModel::Form::Current, Activation::from_name("relu"), Vector::Ones(2), U,
                                   Matrix::Ones(3, 1), Vector::Zero(2)),
               InputError);
}

TEST(LowRankPlFixedPoints, ModelFileFactors) {
  const auto model = model_from_json(nlohmann::json::parse(
      R"({"model": "rate", "activation": "relu", "U": [[1], [1]], "V": [[0.5], [0.5]], "b": [0.1, 0.1]})"));
  LatentOptions factors;
  factors.factors_only = true;
  EXPECT_TRUE(model->latent_reduction(factors).has_value());
  EXPECT_THROW(model_from_json(nlohmann::json::parse(R"({"model": "rate", "U": [[1], [1]], "V": [[0.5], [0.5]],
                                                         "W": [[1, 0], [0, 1]]})")),
               InputError);
  EXPECT_THROW(model_from_json(nlohmann::json::parse(R"({"model": "rate", "V": [[0.5], [0.5]]})")), InputError);
  EXPECT_THROW(
      model_from_json(nlohmann::json::parse(R"({"model": "rate", "U": [[1], [1]], "V": [[0.5, 1], [0.5, 1]]})")),
      InputError);
}

}  // namespace
}  // namespace rnndyn
