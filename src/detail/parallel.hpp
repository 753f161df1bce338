// One parallel loop over independent items for the analyses (parameter scan cells, memory-time
// orbits, memory-census orbits, perturbation samples, basin starts).
#pragma once

#include <omp.h>

#include <atomic>
#include <cstdint>
#include <exception>

namespace rnndyn::detail {

/// body(i) for i in [0, n) on `threads` OpenMP threads (<= 0: OpenMP's default), dynamically
/// scheduled one item at a time; an item is not begun once stop() is true. An exception may not
/// leave an OpenMP region: the first one thrown is kept, the items not yet begun are skipped, and
/// it is rethrown after the region.
template <class Stop, class Body>
void parallel_for_each(std::int64_t n, int threads, Stop&& stop, Body&& body) {
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  const int team = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(team)
  for (std::int64_t i = 0; i < n; ++i) {
    if (failed.load(std::memory_order_relaxed) || stop()) continue;
    try {
      body(i);
    } catch (...) {
#pragma omp critical(rnndyn_parallel_for_each_error)
      if (!error) error = std::current_exception();
      failed.store(true, std::memory_order_relaxed);
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace rnndyn::detail
