#pragma once
/// Linear recurrent network of seed 002:  tau dv/dt = -v + M v + h.
#include "rnndyn/models/model.hpp"

namespace rnndyn {

class LinearModel final : public Model {
 public:
  /// Throws InputError when M is not square, h has the wrong length, tau <= 0 or values are not finite.
  LinearModel(double tau, Matrix M, Vector h);

  std::string kind() const override { return "linear"; }
  Index dim() const override { return M_.rows(); }
  TimeKind time_kind() const override { return TimeKind::Flow; }
  void evaluate(const Vector& v, Vector& f, Matrix* jacobian = nullptr) const override;
  std::vector<ParameterBlock> parameter_blocks() const override;
  std::unique_ptr<Model> clone() const override { return std::make_unique<LinearModel>(*this); }
  std::optional<PiecewiseLinearStructure> piecewise_linear() const override;
  std::optional<LinearSystem> linear_system() const override { return LinearSystem{tau_, M_, h_}; }

  double tau() const { return tau_; }
  const Matrix& M() const { return M_; }
  const Vector& h() const { return h_; }

 private:
  double* parameter_slot(const std::string& symbol, Index row, Index col) override;

  double tau_;
  Matrix M_;
  Vector h_;
};

}  // namespace rnndyn
