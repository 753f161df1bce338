// Nyquist winding of G^OL(i omega) around 1 (seed 003); see nyquist.hpp.
#include "rnndyn/reservoir/nyquist.hpp"

#include <cmath>
#include <limits>

#include "rnndyn/core/errors.hpp"

namespace rnndyn {

void NyquistOptions::validate() const {
  if (!(omega_min > 0.0)) throw InputError("omega_min", "must be > 0");
  if (!(omega_max > omega_min)) throw InputError("omega_max", "must be > omega_min");
  if (initial_points < 8) throw InputError("initial_points", "must be >= 8");
  if (!(max_angle_step > 0.0 && max_angle_step <= 1.0)) throw InputError("max_angle_step", "must be in (0, 1]");
  if (max_evaluations < 0) throw InputError("max_evaluations", "must be >= 0");
}

namespace {

/// Principal difference of arguments of (b - 1) and (a - 1), in (-pi, pi].
double angle_step(Complex a, Complex b) { return std::arg((b - 1.0) / (a - 1.0)); }

struct Walker {
  const std::function<Complex(double)>& gain;
  const NyquistOptions& o;
  NyquistResult& r;
  double total = 0.0;

  Complex eval(double w) {
    ++r.evaluations;
    const Complex g = gain(w);
    r.min_distance = std::min(r.min_distance, std::abs(g - 1.0));
    return g;
  }
  /// Adds the unwrapped change of arg(G - 1) on [wa, wb], bisecting while the step is too large.
  void segment(double wa, Complex ga, double wb, Complex gb, int depth) {
    const double d = angle_step(ga, gb);
    if (std::abs(d) <= o.max_angle_step || depth > 60 || wb - wa <= 1e-14 * std::max(1.0, wb)) {
      total += d;
      return;
    }
    if (r.evaluations >= o.max_evaluations) {
      r.resolved = false;
      total += d;
      return;
    }
    const double wm = wa > 0.0 ? std::sqrt(wa * wb) : 0.5 * (wa + wb);
    const Complex gm = eval(wm);
    segment(wa, ga, wm, gm, depth + 1);
    segment(wm, gm, wb, gb, depth + 1);
  }
};

}  // namespace

NyquistResult nyquist_criterion(const std::function<Complex(double)>& gain, int open_loop_unstable,
                                const NyquistOptions& o) {
  o.validate();
  NyquistResult r;
  r.open_loop_unstable = open_loop_unstable;
  r.min_distance = std::numeric_limits<double>::infinity();
  Walker walk{gain, o, r};
  double w_prev = 0.0;
  Complex g_prev = walk.eval(0.0);
  const double ratio = std::log(o.omega_max / o.omega_min) / (o.initial_points - 1);
  for (int i = 0; i < o.initial_points; ++i) {
    const double w = o.omega_min * std::exp(ratio * i);
    const Complex g = walk.eval(w);
    walk.segment(w_prev, g_prev, w, g, 0);
    w_prev = w;
    g_prev = g;
  }
  // Beyond omega_max, |G| < 1 keeps G - 1 inside the unit disk about -1, so the remaining change
  // of argument up to G(inf) = 0 is the principal one.
  if (std::abs(g_prev) >= 1.0) r.resolved = false;
  walk.total += angle_step(g_prev, Complex(0.0, 0.0));
  const int ccw = static_cast<int>(std::lround(walk.total / M_PI));
  r.encirclements = -ccw;
  r.unstable_poles = r.encirclements + open_loop_unstable;
  r.stable = r.unstable_poles == 0 && r.min_distance > 1e-12;
  return r;
}

}  // namespace rnndyn
