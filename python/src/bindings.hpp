#pragma once
// One bind_<area> per file, gathered by the single PYBIND11_MODULE in module.cpp.
#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <string>

namespace rnndyn::python {

namespace py = pybind11;

void bind_models(py::module_& m);
void bind_simulate(py::module_& m);
void bind_linearize(py::module_& m);
void bind_fixed_points(py::module_& m);
void bind_continuation(py::module_& m);
void bind_lyapunov(py::module_& m);
void bind_perturbation(py::module_& m);
void bind_reservoir(py::module_& m);

/// Results cross into Python as JSON text; rnndyn/_results.py turns them into Result objects.
inline std::string to_python_json(const nlohmann::json& j) { return j.dump(); }

}  // namespace rnndyn::python
