#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/linear/linear_network.hpp"
#include "rnndyn/linearize/linearize.hpp"

namespace rnndyn::python {

void bind_linearize(py::module_& m) {
  m.def(
      "_linearize",
      [](const Model& model, const Vector& x, double marginal_tol, double kink_tol) {
        LinearizeOptions o;
        o.stability.marginal_tol = marginal_tol;
        o.kink_tol = kink_tol;
        return to_python_json(to_json(linearize(model, x, o)));
      },
      py::arg("model"), py::arg("x"), py::arg("marginal_tol"), py::arg("kink_tol"));
  m.def(
      "_analyze_linear",
      [](const Model& model, double integrator_tol) {
        const auto* linear = dynamic_cast<const LinearModel*>(&model);
        if (!linear) throw InputError("model", "needs a linear model, got a " + model.kind() + " model");
        LinearNetworkOptions o;
        o.integrator_tol = integrator_tol;
        return to_python_json(to_json(analyze_linear_network(*linear, o)));
      },
      py::arg("model"), py::arg("integrator_tol"));
  m.def(
      "_linear_closed_form",
      [](const Model& model, const Vector& v0, const std::vector<double>& times) {
        const auto* linear = dynamic_cast<const LinearModel*>(&model);
        if (!linear) throw InputError("model", "needs a linear model, got a " + model.kind() + " model");
        return linear_closed_form(*linear, v0, times);
      },
      py::arg("model"), py::arg("v0"), py::arg("times"));
}

}  // namespace rnndyn::python
