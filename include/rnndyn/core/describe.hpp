#pragma once
/// One description per options and result struct (issue 32): for each field its key, its member,
/// one doc line (meaning and range; the default is read from a default-constructed struct, so it
/// cannot drift) and, for options, the CLI flag that sets it. The edges are generated from it:
///
///   to_json                 io/describe_json.hpp    every field under its key
///   Python properties       python/src/describe_bind.hpp   attribute = key, docstring = doc + default
///   CLI flags               cli/describe_cli.hpp    one option per flag; InputError(key) -> the flag
///
/// The key is the JSON key, the Python attribute and the name the library's InputError uses, so a
/// validation error of any field is reported under the flag the user typed. A new field is one
/// line of its struct's description.
///
/// A description sits next to its struct:
///
///   template <> struct Description<LyapunovOptions> {
///     static constexpr auto fields = std::make_tuple(
///         field("t_total", &LyapunovOptions::t_total, "Measured time (flows) or steps (maps), > 0", "--t"),
///         enum_field("integrator", &LyapunovOptions::integrator, &parse_tangent_stepper, "dopri5 or rk4",
///                    "--integrator"),
///         ...);
///   };
///
/// Enum fields carry the library's parser (text -> value, an InputError naming the field for a bad
/// name), which the CLI and Python use to accept the enum's text.
#include <string>
#include <tuple>
#include <type_traits>

namespace rnndyn {

/// A field: key, member, doc line, CLI flag (nullptr: none; "!--no-x" for a bool set false by --no-x).
template <class S, class T>
struct Field {
  using Struct = S;
  using Type = T;
  const char* key;
  T S::*member;
  const char* doc;
  const char* flag = nullptr;
};

/// An enum field, with the parser of its text names: parse(text, field_name).
template <class S, class E>
struct EnumField : Field<S, E> {
  E (*parse)(const std::string&, const std::string&) = nullptr;
};

template <class S, class T>
constexpr Field<S, T> field(const char* key, T S::*member, const char* doc, const char* flag = nullptr) {
  return {key, member, doc, flag};
}

template <class S, class E>
constexpr EnumField<S, E> enum_field(const char* key, E S::*member, E (*parse)(const std::string&, const std::string&),
                                     const char* doc, const char* flag = nullptr) {
  EnumField<S, E> f;
  f.key = key;
  f.member = member;
  f.doc = doc;
  f.flag = flag;
  f.parse = parse;
  return f;
}

/// Specialised next to each described struct with `static constexpr auto fields = std::make_tuple(...)`.
template <class S>
struct Description;

template <class S>
concept Described = requires {
  Description<S>::fields;
};

template <class F>
concept EnumDescriptor = requires(const F& f) {
  f.parse;
};

/// Calls fn(descriptor) for every field of S, in the order of its description.
template <Described S, class Fn>
constexpr void for_each_field(Fn&& fn) {
  std::apply([&](const auto&... f) { (fn(f), ...); }, Description<S>::fields);
}

}  // namespace rnndyn
