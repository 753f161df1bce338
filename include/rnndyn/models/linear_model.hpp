#pragma once
/// Linear recurrent network of seed 002:  tau dv/dt = -v + M v + h + W_in u.
///
/// The seed writes the input as h = W u; here h is a constant drive and W_in u an optional input
/// (W_in: N x k, u: k, both empty = no input) that simulate() can make time-dependent.
#include "rnndyn/models/model.hpp"

namespace rnndyn {

class LinearModel final : public Model {
 public:
  /// Throws InputError when M is not square, h has the wrong length, tau <= 0 or values are not finite.
  LinearModel(double tau, Matrix M, Vector h, Matrix W_in = {}, Vector u = {});

  std::string kind() const override { return "linear"; }
  Index dim() const override { return M_.rows(); }
  TimeKind time_kind() const override { return TimeKind::Flow; }
  void evaluate(const Vector& v, Vector& f, Matrix* jacobian = nullptr) const override;
  std::vector<ParameterBlock> parameter_blocks() const override;
  std::unique_ptr<Model> clone() const override { return std::make_unique<LinearModel>(*this); }
  std::optional<PiecewiseLinearStructure> piecewise_linear() const override;
  /// tau dv/dt = -v + M v + (h + W_in u).
  std::optional<LinearSystem> linear_system() const override { return LinearSystem{tau_, M_, drive()}; }
  Index input_dim() const override { return W_in_.cols(); }
  Vector input() const override { return u_; }
  void set_input(const Vector& u) override {
    Model::set_input(u);
    u_ = u;
  }

  double tau() const { return tau_; }
  const Matrix& M() const { return M_; }
  const Vector& h() const { return h_; }
  const Matrix& W_in() const { return W_in_; }
  const Vector& u() const { return u_; }

 private:
  double* parameter_slot(const std::string& symbol, Index row, Index col) override;
  /// h + W_in u.
  Vector drive() const;

  double tau_;
  Matrix M_;
  Vector h_;
  Matrix W_in_;
  Vector u_;
};

}  // namespace rnndyn
