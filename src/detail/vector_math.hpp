// Whole-array kernels of the numeric search's inner loop. all_finite: Eigen's allFinite() compares
// x - x with itself and took 5.2 us on a 128 x 128 Jacobian, more than a product with it (1.4 us),
// and the dogleg checks each Jacobian twice; a sum of x * 0 over four accumulators (NaN as soon as
// one entry is inf or NaN) takes 2.1 us.
//
// Elementwise exp over a whole array on the machine's widest vector unit. The library is built
// without -march (a wheel must run on any x86-64), so Eigen's own exp is SSE2, and for an array
// expression with a broadcast bias (a block plus a Replicate) Eigen falls back to libm's scalar
// exp, one call per element: 9-14 % of a GRU(128) numeric search went there (the memory times step
// 64 orbits 10^4 times, bench/README.md). glibc's vector math library (libmvec, glibc >= 2.22)
// has a 4-wide AVX2 exp, chosen here at run time when the CPU has AVX2 and FMA.
#pragma once

#include "rnndyn/core/types.hpp"

namespace rnndyn::detail {

/// x[i] <- exp(x[i]) for i < n: libmvec's AVX2 exp (at most 4 ulp, glibc's manual) where the CPU
/// has AVX2 and FMA, libm's exp otherwise. Overflow gives inf, NaN stays NaN, as std::exp.
void exp_in_place(double* x, Index n);

/// Whether every x[i], i < n, is finite.
bool all_finite(const double* x, Index n);
template <class Dense>
bool all_finite(const Dense& m) {
  return all_finite(m.data(), m.size());
}

}  // namespace rnndyn::detail
