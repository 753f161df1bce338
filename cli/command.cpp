#include "command.hpp"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "rnndyn/analyses.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/matrix_file.hpp"
#include "rnndyn/io/model_io.hpp"

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

namespace {
/// The first word of a registry row's command ("fixed-points --cycles" -> "fixed-points").
std::string command_of(const Analysis& a) { return std::string(a.cli.substr(0, a.cli.find(' '))); }

/// The registered commands must be the registry's: every analysis has its command, every command
/// is an analysis's or a tool's.
void check_against_registry() {
  std::set<std::string> expected(kCliTools.begin(), kCliTools.end());
  for (const Analysis& a : kAnalyses) expected.insert(command_of(a));
  std::set<std::string> registered;
  for (const auto& entry : commands()) registered.insert(entry.first);
  if (registered != expected)
    throw std::logic_error("rnndyn: the CLI's commands differ from the registry of analyses (analyses.hpp)");
}
}  // namespace

void setup_commands(CLI::App& app) {
  check_against_registry();
  for (auto& [name, setup] : commands()) setup(app);
}

CLI::App* add_analysis_command(CLI::App& app, std::string_view name) {
  const Analysis& a = analysis(name);
  return app.add_subcommand(command_of(a), std::string(a.summary));
}

void write_result(const std::string& path, std::string_view name, const nlohmann::json& j) {
  write_json(path, with_analysis(j, name));
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
  return parse_vector_text(text, field, n);
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
  for (const auto& [name, value] : overrides()) {
    try {
      model->set_parameter(name, value);
    } catch (const InputError& e) {
      // "parameter: 'tau[0]': must be > 0 ..." names the flag that gave the value instead.
      throw InputError("--set", e.problem());
    }
  }
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

void rethrow_naming_option(const CLI::App& sub, const InputError& e,
                           const std::map<std::string, std::string>& renames) {
  const std::string& field = e.field();
  const std::string& problem = e.problem();
  std::string label;
  if (field.rfind("--", 0) == 0) throw e;  // already the flag as typed (e.g. --input[1].width)
  if (const auto it = renames.find(field); it != renames.end()) {
    label = it->second;
  } else if (!field.empty()) {
    // The option spelling the field's last component; get_option_no_throw also searches the
    // subcommand's option groups.
    std::string last = field.substr(field.rfind('.') == std::string::npos ? 0 : field.rfind('.') + 1);
    const CLI::Option* opt = sub.get_option_no_throw("--" + last);
    std::replace(last.begin(), last.end(), '_', '-');
    if (!opt) opt = sub.get_option_no_throw("--" + last);
    if (opt) {
      const auto& names = opt->get_lnames();
      label = "--" + names.front();
      for (const auto& n : names)
        if (n.find('-') != std::string::npos) label = "--" + n;
    }
  }
  if (label.empty()) throw e;
  // The flag as the user typed it, not the options field behind it (--atol, not abs_tol).
  throw InputError(label, problem);
}

void parse_box(const std::string& text, const std::string& flag, Vector& lo, Vector& hi) {
  const Vector v = parse_vector_text(text, flag);
  if (v.size() < 2 || v.size() % 2 != 0)
    throw InputError(flag,
                     "expected \"lo,hi\" or lo,hi for every dimension, got " + std::to_string(v.size()) + " numbers");
  lo = Eigen::Map<const Vector, 0, Eigen::InnerStride<2>>(v.data(), v.size() / 2);
  hi = Eigen::Map<const Vector, 0, Eigen::InnerStride<2>>(v.data() + 1, v.size() / 2);
}

std::vector<std::string> given_fields(const CLI::App& sub) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : sub.get_options())
    if (opt->count() > 0)
      for (const auto& n : opt->get_lnames()) out.push_back(as_field(n));
  return out;
}

void set_quiet(bool quiet) { quiet_flag = quiet; }
bool is_quiet() { return quiet_flag; }

ProgressCallback progress_reporter(const std::string& command) {
  // A line every 2 s after the first second: silent for quick runs, alive for long ones.
  auto last = std::make_shared<double>(-1.0);
  return [command, last](const Progress& p) {
    if (quiet_flag || p.elapsed_seconds < 1.0 || p.elapsed_seconds - *last < 2.0) return true;
    *last = p.elapsed_seconds;
    std::string share;
    if (p.fraction >= 0.0)
      share = " " + std::to_string(static_cast<int>(p.fraction * 1000.0) / 10.0).substr(0, 5) + "% done,";
    std::fprintf(stderr, "rnndyn %s: %s%s %lld steps, %lld found, %.1f s (Ctrl-C stops)\n", command.c_str(),
                 p.stage.c_str(), share.c_str(), static_cast<long long>(p.done), static_cast<long long>(p.found),
                 p.elapsed_seconds);
    return true;
  };
}

std::string python_interpreter() {
  if (const char* env = std::getenv("RNNDYN_PYTHON"); env && *env) return env;
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path beside = self.parent_path() / "python3";
    if (access(beside.c_str(), X_OK) == 0) return beside.string();
  }
  return "python3";  // execvp searches PATH
}

}  // namespace rnndyn::cli
