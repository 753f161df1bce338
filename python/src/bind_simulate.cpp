// Trajectories: SimulateOptions (with InputSignal), Trajectory and the front door
// simulate(model, options); response functions: ResponseOptions, ResponseResult, measure_response.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/io/input_json.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/simulate/response.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn::python {

void bind_simulate(py::module_& m) {
  py::enum_<SimulateMethod>(m, "SimulateMethod")
      .value("ode", SimulateMethod::Ode)
      .value("closed_form", SimulateMethod::ClosedForm)
      .def(py::init([](const std::string& s) { return parse_simulate_method(s); }))
      .def("__str__", [](SimulateMethod x) { return to_string(x); });
  py::implicitly_convertible<py::str, SimulateMethod>();
  py::enum_<InputKind>(m, "InputKind")
      .value("series", InputKind::Series)
      .value("clicks", InputKind::Clicks)
      .value("poisson", InputKind::PoissonClicks)
      .value("noise", InputKind::Noise)
      .value("step", InputKind::Step)
      .def(py::init([](const std::string& s) { return parse_input_kind(s); }))
      .def("__str__", [](InputKind x) { return to_string(x); });
  py::implicitly_convertible<py::str, InputKind>();
  py::enum_<Interpolation>(m, "Interpolation")
      .value("hold", Interpolation::Hold)
      .value("linear", Interpolation::Linear)
      .def(py::init([](const std::string& s) { return parse_interpolation(s); }))
      .def("__str__", [](Interpolation x) { return to_string(x); });
  py::implicitly_convertible<py::str, Interpolation>();
  py::class_<InputSignal>(m, "InputSignal",
                          "One input signal added to the model's u during simulate (C++ defaults; "
                          "rnndyn/simulate/input_signal.hpp). Arrays are copied in and out.")
      .def(py::init<>())
      .def("__copy__", [](const InputSignal& s) { return InputSignal(s); })
      .def_readwrite("kind", &InputSignal::kind, "'series', 'clicks', 'poisson', 'noise' or 'step'")
      .def_readwrite("channel", &InputSignal::channel, "Channel of u the signal adds to (not series)")
      .def_readwrite("values", &InputSignal::values, "Series samples, shape (T, input_dim)")
      .def_readwrite("interpolation", &InputSignal::interpolation, "Series (flows): 'hold' or 'linear'")
      .def_readwrite("dt", &InputSignal::dt, "Sample spacing of series and noise (flows); 0: the simulation's dt")
      .def_readwrite("times", &InputSignal::times, "Click times (maps: whole steps)")
      .def_readwrite("signs", &InputSignal::signs, "One sign (weight) per click; empty: all +1")
      .def_readwrite("delta", &InputSignal::delta, "Area of one click")
      .def_readwrite("width", &InputSignal::width, "Flows: a click is delta*sign/width on [t, t+width)")
      .def_readwrite("rate", &InputSignal::rate, "Poisson clicks per unit time (maps: per step)")
      .def_readwrite("seed", &InputSignal::seed, "Seed of Poisson clicks and noise")
      .def_readwrite("sigma", &InputSignal::sigma, "Noise intensity (flows: <s(t)s(t')> = sigma^2 delta(t-t'))")
      .def_readwrite("correlation_time", &InputSignal::correlation_time, "Noise correlation time; 0: white")
      .def_readwrite("amplitude", &InputSignal::amplitude, "Step amplitude")
      .def_readwrite("onset", &InputSignal::onset, "Step onset")
      .def_readwrite("offset", &InputSignal::offset, "Step offset (inf: never off)")
      .def("to_dict", [](const InputSignal& s) { return to_python(to_json(s)); })
      .def("__repr__", [](const InputSignal& s) { return "InputSignal(" + to_json(s).dump() + ")"; });
  py::class_<SimulateOptions> so(m, "SimulateOptions", "Options of simulate (C++ defaults)");
  so.def(py::init<>()).def("__copy__", [](const SimulateOptions& o) { return SimulateOptions(o); });
  def_described_options<SimulateOptions>(so);
  py::class_<Trajectory> r(m, "Trajectory", "Sample times t and states x (one row per sample)");
  // t as an array and the states one row per sample, as numpy reads them
  def_described_result<Trajectory>(r, {"t", "x", "u", "z"});
  r.def_property_readonly("t",
                          [](const Trajectory& tr) {
                            return Eigen::Map<const Vector>(tr.t.data(), static_cast<Index>(tr.t.size())).eval();
                          })
      .def_property_readonly(
          "x", [](const Trajectory& tr) { return Matrix(tr.x.transpose()); }, "States, shape (samples, dim) (a copy)")
      .def_property_readonly(
          "u", [](const Trajectory& tr) { return Matrix(tr.u.transpose()); },
          "Input u(t) at each sample, shape (samples, input_dim); empty without input signals (a copy)")
      .def_property_readonly(
          "z", [](const Trajectory& tr) { return Matrix(tr.z.transpose()); },
          "Readout z = W_out r + b_out at each sample, shape (samples, outputs); empty without a readout (a copy)")
      .def(
          "__iter__", [](py::object self) { return py::iter(py::make_tuple(self.attr("t"), self.attr("x"))); },
          "t, x = trajectory");
  def_analysis_result<Trajectory>(r, "simulate");
  def_with_progress(m, "_simulate", static_cast<Trajectory (*)(const Model&, const SimulateOptions&)>(&simulate));

  py::enum_<ResponseMethod>(m, "ResponseMethod")
      .value("impulse", ResponseMethod::Impulse)
      .value("noise", ResponseMethod::Noise)
      .def(py::init([](const std::string& s) { return parse_response_method(s); }))
      .def("__str__", [](ResponseMethod x) { return to_string(x); });
  py::implicitly_convertible<py::str, ResponseMethod>();
  py::class_<ResponseOptions> ro(m, "ResponseOptions", "Options of measure_response (C++ defaults)");
  ro.def(py::init<>()).def("__copy__", [](const ResponseOptions& o) { return ResponseOptions(o); });
  def_described_options<ResponseOptions>(ro);
  py::class_<ResponseResult> rr(m, "ResponseResult", "Measured transfer function G(omega) with its band");
  def_described_result<ResponseResult>(rr, {"omega", "t"});  // arrays, as numpy reads them
  rr.def_property_readonly("omega", [](const ResponseResult& x) {
    return Eigen::Map<const Vector>(x.omega.data(), static_cast<Index>(x.omega.size())).eval();
  });
  rr.def_property_readonly("t", [](const ResponseResult& x) {
    return Eigen::Map<const Vector>(x.t.data(), static_cast<Index>(x.t.size())).eval();
  });
  def_analysis_result<ResponseResult>(rr, "response");
  def_with_progress(m, "_measure_response", &measure_response);
}

const bool registered = register_binding("simulate", &bind_simulate);

}  // namespace rnndyn::python
