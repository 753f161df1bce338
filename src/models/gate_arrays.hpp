// Logistic and tanh of whole blocks of gate pre-activations, for the batched cell steps
// (Model::evaluate_batch of the GRU and LSTM).
#pragma once

#include <Eigen/Core>

#include "../detail/vector_math.hpp"

namespace rnndyn::detail {

/// sigma(a) = 1 / (1 + e^-a) elementwise. The argument is evaluated into a plain array first and its
/// exp taken by detail::exp_in_place (AVX2 where the CPU has it): on the expression itself (a
/// block plus a broadcast bias) Eigen would call libm's scalar exp per element, and its own SSE2
/// exp measured slower than libm's (bench/README.md, tenth session). Exact to a few ulp, like the
/// scalar form in evaluate().
template <typename Derived>
Eigen::ArrayXXd logistic(const Eigen::ArrayBase<Derived>& a) {
  Eigen::ArrayXXd e = -a;
  exp_in_place(e.data(), e.size());
  return (1.0 + e).inverse();
}

/// tanh(a) = sign(a) (1 - e) / (1 + e) with e = exp(-2 |a|) elementwise: no overflow for any a,
/// absolute error a few ulp of 1 (relative error grows only for |a| < 1e-8, where tanh(a) ~ a is
/// below 1e-8 anyway). Eigen's own tanh is vectorised for float only.
template <typename Derived>
Eigen::ArrayXXd tanh_fast(const Eigen::ArrayBase<Derived>& a) {
  const Eigen::ArrayXXd x = a;
  Eigen::ArrayXXd e = -2.0 * x.abs();
  exp_in_place(e.data(), e.size());
  return x.sign() * (1.0 - e) / (1.0 + e);
}

}  // namespace rnndyn::detail
