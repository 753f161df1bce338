#pragma once
// Internals of the k-cycle search shared by its methods (piecewise_linear_cycles.cpp: tuples and
// the front door; pl_cycles_pruned.cpp: the pruned search; pl_cycles_heuristic.cpp: SCYFI).
#include <atomic>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "pl_detail.hpp"
#include "pl_regions_list.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"

namespace rnndyn::detail {

struct CycleCandidate {
  std::vector<int> tuple;
  std::vector<Vector> points;
};

struct ContinuumCandidate {
  std::vector<int> tuple;
  PlCycleContinuum c;
};

/// What one thread found; merged in tuple order afterwards so that results do not depend on
/// the thread count.
struct CycleThreadOut {
  std::vector<CycleCandidate> cycles;
  std::vector<ContinuumCandidate> continua;
  std::int64_t examined = 0, degenerate = 0;  // tuples closed, singular consistent ones
  std::int64_t nodes = 0, unexplored = 0;     // pruned search: prefixes visited / left
};

/// Smallest d >= 1 with t[j + d] = t[j] for all j (cyclically); d divides k.
int sequence_period(const std::vector<int>& t);

/// Closes the tuple: Ps[j], qs[j] (j = 0..k) hold the composite map of D_1..D_j. Solves
/// (Ps[k] - I) z_1 = -qs[k] and appends the cycle when the orbit stays in the closed regions, or
/// the continuum when the system is singular and consistent (counted in out.examined/degenerate).
void close_tuple(const PlPrepared& P, const std::vector<PlRegion>& regions, const std::vector<int>& tuple,
                 const std::vector<Matrix>& Ps, const std::vector<Vector>& qs, const PlCycleOptions& o,
                 CycleThreadOut& out);

/// Sign vector (as a string key) -> index into the region list.
using RegionIndex = std::unordered_map<std::string, int>;
RegionIndex index_regions(const std::vector<PlRegion>& regions);
/// Key of a sign vector.
inline std::string sign_key(const std::vector<signed char>& sign) { return std::string(sign.begin(), sign.end()); }

/// Shared state of one budgeted run: prefixes visited by all threads, the deadline, the stop.
struct CycleBudget {
  const PlCycleOptions* options = nullptr;
  Monitor* monitor = nullptr;
  int period = 0;
  std::atomic<std::int64_t> nodes{0};
  std::atomic<int> stopped_by{0};  // 0 running, 1 max_nodes, 2 time_limit, 3 interrupted
  std::atomic<std::int64_t> found{0};
  /// Counts one prefix; returns false once the search must stop. The calling thread (OpenMP
  /// thread 0) also polls the monitor every 4096 prefixes; every thread checks the clock every
  /// 1024, so that the limit holds while thread 0 waits at a barrier.
  bool tick(bool calling_thread);
  bool running() const { return stopped_by.load(std::memory_order_relaxed) == 0; }
};

/// The pruned depth-first search (pl_cycles_pruned.cpp): fills out (one entry per thread) and
/// stops early through `budget`.
void pruned_search(const PlPrepared& P, const std::vector<PlRegion>& regions, int k, const PlCycleOptions& o,
                   CycleBudget& budget, std::vector<CycleThreadOut>& parts);

/// SCYFI-style sampling (pl_cycles_heuristic.cpp); returns the number of systems solved.
std::int64_t heuristic_search(const PlPrepared& P, const std::vector<PlRegion>& regions, int k, const PlCycleOptions& o,
                              Monitor& monitor, CycleThreadOut& out);

/// Chebyshev feasibility LP of {x : a_i . x <= b_i} (pl_chebyshev_lp.cpp): maximises t subject
/// to a_i . x + t |a_i|_1 <= b_i. Returns false when the set is empty beyond doubt, i.e. the best
/// t is below -tol (|x|_inf + max_i |b_i| / |a_i|_1) (scale-invariant); otherwise true with
/// x the maximiser (a point of the set when t >= 0).
bool chebyshev_feasible(const Matrix& A, const Vector& b, double tol, Vector& x, double& t);

}  // namespace rnndyn::detail
