// Periodic orbits: LimitCycleOptions and LimitCycle as classes, find_limit_cycle(model, options)
// with the GIL released.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rnndyn/periodic/limit_cycle.hpp"
#include "rnndyn/periodic/limit_cycle_json.hpp"

namespace rnndyn::python {

void bind_periodic(py::module_& m) {
  bind_text_enum(m, "LimitCycleStatus", "Outcome of find_limit_cycle",
                 {LimitCycleStatus::Found, LimitCycleStatus::FixedPoint, LimitCycleStatus::DampedOscillation,
                  LimitCycleStatus::NotPeriodic, LimitCycleStatus::Diverged});

  py::class_<LimitCycleOptions> o(m, "LimitCycleOptions", R"doc(
Options of find_limit_cycle (include/rnndyn/periodic/limit_cycle.hpp); every default is the C++
one. An array assigned to x0 is copied.)doc");
  o.def(py::init<>())
      .def_readwrite("x0", &LimitCycleOptions::x0,
                     "Initial state; empty (default): the model's own (model file x0), else zeros")
      .def_readwrite("transient", &LimitCycleOptions::transient, "Time discarded before measuring, >= 0")
      .def_readwrite("window", &LimitCycleOptions::window, "Time over which the section is placed, > 0")
      .def_readwrite("max_time", &LimitCycleOptions::max_time, "Further time allowed for the crossings, > 0")
      .def_readwrite("section_unit", &LimitCycleOptions::section_unit, "Section unit; -1: the largest range")
      .def_readwrite("period_tol", &LimitCycleOptions::period_tol, "Relative agreement of successive periods")
      .def_readwrite("equilibrium_tol", &LimitCycleOptions::equilibrium_tol,
                     "Range below this (times 1 + |x|_inf): settled on a fixed point")
      .def_readwrite("abs_tol", &LimitCycleOptions::abs_tol, "Absolute tolerance of Dormand-Prince 5(4)")
      .def_readwrite("rel_tol", &LimitCycleOptions::rel_tol, "Relative tolerance of Dormand-Prince 5(4)")
      .def_readwrite("blowup", &LimitCycleOptions::blowup, "|x|_inf above this stops the search (diverged)")
      .def("validate", &LimitCycleOptions::validate, "Raises ValueError naming a bad field");
  def_copy<LimitCycleOptions>(o);

  py::class_<LimitCycle> r(m, "LimitCycle", R"doc(
Result of find_limit_cycle: period, range, section point and Floquet multipliers (complex).
Array attributes are numpy copies; to_dict() is the CLI's JSON.)doc");
  def_readonly_copy(r, "status", &LimitCycle::status, "LimitCycleStatus");
  def_readonly_copy(r, "period", &LimitCycle::period, "Period T (found) or 2 pi / Im lambda (damped)");
  def_readonly_copy(r, "x0", &LimitCycle::x0, "The state the search started from");
  def_readonly_copy(r, "x_min", &LimitCycle::x_min, "Smallest value of each unit over the last period");
  def_readonly_copy(r, "x_max", &LimitCycle::x_max, "Largest value of each unit over the last period");
  def_readonly_copy(r, "amplitude", &LimitCycle::amplitude, "(x_max - x_min) / 2");
  def_readonly_copy(r, "section_unit", &LimitCycle::section_unit, "Unit u of the section F_u = 0");
  def_readonly_copy(r, "section_level", &LimitCycle::section_level, "x_u at the last crossing");
  def_readonly_copy(r, "section_point", &LimitCycle::section_point, "The last crossing of the section");
  def_readonly_copy(r, "crossings", &LimitCycle::crossings, "Section crossings seen");
  def_readonly_copy(r, "period_change", &LimitCycle::period_change, "|T_k - T_{k-1}| / T_k at acceptance");
  def_readonly_copy(r, "decay_per_period", &LimitCycle::decay_per_period, "Damped: ratio per period; else 1");
  def_readonly_copy(r, "monodromy", &LimitCycle::monodromy, "Phi(T) (empty unless found)");
  def_readonly_copy(r, "floquet_multipliers", &LimitCycle::floquet_multipliers,
                    "Eigenvalues of Phi(T) by decreasing modulus (complex)");
  def_readonly_copy(r, "trivial_multiplier_error", &LimitCycle::trivial_multiplier_error, "min |mu - 1|");
  def_readonly_copy(r, "options", &LimitCycle::options, "The LimitCycleOptions it ran with");
  def_run_info<LimitCycle>(r);
  def_to_dict<LimitCycle>(r);

  def_with_progress(m, "find_limit_cycle", &find_limit_cycle,
                    "The limit cycle reached from options.x0 by simulation and Poincare section (see rnndyn "
                    "limit-cycle); progress: None, or a callable taking an rnndyn.Progress (return False to stop).");
}

}  // namespace rnndyn::python
