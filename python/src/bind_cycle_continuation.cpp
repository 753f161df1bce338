// Continuation of limit cycles in one parameter: LimitCycleContinuationOptions, the result types
// and the front door continue_limit_cycles(model, options).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/continuation/cycle_continuation.hpp"
#include "rnndyn/io/describe_json.hpp"

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
  py::class_<CyclePoint> point(m, "CyclePoint");
  def_described_result<CyclePoint>(point);
  point.def_readonly("direction", &CyclePoint::direction, "Sign of dp/ds at this point");
  py::class_<CycleBranch> branch(m, "CycleBranch");
  def_described_result<CycleBranch>(branch);
  py::class_<CycleBifurcation> bifurcation(m, "CycleBifurcation");
  def_described_result<CycleBifurcation>(bifurcation);
  py::class_<LimitCycleContinuationResult> r(m, "LimitCycleContinuationResult",
                                             "Branches of limit cycles and their bifurcations");
  def_described_result<LimitCycleContinuationResult>(r);
  def_analysis_result<LimitCycleContinuationResult>(r, "continue-cycles");
  def_with_progress(m, "_continue_limit_cycles", &continue_limit_cycles);
}

// After periodic, which binds the LimitCycleOptions its options hold.
const bool registered =
    register_binding("cycle_continuation", &bind_cycle_continuation, {"core", "models", "periodic"});

}  // namespace rnndyn::python
