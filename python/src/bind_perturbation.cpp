// Perturbations of piecewise-linear networks classified by their exact fixed points (seed 000).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/perturbation/perturbation.hpp"
#include "rnndyn/perturbation/perturbation_json.hpp"

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

  py::class_<PerturbedFixedPoint>(m, "PerturbedFixedPoint")
      .def_readonly("x", &PerturbedFixedPoint::x)
      .def_readonly("stability", &PerturbedFixedPoint::stability)
      .def_readonly("full_support", &PerturbedFixedPoint::full_support);
  py::class_<PerturbSample>(m, "PerturbSample")
      .def_readonly("epsilon", &PerturbSample::epsilon)
      .def_readonly("type", &PerturbSample::type)
      .def_readonly("fixed_points", &PerturbSample::fixed_points)
      .def_readonly("theorem1_seed", &PerturbSample::theorem1_seed)
      .def_readonly("theorem1_derived", &PerturbSample::theorem1_derived)
      .def_property_readonly(
          "memory", [](const PerturbSample& s) { return to_string(s.memory); },
          "What a value stored on the former line becomes: 'kept', 'decays' or 'none'")
      .def_readonly("half_life", &PerturbSample::half_life,
                    "ln 2 / (slowest decay rate) at the longest-kept stable fixed point; inf when kept, nan when none");
  py::class_<TypeShare>(m, "TypeShare", "Count, share and Wilson interval of one type")
      .def_readonly("count", &TypeShare::count)
      .def_readonly("share", &TypeShare::share)
      .def_readonly("ci_low", &TypeShare::ci_low)
      .def_readonly("ci_high", &TypeShare::ci_high)
      .def_readonly("stability", &TypeShare::stability)
      .def_readonly("memory", &TypeShare::memory, "Samples of the type by what they remember: kept, decays, none")
      .def_readonly("half_life_median", &TypeShare::half_life_median,
                    "Median of the finite half-lives of the type's samples (nan when none decays)")
      .def_readonly("half_life_q25", &TypeShare::half_life_q25, "Lower quartile of those half-lives")
      .def_readonly("half_life_q75", &TypeShare::half_life_q75, "Upper quartile of those half-lives");
  py::class_<PerturbResult> r(m, "PerturbResult", "Shares of the types perturbed networks turn into");
  r.def_readonly("info", &PerturbResult::info)
      .def_readonly("options", &PerturbResult::options)
      .def_readonly("samples", &PerturbResult::samples)
      .def_readonly("three_fixed_points_share", &PerturbResult::three_fixed_points_share)
      .def_readonly("types", &PerturbResult::types)
      .def_readonly("kept", &PerturbResult::kept)
      .def_readonly("theorem1_checked", &PerturbResult::theorem1_checked)
      .def_readonly("theorem1_seed_mismatches", &PerturbResult::theorem1_seed_mismatches)
      .def_readonly("theorem1_derived_mismatches", &PerturbResult::theorem1_derived_mismatches);
  def_analysis_result<PerturbResult>(r, "perturb");

  def_with_progress(m, "_perturb", &perturb);
}

const bool registered = register_binding("perturbation", &bind_perturbation);

}  // namespace rnndyn::python
