// Perturbations of piecewise-linear networks classified by their exact fixed points (seed 000).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/perturbation/perturbation.hpp"

namespace rnndyn::python {

void bind_perturbation(py::module_& m) {
  py::enum_<PerturbTarget>(m, "PerturbTarget", "What is perturbed: the weights W or the bias b")
      .value("weights", PerturbTarget::Weights)
      .value("bias", PerturbTarget::Bias)
      .def(py::init([](const std::string& s) { return parse_perturb_target(s); }))
      .def("__str__", [](PerturbTarget t) { return to_string(t); });
  py::implicitly_convertible<py::str, PerturbTarget>();

  py::class_<PerturbOptions> o(m, "PerturbOptions", "Options of perturb (C++ defaults)");
  o.def(py::init<>()).def("validate", &PerturbOptions::validate, "Raises ValueError naming a bad field");
  def_described_options<PerturbOptions>(o);
  def_copy<PerturbOptions>(o);

  py::class_<PerturbedFixedPoint> p(m, "PerturbedFixedPoint");
  def_described_result<PerturbedFixedPoint>(p);
  py::class_<PerturbSample> sample(m, "PerturbSample");
  def_described_result<PerturbSample>(sample);
  py::class_<TypeShare> share(m, "TypeShare", "Count, share and Wilson interval of one type");
  def_described_result<TypeShare>(share);
  py::class_<PerturbResult> r(m, "PerturbResult", "Shares of the types perturbed networks turn into");
  def_described_result<PerturbResult>(r);
  // Python's names of what the JSON keeps as sample_list and inside theorem1
  r.def_readonly("kept", &PerturbResult::kept)
      .def_readonly("theorem1_checked", &PerturbResult::theorem1_checked)
      .def_readonly("theorem1_seed_mismatches", &PerturbResult::theorem1_seed_mismatches)
      .def_readonly("theorem1_derived_mismatches", &PerturbResult::theorem1_derived_mismatches);
  def_analysis_result<PerturbResult>(r, "perturb");

  def_with_progress(m, "_perturb", &perturb);
}

const bool registered = register_binding("perturbation", &bind_perturbation);

}  // namespace rnndyn::python
