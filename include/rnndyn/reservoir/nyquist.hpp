#pragma once
/// Nyquist criterion for the positive-feedback loop of seed 003 (G^CL = G^OL / (1 - G^OL), eq. 7).
///
/// The closed-loop poles are the zeros of 1 - G^OL(s). With P open-loop poles in Re s > 0, the
/// number of closed-loop poles there is Z = N_cw + P, where N_cw is the number of clockwise
/// encirclements of the point 1 + 0i by G^OL(i omega), omega from -inf to +inf. (The seed's
/// text says "0 + 1i"; for this sign convention the critical point is +1, the "0 + 1i" is a typo
/// for the point (1, 0) marked in its figures.) By conjugate symmetry G(-i omega) = conj G(i omega),
/// so N_ccw = Delta/pi with Delta the unwrapped change of arg(G - 1) over omega in [0, inf).
#include <functional>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/types.hpp"

namespace rnndyn {

struct NyquistOptions {
  /// Smallest positive frequency of the initial log grid (> 0). Default 1e-4.
  double omega_min = 1e-4;
  /// Largest frequency (> omega_min); beyond it |G| < 1 must hold (checked). Default 1e4.
  double omega_max = 1e4;
  /// Points of the initial log grid, >= 8. Default 400.
  int initial_points = 400;
  /// Largest allowed change of arg(G - 1) between neighbouring points (rad), (0, 1]. Default 0.2.
  double max_angle_step = 0.2;
  /// Cap on evaluations of G added by refinement, >= 0. Default 200000.
  int max_evaluations = 200000;
  void validate() const;
};

struct NyquistResult {
  int encirclements = 0;       ///< N_cw: clockwise encirclements of 1 over omega in (-inf, inf)
  int open_loop_unstable = 0;  ///< P (input)
  int unstable_poles = 0;      ///< Z = N_cw + P
  bool stable = true;          ///< Z == 0 and the curve stays off the critical point
  double min_distance = 0.0;   ///< min |G(i omega) - 1| on the evaluated points
  int evaluations = 0;
  bool resolved = true;  ///< false if the refinement cap was hit or |G(i omega_max)| >= 1
};

/// The fields of the options and of the result (core/describe.hpp); no CLI flags.
template <>
struct Description<NyquistOptions> {
  using O = NyquistOptions;
  static constexpr auto fields = std::make_tuple(
      field("omega_min", &O::omega_min, "Smallest positive frequency of the initial log grid, > 0"),
      field("omega_max", &O::omega_max, "Largest frequency, > omega_min; |G| < 1 beyond it (checked)"),
      field("initial_points", &O::initial_points, "Points of the initial log grid, >= 8"),
      field("max_angle_step", &O::max_angle_step,
            "Largest change of arg(G - 1) between neighbouring points (rad), in (0, 1]"),
      field("max_evaluations", &O::max_evaluations, "Cap on evaluations of G added by refinement, >= 0"));
};

template <>
struct Description<NyquistResult> {
  using R = NyquistResult;
  static constexpr auto fields = std::make_tuple(
      field("encirclements", &R::encirclements, "N_cw: clockwise encirclements of 1 over omega in (-inf, inf)"),
      field("open_loop_unstable", &R::open_loop_unstable, "P: open-loop poles in Re s > 0 (given)"),
      field("unstable_poles", &R::unstable_poles, "Z = N_cw + P"),
      field("stable", &R::stable, "Z == 0 and the curve stays off the critical point"),
      field("min_distance", &R::min_distance, "min |G(i omega) - 1| on the evaluated points"),
      field("evaluations", &R::evaluations, "Evaluations of G"),
      field("resolved", &R::resolved, "False if the refinement cap was hit or |G(i omega_max)| >= 1"));
};

/// Winding of G(i omega) around 1; `gain(omega)` returns G at s = i omega.
NyquistResult nyquist_criterion(const std::function<Complex(double)>& gain, int open_loop_unstable = 0,
                                const NyquistOptions& options = {});

}  // namespace rnndyn
