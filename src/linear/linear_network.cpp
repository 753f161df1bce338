#include "rnndyn/linear/linear_network.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/linearize/linearize.hpp"

namespace rnndyn {

std::string to_string(ModeKind k) {
  switch (k) {
    case ModeKind::Decaying:
      return "decaying";
    case ModeKind::Integrator:
      return "integrator";
    case ModeKind::Growing:
      return "growing";
  }
  return "?";
}

std::string to_string(LinearVerdict v) {
  switch (v) {
    case LinearVerdict::Stable:
      return "stable";
    case LinearVerdict::Integrator:
      return "integrator";
    case LinearVerdict::Unstable:
      return "unstable";
  }
  return "?";
}

void LinearNetworkOptions::validate() const {
  if (!(integrator_tol >= 0)) throw InputError("integrator_tol", "must be >= 0");
}

namespace {

struct ModalBasis {
  ComplexVector lambda;
  ComplexMatrix E;      // eigenvectors, unit-norm columns, sorted by decreasing Re lambda
  ComplexMatrix E_inv;  // dual basis
  bool symmetric = false;
  double residual = 0.0;
  double condition = 1.0;
};

ModalBasis modal_basis(const Matrix& M) {
  ModalBasis b;
  const Index n = M.rows();
  // Seed 002's setting is symmetric M: orthonormal eigenvectors, so E^{-1} = E^T and
  // h~_i = h . e_i. Sorted by decreasing Re lambda, as the flow's modes.
  b.symmetric = M.isApprox(M.transpose(), 1e-14);
  const EigenDecomposition eig = eigen_decompose(M, TimeKind::Flow);
  b.lambda = eig.eigenvalues;
  b.E = eig.eigenvectors;
  b.E_inv = b.symmetric ? ComplexMatrix(b.E.adjoint()) : ComplexMatrix(b.E.partialPivLu().inverse());
  b.condition = b.E.norm() * b.E_inv.norm() / static_cast<double>(n);
  const double scale = std::max(M.norm(), 1e-300);
  b.residual = (M.cast<Complex>() * b.E - b.E * b.lambda.asDiagonal()).norm() / scale;
  return b;
}

/// The model's seed-002 view, or InputError naming the model.
LinearSystem linear_view(const Model& model) {
  auto sys = model.linear_system();
  if (!sys)
    throw InputError("model",
                     "needs a linear model tau dv/dt = -v + M v + h (or a rate model with linear units and one "
                     "time constant), got a " +
                         model.kind() + " model");
  return *std::move(sys);
}

}  // namespace

LinearNetworkAnalysis analyze_linear_network(const Model& network, const LinearNetworkOptions& options) {
  const Stopwatch clock;
  const LinearSystem model = linear_view(network);
  options.validate();
  const ModalBasis basis = modal_basis(model.M);
  const ComplexVector h_tilde = basis.E_inv * model.h.cast<Complex>();
  LinearNetworkAnalysis out;
  out.symmetric = basis.symmetric;
  out.decomposition_residual = basis.residual;
  bool any_growing = false, any_integrator = false;
  ComplexVector v_ss = ComplexVector::Zero(model.M.rows());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (Index i = 0; i < model.M.rows(); ++i) {
    LinearMode mode;
    mode.lambda = basis.lambda(i);
    mode.e = basis.E.col(i);
    mode.h_projection = h_tilde(i);
    mode.rate = -(1.0 - mode.lambda) / model.tau;
    if (std::abs(mode.lambda - 1.0) <= options.integrator_tol) {
      mode.kind = ModeKind::Integrator;
      mode.amplification = Complex(nan, nan);
      any_integrator = true;
    } else {
      mode.kind = mode.lambda.real() < 1.0 ? ModeKind::Decaying : ModeKind::Growing;
      mode.amplification = 1.0 / (1.0 - mode.lambda);
      any_growing = any_growing || mode.kind == ModeKind::Growing;
      v_ss += mode.h_projection * mode.amplification * mode.e;
    }
    out.modes.push_back(std::move(mode));
  }
  out.verdict =
      any_growing ? LinearVerdict::Unstable : (any_integrator ? LinearVerdict::Integrator : LinearVerdict::Stable);
  if (!any_growing) out.steady_state = v_ss.real();
  out.tau = model.tau;
  out.options = options;
  out.info = {network.kind(), network.time_kind(), clock.seconds()};
  return out;
}

Matrix linear_closed_form(const Model& network, const Vector& v0, const std::vector<double>& times,
                          const LinearNetworkOptions& options) {
  const LinearSystem model = linear_view(network);
  options.validate();
  if (v0.size() != model.M.rows())
    throw InputError("v0", "expected a vector of length " + std::to_string(model.M.rows()) + ", got length " +
                               std::to_string(v0.size()));
  const ModalBasis basis = modal_basis(model.M);
  // A defective (or nearly defective) M has no usable eigenbasis: the mode formulas then lose
  // all accuracy, so refuse rather than return a wrong trajectory.
  if (!(basis.condition < 1e8))
    throw InputError("M", "is not diagonalizable (eigenvector matrix condition " + std::to_string(basis.condition) +
                              "); the eigen-mode closed form does not apply, use simulate");
  const ComplexVector h_tilde = basis.E_inv * model.h.cast<Complex>();
  const ComplexVector c0 = basis.E_inv * v0.cast<Complex>();
  const double tau = model.tau;
  Matrix out(model.M.rows(), static_cast<Index>(times.size()));
  for (size_t k = 0; k < times.size(); ++k) {
    const double t = times[k];
    ComplexVector c(model.M.rows());
    for (Index i = 0; i < model.M.rows(); ++i) {
      const Complex one_minus = 1.0 - basis.lambda(i);
      if (std::abs(one_minus) <= options.integrator_tol) {
        c(i) = c0(i) + h_tilde(i) * t / tau;  // tau dc/dt = h~: perfect integrator
      } else {
        const Complex decay = std::exp(-t * one_minus / tau);
        c(i) = h_tilde(i) / one_minus * (1.0 - decay) + c0(i) * decay;
      }
    }
    out.col(static_cast<Index>(k)) = (basis.E * c).real();
  }
  return out;
}

}  // namespace rnndyn
