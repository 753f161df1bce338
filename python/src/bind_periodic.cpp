// Periodic orbits: LimitCycleOptions and LimitCycle as classes, find_limit_cycle(model, options)
// with the GIL released.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/periodic/limit_cycle.hpp"

namespace rnndyn::python {

void bind_periodic(py::module_& m) {
  bind_text_enum(m, "LimitCycleStatus", "Outcome of find_limit_cycle",
                 {LimitCycleStatus::Found, LimitCycleStatus::FixedPoint, LimitCycleStatus::DampedOscillation,
                  LimitCycleStatus::NotPeriodic, LimitCycleStatus::Diverged});

  py::class_<LimitCycleOptions> o(m, "LimitCycleOptions", R"doc(
Options of find_limit_cycle (include/rnndyn/periodic/limit_cycle.hpp); every default is the C++
one. An array assigned to x0 is copied.)doc");
  o.def(py::init<>()).def("validate", &LimitCycleOptions::validate, "Raises ValueError naming a bad field");
  def_described_options<LimitCycleOptions>(o);
  def_copy<LimitCycleOptions>(o);

  py::class_<LimitCycle> r(m, "LimitCycle", R"doc(
Result of find_limit_cycle: period, range, section point and Floquet multipliers (complex).
Array attributes are numpy copies; to_dict() is the CLI's JSON.)doc");
  def_described_result<LimitCycle>(r);
  def_analysis_result<LimitCycle>(r, "limit-cycle");

  def_with_progress(m, "find_limit_cycle", &find_limit_cycle,
                    "The limit cycle reached from options.x0 by simulation and Poincare section (see rnndyn "
                    "limit-cycle); progress: None, or a callable taking an rnndyn.Progress (return False to stop).");
}

const bool registered = register_binding("periodic", &bind_periodic);

}  // namespace rnndyn::python
