#include "command.hpp"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/io/npy.hpp"

namespace rnndyn::cli {

namespace {
std::map<std::string, CommandSetup>& commands() {
  static std::map<std::string, CommandSetup> c;
  return c;
}
bool quiet_flag = false;
}  // namespace

bool register_command(const std::string& name, CommandSetup setup) {
  commands()[name] = std::move(setup);
  return true;
}

void setup_commands(CLI::App& app) {
  for (auto& [name, setup] : commands()) setup(app);
}

void add_output_option(CLI::App* sub, std::string& path) {
  sub->add_option("-o,--output", path, "Write the result to FILE instead of stdout (written whole or not at all)");
}

void write_text(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    std::cout.flush();
    return;
  }
  const std::filesystem::path target(path);
  std::filesystem::path tmp = target;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw InputError("output", "cannot write '" + path + "'");
    out << text;
    out.close();
    if (!out) {
      std::filesystem::remove(tmp);
      throw InputError("output", "failed writing '" + path + "'");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    std::filesystem::remove(tmp);
    throw InputError("output", "cannot write '" + path + "': " + ec.message());
  }
}

void write_json(const std::string& path, const nlohmann::json& j) { write_text(path, dump_readable(j) + "\n"); }

Vector parse_vector(const std::string& text, const std::string& field, Index n) {
  Vector v;
  if (!text.empty() && text[0] == '@') {
    const std::string file = text.substr(1);
    if (file.size() > 4 && file.substr(file.size() - 4) == ".npy") {
      const Matrix m = read_npy(file, field);
      if (m.cols() != 1 && m.rows() != 1) throw InputError(field, "'" + file + "' holds a matrix, expected a vector");
      v = m.cols() == 1 ? Vector(m.col(0)) : Vector(m.row(0).transpose());
    } else {
      std::ifstream in(file);
      if (!in) throw InputError(field, "cannot open '" + file + "'");
      std::stringstream ss;
      ss << in.rdbuf();
      return parse_vector(ss.str(), field, n);
    }
  } else {
    std::string body = text;
    const auto first = body.find_first_not_of(" \t\n");
    if (first != std::string::npos && body[first] == '[') {
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(body);
      } catch (const nlohmann::json::parse_error&) {
        throw InputError(field, "'" + text + "' is not a valid JSON list");
      }
      if (!j.is_array()) throw InputError(field, "expected a list of numbers");
      v.resize(static_cast<Index>(j.size()));
      for (size_t i = 0; i < j.size(); ++i) {
        if (!j[i].is_number()) throw InputError(field, "entry " + std::to_string(i) + " is not a number");
        v(static_cast<Index>(i)) = j[i].get<double>();
      }
    } else {
      std::vector<double> values;
      std::stringstream ss(body);
      std::string item;
      while (std::getline(ss, item, ',')) {
        size_t used = 0;
        double x = 0;
        try {
          x = std::stod(item, &used);
        } catch (const std::exception&) {
          throw InputError(field, "'" + item + "' is not a number (expected e.g. 1,2.5,-3)");
        }
        if (item.find_first_not_of(" \t\n", used) != std::string::npos)
          throw InputError(field, "'" + item + "' is not a number (expected e.g. 1,2.5,-3)");
        values.push_back(x);
      }
      v = Eigen::Map<Vector>(values.data(), static_cast<Index>(values.size()));
    }
  }
  if (n >= 0 && v.size() != n)
    throw InputError(
        field, "expected " + std::to_string(n) + " values (the model's dimension), got " + std::to_string(v.size()));
  for (Index i = 0; i < v.size(); ++i)
    if (!std::isfinite(v(i))) throw InputError(field, "entry " + std::to_string(i) + " is not finite");
  return v;
}

namespace {
std::vector<std::pair<std::string, double>>& overrides() {
  static std::vector<std::pair<std::string, double>> o;
  return o;
}
}  // namespace

void add_parameter_override(const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set", "expected NAME=VALUE (e.g. tau[1]=50), got '" + assignment + "'");
  const std::string value = assignment.substr(eq + 1);
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size() || !std::isfinite(v))
    throw InputError("--set", "value '" + value + "' of " + assignment.substr(0, eq) + " is not a finite number");
  overrides().emplace_back(assignment.substr(0, eq), v);
}

std::unique_ptr<Model> load_model_file(const std::string& path) {
  auto model = load_model(path);
  for (const auto& [name, value] : overrides()) model->set_parameter(name, value);
  return model;
}

Vector initial_state(const std::string& x0_option, const Model& model) {
  if (!x0_option.empty()) return parse_vector(x0_option, "x0", model.dim());
  return model.initial_state_or_zeros();
}

namespace {
std::string as_field(std::string name) {
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}
}  // namespace

const CLI::Validator& non_negative_integer() {
  static const CLI::Validator check(
      [](std::string& text) {
        const auto first = text.find_first_not_of(" \t");
        return first != std::string::npos && text[first] == '-' ? "must be a non-negative integer, got " + text
                                                                : std::string();
      },
      "UINT");
  return check;
}

void run_naming_options(const CLI::App& sub, const std::function<void()>& body) {
  try {
    body();
  } catch (const InputError& e) {
    const std::string& field = e.field();
    for (const CLI::Option* opt : sub.get_options()) {
      const auto& names = opt->get_lnames();
      if (field.empty() ||
          std::none_of(names.begin(), names.end(), [&](const std::string& n) { return as_field(n) == field; }))
        continue;
      std::string label = "--" + names.front();
      for (const auto& n : names)
        if (n.find('-') != std::string::npos) label = "--" + n;
      const std::string problem = std::string(e.what()).substr(field.size() + 2);
      throw InputError(label == "--" + field ? label : label + " (" + field + ")", problem);
    }
    throw;
  }
}

std::vector<std::string> given_fields(const CLI::App& sub) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : sub.get_options())
    if (opt->count() > 0)
      for (const auto& n : opt->get_lnames()) out.push_back(as_field(n));
  return out;
}

void set_quiet(bool quiet) { quiet_flag = quiet; }

void progress(const std::string& what, long done, long total) {
  if (quiet_flag) return;
  using clock = std::chrono::steady_clock;
  static clock::time_point last{};
  const auto now = clock::now();
  if (done < total && now - last < std::chrono::milliseconds(500)) return;
  last = now;
  std::fprintf(stderr, "rnndyn: %s %ld/%ld\n", what.c_str(), done, total);
}

}  // namespace rnndyn::cli
