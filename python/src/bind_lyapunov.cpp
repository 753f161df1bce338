// Lyapunov spectra: LyapunovOptions and LyapunovSpectrum as classes, lyapunov_spectrum(model,
// options) with the GIL released. The stepper enum TangentStepper (dopri5, rk4) is bound here.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/lyapunov/lyapunov.hpp"

namespace rnndyn::python {

void bind_lyapunov(py::module_& m) {
  bind_text_enum(m, "TangentStepper", "Stepper of the tangent system (x, Q): dopri5 (adaptive) or rk4 (fixed step)",
                 {TangentStepper::Dopri5, TangentStepper::Rk4});
  bind_text_enum(m, "LyapunovStatus", "ok, or diverged (the exponents cover the time before)",
                 {LyapunovStatus::Ok, LyapunovStatus::Diverged});

  py::class_<LyapunovOptions> o(m, "LyapunovOptions", R"doc(
Options of lyapunov_spectrum (include/rnndyn/lyapunov/lyapunov.hpp); every default is the C++ one.
Arrays assigned to x0 and initial_tangents are copied.)doc");
  o.def(py::init<>()).def("validate", &LyapunovOptions::validate, "Raises ValueError naming a bad field");
  def_described_options<LyapunovOptions>(o);
  def_copy<LyapunovOptions>(o);

  py::class_<LyapunovSpectrum> r(m, "LyapunovSpectrum", R"doc(
Result of lyapunov_spectrum: exponents lambda_1..lambda_K with bootstrap intervals over time blocks.
Array attributes are numpy copies; to_dict() is the CLI's JSON.)doc");
  def_described_result<LyapunovSpectrum>(r);
  def_analysis_result<LyapunovSpectrum>(r, "lyapunov");

  def_with_progress(m, "lyapunov_spectrum", &lyapunov_spectrum,
                    "The first K Lyapunov exponents by QR reorthonormalisation from options.x0 (see rnndyn lyapunov); "
                    "progress: None, or a callable taking an rnndyn.Progress (return False to stop).");
}

const bool registered = register_binding("lyapunov", &bind_lyapunov);

}  // namespace rnndyn::python
