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
  py::class_<LinearMode>(m, "LinearMode", "One eigen-mode of M (seed 002)")
      .def_readonly("lambda_", &LinearMode::lambda, "Eigenvalue of M")
      .def_readonly("e", &LinearMode::e, "Unit eigenvector")
      .def_readonly("h_projection", &LinearMode::h_projection)
      .def_readonly("amplification", &LinearMode::amplification, "1 / (1 - lambda)")
      .def_readonly("rate", &LinearMode::rate, "-(1 - lambda) / tau")
      .def_property_readonly("kind", [](const LinearMode& x) { return to_string(x.kind); });
  py::class_<LinearNetworkAnalysis> a(m, "LinearNetworkAnalysis",
                                      "Modes, steady state and verdict of a linear network");
  a.def_readonly("modes", &LinearNetworkAnalysis::modes)
      .def_property_readonly("verdict", [](const LinearNetworkAnalysis& x) { return to_string(x.verdict); })
      .def_readonly("steady_state", &LinearNetworkAnalysis::steady_state)
      .def_readonly("symmetric", &LinearNetworkAnalysis::symmetric)
      .def_readonly("decomposition_residual", &LinearNetworkAnalysis::decomposition_residual)
      .def_readonly("tau", &LinearNetworkAnalysis::tau)
      .def_readonly("info", &LinearNetworkAnalysis::info)
      .def_readonly("options", &LinearNetworkAnalysis::options);
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
  py::class_<OneSidedLinearization>(m, "OneSidedLinearization")
      .def_readonly("side", &OneSidedLinearization::side)
      .def_readonly("jacobian", &OneSidedLinearization::jacobian)
      .def_property_readonly("eigenvalues", [](const OneSidedLinearization& x) { return x.eigen.eigenvalues; })
      .def_readonly("stability", &OneSidedLinearization::stability);
  py::class_<Linearization> r(m, "Linearization", "Jacobian, spectrum and stability class at a point");
  r.def_readonly("x", &Linearization::x)
      .def_readonly("residual", &Linearization::residual)
      .def_readonly("residual_norm", &Linearization::residual_norm)
      .def_readonly("jacobian", &Linearization::jacobian)
      .def_property_readonly("eigenvalues", [](const Linearization& x) { return x.eigen.eigenvalues; })
      .def_property_readonly("eigenvectors", [](const Linearization& x) { return x.eigen.eigenvectors; })
      .def_readonly("stability", &Linearization::stability)
      .def_readonly("on_switching_boundary", &Linearization::on_switching_boundary)
      .def_readonly("kink_units", &Linearization::kink_units)
      .def_readonly("one_sided", &Linearization::one_sided)
      .def_readonly("info", &Linearization::info)
      .def_readonly("options", &Linearization::options);
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
