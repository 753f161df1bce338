// See dense_lapack.hpp.
#include "dense_lapack.hpp"

#include "vector_math.hpp"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
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

namespace {

/// v <- (P L U)^-1 v for LAPACK's getrf output (1-based row interchanges, applied in order).
template <class T>
void lu_solve_in_place(const Eigen::Matrix<T, -1, -1>& lu, const std::vector<int>& pivots, T* v) {
  const auto n = static_cast<blasint>(lu.rows());
  for (blasint i = 0; i < n; ++i) {
    const auto p = static_cast<blasint>(pivots[static_cast<std::size_t>(i)] - 1);
    if (p != i) std::swap(v[i], v[p]);
  }
  if constexpr (std::is_same_v<T, float>) {
    cblas_strsv(CblasColMajor, CblasLower, CblasNoTrans, CblasUnit, n, lu.data(), n, v, 1);
    cblas_strsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, n, lu.data(), n, v, 1);
  } else {
    cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasUnit, n, lu.data(), n, v, 1);
    cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, n, lu.data(), n, v, 1);
  }
}

}  // namespace

bool RefinedLu::factor(const Matrix& J) {
  have_float_ = have_double_ = tried_double_ = false;
  if (!all_finite(J)) return false;
  const auto n = static_cast<lapack_int>(J.rows());
  small_ = J.rows() < kBlasMinDim;
  if (small_) {
    small_lu_.compute(J);
    return true;
  }
  lu_float_ = J.cast<float>();
  pivots_float_.resize(static_cast<std::size_t>(n));
  // info > 0: an exactly zero pivot in float; the double LU may still be regular. An entry beyond
  // float's range (inf in lu_float_) needs no check of its own: its NaN residual in solve() sends
  // the solve to the double LU, as a residual the corrections do not reduce does.
  have_float_ = LAPACKE_sgetrf_work(LAPACK_COL_MAJOR, n, n, lu_float_.data(), n, pivots_float_.data()) == 0;
  return true;
}

bool RefinedLu::factor_double(const Matrix& J) {
  tried_double_ = true;
  const auto n = static_cast<lapack_int>(J.rows());
  lu_double_ = J;
  pivots_double_.resize(static_cast<std::size_t>(n));
  have_double_ = LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, n, n, lu_double_.data(), n, pivots_double_.data()) == 0;
  return have_double_;
}

void RefinedLu::solve_float(Vector& v) const {
  work_ = v.cast<float>();
  lu_solve_in_place(lu_float_, pivots_float_, work_.data());
  v = work_.cast<double>();
}

void RefinedLu::solve_double(Vector& v) const { lu_solve_in_place(lu_double_, pivots_double_, v.data()); }

double RefinedLu::solve(const Matrix& J, const Vector& b, Vector& s, double tol) {
  const double nb = std::max(b.norm(), std::numeric_limits<double>::min());
  Vector res = b;
  const auto residual_of = [&] {
    res = b;
    res.noalias() -= J * s;
    return res.norm() / nb;
  };
  if (small_) {
    s = small_lu_.solve(b);
    return residual_of();
  }
  // Three corrections: each gains a factor ~1e-7 cond(J) while that is below 1.
  if (have_float_) {
    s = b;
    solve_float(s);
    double rel = residual_of();
    for (int k = 0; k < 3 && rel > tol && std::isfinite(rel); ++k) {
      solve_float(res);
      s += res;
      rel = residual_of();
    }
    if (rel <= tol) return rel;
  }
  if (!have_double_ && (tried_double_ || !factor_double(J))) return std::numeric_limits<double>::infinity();
  s = b;
  solve_double(s);
  double rel = residual_of();
  if (rel > tol && std::isfinite(rel)) {  // one correction: LU with partial pivoting is backward stable
    solve_double(res);
    s += res;
    rel = residual_of();
  }
  return rel;
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
