// Two parameters: grid scans (ParameterScanOptions, scan_parameters) and Hopf curves
// (HopfCurveOptions, continue_hopf_curve), with their result types.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/continuation/hopf_curve.hpp"
#include "rnndyn/continuation/parameter_scan.hpp"
#include "rnndyn/io/describe_json.hpp"

namespace rnndyn::python {

namespace {

void bind_hopf_curve(py::module_& m) {
  using O = HopfCurveOptions;
  py::class_<O> opts(m, "HopfCurveOptions", "Options of Hopf-curve continuation (C++ defaults)");
  opts.def(py::init<>()).def("__copy__", [](const O& o) { return O(o); });
  def_described_options<O>(opts);
  py::class_<HopfCurvePoint> point(m, "HopfCurvePoint", "A point of a Hopf (fold, border-collision) curve");
  def_described_result<HopfCurvePoint>(point);
  py::class_<HopfCurveResult> r(m, "HopfCurveResult", "A Hopf curve in a parameter plane");
  def_described_result<HopfCurveResult>(r);
  // Three analyses share the result: the row of its kind (hopf-curve, fold-curve, border-curve).
  def_shared_analysis_result<HopfCurveResult>(
      r, [](const HopfCurveResult& h) { return analysis_of("HopfCurveResult", h.kind).name; });
  m.def("_continue_hopf_curve", &continue_hopf_curve, py::call_guard<py::gil_scoped_release>());
}

}  // namespace

void bind_parameter_scan(py::module_& m) {
  using O = ParameterScanOptions;
  py::class_<O> opts(m, "ParameterScanOptions", "Options of the parameter-plane scan (C++ defaults)");
  opts.def(py::init<>()).def("__copy__", [](const O& o) { return O(o); });
  def_described_options<O>(opts);
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
  def_described_result<ParameterScanResult>(r);
  r.def_readonly("cells", &ParameterScanResult::cells, "cells[j * len(x_values) + i] is (x_values[i], y_values[j])");
  def_analysis_result<ParameterScanResult>(r, "scan");
  def_with_progress(m, "_scan_parameters", &scan_parameters);
  bind_hopf_curve(m);
}

// After fixed_points, which binds the FixedPointOptions its options hold.
const bool registered = register_binding("parameter_scan", &bind_parameter_scan, {"core", "models", "fixed_points"});

}  // namespace rnndyn::python
