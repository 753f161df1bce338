// Continuation of limit cycles in one parameter: LimitCycleContinuationOptions, the result types
// and the front door continue_limit_cycles(model, options).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/continuation/cycle_continuation.hpp"
#include "rnndyn/continuation/cycle_continuation_json.hpp"

namespace rnndyn::python {
namespace {

void bind_options(py::module_& m) {
  using O = LimitCycleContinuationOptions;
  // 'from' is a Python keyword: the JSON's from and to are from_ and to here (start and stop before).
  py::class_<O> co(m, "LimitCycleContinuationOptions", "Options of limit-cycle continuation (C++ defaults)");
  co.def(py::init<>()).def("__copy__", [](const O& o) { return O(o); });
  def_described_options<O>(co);
  // The start state is x0 here: 'start' was the range's start (now from_) and stays its deprecated
  // name (replacing the described attribute), so it cannot take the JSON's meaning yet.
  co.def_readwrite("x0", &O::start, "A state near a cycle at p = from_ (the JSON's 'start'; empty: Hopf starts)");
  def_deprecated_alias(co, "start", "from_", "Deprecated: from_");
  def_deprecated_alias(co, "stop", "to", "Deprecated: to");
}

}  // namespace

void bind_cycle_continuation(py::module_& m) {
  bind_options(m);
  py::class_<CyclePoint>(m, "CyclePoint")
      .def_readonly("p", &CyclePoint::p)
      .def_readonly("period", &CyclePoint::period)
      .def_readonly("x", &CyclePoint::x)
      .def_readonly("floquet_multipliers", &CyclePoint::floquet_multipliers)
      .def_readonly("trivial_multiplier_error", &CyclePoint::trivial_multiplier_error)
      .def_readonly("stable", &CyclePoint::stable)
      .def_readonly("x_min", &CyclePoint::x_min)
      .def_readonly("x_max", &CyclePoint::x_max)
      .def_readonly("residual", &CyclePoint::residual)
      .def_readonly("direction", &CyclePoint::direction)
      .def_readonly("points", &CyclePoint::points, "Maps: the k points z_1, ..., z_k of the cycle")
      .def_readonly("on_border", &CyclePoint::on_border, "Maps: a point of the cycle on a switching hyperplane");
  py::class_<CycleBranch>(m, "CycleBranch")
      .def_property_readonly("status", [](const CycleBranch& b) { return to_string(b.status); })
      .def_readonly("source", &CycleBranch::source)
      .def_readonly("source_p", &CycleBranch::source_p)
      .def_readonly("start_p", &CycleBranch::start_p)
      .def_readonly("start_status", &CycleBranch::start_status)
      .def_readonly("points", &CycleBranch::points);
  py::class_<CycleBifurcation>(m, "CycleBifurcation")
      .def_property_readonly("type", [](const CycleBifurcation& b) { return to_string(b.type); })
      .def_readonly("parameter", &CycleBifurcation::p, "The parameter value where it occurs")
      .def_readonly("period", &CycleBifurcation::period)
      .def_readonly("branch", &CycleBifurcation::branch)
      .def_readonly("point_index", &CycleBifurcation::point_index)
      .def_readonly("points", &CycleBifurcation::points, "Maps: the cycle there")
      .def_readonly("multipliers", &CycleBifurcation::multipliers, "Maps: its multipliers")
      .def_readonly("unit", &CycleBifurcation::unit, "Border collision: the unit whose hyperplane is hit")
      .def_readonly("breakpoint", &CycleBifurcation::breakpoint, "... and which of its breakpoints")
      .def_readonly("cycle_point", &CycleBifurcation::cycle_point, "... by which point z_j (0-based)")
      .def_readonly("nonsmooth", &CycleBifurcation::nonsmooth, "A fold at a border (maps)");
  py::class_<LimitCycleContinuationResult> r(m, "LimitCycleContinuationResult",
                                             "Branches of limit cycles and their bifurcations");
  r.def_readonly("parameter", &LimitCycleContinuationResult::parameter)
      .def_readonly("branches", &LimitCycleContinuationResult::branches)
      .def_readonly("bifurcations", &LimitCycleContinuationResult::bifurcations)
      .def_readonly("hopf_points", &LimitCycleContinuationResult::hopf_points)
      .def_readonly("message", &LimitCycleContinuationResult::message)
      .def_readonly("options", &LimitCycleContinuationResult::options)
      .def_readonly("info", &LimitCycleContinuationResult::info);
  def_analysis_result<LimitCycleContinuationResult>(r, "continue-cycles");
  def_with_progress(m, "_continue_limit_cycles", &continue_limit_cycles);
}

// After periodic, which binds the LimitCycleOptions its options hold.
const bool registered =
    register_binding("cycle_continuation", &bind_cycle_continuation, {"core", "models", "periodic"});

}  // namespace rnndyn::python
