#pragma once
// Python properties from the descriptions of options and result structs (core/describe.hpp):
// attribute = the field's key (= its JSON key), docstring = the doc line and, for options, the
// default of a default-constructed struct (so it cannot drift from C++). Options fields are
// read-write (enums also from their text names, parsed by the library's parser); result fields
// are read-only copies (Eigen members as numpy arrays).
#include <deque>
#include <string>

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

}  // namespace detail

/// Read-write properties for every field of the options struct S.
template <Described S, class Class>
void def_described_options(Class& cls) {
  static const S defaults{};
  for_each_field<S>([&](const auto& f) {
    const char* doc =
        detail::keep_doc(std::string(f.doc) + " (default: " + to_json_text(field_to_json(defaults.*(f.member))) + ")");
    if constexpr (EnumDescriptor<std::remove_cvref_t<decltype(f)>>)
      def_enum_readwrite(cls, f.key, f.member, f.parse, doc);
    else
      cls.def_readwrite(f.key, f.member, doc);
  });
}

/// Read-only properties (copies) for every field of the result struct S.
template <Described S, class Class>
void def_described_result(Class& cls) {
  for_each_field<S>([&](const auto& f) { def_readonly_copy(cls, f.key, f.member, f.doc); });
}

}  // namespace rnndyn::python
