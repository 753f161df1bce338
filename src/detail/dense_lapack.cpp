// See dense_lapack.hpp.
#include "dense_lapack.hpp"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <Eigen/SVD>

namespace rnndyn::detail {

void multiply(const Matrix& A, const Matrix& B, Matrix& C) {
  C.resize(A.rows(), B.cols());
  if (A.rows() < kBlasMinDim || A.cols() < kBlasMinDim || B.cols() == 0) {
    C.noalias() = A * B;
    return;
  }
  const auto m = static_cast<blasint>(A.rows()), n = static_cast<blasint>(B.cols()), k = static_cast<blasint>(A.cols());
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0, A.data(), m, B.data(), k, 0.0, C.data(), m);
}

void multiply(const Matrix& A, const double* B, double* C, Index k) {
  const auto m = static_cast<blasint>(A.rows()), n = static_cast<blasint>(A.cols());
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, static_cast<blasint>(k), n, 1.0, A.data(), m, B, n, 0.0, C,
              m);
}

Vector singular_values(const Matrix& J) {
  if (J.rows() < kBlasMinDim || J.cols() < kBlasMinDim) return Eigen::BDCSVD<Matrix>(J).singularValues();
  Matrix a = J;
  Vector sv(std::min(J.rows(), J.cols()));
  const auto m = static_cast<lapack_int>(J.rows()), n = static_cast<lapack_int>(J.cols());
  if (LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', m, n, a.data(), m, sv.data(), nullptr, 1, nullptr, 1) != 0)
    return Eigen::BDCSVD<Matrix>(J).singularValues();  // LAPACK did not converge: Eigen's own
  return sv;
}

void gram_lower(const Matrix& J, Matrix& A) {
  const auto n = static_cast<blasint>(J.cols()), m = static_cast<blasint>(J.rows());
  A.resize(J.cols(), J.cols());
  cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, n, m, 1.0, J.data(), m, 0.0, A.data(), n);
}

bool cholesky_factor(Matrix& M) {
  const auto n = static_cast<lapack_int>(M.rows());
  return LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', n, M.data(), n) == 0;  // _work: no NaN scan
}

void cholesky_solve_factored(const Matrix& L, Vector& rhs) {
  // Two level-2 triangular solves: dpotrs with one right-hand side goes through dtrsm's packing,
  // and LAPACKE's wrapper scans the whole factor for NaNs on every call (together 20 % of a
  // preconditioned solve's time at N = 500).
  const auto n = static_cast<blasint>(L.rows());
  cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, n, L.data(), n, rhs.data(), 1);
  cblas_dtrsv(CblasColMajor, CblasLower, CblasTrans, CblasNonUnit, n, L.data(), n, rhs.data(), 1);
}

ComplexMatrix unpack_dgeev_vectors(const double* v, const double* wi, Index n) {
  ComplexMatrix out(n, n);
  for (Index j = 0; j < n; ++j) {
    if (wi[j] == 0.0) {
      for (Index i = 0; i < n; ++i) out(i, j) = Complex(v[i + j * n], 0.0);
    } else if (wi[j] > 0.0 && j + 1 < n) {
      for (Index i = 0; i < n; ++i) {
        const Complex z(v[i + j * n], v[i + (j + 1) * n]);
        out(i, j) = z;
        out(i, j + 1) = std::conj(z);
      }
      ++j;
    }
  }
  return out;
}

bool general_eigen(const Matrix& J, ComplexVector& values, ComplexMatrix& vectors) {
  const Index n = J.rows();
  Matrix a = J;
  std::vector<double> wr(static_cast<size_t>(n)), wi(static_cast<size_t>(n)), vr(static_cast<size_t>(n * n));
  const auto ln = static_cast<lapack_int>(n);
  if (LAPACKE_dgeev(LAPACK_COL_MAJOR, 'N', 'V', ln, a.data(), ln, wr.data(), wi.data(), nullptr, ln, vr.data(), ln) !=
      0)
    return false;
  values.resize(n);
  for (Index i = 0; i < n; ++i) values(i) = Complex(wr[static_cast<size_t>(i)], wi[static_cast<size_t>(i)]);
  vectors = unpack_dgeev_vectors(vr.data(), wi.data(), n);
  return true;
}

bool symmetric_eigen(const Matrix& J, Vector& values, Matrix& vectors) {
  const auto n = static_cast<lapack_int>(J.rows());
  vectors = J;
  values.resize(J.rows());
  return LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'V', 'L', n, vectors.data(), n, values.data()) == 0;
}

SingleThreadedBlas::SingleThreadedBlas() {
  saved_ = openblas_get_num_threads();
  openblas_set_num_threads(1);
}

SingleThreadedBlas::~SingleThreadedBlas() {
  if (saved_ > 0) openblas_set_num_threads(saved_);
}

}  // namespace rnndyn::detail
