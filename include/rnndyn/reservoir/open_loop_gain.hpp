#pragma once
/// Open-loop gain of a finite reservoir around a fixed point (seed 003, eqs. 5-6):
///
///   G^OL(s) = w_out^T R' ((1 + s) I - W R')^{-1} w_FB,     s = i omega.
///
/// K = W R' is eigen-decomposed once, K = V Lambda V^{-1} (LAPACK dgeev, left and right
/// vectors); then G(s) = sum_k (c^T v_k)(u_k^H b) / (u_k^H v_k) / (1 + s - lambda_k) costs O(N)
/// per frequency instead of an O(N^3) solve. Closed-loop eigenvalues are the roots of G(s) = 1
/// (matrix determinant lemma on the rank-one feedback w_FB w_out^T R'), so the same
/// decomposition refines them by Newton's method at O(N) per step.
#include "rnndyn/core/types.hpp"

namespace rnndyn {

class ModalOpenLoopGain {
 public:
  /// K: N x N, b = w_FB, c = R' w_out (so that c^T x = w_out^T R' x). Throws InputError on shape
  /// mismatch. `ok()` is false when LAPACK fails to converge.
  ModalOpenLoopGain(const Matrix& K, const Vector& b, const Vector& c);
  bool ok() const { return ok_; }
  /// G(s) for complex s.
  Complex operator()(Complex s) const;
  Complex at_frequency(double omega) const { return (*this)(Complex(0.0, omega)); }
  /// dG/ds.
  Complex derivative(Complex s) const;
  ComplexVector at_frequencies(const Vector& omegas) const;
  /// Eigenvalues lambda_k of K = W R' (the open-loop poles are lambda_k - 1).
  const ComplexVector& eigenvalues() const { return lambda_; }
  /// max_k |lambda_k| (the fading-memory rho of the seed).
  double spectral_radius() const;
  /// Modal residues c_k: G(s) = sum_k c_k / (1 + s - lambda_k).
  const ComplexVector& residues() const { return residue_; }

 private:
  ComplexVector lambda_, residue_;
  bool ok_ = true;
};

/// Reference G(s) by a dense complex LU solve (O(N^3) per s; for tests and benchmarks).
Complex open_loop_gain_direct(const Matrix& K, const Vector& b, const Vector& c, Complex s);

/// Eigenvalues of a real square matrix by LAPACK dgeev (values only), sorted by decreasing real
/// part. Returns an empty vector if LAPACK fails.
ComplexVector dense_eigenvalues(const Matrix& A);

}  // namespace rnndyn
