// Trajectories: SimulateOptions, Trajectory and the front door simulate(model, options).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn::python {

void bind_simulate(py::module_& m) {
  py::enum_<SimulateMethod>(m, "SimulateMethod")
      .value("ode", SimulateMethod::Ode)
      .value("closed_form", SimulateMethod::ClosedForm)
      .def(py::init([](const std::string& s) { return parse_simulate_method(s); }))
      .def("__str__", [](SimulateMethod x) { return to_string(x); });
  py::implicitly_convertible<py::str, SimulateMethod>();
  py::class_<SimulateOptions>(m, "SimulateOptions", "Options of simulate (C++ defaults)")
      .def(py::init<>())
      .def("__copy__", [](const SimulateOptions& o) { return SimulateOptions(o); })
      .def_readwrite("t_end", &SimulateOptions::t_end, "End time (maps: steps), > 0")
      .def_readwrite("dt", &SimulateOptions::dt, "Output sampling interval (flows), 0 < dt <= t_end")
      .def_readwrite("abs_tol", &SimulateOptions::abs_tol)
      .def_readwrite("rel_tol", &SimulateOptions::rel_tol)
      .def_readwrite("blowup", &SimulateOptions::blowup, "Stop when |x|_inf exceeds this")
      .def_readwrite("x0", &SimulateOptions::x0, "Initial state (empty: the model's x0, else zeros)")
      .def_readwrite("method", &SimulateOptions::method, "'ode' or 'closed-form' (linear networks)");
  py::class_<Trajectory> r(m, "Trajectory", "Sample times t and states x (one row per sample)");
  r.def_property_readonly("t",
                          [](const Trajectory& tr) {
                            return Eigen::Map<const Vector>(tr.t.data(), static_cast<Index>(tr.t.size())).eval();
                          })
      .def_property_readonly(
          "x", [](const Trajectory& tr) { return Matrix(tr.x.transpose()); }, "States, shape (samples, dim) (a copy)")
      .def_property_readonly("status", [](const Trajectory& tr) { return to_string(tr.status); })
      .def(
          "__iter__", [](py::object self) { return py::iter(py::make_tuple(self.attr("t"), self.attr("x"))); },
          "t, x = trajectory")
      .def_readonly("info", &Trajectory::info)
      .def_readonly("options", &Trajectory::options);
  def_to_dict<Trajectory>(r);
  def_with_progress(m, "_simulate", static_cast<Trajectory (*)(const Model&, const SimulateOptions&)>(&simulate));
}

}  // namespace rnndyn::python
