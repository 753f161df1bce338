#pragma once
// Python properties from the descriptions of options and result structs (core/describe.hpp):
// attribute = the field's key (= its JSON key), docstring = the doc line and, for options, the
// default of a default-constructed struct (so it cannot drift from C++). Options fields are
// read-write (enums also from their text names, parsed by the library's parser); result fields
// are read-only copies (Eigen members as numpy arrays). A key that is a Python keyword takes a
// trailing underscore (from -> from_).
#include <algorithm>
#include <deque>
#include <string>
#include <type_traits>

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

/// Read-only properties (copies) for every field of the result struct S.
template <Described S, class Class>
void def_described_result(Class& cls) {
  for_each_field<S>([&](const auto& f) { def_readonly_copy(cls, detail::python_name(f.key), f.member, f.doc); });
}

}  // namespace rnndyn::python
