// Continuation of fixed points in one parameter: ContinuationOptions, the result types and the
// front door continue_fixed_points(model, options).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/io/describe_json.hpp"

namespace rnndyn::python {

void bind_continuation(py::module_& m) {
  // 'from' is a Python keyword: the JSON's from and to are from_ and to here (start and stop before).
  py::class_<ContinuationOptions> co(m, "ContinuationOptions", "Options of continuation (C++ defaults)");
  co.def(py::init<>()).def("__copy__", [](const ContinuationOptions& o) { return ContinuationOptions(o); });
  def_described_options<ContinuationOptions>(co);
  def_deprecated_alias(co, "start", "from_", "Deprecated: from_");
  def_deprecated_alias(co, "stop", "to", "Deprecated: to");

  py::class_<BranchPoint> point(m, "BranchPoint");
  def_described_result<BranchPoint>(point);
  point.def_readonly("direction", &BranchPoint::direction, "-1 or +1: the direction of p along the branch there");
  py::class_<Branch> branch(m, "Branch");
  def_described_result<Branch>(branch);
  // the points' p and x as arrays, for plotting
  branch
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
  py::class_<Bifurcation> bifurcation(m, "Bifurcation");
  def_described_result<Bifurcation>(bifurcation);
  py::class_<ContinuationResult> r(m, "ContinuationResult", "Branches and bifurcations of a continuation");
  def_described_result<ContinuationResult>(r);
  def_analysis_result<ContinuationResult>(r, "continue");

  def_with_progress(
      m, "_continuation",
      static_cast<ContinuationResult (*)(const Model&, const ContinuationOptions&)>(&continue_fixed_points));
}

const bool registered = register_binding("continuation", &bind_continuation);

}  // namespace rnndyn::python
