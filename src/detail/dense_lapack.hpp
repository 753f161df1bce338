// Dense kernels on the optimised BLAS/LAPACK (OpenBLAS, dispatched at run time to the machine's
// vector unit) for the matrix sizes where they pay: the library itself is built without -march,
// so Eigen's own kernels use SSE2 only. Measured on this project's 2-core CI-like machine (single
// thread): J^T J plus a Cholesky solve 30.1 ms in Eigen, 9.3 ms here at N = 500 (0.43 and 0.12 ms
// at N = 128); on an AVX-512 machine a nonsymmetric eigendecomposition with vectors took 701 ms in
// Eigen, 111 ms with dgeev at N = 500. Below kBlasMinDim the results stay bit-identical to
// earlier versions.
#pragma once

#include <vector>

#include "rnndyn/core/types.hpp"

namespace rnndyn::detail {

/// Size from which the functions below are worth calling instead of Eigen's kernels.
constexpr Index kBlasMinDim = 64;

/// C = A B: dgemm from kBlasMinDim rows and columns of A on (the batched cell steps of
/// Model::evaluate_batch: W_hh X over many states), Eigen's product below.
void multiply(const Matrix& A, const Matrix& B, Matrix& C);
/// C = A B for column-major A (m x n), B (n x k) and C (m x k) given by their storage: dgemm always.
void multiply(const Matrix& A, const double* B, double* C, Index k);

/// The singular values of J, descending: dgesdd without vectors from kBlasMinDim on (a third of
/// Eigen's BDCSVD time at N = 128 here), Eigen's BDCSVD below.
Vector singular_values(const Matrix& J);

/// Lower triangle of A = J^T J (dsyrk); the strict upper triangle is left undefined.
void gram_lower(const Matrix& J, Matrix& A);

/// Overwrites the lower triangle of the symmetric positive definite M by its Cholesky factor L
/// (dpotrf). False when M is not positive definite.
bool cholesky_factor(Matrix& M);

/// Solves L L^T s = rhs in place, L from cholesky_factor (dpotrs).
void cholesky_solve_factored(const Matrix& L, Vector& rhs);

/// Newton steps J s = b on an LU factorization: from kBlasMinDim on, in single precision first
/// (sgetrf: 2/3 n^3 flops at twice the double rate, on half the memory) with the solution refined
/// in double by a few correction steps (each one product with J and two float triangular solves);
/// when those do not reach the requested residual (J too ill-conditioned for float, cond(J) >~
/// 1e6), the double LU (dgetrf) is factored once and used instead. Below kBlasMinDim, Eigen's
/// double LU.
class RefinedLu {
 public:
  /// Factors J (lazily in double, see above); false when J is not finite.
  bool factor(const Matrix& J);
  /// s with |b - J s| <= tol |b| when J allows; returns the relative residual reached (inf when
  /// a factorization failed: an exactly singular J).
  double solve(const Matrix& J, const Vector& b, Vector& s, double tol);

 private:
  void solve_float(Vector& v) const;
  bool factor_double(const Matrix& J);
  void solve_double(Vector& v) const;

  Eigen::MatrixXf lu_float_;
  Matrix lu_double_;
  std::vector<int> pivots_float_, pivots_double_;
  bool small_ = false, have_float_ = false, have_double_ = false, tried_double_ = false;
  Eigen::PartialPivLU<Matrix> small_lu_;
  mutable Eigen::VectorXf work_;
};

/// Eigenvalues and right eigenvectors of a general square J (dgeev; unit-norm columns). False when
/// LAPACK fails to converge.
bool general_eigen(const Matrix& J, ComplexVector& values, ComplexMatrix& vectors);

/// Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric J (dsyevd). False on failure.
bool symmetric_eigen(const Matrix& J, Vector& values, Matrix& vectors);

/// dgeev's real packing of complex-conjugate pairs (columns j, j+1 hold Re and Im of vector j, for
/// wi[j] > 0) unpacked into complex columns.
ComplexMatrix unpack_dgeev_vectors(const double* v, const double* wi, Index n);

/// For the duration of a parallel region whose threads call BLAS: OpenBLAS's own threads would
/// oversubscribe the cores, so it runs single-threaded until the guard ends. Also for a region
/// of one thread: `threads = 1` means one core (a benchmark against a one-threaded tool, a job
/// given one core), not one thread of ours and all of OpenBLAS's.
class SingleThreadedBlas {
 public:
  SingleThreadedBlas();
  ~SingleThreadedBlas();
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  int saved_ = 0;
};

}  // namespace rnndyn::detail
