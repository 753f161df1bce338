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

TEST(EvaluateBatch, EveryColumnEqualsEvaluate) {
  std::mt19937_64 rng(20261206);
  const Index H = 7, I = 2, B = 5;
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
  for (const auto& m : models) {
    const Matrix X = gaussian(m->dim(), B, rng);
    Matrix F;
    m->evaluate_batch(X, F);
    ASSERT_EQ(F.rows(), m->dim()) << m->kind();
    ASSERT_EQ(F.cols(), B) << m->kind();
    for (Index j = 0; j < B; ++j) {
      Vector f;
      m->evaluate(X.col(j), f);
      // The product sums in another order than the matrix-vector product: a few ulps.
      EXPECT_TRUE(testing::near(Vector(F.col(j)), f, 1e-13)) << m->kind() << " column " << j;
    }
  }
}

}  // namespace
}  // namespace rnndyn
