#pragma once
// One bind_<area> per file; each file registers its own (register_binding below, as a CLI command
// registers itself), and the single PYBIND11_MODULE in module.cpp runs them all.
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

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "rnndyn/analyses.hpp"
#include "rnndyn/core/enums.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn::python {

namespace py = pybind11;

/// A file's binding function: defines its classes and functions on the module.
using BindFn = void (*)(py::module_&);

/// Registers `bind` under `name` (the file's area, e.g. "basins"), to run once every registration
/// named in `after` has run: by default the core types and the models, which every area uses; an
/// area whose options hold another area's (basins' hold FixedPointOptions) names it too, so its
/// docstrings and default arguments see that class. Called from a file-scope
/// `const bool registered = register_binding(...)`, the file's only line outside itself.
bool register_binding(const char* name, BindFn bind, std::initializer_list<const char*> after = {"core", "models"});

/// Runs every registered binding once, each after those it names, ties in the order of their
/// names (deterministic, whatever the order of static initialisation). Throws std::logic_error for
/// an `after` naming no registration or a cycle.
void run_bindings(py::module_& m);

/// A Python function as a model (bind_callable.cpp) cannot raise its error inside an OpenMP
/// parallel region (the process would terminate), so it holds the error; these clear it before
/// and raise it after a library call. Both do nothing for other models.
void forget_callable_error(const Model& model);
void raise_callable_error(const Model& model);

/// fn() (a library call on `model`) with the GIL released. An error a Python callable model held
/// during the call is raised instead of the call's result, or of the call's own error (which
/// then only reports the NaNs the failed model returned).
template <class Fn>
auto call_released(const Model& model, Fn&& fn) -> decltype(fn()) {
  forget_callable_error(model);
  std::optional<decltype(fn())> result;
  try {
    py::gil_scoped_release release;
    result.emplace(fn());
  } catch (...) {
    raise_callable_error(model);
    throw;
  }
  raise_callable_error(model);
  return std::move(*result);
}

/// A JSON value as the Python object json.loads would give (dict, list, float, int, str, bool,
/// None); no text crosses the boundary.
py::object to_python(const nlohmann::json& j);

/// Adds `to_dict()` (the CLI's JSON of the result) and a short __repr__ to a bound result class.
template <class Result, class Class>
void def_to_dict(Class& cls) {
  cls.def(
      "to_dict", [](const Result& r) { return to_python(to_json(r)); },
      "The result as the plain dictionary the CLI prints as JSON.");
}

/// A result class of a registered analysis (rnndyn/analyses.hpp): `to_dict()`, the CLI's JSON with
/// its "analysis" key (the encoder with_analysis), and the read-only attribute `analysis`.
/// `name_of(result)` gives the row's name: fixed for most results (def_analysis_result below), the
/// row of the result's kind where several analyses share one result struct (HopfCurveResult).
template <class Result, class Class, class NameOf>
void def_shared_analysis_result(Class& cls, NameOf name_of) {
  cls.def(
      "to_dict", [name_of](const Result& r) { return to_python(with_analysis(to_json(r), name_of(r))); },
      "The result as the plain dictionary the CLI prints as JSON.");
  cls.def_property_readonly(
      "analysis", [name_of](const Result& r) { return std::string(name_of(r)); },
      "The analysis that wrote it: its name in rnndyn.analyses(), the JSON's \"analysis\"");
}
template <class Result, class Class>
void def_analysis_result(Class& cls, std::string_view name) {
  const std::string_view checked = analysis(name).name;  // a name missing from the registry throws here
  def_shared_analysis_result<Result>(cls, [checked](const Result&) { return checked; });
}

/// An enum bound under the to_string names of its `values` (str() gives that name too).
template <class E>
py::enum_<E> bind_text_enum(py::handle scope, const char* name, const char* doc, std::initializer_list<E> values) {
  py::enum_<E> e(scope, name, doc);
  for (E v : values) e.value(to_string(v).c_str(), v);
  e.def("__str__", [](E v) { return to_string(v); });
  return e;
}

/// A read-write enum field of an options class that also accepts the enum's text name;
/// `parse(text, field)` is the library's parser (a bad name raises ValueError naming the field).
template <class Class, class Options, class E, class Parse>
void def_enum_readwrite(Class& cls, const char* name, E Options::*member, Parse parse, const char* doc) {
  const std::string field = name;
  cls.def_property(
      name, [member](const Options& o) { return o.*member; },
      [member, parse, field](Options& o, const py::object& v) {
        o.*member = py::isinstance<py::str>(v) ? parse(v.cast<std::string>(), field) : v.cast<E>();
      },
      doc);
}

/// A read-only attribute holding a copy of the member (Eigen members as numpy arrays, complex
/// ones as complex arrays; lists for std::vector).
template <class Class, class Result, class T>
void def_readonly_copy(Class& cls, const char* name, T Result::*member, const char* doc) {
  cls.def_property_readonly(
      name, [member](const Result& r) -> T { return r.*member; }, doc);
}

/// `old_name`: the former name of the field `new_name`, read and written through it with a
/// DeprecationWarning. `doc` is a string literal.
template <class Class>
void def_deprecated_alias(Class& cls, const char* old_name, const char* new_name, const char* doc) {
  const std::string message = std::string(old_name) + " is deprecated: use " + new_name;
  auto warn = [message] {
    if (PyErr_WarnEx(PyExc_DeprecationWarning, message.c_str(), 1) != 0) throw py::error_already_set();
  };
  cls.def_property(
      old_name,
      [warn, new_name](const py::object& self) {
        warn();
        return self.attr(new_name);
      },
      [warn, new_name](const py::object& self, const py::object& value) {
        warn();
        self.attr(new_name) = value;
      },
      doc);
}

/// __copy__ / __deepcopy__ for an options class (rnndyn/_options.py copies the options it is given).
template <class Options, class Class>
void def_copy(Class& cls) {
  cls.def("__copy__", [](const Options& o) { return Options(o); })
      .def(
          "__deepcopy__", [](const Options& o, const py::dict&) { return Options(o); }, py::arg("memo"));
}

/// The ProgressCallback of a Python call: takes the GIL at each report, runs Python's signal
/// handlers (Ctrl-C raises KeyboardInterrupt, which stops the run and reaches the caller), then
/// calls `callback(progress)` unless it is None; a false return (not None) stops the run with
/// rnndyn.Interrupted. The callable is held so that copies of the callback never touch Python
/// reference counts without the GIL.
ProgressCallback python_progress(py::object callback);

/// Binds `name(model, options, progress=None)`: a front door `run(model, options)` whose options
/// carry a ProgressCallback, called with the GIL released (call_released) and Python's progress
/// callable (or None) as that callback.
template <class Result, class Options>
void def_with_progress(py::module_& m, const char* name, Result (*run)(const Model&, const Options&),
                       const char* doc = "") {
  m.def(
      name,
      [run](const Model& model, Options options, py::object progress) {
        options.progress = python_progress(std::move(progress));
        return call_released(model, [&] { return run(model, options); });
      },
      py::arg("model"), py::arg("options"), py::arg("progress") = py::none(), doc);
}

}  // namespace rnndyn::python
