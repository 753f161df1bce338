#pragma once
/// The one latent-reduction view of low-rank networks (Mastrogiuseppe & Ostojic 2018; seed 001,
/// Sec. 3.3). With a connectivity of rank R, W = U V^T (U, V: N x R), gain g and constant drive
/// d = b + W_in u, every fixed point is determined by its latent coordinates kappa in R^R:
///
///   rate, current form   tau dx/dt = -x + g W phi(x) + d:   x* = M kappa + d
///   rate, rate form      tau dr/dt = -r + phi(g W r + d):   r* = phi(M kappa + d)
///   rnn (map)            h' = phi(W_hh h + d):              h* = phi(M kappa + d)
///
/// with M = g U and kappa a zero of
///
///   G(kappa) = V^T phi(M kappa + d) - kappa,
///
/// (kappa = V^T phi(x*) resp. V^T r*), so fixed-point searches run in R dimensions instead of N:
/// the exact enumeration over sum_{r<=R} C(N, r) regions when phi is piecewise linear, the
/// interval (Krawczyk) search when it is smooth.
#include <optional>

#include "rnndyn/core/types.hpp"
#include "rnndyn/models/activation.hpp"
#include "rnndyn/models/piecewise_linear.hpp"

namespace rnndyn {

struct LatentReduction {
  Matrix M;  ///< N x R: g U
  Matrix V;  ///< N x R
  Vector d;  ///< N: constant drive
  Activation phi;
  bool lift_through_phi = false;  ///< true: x* = phi(M kappa + d) (rate form, rnn); false: M kappa + d

  Index rank() const { return M.cols(); }
  /// G(kappa), and its Jacobian V^T diag(phi'(M kappa + d)) M - I when `jacobian` is non-null.
  Vector latent_residual(const Vector& kappa, Matrix* jacobian = nullptr) const;
  /// The network state of the latent point kappa.
  Vector lift(const Vector& kappa) const;
  /// G as the piecewise-linear flow dkappa/dt = -kappa + V^T phi(M kappa + d) (A = -I, U = M,
  /// c = d, V^T, h = 0), whose zeros are G's, when phi is piecewise linear; else nullopt.
  std::optional<PiecewiseLinearStructure> piecewise_linear() const;
};

struct LatentOptions {
  /// Only factors the model was given (W = U V^T in the model file) count, exactly; a dense W is
  /// not factored. Default false.
  bool factors_only = false;
  /// A dense W is factored by its SVD with rank R = #{sigma_i > rank_tol * sigma_max}, in (0, 1).
  /// Default 1e-10.
  double rank_tol = 1e-10;
  /// No reduction (nullopt) when R exceeds this, >= 1. Default 8.
  Index max_rank = 8;
};

}  // namespace rnndyn
