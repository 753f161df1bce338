// exp_in_place: see vector_math.hpp.
#include "vector_math.hpp"

#include <cmath>

#if defined(__x86_64__) && defined(__GLIBC__)
#include <immintrin.h>
// libmvec's 4-wide double exp for AVX2 (the x86-64 vector ABI's name: 'd' = AVX2, N4 = 4 lanes,
// v = one vector argument). Exported by libmvec.so.1 since glibc 2.22.
extern "C" __attribute__((target("avx2"))) __m256d _ZGVdN4v_exp(__m256d x);
#define RNNDYN_HAVE_MVEC 1
#endif

namespace rnndyn::detail {
namespace {

void exp_scalar(double* x, Index n) {
  for (Index i = 0; i < n; ++i) x[i] = std::exp(x[i]);
}

#ifdef RNNDYN_HAVE_MVEC
__attribute__((target("avx2,fma"))) void exp_avx2(double* x, Index n) {
  Index i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(x + i, _ZGVdN4v_exp(_mm256_loadu_pd(x + i)));
  exp_scalar(x + i, n - i);
}

bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

}  // namespace

bool all_finite(const double* x, Index n) {
  // x * 0 is 0 for finite x and NaN for inf and NaN; four sums let the compiler vectorise without
  // reassociating (the order of the additions does not matter for a 0-or-NaN result).
  double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
  Index i = 0;
  for (; i + 4 <= n; i += 4) {
    a0 += x[i] * 0.0;
    a1 += x[i + 1] * 0.0;
    a2 += x[i + 2] * 0.0;
    a3 += x[i + 3] * 0.0;
  }
  for (; i < n; ++i) a0 += x[i] * 0.0;
  return a0 + a1 + a2 + a3 == 0.0;
}

void exp_in_place(double* x, Index n) {
#ifdef RNNDYN_HAVE_MVEC
  static const bool avx2 = cpu_has_avx2();
  if (avx2) {
    exp_avx2(x, n);
    return;
  }
#endif
  exp_scalar(x, n);
}

}  // namespace rnndyn::detail
