// Model::evaluate_batch (one matrix-matrix product for the trained cells) against evaluate, the
// per-state code path that the torch-reference tests check: every column must agree.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "rnndyn/models/esn_model.hpp"
#include "rnndyn/models/gru_model.hpp"
#include "rnndyn/models/lstm_model.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/models/rnn_model.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

Matrix gaussian(Index rows, Index cols, std::mt19937_64& rng, double scale = 1.0) {
  std::normal_distribution<double> g(0.0, scale);
  Matrix m(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = g(rng);
  return m;
}

/// One model of each cell with H units and I inputs.
std::vector<std::unique_ptr<Model>> cells(Index H, Index I, std::mt19937_64& rng) {
  std::vector<std::unique_ptr<Model>> models;
  models.push_back(std::make_unique<GruModel>(gaussian(3 * H, H, rng, 0.5), gaussian(3 * H, 1, rng),
                                              gaussian(3 * H, 1, rng), gaussian(3 * H, I, rng), gaussian(I, 1, rng)));
  models.push_back(std::make_unique<LstmModel>(gaussian(4 * H, H, rng, 0.5), gaussian(4 * H, 1, rng),
                                               gaussian(4 * H, 1, rng), gaussian(4 * H, I, rng), gaussian(I, 1, rng)));
  models.push_back(std::make_unique<RnnModel>(Activation(ActivationKind::Tanh), gaussian(H, H, rng, 0.5),
                                              gaussian(H, 1, rng), gaussian(H, I, rng), gaussian(I, 1, rng)));
  EsnModel::Weights w;
  w.W = gaussian(H, H, rng, 0.4);
  w.g = 1.3;
  w.lr = Vector::Constant(H, 0.3);
  w.b = gaussian(H, 1, rng);
  w.W_in = gaussian(H, I, rng);
  w.u = gaussian(I, 1, rng);
  models.push_back(std::make_unique<EsnModel>(w));
  // A model without an override: the default loop.
  models.push_back(std::make_unique<RateModel>(RateModel::Form::Current, Activation(ActivationKind::Tanh),
                                               Vector::Ones(H), gaussian(H, H, rng), gaussian(H, 1, rng)));
  return models;
}

// H = 7 takes Eigen's products, H = 80 OpenBLAS's (detail::kBlasMinDim = 64), with the gates by
// the vectorised exp in both.
TEST(EvaluateBatch, EveryColumnEqualsEvaluate) {
  std::mt19937_64 rng(20261206);
  const Index I = 2, B = 5;
  for (const Index H : {Index{7}, Index{80}})
    for (const auto& m : cells(H, I, rng)) {
      const Matrix X = gaussian(m->dim(), B, rng);
      Matrix F;
      m->evaluate_batch(X, F);
      ASSERT_EQ(F.rows(), m->dim()) << m->kind();
      ASSERT_EQ(F.cols(), B) << m->kind();
      for (Index j = 0; j < B; ++j) {
        Vector f;
        m->evaluate(X.col(j), f);
        // The product sums in another order than the matrix-vector product: a few ulps.
        EXPECT_TRUE(testing::near(Vector(F.col(j)), f, 1e-13)) << m->kind() << " H = " << H << " column " << j;
      }
    }
}

// J Q without J (the ESN's tangent_product) against evaluate's Jacobian times Q; the other cells
// have no such product and say so.
TEST(TangentProduct, EqualsTheJacobianTimesQ) {
  std::mt19937_64 rng(7);
  for (const Index H : {Index{7}, Index{80}})
    for (const auto& m : cells(H, 2, rng)) {
      const Index k = 3;
      const Vector x = gaussian(m->dim(), 1, rng);
      const Matrix Q = gaussian(m->dim(), k, rng);
      Vector f, f_ref;
      Matrix JQ(m->dim(), k), J;
      const bool direct = m->tangent_product(x, f, Q.data(), JQ.data(), k);
      EXPECT_EQ(direct, m->kind() == "esn") << m->kind();
      if (!direct) continue;
      m->evaluate(x, f_ref, &J);
      EXPECT_TRUE(testing::near(f, f_ref, 1e-13)) << "H = " << H;
      EXPECT_TRUE(testing::near(JQ, Matrix(J * Q), 1e-12)) << "H = " << H;
    }
}

}  // namespace
}  // namespace rnndyn
