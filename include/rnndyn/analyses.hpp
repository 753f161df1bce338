#pragma once
/// The registry of analyses: one row per question rnndyn answers. The CLI registers each
/// subcommand under its row's command and help line, the Python module lists the rows
/// (`rnndyn.analyses()`), every result's JSON carries the row's name under "analysis" (written by
/// the edges' encoder, io/json_utils.hpp `with_analysis`), and the report and the plots dispatch on
/// that name. tests/test_analyses.cpp checks the umbrella header against the rows,
/// tests/python/test_analyses_registry.py the CLI and the Python package (both directions).
#include <array>
#include <stdexcept>
#include <string_view>

namespace rnndyn {

struct Analysis {
  std::string_view name;        ///< the JSON's "analysis"; what the report and the plots dispatch on
  std::string_view cli;         ///< the CLI subcommand that runs it (first word), with its switch if any
  std::string_view python;      ///< the function of the rnndyn Python package
  std::string_view front_door;  ///< the C++ library call
  std::string_view header;      ///< the front door's header, under include/rnndyn/
  std::string_view json;        ///< the header declaring to_json of its result (io/describe_json.hpp: described)
  std::string_view result;      ///< the result struct
  std::string_view options;     ///< its options struct (C++ name; Python binds PlCycleOptions as CycleOptions)
  std::string_view variant;     ///< for a result several rows share: its `kind` that selects this row
  std::string_view summary;     ///< one line: the CLI's help line of the subcommand
};

// clang-format off
inline constexpr std::array<Analysis, 18> kAnalyses{{
  {"fixed-points", "fixed-points", "find_fixed_points", "find_fixed_points", "fixed_points/fixed_points.hpp",
   "fixed_points/fixed_points_json.hpp", "FixedPointResult", "FixedPointOptions", "",
   "All fixed points: exact region enumeration for piecewise-linear models, numeric search for smooth ones"},
  {"cycles", "fixed-points --cycles", "find_cycles", "find_cycles", "piecewise_linear/piecewise_linear_cycles.hpp",
   "io/describe_json.hpp", "PlCycles", "PlCycleOptions", "",
   "k-cycles of piecewise-linear maps, exact or by sampling"},
  {"continue", "continue", "continuation", "continue_fixed_points", "continuation/continuation.hpp",
   "io/describe_json.hpp", "ContinuationResult", "ContinuationOptions", "",
   "Follow fixed points in one parameter (pseudo-arclength); report folds, Hopf points, border collisions"},
  {"continue-cycles", "continue-cycles", "continue_limit_cycles", "continue_limit_cycles",
   "continuation/cycle_continuation.hpp", "io/describe_json.hpp", "LimitCycleContinuationResult", "LimitCycleContinuationOptions", "",
   "Follow limit cycles of a flow (shooting) or k-cycles of a piecewise-linear map (exact) in one parameter: period, "
   "multipliers, min/max; report cycle folds, period doubling, Neimark-Sacker, border collisions"},
  {"scan", "scan", "scan_parameters", "scan_parameters", "continuation/parameter_scan.hpp",
   "io/describe_json.hpp", "ParameterScanResult", "ParameterScanOptions", "",
   "Count the fixed points (and, for piecewise-linear maps, the k-cycles) of every cell of a parameter grid by "
   "stability (a two-parameter bifurcation map)"},
  {"hopf-curve", "hopf-curve", "continue_hopf_curve", "continue_hopf_curve", "continuation/hopf_curve.hpp",
   "io/describe_json.hpp", "HopfCurveResult", "HopfCurveOptions", "hopf",
   "Follow a Hopf curve in a parameter plane (pseudo-arclength on Re lambda = 0, or |lambda| = 1 for maps)"},
  {"fold-curve", "fold-curve", "continue_fold_curve", "continue_hopf_curve", "continuation/hopf_curve.hpp",
   "io/describe_json.hpp", "HopfCurveResult", "HopfCurveOptions", "fold",
   "Follow a fold (saddle-node) curve in a parameter plane: the augmented system F(x, p) - delta x = 0 with a "
   "bordered test function, by pseudo-arclength in (x, p); smooth models"},
  {"border-curve", "border-curve", "continue_border_curve", "continue_hopf_curve", "continuation/hopf_curve.hpp",
   "io/describe_json.hpp", "HopfCurveResult", "HopfCurveOptions", "border_collision",
   "Follow a border-collision curve of a piecewise-linear model in a parameter plane: where the fixed point found "
   "nearest the start along the second parameter sits on a unit's kink"},
  {"limit-cycle", "limit-cycle", "limit_cycle", "find_limit_cycle", "periodic/limit_cycle.hpp",
   "io/describe_json.hpp", "LimitCycle", "LimitCycleOptions", "",
   "Find a limit cycle by simulation and Poincare section: period, amplitude, Floquet multipliers"},
  {"lyapunov", "lyapunov", "lyapunov", "lyapunov_spectrum", "lyapunov/lyapunov.hpp", "io/describe_json.hpp",
   "LyapunovSpectrum", "LyapunovOptions", "",
   "First K Lyapunov exponents by QR reorthonormalisation, with confidence intervals"},
  {"perturb", "perturb", "perturb", "perturb", "perturbation/perturbation.hpp", "io/describe_json.hpp",
   "PerturbResult", "PerturbOptions", "",
   "Classify random perturbations of a piecewise-linear network by their fixed points"},
  {"basins", "basins", "basins", "basins", "basins/basins.hpp", "io/describe_json.hpp", "BasinsResult", "BasinsOptions", "",
   "Basins of attraction: which attractor each start reaches, shares with Wilson intervals, saddle graph"},
  {"mft", "mft", "mean_field", "solve_mean_field", "reservoir/mean_field.hpp", "reservoir/reservoir_json.hpp",
   "MeanFieldResult", "MeanFieldOptions", "",
   "Mean-field theory of a reservoir trained to fixed points (seed 003): sigma^2, beta_0, beta_1, closed-loop "
   "poles, Nyquist verdict, G_OL"},
  {"reservoir", "reservoir", "reservoir", "analyze_reservoir", "reservoir/reservoir_analysis.hpp",
   "reservoir/reservoir_json.hpp", "ReservoirExperiment", "ReservoirExperimentOptions", "",
   "Train a random reservoir with output feedback to fixed points and compare its spectrum and G_OL with the "
   "mean-field theory (seed 003)"},
  {"simulate", "simulate", "simulate", "simulate", "simulate/simulate.hpp", "io/describe_json.hpp", "Trajectory", "SimulateOptions", "",
   "Integrate a flow (Dormand-Prince 5(4)) or iterate a map from x0"},
  {"response", "response", "response", "measure_response", "simulate/response.hpp", "io/describe_json.hpp",
   "ResponseResult", "ResponseOptions", "",
   "Transfer function G(omega) = Z/S of the readout z over one input channel, by simulation"},
  {"linearize", "linearize", "linearize", "linearize", "linearize/linearize.hpp", "io/describe_json.hpp",
   "Linearization", "LinearizeOptions", "",
   "Jacobian, eigenvalues/eigenvectors and stability class at a point"},
  {"linear", "linear", "analyze_linear", "analyze_linear_network", "linear/linear_network.hpp", "io/describe_json.hpp",
   "LinearNetworkAnalysis", "LinearNetworkOptions", "",
   "Linear network tau dv/dt = -v + M v + h: modes, amplification 1/(1-lambda), steady state, verdict"},
}};
// clang-format on

/// CLI subcommands that are tools, not analyses: they read results or run many analyses.
inline constexpr std::array<std::string_view, 2> kCliTools{{"report", "sweep"}};

/// The row named `name`, or nullptr.
constexpr const Analysis* find_analysis(std::string_view name) {
  for (const Analysis& a : kAnalyses)
    if (a.name == name) return &a;
  return nullptr;
}

/// The row whose result struct is `result` with `variant` (a shared result's kind, else ""), or
/// nullptr: how a result that several analyses share (HopfCurveResult) finds its name.
constexpr const Analysis* find_analysis_of(std::string_view result, std::string_view variant = "") {
  for (const Analysis& a : kAnalyses)
    if (a.result == result && a.variant == variant) return &a;
  return nullptr;
}

/// The row named `name`; a name missing from the registry is a programming error, caught at
/// compile time where `name` is a constant expression.
constexpr const Analysis& analysis(std::string_view name) {
  const Analysis* a = find_analysis(name);
  return a ? *a : throw std::logic_error("rnndyn::analysis: not a registered analysis");
}

/// The row of a result struct of `variant` (find_analysis_of); std::logic_error if none.
constexpr const Analysis& analysis_of(std::string_view result, std::string_view variant = "") {
  const Analysis* a = find_analysis_of(result, variant);
  return a ? *a : throw std::logic_error("rnndyn::analysis_of: no registered analysis has this result");
}

}  // namespace rnndyn
