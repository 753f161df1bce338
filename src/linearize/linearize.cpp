#include "rnndyn/linearize/linearize.hpp"

#include <algorithm>
#include <numeric>

#include "../detail/checks.hpp"
#include "../detail/dense_lapack.hpp"

namespace rnndyn {

std::string to_string(StabilityClass s) {
  switch (s) {
    case StabilityClass::StableNode:
      return "stable node";
    case StabilityClass::StableFocus:
      return "stable focus";
    case StabilityClass::Saddle:
      return "saddle";
    case StabilityClass::UnstableNode:
      return "unstable node";
    case StabilityClass::UnstableFocus:
      return "unstable focus";
    case StabilityClass::NonHyperbolic:
      return "non-hyperbolic";
  }
  return "?";
}

Stability classify_spectrum(const ComplexVector& eigenvalues, TimeKind time, const StabilityOptions& options) {
  Stability s;
  bool complex_pair = false;
  for (Index i = 0; i < eigenvalues.size(); ++i) {
    const Complex l = eigenvalues(i);
    // Signed distance to the stability boundary: Re(lambda) for flows, |lambda| - 1 for maps.
    const double d = time == TimeKind::Flow ? l.real() : std::abs(l) - 1.0;
    if (std::abs(d) <= options.marginal_tol)
      ++s.n_marginal;
    else if (d < 0)
      ++s.n_stable;
    else
      ++s.n_unstable;
    // For maps a negative real eigenvalue also makes the approach oscillate, but we follow the
    // usual naming: focus means a complex pair.
    if (std::abs(l.imag()) > options.imag_tol) complex_pair = true;
  }
  if (s.n_marginal > 0)
    s.type = StabilityClass::NonHyperbolic;
  else if (s.n_unstable == 0)
    s.type = complex_pair ? StabilityClass::StableFocus : StabilityClass::StableNode;
  else if (s.n_stable == 0)
    s.type = complex_pair ? StabilityClass::UnstableFocus : StabilityClass::UnstableNode;
  else
    s.type = StabilityClass::Saddle;
  return s;
}

EigenDecomposition eigen_decompose(const Matrix& J, TimeKind time) {
  EigenDecomposition out;
  if (J.rows() == 0) return out;
  ComplexVector values;
  ComplexMatrix vectors;
  // From kBlasMinDim on, LAPACK (6x faster at N = 500, dense_lapack.hpp); Eigen where it fails.
  const bool large = J.rows() >= detail::kBlasMinDim;
  if (J.isApprox(J.transpose(), 1e-14)) {
    Vector w;
    Matrix v;
    if (large && detail::symmetric_eigen(J, w, v)) {
      values = w.cast<Complex>();
      vectors = v.cast<Complex>();
    } else {
      Eigen::SelfAdjointEigenSolver<Matrix> es(J);
      values = es.eigenvalues().cast<Complex>();
      vectors = es.eigenvectors().cast<Complex>();
    }
  } else if (!large || !detail::general_eigen(J, values, vectors)) {
    Eigen::EigenSolver<Matrix> es(J);
    values = es.eigenvalues();
    vectors = es.eigenvectors();
  }
  std::vector<Index> order(static_cast<size_t>(values.size()));
  std::iota(order.begin(), order.end(), 0);
  const auto key = [&](Index i) { return time == TimeKind::Flow ? values(i).real() : std::abs(values(i)); };
  // Ties (conjugate pairs) put the positive imaginary part first, so the order is reproducible.
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) {
    if (key(a) != key(b)) return key(a) > key(b);
    return values(a).imag() > values(b).imag();
  });
  out.eigenvalues.resize(values.size());
  out.eigenvectors.resize(J.rows(), values.size());
  for (size_t k = 0; k < order.size(); ++k) {
    out.eigenvalues(static_cast<Index>(k)) = values(order[k]);
    out.eigenvectors.col(static_cast<Index>(k)) = vectors.col(order[k]).normalized();
  }
  return out;
}

void LinearizeOptions::validate() const {
  if (!(stability.marginal_tol >= 0)) throw InputError("stability.marginal_tol", "must be >= 0");
  if (!(stability.imag_tol >= 0)) throw InputError("stability.imag_tol", "must be >= 0");
  if (!(kink_tol >= 0)) throw InputError("kink_tol", "must be >= 0");
  if (max_kink_units < 0 || max_kink_units > 16) throw InputError("max_kink_units", "must be in [0, 16]");
}

Linearization linearize(const Model& model, const LinearizeOptions& options) {
  return linearize(model, model.initial_state_or_zeros(), options);
}

Linearization linearize(const Model& model, const Vector& x, const LinearizeOptions& options) {
  options.validate();
  detail::require_length(x, model.dim(), "x");
  Linearization lin;
  lin.x = x;
  lin.info = {model.kind(), model.time_kind(), 0.0};
  lin.options = options;
  model.evaluate(x, lin.residual, &lin.jacobian);
  if (model.time_kind() == TimeKind::Map) lin.residual -= x;
  lin.residual_norm = lin.residual.norm();
  lin.eigen = eigen_decompose(lin.jacobian, model.time_kind());
  lin.stability = classify_spectrum(lin.eigen.eigenvalues, model.time_kind(), options.stability);

  const auto pl = model.piecewise_linear();
  if (!pl || pl->hidden() == 0) return lin;
  const Vector a = pl->U * x + pl->c;
  std::vector<std::pair<Index, size_t>> kinks;  // (unit, breakpoint index)
  for (Index i = 0; i < pl->hidden(); ++i) {
    const auto bps = pl->units[static_cast<size_t>(i)].breakpoints();
    for (size_t k = 0; k < bps.size(); ++k)
      if (std::abs(a(i) - bps[k]) <= options.kink_tol * std::max(1.0, std::abs(bps[k]))) kinks.emplace_back(i, k);
  }
  if (kinks.empty()) return lin;
  lin.on_switching_boundary = true;
  for (const auto& kink : kinks) lin.kink_units.push_back(kink.first);
  if (static_cast<int>(kinks.size()) > options.max_kink_units) return lin;

  // Pieces of the units away from kinks follow pattern_at; a unit on breakpoint k takes piece k
  // (left) or k + 1 (right).
  const std::vector<int> base = pl->pattern_at(x);
  for (unsigned mask = 0; mask < (1u << kinks.size()); ++mask) {
    OneSidedLinearization side;
    std::vector<int> pattern = base;
    for (size_t q = 0; q < kinks.size(); ++q) {
      const int right = (mask >> q) & 1u;
      side.side.push_back(right);
      pattern[static_cast<size_t>(kinks[q].first)] = static_cast<int>(kinks[q].second) + right;
    }
    side.jacobian = pl->region_map(pattern).matrix;
    side.eigen = eigen_decompose(side.jacobian, model.time_kind());
    side.stability = classify_spectrum(side.eigen.eigenvalues, model.time_kind(), options.stability);
    lin.one_sided.push_back(std::move(side));
  }
  return lin;
}

}  // namespace rnndyn
