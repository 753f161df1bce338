#pragma once
// Python properties from the descriptions of options and result structs (core/describe.hpp):
// attribute = the field's key (= its JSON key), docstring = the doc line and, for options, the
// default of a default-constructed struct (so it cannot drift from C++). Options fields are
// read-write (enums also from their text names, parsed by the library's parser); result fields
// are read-only copies (Eigen members as numpy arrays, vectors and maps of described structs lists
// and dicts of their bound classes); a field the JSON writes only in some runs (when()) reads its
// member in every run (the empty or default value the JSON leaves out), a group (group()) reads as
// the dict its JSON is, or None where it is left out. A result's RunInfo member is the attribute
// `info` (the JSON writes its keys flat). A merged part (merged()) is the attribute of its key (the
// part itself, None where the optional is empty), and the result answers to the attributes of its
// parts too (__getattr__: the first part, in the description's order, that is set and has it), as
// the JSON has the parts' keys at the top. A key that is a Python keyword takes a trailing
// underscore (from -> from_).
#include <algorithm>
#include <deque>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "bindings.hpp"
#include "rnndyn/core/describe.hpp"
#include "rnndyn/io/describe_json.hpp"

namespace rnndyn::python {

namespace detail {

/// Docstrings must outlive the module's classes: kept here for the life of the process.
inline const char* keep_doc(std::string text) {
  static std::deque<std::string> docs;
  docs.push_back(std::move(text));
  return docs.back().c_str();
}

/// The attribute of a key: the key, with a trailing underscore when it is a Python keyword.
inline const char* python_name(const char* key) {
  static const char* const keywords[] = {"False",  "None",   "True",    "and",      "as",       "assert", "async",
                                         "await",  "break",  "class",   "continue", "def",      "del",    "elif",
                                         "else",   "except", "finally", "for",      "from",     "global", "if",
                                         "import", "in",     "is",      "lambda",   "nonlocal", "not",    "or",
                                         "pass",   "raise",  "return",  "try",      "while",    "with",   "yield"};
  const std::string k = key;
  if (std::none_of(std::begin(keywords), std::end(keywords), [&](const char* w) { return k == w; })) return key;
  return keep_doc(k + "_");
}

/// A result's value as Python sees it: a copy (Eigen members numpy arrays, containers of described
/// structs lists and dicts of their classes); an enum the module binds is its class, one it does
/// not (FixedPointStatus) its text, as the JSON writes it.
template <class T>
py::object result_value(const T& v) {
  if constexpr (std::is_enum_v<T>)
    if (py::detail::get_type_info(typeid(T)) == nullptr) return py::str(to_string(v));
  return py::cast(v);
}

}  // namespace detail

/// Read-write properties for every field of the options struct S.
template <Described S, class Class>
void def_described_options(Class& cls) {
  static const S defaults{};
  for_each_field<S>([&](const auto& f) {
    using T = typename std::remove_cvref_t<decltype(f)>::Type;
    std::string text = f.doc;  // the default of a plain value (nested structs show their own)
    if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T> || std::is_same_v<T, std::string>)
      text += " (default: " + to_json_text(field_to_json(defaults.*(f.member))) + ")";
    const char* doc = detail::keep_doc(std::move(text));
    if constexpr (EnumDescriptor<std::remove_cvref_t<decltype(f)>>)
      def_enum_readwrite(cls, detail::python_name(f.key), f.member, f.parse, doc);
    else
      cls.def_readwrite(detail::python_name(f.key), f.member, doc);
  });
}

/// Read-only properties (copies) for every field of the result struct S but those `by_hand`, which
/// the binding defines itself in the form Python wants (a list of labels as a numpy array).
template <Described S, class Class>
void def_described_result(Class& cls, std::initializer_list<std::string_view> by_hand = {}) {
  std::vector<const char*> parts;  // the merged parts' attributes, in order
  for_each_field<S>([&](const auto& f) {
    if constexpr (MergedDescriptor<std::remove_cvref_t<decltype(f)>>) parts.push_back(detail::python_name(f.key));
    if (std::find(by_hand.begin(), by_hand.end(), std::string_view(f.key)) != by_hand.end()) return;
    using D = std::remove_cvref_t<decltype(f)>;
    if constexpr (GroupDescriptor<D>) {
      cls.def_property_readonly(
          detail::python_name(f.key),
          [f](const S& r) -> py::object {
            nlohmann::json j = nlohmann::json::object();
            write_described(j, r, f);
            return j.contains(f.key) ? to_python(j[f.key]) : py::none();
          },
          f.doc);
    } else if constexpr (ViewDescriptor<D>) {
      cls.def_property_readonly(
          detail::python_name(f.key), [f](const S& r) { return detail::result_value(f.get(r)); }, f.doc);
    } else if constexpr (MergedDescriptor<D>) {
      cls.def_readonly(detail::python_name(f.key), f.member, f.doc);  // the part itself, not a copy (__getattr__)
    } else {
      cls.def_property_readonly(
          detail::python_name(f.key), [f](const S& r) { return detail::result_value(r.*(f.member)); }, f.doc);
    }
  });
  // A result's run info (the member to_json writes flat: model, time, elapsed_seconds) as one object.
  if constexpr (HasRunInfo<S>)
    cls.def_readonly("info", &S::info, "Model kind, 'continuous' or 'discrete', elapsed seconds");
  if (parts.empty()) return;
  cls.def("__getattr__", [parts](py::object self, const std::string& name) -> py::object {
    if (!name.empty() && name[0] != '_') {
      for (const char* part_name : parts) {
        py::object part = self.attr(part_name);
        if (!part.is_none() && py::hasattr(part, name.c_str())) return part.attr(name.c_str());
      }
    }
    throw py::attribute_error("'" + py::str(py::type::of(self).attr("__name__")).cast<std::string>() +
                              "' object has no attribute '" + name + "'");
  });
}

}  // namespace rnndyn::python
