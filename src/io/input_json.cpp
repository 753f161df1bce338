#include "rnndyn/io/input_json.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/matrix_file.hpp"

namespace rnndyn {

namespace {

std::string type_name(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "a list";
  return "an object";
}

double number(const nlohmann::json& v, const std::string& field) {
  if (!v.is_number()) throw InputError(field, "expected a number, got " + type_name(v));
  return v.get<double>();
}

std::vector<double> numbers(const nlohmann::json& v, const std::string& field) {
  if (v.is_number()) return {v.get<double>()};
  if (!v.is_array()) throw InputError(field, "expected a list of numbers, got " + type_name(v));
  std::vector<double> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(number(v[i], field + "[" + std::to_string(i) + "]"));
  return out;
}

std::string text(const nlohmann::json& v, const std::string& field) {
  if (!v.is_string()) throw InputError(field, "expected a string, got " + type_name(v));
  return v.get<std::string>();
}

Index whole(const nlohmann::json& v, const std::string& field, double lowest) {
  const double x = number(v, field);
  if (x != std::floor(x) || x < lowest || x > 9e15) throw InputError(field, "expected a whole number >= 0");
  return static_cast<Index>(x);
}

/// A series' samples: rows T x k; a flat list or a single-column file is one channel.
Matrix samples(const nlohmann::json& v, const std::string& field, const std::filesystem::path& base_dir) {
  if (v.is_string()) {
    std::filesystem::path p = v.get<std::string>();
    if (p.is_relative()) p = base_dir / p;
    return read_matrix_file(p.string(), field);
  }
  Matrix m = matrix_from_json(v, field, base_dir);
  if (m.size() == 0) throw InputError(field, "holds no samples");
  return m;  // a flat list comes back as a column: T samples of one channel
}

InputSignal one_signal(const nlohmann::json& j, const std::string& field, const std::filesystem::path& base_dir) {
  if (!j.is_object()) throw InputError(field, "expected an object such as {\"kind\": \"step\"}, got " + type_name(j));
  if (!j.contains("kind")) throw InputError(field + ".kind", "missing (one of series, clicks, poisson, noise, step)");
  InputSignal s;
  const auto key = [&](const std::string& k) { return field + "." + k; };
  s.kind = parse_input_kind(text(j.at("kind"), key("kind")), key("kind"));
  static const std::set<std::string> known{
      "kind", "channel", "values", "interpolation",    "dt",        "times", "signs",  "delta",  "width",
      "rate", "seed",    "sigma",  "correlation_time", "amplitude", "onset", "offset", "comment"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!known.count(it.key()) && (it.key().empty() || it.key()[0] != '_'))
      throw InputError(key(it.key()), "not a field of an input signal (a typo?)");
  if (j.contains("channel")) s.channel = whole(j.at("channel"), key("channel"), 0);
  if (j.contains("values")) s.values = samples(j.at("values"), key("values"), base_dir);
  if (j.contains("interpolation"))
    s.interpolation = parse_interpolation(text(j.at("interpolation"), key("interpolation")), key("interpolation"));
  if (j.contains("dt")) s.dt = number(j.at("dt"), key("dt"));
  if (j.contains("times")) s.times = numbers(j.at("times"), key("times"));
  if (j.contains("signs")) s.signs = numbers(j.at("signs"), key("signs"));
  if (j.contains("delta")) s.delta = number(j.at("delta"), key("delta"));
  if (j.contains("width")) s.width = number(j.at("width"), key("width"));
  if (j.contains("rate")) s.rate = number(j.at("rate"), key("rate"));
  if (j.contains("seed")) s.seed = static_cast<std::uint64_t>(whole(j.at("seed"), key("seed"), 0));
  if (j.contains("sigma")) s.sigma = number(j.at("sigma"), key("sigma"));
  if (j.contains("correlation_time")) s.correlation_time = number(j.at("correlation_time"), key("correlation_time"));
  if (j.contains("amplitude")) s.amplitude = number(j.at("amplitude"), key("amplitude"));
  if (j.contains("onset")) s.onset = number(j.at("onset"), key("onset"));
  if (j.contains("offset") && !j.at("offset").is_null()) s.offset = number(j.at("offset"), key("offset"));
  if (s.kind == InputKind::Series && s.values.size() == 0)
    throw InputError(key("values"), "missing: a series needs its samples (rows, or a .npy/.csv path)");
  return s;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::vector<InputSignal> input_signals_from_json(const nlohmann::json& j, const std::string& field,
                                                 const std::filesystem::path& base_dir) {
  std::vector<InputSignal> out;
  if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i)
      out.push_back(one_signal(j[i], field + "[" + std::to_string(i) + "]", base_dir));
  } else {
    out.push_back(one_signal(j, field, base_dir));
  }
  return out;
}

std::vector<InputSignal> parse_input_text(const std::string& t, const std::string& field) {
  const auto first = t.find_first_not_of(" \t\n");
  if (first != std::string::npos && (t[first] == '{' || t[first] == '['))
    return input_signals_from_json(parse_json_document(t, field, "'" + t + "'"), field);
  if (ends_with(t, ".npy") || ends_with(t, ".csv")) {
    InputSignal s;
    s.kind = InputKind::Series;
    s.values = read_matrix_file(t, field);
    return {s};
  }
  // A JSON file holding one signal or a list; its .npy/.csv paths are relative to it.
  std::ifstream probe(t);
  if (!probe) throw InputError(field, "cannot open '" + t + "' (expected inline JSON, a .json, .npy or .csv file)");
  std::stringstream buffer;
  buffer << probe.rdbuf();
  return input_signals_from_json(parse_json_document(buffer.str(), field, "'" + t + "'"), field,
                                 std::filesystem::path(t).parent_path());
}

nlohmann::json to_json(const InputSignal& s) {
  nlohmann::json j{{"kind", to_string(s.kind)}};
  switch (s.kind) {
    case InputKind::Series:
      j["values"] = to_json(s.values);
      j["interpolation"] = to_string(s.interpolation);
      j["dt"] = s.dt;
      break;
    case InputKind::Clicks:
      j["channel"] = s.channel;
      j["times"] = s.times;
      j["signs"] = s.signs;
      j["delta"] = s.delta;
      j["width"] = s.width;
      break;
    case InputKind::PoissonClicks:
      j["channel"] = s.channel;
      j["rate"] = s.rate;
      j["delta"] = s.delta;
      j["width"] = s.width;
      j["seed"] = s.seed;
      break;
    case InputKind::Noise:
      j["channel"] = s.channel;
      j["sigma"] = s.sigma;
      j["correlation_time"] = s.correlation_time;
      j["dt"] = s.dt;
      j["seed"] = s.seed;
      break;
    case InputKind::Step:
      j["channel"] = s.channel;
      j["amplitude"] = s.amplitude;
      j["onset"] = s.onset;
      j["offset"] = to_json_number(s.offset);  // null: never off
      break;
  }
  return j;
}

}  // namespace rnndyn
