#pragma once
// The orbit of one start, followed until it enters the error ball of a known attractor or its
// budget ends; then what it recurs on (basins.hpp, steps 2-3). Private to src/basins/.
#include <vector>

#include "rnndyn/basins/basins.hpp"
#include "rnndyn/core/progress.hpp"

namespace rnndyn::detail {

/// A fixed point of the search with the radius of its ball; `attractor` >= 0 for stable ones.
struct Ball {
  Vector x;
  double radius = 0.0;
  double reach = 0.0;  ///< half the distance to the nearest other fixed point (no other one within)
  int attractor = -1;
};

/// What an orbit that reached no ball recurred on (kind empty: nothing, the start is unsettled).
struct Recurrence {
  std::string kind;  ///< "fixed_point", "cycle", "unknown" or empty
  Vector x;          ///< the last state
  Matrix points;     ///< the recorded states on the set (dim x m)
  int period = 0;
  double period_time = 0.0;
  double radius = 0.0;  ///< match radius of the set
  double lyapunov = std::numeric_limits<double>::quiet_NaN();
};

struct OrbitOutcome {
  int label = kBasinUnsettled;  ///< a Ball's attractor, kBasinUnsettled or kBasinDiverged
  double time = 0.0;            ///< time (steps) when the label was decided
  Recurrence recurrence;        ///< filled when the orbit recurred on a set no ball holds
};

/// Follows orbits of one model under one set of options; run() and run_lockstep() are safe to
/// call from OpenMP threads (Model::evaluate and evaluate_batch are const).
class OrbitFollower {
 public:
  OrbitFollower(const Model& model, const BasinsOptions& options, std::vector<Ball> balls);
  /// Follows the orbit of x0; returns early (unsettled) once `stop` is set (Ctrl-C, a callback).
  OrbitOutcome run(const Vector& x0, const Monitor* stop = nullptr) const;
  /// Maps only: the orbits of the columns of X0 (dim x B) stepped in lockstep, one
  /// Model::evaluate_batch per step for those not yet decided (decided ones are dropped); each
  /// outcome is the one run() gives for that start, by the same rules (check()).
  std::vector<OrbitOutcome> run_lockstep(const Matrix& X0, const Monitor* stop = nullptr) const;

 private:
  /// One orbit's stepper state (scratch of maps; step size, state and derivative of flows).
  struct Stepper;
  /// What the rules remember of one orbit between checks: the last step lengths (extrapolation)
  /// and the recorded tail of the budget (recurrence).
  struct Track {
    std::vector<Vector> window;
    std::vector<double> steps;
    Vector prev;
  };
  /// Advances the stepper's state x by one check: one map step, or check_interval of the flow.
  /// False on divergence.
  bool advance(Stepper& s, Vector& x) const;
  /// A map state within the blowup bound (and finite).
  bool bounded(const Vector& x) const;
  /// The per-start rules at check k (x: the state then; k = 0: the start): true, with out's
  /// label and time, when x is in an attractor's ball or converging to one; else x is recorded
  /// when k is in the budget's tail.
  bool check(Track& t, const Vector& x, long k, OrbitOutcome& out) const;
  /// The budget ended without a decision: what the recorded tail recurs on.
  void conclude(const Track& t, OrbitOutcome& out) const;
  int ball_of(const Vector& x, bool stable_only) const;
  /// The attractor a geometrically converging orbit at x must reach (or -1); see check().
  int converging_to(const Vector& x, const std::vector<double>& steps) const;
  Recurrence recurrence(const std::vector<Vector>& window, double t_step) const;
  double largest_lyapunov(const Vector& x0, int checks) const;

  const Model& model_;
  BasinsOptions options_;
  std::vector<Ball> balls_;
  bool map_;
  double step_;       ///< time between two checks: 1 step (maps) or check_interval (flows)
  long checks_;       ///< checks of the budget, ceil(max_time / step_)
  long record_from_;  ///< first check recorded for the recurrence test
};

}  // namespace rnndyn::detail
