#include "rnndyn/io/json_utils.hpp"

#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

#include "rnndyn/analyses.hpp"
#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/enums.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {

nlohmann::json to_json_number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

void add_run_info(nlohmann::json& j, const RunInfo& info) {
  if (!info.model.empty()) j["model"] = info.model;
  j["time"] = to_string(info.time);
  j["elapsed_seconds"] = info.elapsed_seconds;
}

nlohmann::json with_analysis(nlohmann::json j, std::string_view name) {
  if (!find_analysis(name)) throw std::logic_error("with_analysis: '" + std::string(name) + "' is not registered");
  j["analysis"] = std::string(name);
  return j;
}

nlohmann::json to_json(const Vector& v) {
  nlohmann::json out = nlohmann::json::array();
  for (Index i = 0; i < v.size(); ++i) out.push_back(to_json_number(v(i)));
  return out;
}

nlohmann::json to_json(const Matrix& m) {
  nlohmann::json out = nlohmann::json::array();
  for (Index i = 0; i < m.rows(); ++i) out.push_back(to_json(Vector(m.row(i).transpose())));
  return out;
}

nlohmann::json to_json_states(const Matrix& states) { return to_json(Matrix(states.transpose())); }

nlohmann::json to_json_or_null(const Vector& v) { return v.size() ? to_json(v) : nlohmann::json(nullptr); }

nlohmann::json to_json_or_null(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

nlohmann::json to_json(Complex z) {
  return nlohmann::json::array({to_json_number(z.real()), to_json_number(z.imag())});
}

nlohmann::json to_json(const ComplexVector& v) {
  nlohmann::json out = nlohmann::json::array();
  for (Index i = 0; i < v.size(); ++i) out.push_back(to_json(v(i)));
  return out;
}

nlohmann::json to_json(const ComplexMatrix& m) {
  nlohmann::json out = nlohmann::json::array();
  for (Index i = 0; i < m.rows(); ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (Index j = 0; j < m.cols(); ++j) row.push_back(to_json(m(i, j)));
    out.push_back(row);
  }
  return out;
}

namespace {

bool is_flat(const nlohmann::json& j, int depth) {
  if (!j.is_array()) return !j.is_object();
  if (depth == 0) return false;
  for (const auto& e : j)
    if (!is_flat(e, depth - 1)) return false;
  return true;
}

void dump_into(const nlohmann::json& j, int indent, int level, std::string& out) {
  // Rows of numbers, rows of [re, im] pairs: one line each.
  if (!j.is_structured() || j.empty() || is_flat(j, 2)) {
    out += j.dump();
    return;
  }
  const std::string pad(static_cast<size_t>(indent * (level + 1)), ' ');
  const std::string close_pad(static_cast<size_t>(indent * level), ' ');
  out += j.is_object() ? "{\n" : "[\n";
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!first) out += ",\n";
    first = false;
    out += pad;
    if (j.is_object()) out += nlohmann::json(it.key()).dump() + ": ";
    dump_into(*it, indent, level + 1, out);
  }
  out += "\n" + close_pad + (j.is_object() ? "}" : "]");
}

}  // namespace

nlohmann::json parse_json_document(const std::string& text, const std::string& field, const std::string& what) {
  // nlohmann keeps the last of two equal keys silently; the parser callback sees every key of
  // every object, so a stack of key sets (one per open object) catches the repeat.
  std::vector<std::set<std::string>> open_objects;
  const auto check_keys = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      open_objects.emplace_back();
    } else if (event == Event::object_end) {
      if (!open_objects.empty()) open_objects.pop_back();
    } else if (event == Event::key && !open_objects.empty()) {
      const std::string key = parsed.get<std::string>();
      if (!open_objects.back().insert(key).second) throw InputError(key, "given twice in " + what + " (duplicate key)");
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text, check_keys);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(field, what + " is not valid JSON (byte " + std::to_string(e.byte) + ")");
  } catch (const nlohmann::json::out_of_range& e) {
    // Error 406, "number overflow parsing '1e400'": keep the number, drop the library's tag.
    std::string message = e.what();
    const auto tag_end = message.find("] ");
    if (tag_end != std::string::npos) message = message.substr(tag_end + 2);
    throw InputError(field, what + ": " + message + " (beyond the range of a double)");
  }
}

std::string dump_readable(const nlohmann::json& j, int indent) {
  std::string out;
  dump_into(j, indent, 0, out);
  return out;
}

}  // namespace rnndyn
