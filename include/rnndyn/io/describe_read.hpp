#pragma once
/// A described struct (core/describe.hpp) read from a JSON object: the reverse edge of
/// describe_json.hpp, for files a user writes (the reservoir's --config, its model file). Each
/// field present under its key is read by its type: a number for double, an integer (a JSON number
/// without a fractional part, within the type's range; >= 0 for unsigned) for the integer types,
/// true/false for bool, text for strings and enums (through the field's parser), a list of numbers
/// for std::vector<double>, an object for a nested described struct (its errors named
/// "<key>.<field>"). Errors are InputError(key as the user typed it, problem); ranges stay with
/// each struct's validate(), so the file and the command line share one check.
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {

/// How one object is read: `keep` lists keys left as they are (set elsewhere, e.g. on the command
/// line, which wins over a file), `required` the keys that must be present.
struct DescribedRead {
  std::vector<std::string> keep;
  std::vector<std::string> required;
};

/// The candidate nearest to `key` by edit distance, when near enough to be a likely typo (at most
/// 40 % of the longer name); empty otherwise.
std::string closest_key(const std::string& key, const std::vector<std::string>& candidates);

/// "unknown key; did you mean 'g'?" or "unknown key" (the problem of InputError(key, ...)).
std::string unknown_key_problem(const std::string& key, const std::vector<std::string>& candidates);

/// The keys of S's description, in order.
template <Described S>
std::vector<std::string> described_keys() {
  std::vector<std::string> keys;
  for_each_field<S>([&](const auto& f) { keys.push_back(f.key); });
  return keys;
}

template <Described S>
void described_from_json(const nlohmann::json& j, S& s, const DescribedRead& how = {}, const std::string& prefix = "");

namespace detail {

inline std::string described_json_type(const nlohmann::json& v) { return v.type_name(); }

/// One value of type T from v; `key` names it in errors.
template <class T>
T value_from_json(const nlohmann::json& v, const std::string& key) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) throw InputError(key, "expected true or false, got " + described_json_type(v));
    return v.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (!v.is_number()) throw InputError(key, "expected a number, got " + described_json_type(v));
    if (v.is_number_integer()) {
      // Compared as the JSON holds it (signed or unsigned 64 bits), so nothing wraps on the way.
      if (v.is_number_unsigned()) {
        const auto x = v.get<std::uint64_t>();
        if (x > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) throw InputError(key, "out of range");
        return static_cast<T>(x);
      }
      const auto x = v.get<std::int64_t>();
      if constexpr (std::is_unsigned_v<T>) {
        if (x < 0) throw InputError(key, "must be a non-negative integer");
      } else {
        if (x < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
            x > static_cast<std::int64_t>(std::numeric_limits<T>::max()))
          throw InputError(key, "out of range");
      }
      return static_cast<T>(x);
    }
    const double x = v.get<double>();  // 40.5, or 40.0 as a writer of floats gives it
    if (!std::isfinite(x) || x != std::floor(x)) throw InputError(key, "must be an integer");
    if (std::is_unsigned_v<T> && x < 0) throw InputError(key, "must be a non-negative integer");
    if (x < static_cast<double>(std::numeric_limits<T>::min()) ||
        x >= static_cast<double>(std::numeric_limits<T>::max()))
      throw InputError(key, "out of range");
    return static_cast<T>(x);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) throw InputError(key, "expected a number, got " + described_json_type(v));
    return v.get<T>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) throw InputError(key, "expected a string, got " + described_json_type(v));
    return v.get<std::string>();
  } else if constexpr (requires { typename T::value_type; }) {
    if (!v.is_array()) throw InputError(key, "expected a list, got " + described_json_type(v));
    T out;
    for (std::size_t i = 0; i < v.size(); ++i)
      out.push_back(value_from_json<typename T::value_type>(v[i], key + "[" + std::to_string(i) + "]"));
    return out;
  } else {
    static_assert(sizeof(T) == 0, "described_from_json: no JSON reader for this field's type");
  }
}

}  // namespace detail

/// Reads the fields of S present in the object j into s (the others keep their values); a nested
/// described struct is read field by field into the one s holds, so its absent fields keep theirs.
/// Keys of j that S does not describe are left to the caller (a file may hold keys of several
/// structs): see described_keys and unknown_key_problem.
template <Described S>
void described_from_json(const nlohmann::json& j, S& s, const DescribedRead& how, const std::string& prefix) {
  const auto listed = [](const std::vector<std::string>& keys, const std::string& k) {
    for (const auto& x : keys)
      if (x == k) return true;
    return false;
  };
  for (const auto& key : how.required)
    if (!j.contains(key) || j.at(key).is_null()) throw InputError(prefix + key, "missing required key");
  for_each_field<S>([&](const auto& f) {
    using T = typename std::decay_t<decltype(f)>::Type;
    if (!j.contains(f.key) || listed(how.keep, f.key)) return;
    const nlohmann::json& v = j.at(f.key);
    const std::string key = prefix + f.key;
    if constexpr (EnumDescriptor<std::decay_t<decltype(f)>>) {
      if (!v.is_string()) throw InputError(key, "expected a string, got " + detail::described_json_type(v));
      s.*(f.member) = f.parse(v.get<std::string>(), key);
    } else if constexpr (Described<T>) {
      if (!v.is_object())
        throw InputError(key, "expected an object of its fields, got " + detail::described_json_type(v));
      const std::vector<std::string> known = described_keys<T>();
      for (auto it = v.begin(); it != v.end(); ++it)
        if (!listed(known, it.key())) throw InputError(key + "." + it.key(), unknown_key_problem(it.key(), known));
      described_from_json(v, s.*(f.member), {}, key + ".");
    } else {
      s.*(f.member) = detail::value_from_json<T>(v, key);
    }
  });
}

}  // namespace rnndyn
