// Continuation of fixed points in one parameter: ContinuationOptions, the result types and the
// front door continue_fixed_points(model, options).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/continuation/continuation_json.hpp"

namespace rnndyn::python {

void bind_continuation(py::module_& m) {
  // 'from' is a Python keyword: the JSON's from and to are from_ and to here (start and stop before).
  py::class_<ContinuationOptions> co(m, "ContinuationOptions", "Options of continuation (C++ defaults)");
  co.def(py::init<>()).def("__copy__", [](const ContinuationOptions& o) { return ContinuationOptions(o); });
  def_described_options<ContinuationOptions>(co);
  def_deprecated_alias(co, "start", "from_", "Deprecated: from_");
  def_deprecated_alias(co, "stop", "to", "Deprecated: to");

  py::class_<BranchPoint>(m, "BranchPoint")
      .def_readonly("p", &BranchPoint::p)
      .def_readonly("x", &BranchPoint::x)
      .def_readonly("eigenvalues", &BranchPoint::eigenvalues)
      .def_readonly("stability", &BranchPoint::stability)
      .def_readonly("residual", &BranchPoint::residual)
      .def_readonly("direction", &BranchPoint::direction)
      .def_readonly("on_border", &BranchPoint::on_border);
  py::class_<Branch>(m, "Branch")
      .def_readonly("points", &Branch::points)
      .def_property_readonly("status", [](const Branch& b) { return to_string(b.status); })
      .def_property_readonly(
          "p",
          [](const Branch& b) {
            Vector p(static_cast<Index>(b.points.size()));
            for (size_t i = 0; i < b.points.size(); ++i) p(static_cast<Index>(i)) = b.points[i].p;
            return p;
          },
          "The parameter values of the points (a copy)")
      .def_property_readonly(
          "x",
          [](const Branch& b) {
            Matrix x(static_cast<Index>(b.points.size()), b.points.empty() ? 0 : b.points[0].x.size());
            for (size_t i = 0; i < b.points.size(); ++i) x.row(static_cast<Index>(i)) = b.points[i].x.transpose();
            return x;
          },
          "The states of the points, one row each (a copy)");
  py::class_<Bifurcation>(m, "Bifurcation")
      .def_property_readonly("type", [](const Bifurcation& b) { return to_string(b.type); })
      .def_readonly("parameter", &Bifurcation::p, "The parameter value where it occurs")
      .def_readonly("x", &Bifurcation::x)
      .def_readonly("eigenvalues", &Bifurcation::eigenvalues)
      .def_readonly("omega", &Bifurcation::omega)
      .def_readonly("unit", &Bifurcation::unit)
      .def_readonly("breakpoint", &Bifurcation::breakpoint)
      .def_readonly("nonsmooth", &Bifurcation::nonsmooth)
      .def_readonly("branch", &Bifurcation::branch)
      .def_readonly("point_index", &Bifurcation::point_index);
  py::class_<ContinuationResult> r(m, "ContinuationResult", "Branches and bifurcations of a continuation");
  r.def_readonly("parameter", &ContinuationResult::parameter)
      .def_readonly("info", &ContinuationResult::info)
      .def_readonly("options", &ContinuationResult::options)
      .def_readonly("start_source", &ContinuationResult::start_source)
      .def_readonly("branches", &ContinuationResult::branches)
      .def_readonly("bifurcations", &ContinuationResult::bifurcations);
  def_analysis_result<ContinuationResult>(r, "continue");

  def_with_progress(
      m, "_continuation",
      static_cast<ContinuationResult (*)(const Model&, const ContinuationOptions&)>(&continue_fixed_points));
}

const bool registered = register_binding("continuation", &bind_continuation);

}  // namespace rnndyn::python
