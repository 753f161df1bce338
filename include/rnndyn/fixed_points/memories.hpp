#pragma once
/// Memories found from simulation (issue 33): the places where the network's own orbits dwell.
///
/// A trained network keeps a memory where its orbits, started at the states it visits, stay for a
/// long time: a stable fixed point, a slow point, or a stretch of a slow manifold where q(x) has
/// no minimum at all (a GRU whose update gate is nearly closed drifts there for hundreds of
/// steps). Minimising q finds the first two; the third only shows in the orbits. So:
///
///  1. orbits: from `orbits` distinct data states (repeated rows count once; picked by a
///     fixed-seed shuffle, so the census is reproducible), the network is run for `steps`
///     samples: maps step by step, flows sampled every `dt`;
///  2. slow samples: a sample x_t is slow when the network moves there at most as fast as at a
///     slow point, |R(x_t)| <= v* = sqrt(2 slow_q_threshold), the search's own threshold
///     (slow_q_relative x the median q of the data: a tenth of the data's median speed by
///     default); R = F(x) - x for maps (|x_{t+1} - x_t|), R = f(x) for flows;
///  3. places: the slow samples are grouped by leader clustering in order of increasing speed:
///     the slowest sample not yet grouped starts a place, and every slow sample within `radius`
///     of it joins (radius 0: a tenth of the data's mean distance from their centroid);
///  4. a place is a memory when the orbits spent at least `min_share` of all their samples in
///     it. Its dwell is the time spent there by all orbits together (maps: steps; flows: time);
///     mean_visit = dwell / n_orbits is how long one orbit that comes there stays (a lower bound
///     where orbits are still there at the end of the run).
///
/// What it is not: a proof. A memory is a place the orbits from the data visit slowly within the
/// simulated span; a memory that none of the orbits reaches, or one they reach only after
/// `steps`, is missed, and a place can be slow only for a while (a ghost). Each memory says which
/// fixed or slow point of the search lies within `radius` of it, if any.
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

struct MemoryOptions {
  /// Find memories from simulation when the search has reference data. Default true.
  bool enabled = true;
  /// Orbits run from distinct data states, >= 1 (fewer when the data have fewer). Default 64.
  int orbits = 64;
  /// Samples per orbit, >= 1 (maps: steps). Default 500.
  int steps = 500;
  /// Flows: time between samples, > 0 (maps: ignored). Default 1.
  double dt = 1.0;
  /// Radius of a place, >= 0; 0 (default): 0.1 x the data's mean distance from their centroid.
  double radius = 0.0;
  /// Smallest share of all samples spent in a place for it to count as a memory, in [0, 1].
  /// Default 0.01.
  double min_share = 0.01;

  /// Throws InputError naming the field (memories.<name>).
  void validate() const;
};

template <>
struct Description<MemoryOptions> {
  static constexpr auto fields = std::make_tuple(
      field("enabled", &MemoryOptions::enabled,
            "With data: look for memories (places where orbits from the data dwell)", "!--no-memories"),
      field("orbits", &MemoryOptions::orbits, "Memories: orbits run from data states, >= 1", "--memory-orbits"),
      field("steps", &MemoryOptions::steps, "Memories: samples per orbit (maps: steps), >= 1", "--memory-steps"),
      field("dt", &MemoryOptions::dt, "Memories, flows: time between samples, > 0", "--memory-dt"),
      field("radius", &MemoryOptions::radius,
            "Memories: radius of a place (0: 0.1 x the data's mean distance from their centroid), >= 0",
            "--memory-place-radius"),
      field("min_share", &MemoryOptions::min_share,
            "Memories: smallest share of the orbits' time spent in a place for it to count, in [0, 1]",
            "--memory-min-share"));
};

/// One memory: a place where the orbits dwell (header comment).
struct Memory {
  Vector x;                 ///< the slowest sample of the place (its centre)
  double speed = 0.0;       ///< |R| there (maps: per step; flows: per unit time)
  double dwell = 0.0;       ///< time all orbits spent in the place together (maps: steps; flows: time)
  double share = 0.0;       ///< dwell over the time simulated by all orbits
  int n_orbits = 0;         ///< orbits that came there
  double mean_visit = 0.0;  ///< dwell / n_orbits
  int fixed_point = -1;     ///< index of the search's nearest fixed point within the radius, else -1
  int slow_point = -1;      ///< index of the nearest slow point within the radius (when no fixed point is), else -1
};

/// What the memory census did, and its memories sorted by dwell (largest first).
struct MemoryCensus {
  std::vector<Memory> memories;
  int orbits = 0;                ///< orbits run
  int steps = 0;                 ///< samples per orbit
  double radius = 0.0;           ///< radius used
  double speed_threshold = 0.0;  ///< v* = sqrt(2 slow_q_threshold)
  double slow_share = 0.0;       ///< share of all samples that were slow
  int places = 0;                ///< places found before the min_share cut
};

/// The census of `model` from orbits started at rows of `data` (header comment), with the slow
/// speed threshold v* (> 0). Points of `fixed` and `slow` (may be empty) within the radius of a
/// memory are named by index. Throws InputError on bad options; Interrupted on Ctrl-C.
MemoryCensus find_memories(const Model& model, const Matrix& data, double speed_threshold, const MemoryOptions& options,
                           const std::vector<Vector>& fixed = {}, const std::vector<Vector>& slow = {});

}  // namespace rnndyn
