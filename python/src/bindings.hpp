#pragma once
// One bind_<area> per file, gathered by the single PYBIND11_MODULE in module.cpp.
//
// Conventions (every area follows them):
//  - options structs are bound as classes with py::init<>() and def_readwrite for every field,
//    so Python sees the C++ defaults and never restates them; nested option structs are
//    attributes (options.stability.marginal_tol);
//  - results are bound as classes with def_readonly fields (Eigen vectors and matrices arrive as
//    numpy arrays, complex ones as complex arrays; copied on access) plus `to_dict()`, which is
//    to_python(to_json(result)): the CLI's JSON, by construction;
//  - each analysis is one m.def that calls the library's front door with the GIL released;
//  - enums are bound with py::enum_ and also accepted as their text names where an options
//    field is set from Python (rnndyn/_options.py).
#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <string>

namespace rnndyn::python {

namespace py = pybind11;

void bind_core(py::module_& m);
void bind_models(py::module_& m);
void bind_simulate(py::module_& m);
void bind_linearize(py::module_& m);
void bind_fixed_points(py::module_& m);
void bind_continuation(py::module_& m);
void bind_lyapunov(py::module_& m);
void bind_perturbation(py::module_& m);
void bind_reservoir(py::module_& m);
void bind_limit_cycle(py::module_& m);  // transitional (bind_analyses.cpp)

/// A JSON value as the Python object json.loads would give (dict, list, float, int, str, bool,
/// None); no text crosses the boundary.
py::object to_python(const nlohmann::json& j);

/// Transitional: the areas not yet bound as real types still hand JSON text to rnndyn/_results.py.
inline std::string to_python_json(const nlohmann::json& j) { return j.dump(); }

/// Adds `to_dict()` (the CLI's JSON of the result) and a short __repr__ to a bound result class.
template <class Result, class Class>
void def_to_dict(Class& cls) {
  cls.def(
      "to_dict", [](const Result& r) { return to_python(to_json(r)); },
      "The result as the plain dictionary the CLI prints as JSON.");
}

}  // namespace rnndyn::python
