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
///
/// Results whose keys depend on the run need a few more words (results only: no flag, no reader):
///
///   when(field(...), &has_map)     the key is written only where has_map(s) (Python's attribute
///                                  reads the member in every run)
///   encoded(field(...), &rows)     the JSON of the value where the generic one does not fit (a
///                                  matrix written one state per row); Python keeps the member
///   group("unsettled", doc, field("count", &S::n_unsettled, ...), ...)
///                                  several members under one key, as a sub-object (Python: a dict)
///
///   view("eigenvalues", doc, +[](const S& s) { return s.eigen.eigenvalues; })
///                                  a key that reads another member (a copy at the top, a member of
///                                  a member, cells re-arranged as a grid): a read, never a
///                                  computation (to_json stays pure);
///                                  Python: a read-only attribute of the same value
///
///   merged(field("numeric", &S::numeric, doc))
///                                  a described member (or std::optional of one) whose own keys
///                                  are written at the top of S's object, not under its key
///                                  (nothing where the optional is empty; a later part's key
///                                  replaces an earlier one's); Python: the member under its key
///                                  (None where empty), and the result answers to the part's
///                                  attributes too, from the first part that is set and has it
///                                  (FixedPointResult: exact, numeric, starts and interval parts)
///
/// A std::vector (or a std::map keyed by text) of a described struct is a list (an object) of its
/// elements' objects, in JSON and in Python (of the bound element class); a std::optional, a
/// member's or a view's, is written only where it is set (Python: None where not); an Eigen matrix
/// of integers or bools (a grid) is a list of rows (Python: a numpy array); nothing to declare.
#include <string>
#include <tuple>
#include <type_traits>

#include <nlohmann/json_fwd.hpp>

#include "rnndyn/core/types.hpp"

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
  bool (*present)(const S&) = nullptr;           ///< when(): written only where present(s); nullptr: always
  nlohmann::json (*encode)(const T&) = nullptr;  ///< encoded(): its JSON; nullptr: the generic one
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

/// Several fields of S under one key, as a sub-object (results only).
template <class S, class... F>
struct Group {
  using Struct = S;
  const char* key;
  const char* doc;
  std::tuple<F...> fields;
  bool (*present)(const S&) = nullptr;
};

template <class F0, class... F>
constexpr Group<typename F0::Struct, F0, F...> group(const char* key, const char* doc, F0 first, F... rest) {
  return {key, doc, std::make_tuple(first, rest...)};
}

/// A key whose value reads other members of S (results only): get(s), which only reads.
template <class S, class T>
struct View {
  using Struct = S;
  using Type = T;
  const char* key;
  const char* doc;
  T (*get)(const S&);
  bool (*present)(const S&) = nullptr;
};

/// A view: `+[](const S& s) { return s.options.from; }` (the + makes the lambda a function pointer).
template <class S, class T>
constexpr View<S, T> view(const char* key, const char* doc, T (*get)(const S&)) {
  return {key, doc, get};
}

/// A field whose described value's keys are written at the top of its struct's object (results only).
template <class F>
struct Merged : F {
  static constexpr bool merged = true;
};

/// merged(field(...)): the member's keys at the top level (see the header comment).
template <class F>
constexpr Merged<F> merged(F f) {
  return {f};
}

/// The field or group `d`, written only where present(s) holds (a key that only some runs have).
template <class D>
constexpr D when(D d, bool (*present)(const typename D::Struct&)) {
  d.present = present;
  return d;
}

/// The field `f`, its JSON written by encode (where the generic encoder does not fit).
template <class F>
constexpr F encoded(F f, nlohmann::json (*encode)(const typename F::Type&)) {
  f.encode = encode;
  return f;
}

/// Encoders that descriptions name (io/json_utils.cpp): states kept one per column, written one per row.
nlohmann::json to_json_states(const Matrix& states);
/// null for an empty vector or text (a value a run does not have), else the value.
nlohmann::json to_json_or_null(const Vector& v);
nlohmann::json to_json_or_null(const std::string& s);

/// Specialised next to each described struct with `static constexpr auto fields = std::make_tuple(...)`.
template <class S>
struct Description;

template <class S>
concept Described = requires {
  Description<S>::fields;
};

template <class F>
concept GroupDescriptor = requires(const F& f) {
  f.fields;
};

template <class F>
concept ViewDescriptor = requires(const F& f) {
  f.get;
};

template <class F>
concept MergedDescriptor = requires {
  F::merged;
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
