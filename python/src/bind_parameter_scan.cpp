// Two parameters: grid scans (ParameterScanOptions, scan_parameters) and Hopf curves
// (HopfCurveOptions, continue_hopf_curve), with their result types.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rnndyn/continuation/hopf_curve.hpp"
#include "rnndyn/continuation/hopf_curve_json.hpp"
#include "rnndyn/continuation/parameter_scan.hpp"
#include "rnndyn/continuation/parameter_scan_json.hpp"

namespace rnndyn::python {

namespace {

void bind_hopf_curve(py::module_& m) {
  using O = HopfCurveOptions;
  py::class_<O>(m, "HopfCurveOptions", "Options of Hopf-curve continuation (C++ defaults)")
      .def(py::init<>())
      .def("__copy__", [](const O& o) { return O(o); })
      .def_readwrite("kind", &O::kind, "hopf (default), fold or border_collision")
      .def_readwrite("parameter_x", &O::parameter_x)
      .def_readwrite("parameter_y", &O::parameter_y)
      .def_readwrite("x_from", &O::x_from)
      .def_readwrite("x_to", &O::x_to)
      .def_readwrite("y_from", &O::y_from)
      .def_readwrite("y_to", &O::y_to)
      .def_readwrite("start_x", &O::start_x)
      .def_readwrite("start_y", &O::start_y, "moved onto the curve along parameter_y")
      .def_readwrite("x0", &O::x0, "a state near the fixed point at the start (empty: x0 of the model)")
      .def_readwrite("step", &O::step, "step along the curve in box units ([0, 1]^2)")
      .def_readwrite("max_step", &O::max_step)
      .def_readwrite("min_step", &O::min_step)
      .def_readwrite("tol", &O::tol)
      .def_readwrite("max_points", &O::max_points);
  py::class_<HopfCurvePoint>(m, "HopfCurvePoint")
      .def_readonly("px", &HopfCurvePoint::px)
      .def_readonly("py", &HopfCurvePoint::py)
      .def_readonly("x", &HopfCurvePoint::x)
      .def_readonly("omega", &HopfCurvePoint::omega)
      .def_readonly("tau", &HopfCurvePoint::tau);
  py::class_<HopfCurveResult> r(m, "HopfCurveResult", "A Hopf curve in a parameter plane");
  r.def_readonly("kind", &HopfCurveResult::kind)
      .def_readonly("parameter_x", &HopfCurveResult::parameter_x)
      .def_readonly("parameter_y", &HopfCurveResult::parameter_y)
      .def_readonly("points", &HopfCurveResult::points)
      .def_readonly("end_forward", &HopfCurveResult::end_forward)
      .def_readonly("end_backward", &HopfCurveResult::end_backward)
      .def_readonly("status", &HopfCurveResult::status)
      .def_readonly("guarantee", &HopfCurveResult::guarantee)
      .def_readonly("options", &HopfCurveResult::options)
      .def_readonly("info", &HopfCurveResult::info);
  def_to_dict<HopfCurveResult>(r);
  m.def("_continue_hopf_curve", &continue_hopf_curve, py::call_guard<py::gil_scoped_release>());
}

}  // namespace

void bind_parameter_scan(py::module_& m) {
  using O = ParameterScanOptions;
  py::class_<O>(m, "ParameterScanOptions", "Options of the parameter-plane scan (C++ defaults)")
      .def(py::init<>())
      .def("__copy__", [](const O& o) { return O(o); })
      .def_readwrite("parameter_x", &O::parameter_x, "e.g. 'W[0,0]', 'tau[1]', 'g' (required)")
      .def_readwrite("parameter_y", &O::parameter_y, "the second parameter (required, distinct)")
      .def_readwrite("x_from", &O::x_from)
      .def_readwrite("x_to", &O::x_to)
      .def_readwrite("y_from", &O::y_from)
      .def_readwrite("y_to", &O::y_to)
      .def_readwrite("x_steps", &O::x_steps, "grid points of the first parameter, >= 2")
      .def_readwrite("y_steps", &O::y_steps, "grid points of the second parameter, >= 2")
      .def_readwrite("fixed_points", &O::fixed_points, "FixedPointOptions of every cell's search")
      .def_readwrite("threads", &O::threads, "OpenMP threads over the cells (0: default)")
      .def_readwrite("max_period", &O::max_period,
                     "Piecewise-linear maps: cycles of minimal period 2..max_period counted per cell (1: none)")
      .def_readwrite("cycles", &O::cycles, "CycleOptions of every cell's k-cycle search (period set per k)");
  py::class_<ScanCell>(m, "ScanCell")
      .def_readonly("x", &ScanCell::x)
      .def_readonly("y", &ScanCell::y)
      .def_readonly("n_fixed_points", &ScanCell::n_fixed_points)
      .def_readonly("n_stable", &ScanCell::n_stable)
      .def_readonly("n_unstable", &ScanCell::n_unstable)
      .def_readonly("n_marginal", &ScanCell::n_marginal)
      .def_readonly("n_continua", &ScanCell::n_continua)
      .def_readonly("n_cycles", &ScanCell::n_cycles)
      .def_readonly("n_stable_cycles", &ScanCell::n_stable_cycles)
      .def_readonly("n_unstable_cycles", &ScanCell::n_unstable_cycles)
      .def_readonly("n_marginal_cycles", &ScanCell::n_marginal_cycles)
      .def_readonly("n_cycle_continua", &ScanCell::n_cycle_continua)
      .def_readonly("n_cycles_by_period", &ScanCell::n_cycles_by_period, "n_cycles_by_period[k - 2]: period k")
      .def_readonly("complete", &ScanCell::complete)
      .def_readonly("method", &ScanCell::method);
  py::class_<ParameterScanResult> r(m, "ParameterScanResult",
                                    "Fixed points of every cell of a parameter grid, counted by stability");
  r.def_readonly("parameter_x", &ParameterScanResult::parameter_x)
      .def_readonly("parameter_y", &ParameterScanResult::parameter_y)
      .def_readonly("x_values", &ParameterScanResult::x_values)
      .def_readonly("y_values", &ParameterScanResult::y_values)
      .def_readonly("cells", &ParameterScanResult::cells, "cells[j * len(x_values) + i] is (x_values[i], y_values[j])")
      .def_readonly("cycles_counted", &ParameterScanResult::cycles_counted)
      .def_readonly("cycles_note", &ParameterScanResult::cycles_note, "why cycles were not counted, or ''")
      .def_readonly("status", &ParameterScanResult::status)
      .def_readonly("guarantee", &ParameterScanResult::guarantee)
      .def_readonly("options", &ParameterScanResult::options)
      .def_readonly("info", &ParameterScanResult::info);
  def_to_dict<ParameterScanResult>(r);
  def_with_progress(m, "_scan_parameters", &scan_parameters);
  bind_hopf_curve(m);
}

}  // namespace rnndyn::python
