#pragma once
/// Continuous-time rate network with per-unit time constants T = diag(tau) (seed 002).
///
///   form "current":  tau dx/dt = -x + g W phi(x) + b + W_in u
///   form "rate":     tau dr/dt = -r + phi(g W r + b + W_in u)
///
/// phi is one of activation.hpp; u is a constant input (zero-length when W_in is absent).
///
/// Low-rank connectivity W = U V^T (U, V: N x R) may be given as factors (low_rank()): then the
/// parameters are U and V instead of W, and fixed points can be searched in the R-dimensional
/// latent space kappa = V^T phi(x) (current form) or V^T r (rate form), see
/// latent_reduction().
#include "rnndyn/models/activation.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

class RateModel final : public Model {
 public:
  enum class Form { Current, Rate };

  /// Throws InputError naming the field when shapes disagree, tau <= 0, or a value is not finite.
  RateModel(Form form, Activation activation, Vector tau, Matrix W, Vector b, Matrix W_in = {}, Vector u = {},
            double g = 1.0);
  /// W = U V^T from its factors (N x R each, R >= 1); same checks, naming U and V.
  static RateModel low_rank(Form form, Activation activation, Vector tau, Matrix U, Matrix V, Vector b,
                            Matrix W_in = {}, Vector u = {}, double g = 1.0);

  std::string kind() const override { return "rate"; }
  Index dim() const override { return W_.rows(); }
  TimeKind time_kind() const override { return TimeKind::Flow; }
  void evaluate(const Vector& x, Vector& f, Matrix* jacobian = nullptr) const override;
  std::vector<ParameterBlock> parameter_blocks() const override;
  std::unique_ptr<Model> clone() const override { return std::make_unique<RateModel>(*this); }
  Index input_dim() const override { return W_in_.cols(); }
  Vector input() const override { return u_; }
  void set_input(const Vector& u) override {
    Model::set_input(u);
    u_ = u;
  }
  /// The rates a readout reads: phi(x) in the current form, r itself in the rate form.
  Vector rates(const Vector& x) const override;
  std::optional<PiecewiseLinearStructure> piecewise_linear() const override;
  /// W = U V^T (given factors, or the SVD of a dense W): G(kappa) = V^T phi(g U kappa + d) - kappa,
  /// d = b + W_in u, lifted by x = g U kappa + d (current form) or r = phi(g U kappa + d) (rate form).
  std::optional<LatentReduction> latent_reduction(const LatentOptions& options = {}) const override;
  /// Linear units (threshold 0) and one time constant: tau dx/dt = -x + g W x + (b + W_in u).
  std::optional<LinearSystem> linear_system() const override;

  Form form() const { return form_; }
  const Activation& activation() const { return activation_; }
  const Vector& tau() const { return tau_; }
  const Matrix& W() const { return W_; }
  bool is_low_rank() const { return U_.size() > 0; }
  const Matrix& U() const { return U_; }  ///< empty unless given as factors
  const Matrix& V() const { return V_; }
  const Vector& b() const { return b_; }
  const Matrix& W_in() const { return W_in_; }
  const Vector& u() const { return u_; }
  double g() const { return g_; }

 private:
  double* parameter_slot(const std::string& symbol, Index row, Index col) override;
  void parameters_changed() override;
  /// Constant drive b + W_in u (into d: no allocation once d has the size).
  void drive_into(Vector& d) const;
  Vector drive() const;

  Form form_;
  Activation activation_;
  Vector tau_;
  Matrix W_;
  Matrix U_, V_;  // factors of W (empty when W was given densely); W_ = U_ V_^T
  Vector b_;
  Matrix W_in_;
  Vector u_;
  double g_;
};

}  // namespace rnndyn
