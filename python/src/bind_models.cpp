#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rnndyn/core/enums.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn::python {

void bind_models(py::module_& m) {
  py::class_<Model, std::shared_ptr<Model>>(m, "Model", R"doc(
A recurrent network: a flow dx/dt = F(x) or a map x' = F(x).

Build one with ``rnndyn.load_model(path)`` or ``rnndyn.model_from_dict(dict)``; the dictionary
has the keys of a model file (``{"model": "rate", "W": ..., ...}``). State vectors passed in
are copied into float64 arrays.)doc")
      .def_property_readonly("kind", &Model::kind, "Model-file type name: rate, linear, plrnn, ...")
      .def_property_readonly("dim", &Model::dim, "State dimension")
      .def_property_readonly(
          "time", [](const Model& model) { return to_string(model.time_kind()); },
          "'continuous' (flow) or 'discrete' (map)")
      .def_property_readonly(
          "is_piecewise_linear", [](const Model& model) { return model.piecewise_linear().has_value(); },
          "True when the exact enumeration of seed 001 applies (relu, hardtanh or linear activations)")
      .def("rhs", &Model::rhs, py::arg("x"), "F(x): dx/dt for flows, the next state for maps")
      .def("jacobian", &Model::jacobian, py::arg("x"), "Analytic Jacobian DF(x) (left derivative at kinks)")
      .def("fixed_point_residual", &Model::fixed_point_residual, py::arg("x"),
           "F(x) for flows, F(x) - x for maps: zero at fixed points")
      .def_property_readonly("initial_state", &Model::initial_state,
                             "The state analyses start from when none is given (model file x0, else a trained "
                             "reservoir's first trained state), or None")
      .def_property_readonly(
          "trained_states",
          [](const Model& model) {
            py::list out;
            for (const auto& s : model.trained_states()) out.append(py::make_tuple(s.level, s.x));
            return out;
          },
          "The states the model was trained to hold, as (level A_m, x_m) pairs (a trained reservoir's)")
      .def("parameter", py::overload_cast<const std::string&>(&Model::parameter, py::const_), py::arg("name"),
           "Parameter by name, e.g. 'W[0,1]', 'tau[1]', 'g'")
      .def("set_parameter", py::overload_cast<const std::string&, double>(&Model::set_parameter), py::arg("name"),
           py::arg("value"))
      .def(
          "parameter_blocks",
          [](const Model& model) {
            py::list out;
            for (const auto& b : model.parameter_blocks()) out.append(py::make_tuple(b.symbol, b.rows, b.cols));
            return out;
          },
          "List of (symbol, rows, cols) of the model's parameters")
      .def("clone", [](const Model& model) { return std::shared_ptr<Model>(model.clone()); })
      .def("__repr__", [](const Model& model) {
        return "<rnndyn.Model " + model.kind() + ", dim " + std::to_string(model.dim()) + ">";
      });

  m.def(
      "load_model", [](const std::string& path) { return std::shared_ptr<Model>(load_model(path)); }, py::arg("path"),
      "Read a JSON model file (matrices inline or .npy paths relative to the file).");
  m.def(
      "_model_from_json",
      [](const std::string& text, const std::string& base_dir) {
        return std::shared_ptr<Model>(model_from_json_text(text, base_dir));
      },
      py::arg("text"), py::arg("base_dir") = "");
}

const bool registered = register_binding("models", &bind_models, {"core"});

}  // namespace rnndyn::python
