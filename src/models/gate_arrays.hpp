// Logistic and tanh of whole blocks of gate pre-activations, for the batched cell steps
// (Model::evaluate_batch of the GRU and LSTM).
#pragma once

#include <Eigen/Core>

namespace rnndyn::detail {

/// sigma(a) = 1 / (1 + e^-a) elementwise, by Eigen's vectorised exp (SSE2/AVX packets). libm's scalar
/// exp and tanh were the larger part of a batched GRU(128) step: the memory times of the numeric
/// search step 640,000 states. Exact to a few ulp, like the scalar form in evaluate().
template <typename Derived>
Eigen::ArrayXXd logistic(const Eigen::ArrayBase<Derived>& a) {
  return (1.0 + (-a).exp()).inverse();
}

/// tanh(a) = sign(a) (1 - e) / (1 + e) with e = exp(-2 |a|) elementwise: no overflow for any a,
/// absolute error a few ulp of 1 (relative error grows only for |a| < 1e-8, where tanh(a) ~ a is
/// below 1e-8 anyway). Eigen's own tanh is vectorised for float only.
template <typename Derived>
Eigen::ArrayXXd tanh_fast(const Eigen::ArrayBase<Derived>& a) {
  const Eigen::ArrayXXd e = (-2.0 * a.abs()).exp();
  return a.sign() * (1.0 - e) / (1.0 + e);
}

}  // namespace rnndyn::detail
