#pragma once
// Shared plumbing of the rnndyn CLI: subcommand registration, option parsing helpers and
// all-or-nothing output. No algorithm code lives in cli/.
#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn::cli {

/// Each cli/cmd_*.cpp registers its subcommand with a static `const bool registered =
/// register_command(...)`; main() calls every setup function in order of names. setup_commands
/// throws std::logic_error unless the commands are exactly the registry's (rnndyn/analyses.hpp:
/// each analysis's command, and the tools), so neither can forget the other.
using CommandSetup = std::function<void(CLI::App& app)>;
bool register_command(const std::string& name, CommandSetup setup);
void setup_commands(CLI::App& app);

/// The subcommand of the registered analysis `name`: its command and help line from the registry.
CLI::App* add_analysis_command(CLI::App& app, std::string_view name);
/// Writes the result `j` (a to_json) of the registered analysis `name` with its "analysis" key.
void write_result(const std::string& path, std::string_view name, const nlohmann::json& j);

/// Adds `-o,--output FILE` to a subcommand.
void add_output_option(CLI::App* sub, std::string& path);

/// Writes text to `path`, or to stdout when path is empty or "-". The file appears whole or not
/// at all (written to a temporary sibling, then renamed).
void write_text(const std::string& path, const std::string& text);
void write_json(const std::string& path, const nlohmann::json& j);

/// Parses a state vector given as "1,2,3", as a JSON list "[1, 2, 3]", or as "@file.npy" /
/// "@file.json"; checks length `n` (when n >= 0) and finiteness. Throws InputError naming `field`.
Vector parse_vector(const std::string& text, const std::string& field, Index n = -1);

/// Parses a box given as "lo,hi" (every dimension) or "lo0,hi0,lo1,hi1,..." into its corners;
/// throws InputError naming `flag`.
void parse_box(const std::string& text, const std::string& flag, Vector& lo, Vector& hi);

/// Loads a model file (InputError on any problem) and applies the `--set NAME=VALUE` overrides.
std::unique_ptr<Model> load_model_file(const std::string& path);
/// Records one `--set NAME=VALUE` override (e.g. `tau[1]=50`); main() wires the option.
void add_parameter_override(const std::string& assignment);
/// The initial state: --x0 when given, else the model's own (the model file's "x0"), else zeros.
Vector initial_state(const std::string& x0_option, const Model& model);

/// The Python that runs the package's commands (`python -m rnndyn.report`, `rnndyn.sweep`):
/// $RNNDYN_PYTHON, else the python3 beside this executable (pip installs both into
/// <environment>/bin), else "python3" (for execvp's PATH search).
std::string python_interpreter();

/// Check for options bound to unsigned integers (seeds): CLI11 would turn "-2" into 2^64 - 2.
const CLI::Validator& non_negative_integer();

/// Re-raises `e`, an InputError naming a library field, naming the CLI option instead:
/// renames[field] when listed, else the option of `sub` whose long name spells the field's last
/// component (k -> --k, n_omega -> --n-omega, numeric.q_tol -> --q-tol), written
/// "--q-tol (numeric.q_tol)" when the two differ; fields with no option (model-file keys) stay.
[[noreturn]] void rethrow_naming_option(const CLI::App& sub, const InputError& e,
                                        const std::map<std::string, std::string>& renames);

/// Runs one library call (returning its result) with its InputErrors naming the options typed.
template <class Fn>
auto run_naming_options(const CLI::App& sub, Fn&& body, const std::map<std::string, std::string>& renames = {})
    -> decltype(body()) {
  try {
    return body();
  } catch (const InputError& e) {
    rethrow_naming_option(sub, e, renames);
  }
}
/// The options of `sub` given on the command line, spelled as library fields (--n-omega -> n_omega).
std::vector<std::string> given_fields(const CLI::App& sub);

void set_quiet(bool quiet);
/// Whether -q was given.
bool is_quiet();
/// Progress lines on stderr for the library's long runs (silent with -q and for the first second).
ProgressCallback progress_reporter(const std::string& command);

}  // namespace rnndyn::cli
