// Modal open-loop gain of a finite reservoir (seed 003, eq. 6); see open_loop_gain.hpp.
#include "rnndyn/reservoir/open_loop_gain.hpp"

#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "../detail/dense_lapack.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {

namespace {

/// dgeev's real packing of complex-conjugate pairs, unpacked (detail/dense_lapack.hpp).
ComplexMatrix unpack(const std::vector<double>& v, const std::vector<double>& wi, Index n) {
  return detail::unpack_dgeev_vectors(v.data(), wi.data(), n);
}

}  // namespace

ModalOpenLoopGain::ModalOpenLoopGain(const Matrix& K, const Vector& b, const Vector& c) {
  const Index n = K.rows();
  if (K.cols() != n || n == 0) throw InputError("K", "expected a non-empty square matrix");
  if (b.size() != n) throw InputError("w_FB", "length must match the matrix size");
  if (c.size() != n) throw InputError("w_out", "length must match the matrix size");
  std::vector<double> a(K.data(), K.data() + n * n), wr(n), wi(n), vl(n * n), vr(n * n);
  const lapack_int info =
      LAPACKE_dgeev(LAPACK_COL_MAJOR, 'V', 'V', static_cast<lapack_int>(n), a.data(), static_cast<lapack_int>(n),
                    wr.data(), wi.data(), vl.data(), static_cast<lapack_int>(n), vr.data(), static_cast<lapack_int>(n));
  if (info != 0) {
    ok_ = false;
    return;
  }
  lambda_.resize(n);
  for (Index k = 0; k < n; ++k) lambda_(k) = Complex(wr[k], wi[k]);
  const ComplexMatrix V = unpack(vr, wi, n);
  const ComplexMatrix U = unpack(vl, wi, n);  // u_k^H K = lambda_k u_k^H
  // Residue of mode k: (c^T v_k)(u_k^H b) / (u_k^H v_k); rows of V^{-1} are u_k^H / (u_k^H v_k).
  const ComplexVector cv = V.transpose() * c.cast<Complex>();
  const ComplexVector ub = U.adjoint() * b.cast<Complex>();
  residue_.resize(n);
  for (Index k = 0; k < n; ++k) residue_(k) = cv(k) * ub(k) / U.col(k).dot(V.col(k));
}

Complex ModalOpenLoopGain::operator()(Complex s) const {
  Complex g = 0.0;
  const Complex u = 1.0 + s;
  for (Index k = 0; k < lambda_.size(); ++k) g += residue_(k) / (u - lambda_(k));
  return g;
}

Complex ModalOpenLoopGain::derivative(Complex s) const {
  Complex d = 0.0;
  const Complex u = 1.0 + s;
  for (Index k = 0; k < lambda_.size(); ++k) {
    const Complex q = u - lambda_(k);
    d -= residue_(k) / (q * q);
  }
  return d;
}

ComplexVector ModalOpenLoopGain::at_frequencies(const Vector& omegas) const {
  ComplexVector out(omegas.size());
#pragma omp parallel for schedule(static)
  for (Index i = 0; i < omegas.size(); ++i) out(i) = at_frequency(omegas(i));
  return out;
}

double ModalOpenLoopGain::spectral_radius() const { return lambda_.size() ? lambda_.cwiseAbs().maxCoeff() : 0.0; }

Complex open_loop_gain_direct(const Matrix& K, const Vector& b, const Vector& c, Complex s) {
  const Index n = K.rows();
  if (K.cols() != n || b.size() != n || c.size() != n) throw InputError("K", "shapes of K, w_FB, w_out disagree");
  // LAPACK zgesv (blocked LU): ((1 + s) I - K) x = b.
  ComplexMatrix A = -K.cast<Complex>();
  A.diagonal().array() += 1.0 + s;
  ComplexVector x = b.cast<Complex>();
  std::vector<lapack_int> ipiv(n);
  const lapack_int info =
      LAPACKE_zgesv(LAPACK_COL_MAJOR, static_cast<lapack_int>(n), 1, reinterpret_cast<lapack_complex_double*>(A.data()),
                    static_cast<lapack_int>(n), ipiv.data(), reinterpret_cast<lapack_complex_double*>(x.data()),
                    static_cast<lapack_int>(n));
  if (info != 0) return Complex(std::nan(""), std::nan(""));
  return (c.cast<Complex>().transpose() * x)(0);
}

ComplexVector dense_eigenvalues(const Matrix& A) {
  const Index n = A.rows();
  if (A.cols() != n) throw InputError("matrix", "expected a square matrix");
  std::vector<double> a(A.data(), A.data() + n * n), wr(n), wi(n);
  double dummy = 0.0;
  const lapack_int info = LAPACKE_dgeev(LAPACK_COL_MAJOR, 'N', 'N', static_cast<lapack_int>(n), a.data(),
                                        static_cast<lapack_int>(n), wr.data(), wi.data(), &dummy, 1, &dummy, 1);
  if (info != 0) return {};
  std::vector<Complex> v(n);
  for (Index k = 0; k < n; ++k) v[k] = Complex(wr[k], wi[k]);
  std::sort(v.begin(), v.end(),
            [](Complex x, Complex y) { return x.real() != y.real() ? x.real() > y.real() : x.imag() > y.imag(); });
  return Eigen::Map<ComplexVector>(v.data(), n);
}

}  // namespace rnndyn
