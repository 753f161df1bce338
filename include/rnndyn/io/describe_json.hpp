#pragma once
/// JSON of a described struct (core/describe.hpp): an object with every field under its key, in the
/// order of the description. Numbers that are not finite become null (to_json_number), enums their
/// text (to_string), complex numbers [re, im], vectors and matrices lists (json_utils.hpp), described structs objects,
/// std::vector lists of their elements' JSON, maps keyed by text objects of their values' JSON.
/// A field with an encoder (encoded()) is written by it, one with a predicate (when()) only where
/// it holds, a std::optional only where it is set, a group as a sub-object of its fields, a view
/// as the value it reads (an optional one only where set), a merged field as its value's keys at
/// the top. Eigen matrices of integers or bools (grids) are lists of rows.
///
/// `to_json(s)` of any described struct is that object and, for a result (a member `info`, the
/// RunInfo its front door fills), the run info (add_run_info: model, time, elapsed_seconds). A
/// result that is also built outside its front door, nested in another, says where it has none:
/// `static constexpr bool (*run_info_when)(const S&)` in its description. This template is the
/// whole JSON writer of a described analysis: no `<name>_json.cpp` (a described struct must have
/// no hand-written to_json overload beside it, which would win where it is declared and lose
/// where it is not).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

template <Described S>
nlohmann::json described_to_json(const S& s);

// The hand-written encoders of the structs that descriptions nest but that are not described
// themselves: declared here, so that a described result's JSON is the same wherever to_json(r)
// is instantiated (a CLI command, a binding), whatever else that file includes.
struct Stability;
struct InputSignal;
nlohmann::json to_json(const Stability& s);    ///< io/result_json.cpp: its class and counts
nlohmann::json to_json(const InputSignal& s);  ///< io/input_json.cpp: its kind's own keys

/// One value as JSON.
template <class T>
nlohmann::json field_to_json(const T& v) {
  if constexpr (std::is_same_v<T, double>) {
    return to_json_number(v);
  } else if constexpr (std::is_enum_v<T>) {
    return to_string(v);
  } else if constexpr (Described<T>) {
    return described_to_json(v);
  } else if constexpr (std::is_same_v<T, Complex> || std::is_same_v<T, Vector> || std::is_same_v<T, Matrix> ||
                       std::is_same_v<T, ComplexVector> || std::is_same_v<T, ComplexMatrix>) {
    return to_json(v);
  } else if constexpr (requires {
                         typename T::Scalar;
                         v.rows();
                         v.cols();
                       }) {
    nlohmann::json out = nlohmann::json::array();  // integer or bool grids (Index, bool): rows
    for (Eigen::Index r = 0; r < v.rows(); ++r) {
      nlohmann::json row = nlohmann::json::array();
      for (Eigen::Index c = 0; c < v.cols(); ++c) row.push_back(field_to_json(v(r, c)));
      out.push_back(std::move(row));
    }
    return out;
  } else if constexpr (
      std::is_class_v<T> && !requires { typename T::value_type; } && requires { to_json(v); }) {
    return to_json(v);  // a struct with a hand-written to_json (not yet described)
  } else if constexpr (requires {
                         typename T::mapped_type;
                         requires std::is_same_v<typename T::key_type, std::string>;
                       }) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : v) out[key] = field_to_json(value);
    return out;
  } else if constexpr (
      requires { typename T::value_type; } && !std::is_same_v<T, std::string> && !requires { typename T::key_type; }) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : v) out.push_back(field_to_json(e));
    return out;
  } else {
    return nlohmann::json(v);  // bool, integers, strings, maps of those
  }
}

/// A default or value as text for help and docstrings: strings bare, everything else as JSON.
inline std::string to_json_text(const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

template <class T>
constexpr bool is_optional_v = false;
template <class T>
constexpr bool is_optional_v<std::optional<T>> = true;

/// One field or group of s into j, under its key (nothing where its predicate says absent).
template <class S, class D>
void write_described(nlohmann::json& j, const S& s, const D& f) {
  if (f.present && !f.present(s)) return;
  if constexpr (GroupDescriptor<D>) {
    nlohmann::json g = nlohmann::json::object();
    std::apply([&](const auto&... member) { (write_described(g, s, member), ...); }, f.fields);
    j[f.key] = std::move(g);
  } else if constexpr (ViewDescriptor<D>) {
    if constexpr (is_optional_v<typename D::Type>) {
      if (const auto v = f.get(s)) j[f.key] = field_to_json(*v);
    } else {
      j[f.key] = field_to_json(f.get(s));
    }
  } else if constexpr (MergedDescriptor<D>) {
    const auto& v = s.*(f.member);
    if constexpr (is_optional_v<typename D::Type>) {
      if (v) j.update(described_to_json(*v));
    } else {
      j.update(described_to_json(v));
    }
  } else if constexpr (is_optional_v<typename D::Type>) {
    if (const auto& v = s.*(f.member)) j[f.key] = field_to_json(*v);
  } else {
    j[f.key] = f.encode ? f.encode(s.*(f.member)) : field_to_json(s.*(f.member));
  }
}

template <Described S>
nlohmann::json described_to_json(const S& s) {
  nlohmann::json j = nlohmann::json::object();
  for_each_field<S>([&](const auto& f) { write_described(j, s, f); });
  return j;
}

/// A result: a member `info`, the RunInfo its front door fills (JSON: flat keys; Python: `info`).
template <class S>
concept HasRunInfo = requires(const S& s) {
  requires std::is_same_v<std::remove_cvref_t<decltype(s.info)>, RunInfo>;
};

template <Described S>
nlohmann::json to_json(const S& s) {
  nlohmann::json j = described_to_json(s);
  if constexpr (HasRunInfo<S>) {
    if constexpr (requires { Description<S>::run_info_when; }) {
      if (!Description<S>::run_info_when(s)) return j;
    }
    add_run_info(j, s.info);
  }
  return j;
}

}  // namespace rnndyn
