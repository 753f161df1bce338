// Linearization at a point, and seed 002's linear-network analysis.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/linear/linear_network.hpp"
#include "rnndyn/linearize/linearize.hpp"

namespace rnndyn::python {
namespace {

void bind_linear(py::module_& m) {
  py::class_<LinearNetworkOptions> lno(m, "LinearNetworkOptions", "Options of analyze_linear");
  lno.def(py::init<>()).def("__copy__", [](const LinearNetworkOptions& o) { return LinearNetworkOptions(o); });
  def_described_options<LinearNetworkOptions>(lno);
  py::class_<LinearMode> mode(m, "LinearMode", "One eigen-mode of M (seed 002)");
  def_described_result<LinearMode>(mode);
  mode.def_readonly("e", &LinearMode::e, "Unit eigenvector (the JSON's eigenvector)");
  py::class_<LinearNetworkAnalysis> a(m, "LinearNetworkAnalysis",
                                      "Modes, steady state and verdict of a linear network");
  def_described_result<LinearNetworkAnalysis>(a);
  def_analysis_result<LinearNetworkAnalysis>(a, "linear");
  m.def("_analyze_linear", &analyze_linear_network, py::arg("model"), py::arg("options"),
        py::call_guard<py::gil_scoped_release>());
  m.def("_linear_closed_form", &linear_closed_form, py::arg("model"), py::arg("v0"), py::arg("times"),
        py::arg("options") = LinearNetworkOptions{}, py::call_guard<py::gil_scoped_release>());
}

}  // namespace

void bind_linearize(py::module_& m) {
  py::class_<EigenDecomposition>(m, "EigenDecomposition")
      .def_readonly("eigenvalues", &EigenDecomposition::eigenvalues)
      .def_readonly("eigenvectors", &EigenDecomposition::eigenvectors);
  py::class_<OneSidedLinearization> one(m, "OneSidedLinearization");
  def_described_result<OneSidedLinearization>(one);
  py::class_<Linearization> r(m, "Linearization", "Jacobian, spectrum and stability class at a point");
  def_described_result<Linearization>(r);
  def_analysis_result<Linearization>(r, "linearize");
  m.def(
      "_linearize",
      [](const Model& model, const Vector& x, const LinearizeOptions& options) {
        return call_released(model, [&] { return linearize(model, x, options); });
      },
      py::arg("model"), py::arg("x"), py::arg("options"));
  m.def(
      "_linearize_initial",
      [](const Model& model, const LinearizeOptions& options) {
        return call_released(model, [&] { return linearize(model, options); });
      },
      py::arg("model"), py::arg("options"));
  bind_linear(m);
}

const bool registered = register_binding("linearize", &bind_linearize);

}  // namespace rnndyn::python
