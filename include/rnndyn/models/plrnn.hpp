#pragma once
/// Piecewise-linear RNN (seed 001, eq. 5):  z' = A z + W relu(z - theta) + h.
///
/// `time` Map (default): z_{t+1} = F(z_t).  Flow: dz/dt = F(z).
/// A may be full or diagonal (given as a vector in the model file).
#include "rnndyn/models/model.hpp"

namespace rnndyn {

class Plrnn final : public Model {
 public:
  Plrnn(TimeKind time, Matrix A, Matrix W, Vector theta, Vector h);

  std::string kind() const override { return "plrnn"; }
  Index dim() const override { return A_.rows(); }
  TimeKind time_kind() const override { return time_; }
  void evaluate(const Vector& z, Vector& f, Matrix* jacobian = nullptr) const override;
  std::vector<ParameterBlock> parameter_blocks() const override;
  std::unique_ptr<Model> clone() const override { return std::make_unique<Plrnn>(*this); }
  std::optional<PiecewiseLinearStructure> piecewise_linear() const override;

  const Matrix& A() const { return A_; }
  const Matrix& W() const { return W_; }
  const Vector& theta() const { return theta_; }
  const Vector& h() const { return h_; }

 private:
  double* parameter_slot(const std::string& symbol, Index row, Index col) override;

  TimeKind time_;
  Matrix A_;
  Matrix W_;
  Vector theta_;
  Vector h_;
};

}  // namespace rnndyn
