// Low-rank latent solver with exhaustive Krawczyk box search: closed-form rank-1 fixed points,
// and completeness against the multi-start finder on the full network for rank 2 and 3.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/low_rank_fixed_points.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points.hpp"
#include "rnndyn/models/gru_model.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/models/rnn_model.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

TEST(LowRankFixedPoints, RankOneClosedForm) {
  // W = w m m^T / N with m_i = +-1: x* = m y with y = w tanh(y), i.e. y in {0, +-r(w)}.
  for (Index N : {5, 40, 200}) {
    for (double w : {0.7, 2.0, 4.0}) {
      Vector m(N);
      for (Index i = 0; i < N; ++i) m(i) = (i * 7919 % 3 == 0) ? -1.0 : 1.0;
      const RateModel model(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(N),
                            w * m * m.transpose() / double(N), Vector::Zero(N));
      const LowRankProblem p = low_rank_problem(model);
      ASSERT_EQ(p.rank(), 1);
      const auto res = find_low_rank_fixed_points(p);
      EXPECT_EQ(res.guarantee, LowRankGuarantee::Complete);
      ASSERT_EQ(res.x.size(), w < 1 ? 1u : 3u) << "N = " << N << ", w = " << w;
      for (const Vector& x : res.x) {
        const double y = x.dot(m) / double(N);
        EXPECT_TRUE(testing::near(x, Vector(m * y), 1e-10));
        EXPECT_TRUE(std::abs(y) < 1e-10 || (w > 1 && std::abs(std::abs(y) - testing::positive_tanh_root(w)) < 1e-10))
            << y;
        EXPECT_LE(model.rhs(x).norm(), 1e-10);
      }
    }
  }
}

TEST(LowRankFixedPoints, FindsEveryPointTheMultiStartSearchFinds) {
  std::mt19937 rng(21);
  int compared = 0, total_exhaustive = 0;
  for (Index R : {2, 3}) {
    for (int kind = 0; kind < 3; ++kind) {
      const Index N = 30;
      const Matrix U = testing::random_matrix(N, R, rng), V = testing::random_matrix(N, R, rng);
      const Matrix W = 4.0 * U * V.transpose() / double(N);
      const Vector b = testing::random_vector(N, rng, 0.2);
      std::unique_ptr<Model> model;
      if (kind == 0)
        model = std::make_unique<RateModel>(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(N),
                                            W, b);
      else if (kind == 1)
        model =
            std::make_unique<RateModel>(RateModel::Form::Rate, Activation(ActivationKind::Tanh), Vector::Ones(N), W, b);
      else
        model = std::make_unique<RnnModel>(Activation(ActivationKind::Tanh), W, b);
      const LowRankProblem p = low_rank_problem(*model);
      ASSERT_EQ(p.rank(), R);
      const auto exhaustive = find_low_rank_fixed_points(p);
      EXPECT_EQ(exhaustive.guarantee, LowRankGuarantee::Complete);
      for (const Vector& x : exhaustive.x) EXPECT_LE(model->fixed_point_residual(x).norm(), 1e-9);
      // Multi-start LM on the full N-dimensional network: each of its points must be among ours.
      const double box = kind == 0 ? 4.0 : 1.0;
      const auto multi =
          find_fixed_points_numeric(*model, sample_box(300, Vector::Constant(N, -box), Vector::Constant(N, box), 4));
      ASSERT_FALSE(multi.fixed_points.empty());
      total_exhaustive += static_cast<int>(exhaustive.x.size());
      EXPECT_LE(multi.fixed_points.size(), exhaustive.x.size());
      for (const auto& fp : multi.fixed_points) {
        double best = 1e300;
        for (const Vector& x : exhaustive.x) best = std::min(best, (x - fp.x).norm());
        EXPECT_LT(best, 1e-7) << "R = " << R << " kind = " << kind;
        ++compared;
      }
    }
  }
  // The networks are strongly coupled: several have more than one fixed point.
  EXPECT_GT(compared, 6);
  EXPECT_GE(total_exhaustive, compared);
}

TEST(LowRankFixedPoints, RejectsUnsupportedModels) {
  EXPECT_THROW(low_rank_problem(GruModel(Matrix::Zero(6, 2))), InputError);
  const RateModel relu(RateModel::Form::Current, Activation(ActivationKind::Relu), Vector::Ones(2),
                       Matrix::Identity(2, 2), Vector::Zero(2));
  EXPECT_THROW(low_rank_problem(relu), InputError);
  const RateModel full(RateModel::Form::Current, Activation(ActivationKind::Tanh), Vector::Ones(12),
                       Matrix::Identity(12, 12), Vector::Zero(12));
  EXPECT_THROW(low_rank_problem(full), InputError);  // rank 12 > max_rank 8
}

}  // namespace
}  // namespace rnndyn
