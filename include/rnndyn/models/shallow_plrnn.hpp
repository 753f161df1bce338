#pragma once
/// Shallow (low-rank) PLRNN (seed 001, eq. 1):  z' = A z + W1 relu(W2 z + h2) + h1,
/// latent z in R^R, hidden width N: W1 is R x N, W2 is N x R.
///
/// Seed 001 writes z_t = A z + V^T relu(U z - h_x) - h_z, i.e. W1 = V^T, W2 = U, h2 = -h_x, h1 = -h_z.
/// `time` Map (default) or Flow, as for Plrnn.
#include "rnndyn/models/model.hpp"

namespace rnndyn {

class ShallowPlrnn final : public Model {
 public:
  ShallowPlrnn(TimeKind time, Matrix A, Matrix W1, Matrix W2, Vector h1, Vector h2);

  std::string kind() const override { return "shplrnn"; }
  Index dim() const override { return A_.rows(); }
  Index hidden() const { return W2_.rows(); }
  TimeKind time_kind() const override { return time_; }
  void evaluate(const Vector& z, Vector& f, Matrix* jacobian = nullptr) const override;
  std::vector<ParameterBlock> parameter_blocks() const override;
  std::unique_ptr<Model> clone() const override { return std::make_unique<ShallowPlrnn>(*this); }
  std::optional<PiecewiseLinearStructure> piecewise_linear() const override;

  const Matrix& A() const { return A_; }
  const Matrix& W1() const { return W1_; }
  const Matrix& W2() const { return W2_; }
  const Vector& h1() const { return h1_; }
  const Vector& h2() const { return h2_; }

 private:
  double* parameter_slot(const std::string& symbol, Index row, Index col) override;

  TimeKind time_;
  Matrix A_;
  Matrix W1_;
  Matrix W2_;
  Vector h1_;
  Vector h2_;
};

}  // namespace rnndyn
