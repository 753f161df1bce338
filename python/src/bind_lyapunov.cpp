// Lyapunov spectra: LyapunovOptions and LyapunovSpectrum as classes, lyapunov_spectrum(model,
// options) with the GIL released. The stepper enum TangentStepper (dopri5, rk4) is bound here.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rnndyn/lyapunov/lyapunov.hpp"
#include "rnndyn/lyapunov/lyapunov_json.hpp"

namespace rnndyn::python {

void bind_lyapunov(py::module_& m) {
  bind_text_enum(m, "TangentStepper", "Stepper of the tangent system (x, Q): dopri5 (adaptive) or rk4 (fixed step)",
                 {TangentStepper::Dopri5, TangentStepper::Rk4});
  bind_text_enum(m, "LyapunovStatus", "ok, or diverged (the exponents cover the time before)",
                 {LyapunovStatus::Ok, LyapunovStatus::Diverged});

  static const std::string k_doc = "Number of exponents K in [0, dim]; 0 (default): all up to dim " +
                                   std::to_string(kDefaultLyapunovExponents) + ", else that many leading ones";
  py::class_<LyapunovOptions> o(m, "LyapunovOptions", R"doc(
Options of lyapunov_spectrum (include/rnndyn/lyapunov/lyapunov.hpp); every default is the C++ one.
Arrays assigned to x0 and initial_tangents are copied.)doc");
  o.def(py::init<>())
      .def_readwrite("x0", &LyapunovOptions::x0,
                     "Initial state; empty: the model's own (file x0, else a trained state), else zeros")
      .def_readwrite("k", &LyapunovOptions::k, k_doc.c_str())
      .def_readwrite("warmup", &LyapunovOptions::warmup, "Time (flows) or steps (maps) run before measuring, >= 0")
      .def_readwrite("t_total", &LyapunovOptions::t_total, "Measured time (flows) or steps (maps), > 0")
      .def_readwrite("interval", &LyapunovOptions::interval, "Time or steps between QR reorthonormalisations")
      .def_readwrite("dt", &LyapunovOptions::dt, "Fixed step of rk4; 0: interval / 10")
      .def_readwrite("abs_tol", &LyapunovOptions::abs_tol, "Absolute error tolerance of dopri5, > 0")
      .def_readwrite("rel_tol", &LyapunovOptions::rel_tol, "Relative error tolerance of dopri5, > 0")
      .def_readwrite("blocks", &LyapunovOptions::blocks, "Time blocks of the bootstrap, in [2, intervals]")
      .def_readwrite("bootstrap_samples", &LyapunovOptions::bootstrap_samples, "Bootstrap resamples, >= 10")
      .def_readwrite("confidence", &LyapunovOptions::confidence, "Confidence level of the intervals, in (0, 1)")
      .def_readwrite("seed", &LyapunovOptions::seed, "Seed of the initial tangent vectors and of the bootstrap")
      .def_readwrite("blowup", &LyapunovOptions::blowup, "|x|_inf above this stops the run (status diverged)")
      .def_readwrite("initial_tangents", &LyapunovOptions::initial_tangents,
                     "Initial tangent vectors (dim x K); empty: a fixed-seed random orthonormal frame")
      .def("validate", &LyapunovOptions::validate, "Raises ValueError naming a bad field");
  def_enum_readwrite(o, "integrator", &LyapunovOptions::integrator, &parse_tangent_stepper,
                     "TangentStepper or its name: 'dopri5' (default) or 'rk4'");
  def_copy<LyapunovOptions>(o);

  py::class_<LyapunovSpectrum> r(m, "LyapunovSpectrum", R"doc(
Result of lyapunov_spectrum: exponents lambda_1..lambda_K with bootstrap intervals over time blocks.
Array attributes are numpy copies; to_dict() is the CLI's JSON.)doc");
  def_readonly_copy(r, "status", &LyapunovSpectrum::status, "LyapunovStatus: ok or diverged");
  def_readonly_copy(r, "exponents", &LyapunovSpectrum::exponents, "lambda_1..lambda_K (per time unit or per step)");
  def_readonly_copy(r, "ci_low", &LyapunovSpectrum::ci_low, "Lower end of the bootstrap interval per exponent");
  def_readonly_copy(r, "ci_high", &LyapunovSpectrum::ci_high, "Upper end of the bootstrap interval per exponent");
  def_readonly_copy(r, "standard_error", &LyapunovSpectrum::standard_error, "Std of the block estimates / sqrt(B)");
  def_readonly_copy(r, "block_estimates", &LyapunovSpectrum::block_estimates, "K x blocks: each block alone");
  def_readonly_copy(r, "running", &LyapunovSpectrum::running, "K x blocks: from the start to each block's end");
  def_readonly_copy(r, "sum", &LyapunovSpectrum::sum, "Sum of the exponents");
  def_readonly_copy(r, "unresolved", &LyapunovSpectrum::unresolved,
                    "i such that the intervals of exponents i and i + 1 overlap (not resolved)");
  def_readonly_copy(r, "measured_time", &LyapunovSpectrum::measured_time, "Time (or steps) measured");
  def_readonly_copy(r, "reorthonormalisations", &LyapunovSpectrum::reorthonormalisations, "QR steps done");
  def_readonly_copy(r, "x0", &LyapunovSpectrum::x0, "The state the run started from (before the warm-up)");
  def_readonly_copy(r, "final_state", &LyapunovSpectrum::final_state, "x at the end of the measured time");
  def_readonly_copy(r, "options", &LyapunovSpectrum::options, "The LyapunovOptions it ran with");
  def_run_info<LyapunovSpectrum>(r);
  def_to_dict<LyapunovSpectrum>(r);

  def_with_progress(m, "lyapunov_spectrum", &lyapunov_spectrum,
                    "The first K Lyapunov exponents by QR reorthonormalisation from options.x0 (see rnndyn lyapunov); "
                    "progress: None, or a callable taking an rnndyn.Progress (return False to stop).");
}

}  // namespace rnndyn::python
