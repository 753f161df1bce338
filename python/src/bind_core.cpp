// Types every area shares: the run header of results, stability classes and their thresholds.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rnndyn/core/enums.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/linearize/linearize.hpp"

namespace rnndyn::python {

void bind_core(py::module_& m) {
  py::class_<Progress>(m, "Progress", "One progress report of a long run (the progress= callback's argument)")
      .def_readonly("stage", &Progress::stage, "What runs, e.g. 'branch and bound'")
      .def_readonly("fraction", &Progress::fraction, "Share of the work done in [0, 1], or -1 when unknown")
      .def_readonly("done", &Progress::done, "Units of work done (nodes, tuples, starts)")
      .def_readonly("found", &Progress::found, "Results found so far")
      .def_readonly("elapsed_seconds", &Progress::elapsed_seconds)
      .def("__repr__", [](const Progress& p) {
        return "<Progress " + p.stage + " " + std::to_string(p.fraction) + " done=" + std::to_string(p.done) + ">";
      });
  py::register_exception<Interrupted>(m, "Interrupted", PyExc_KeyboardInterrupt);
  py::class_<RunInfo>(m, "RunInfo", "Which model an analysis ran on and how long it took")
      .def_readonly("model", &RunInfo::model, "Model-file type name (rate, gru, ...)")
      .def_property_readonly(
          "time", [](const RunInfo& r) { return to_string(r.time); }, "'continuous' (flow) or 'discrete' (map)")
      .def_readonly("elapsed_seconds", &RunInfo::elapsed_seconds);

  py::class_<StabilityOptions>(m, "StabilityOptions", "Thresholds of the stability classification")
      .def(py::init<>())
      .def_readwrite("marginal_tol", &StabilityOptions::marginal_tol,
                     "|Re lambda| (flows) or ||lambda| - 1| (maps) below this is marginal, >= 0")
      .def_readwrite("imag_tol", &StabilityOptions::imag_tol, "|Im lambda| below this is real, >= 0");
  py::class_<LinearizeOptions>(m, "LinearizeOptions", "Options of linearize")
      .def(py::init<>())
      .def("__copy__", [](const LinearizeOptions& o) { return LinearizeOptions(o); })
      .def_readwrite("stability", &LinearizeOptions::stability)
      .def_readwrite("kink_tol", &LinearizeOptions::kink_tol, "A unit this close to a kink is on a boundary, >= 0")
      .def_readwrite("max_kink_units", &LinearizeOptions::max_kink_units, "Units at kinks expanded, in [0, 16]");

  // str(stability) and stability == "stable node" read as the class name.
  py::class_<Stability>(m, "Stability", "Stability class of a spectrum and its eigenvalue counts")
      .def_property_readonly(
          "type", [](const Stability& s) { return to_string(s.type); }, "e.g. 'stable node', 'saddle'")
      .def_readonly("n_stable", &Stability::n_stable)
      .def_readonly("n_unstable", &Stability::n_unstable)
      .def_readonly("n_marginal", &Stability::n_marginal)
      .def("__str__", [](const Stability& s) { return to_string(s.type); })
      .def("__repr__", [](const Stability& s) { return "<Stability " + to_string(s.type) + ">"; })
      .def("__eq__", [](const Stability& s, const std::string& name) { return to_string(s.type) == name; })
      .def("__eq__",
           [](const Stability& a, const Stability& b) {
             return a.type == b.type && a.n_stable == b.n_stable && a.n_unstable == b.n_unstable &&
                    a.n_marginal == b.n_marginal;
           })
      .def("__hash__", [](const Stability& s) { return py::hash(py::str(to_string(s.type))); });
}

ProgressCallback python_progress(py::object callback) {
  // Deleted under the GIL wherever the last copy of the callback dies.
  std::shared_ptr<py::object> held(new py::object(std::move(callback)), [](py::object* o) {
    py::gil_scoped_acquire gil;
    delete o;
  });
  return [held](const Progress& p) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (held->is_none()) return true;
    const py::object r = (*held)(p);
    return r.is_none() || r.cast<bool>();
  };
}

}  // namespace rnndyn::python
