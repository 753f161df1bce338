// rnndyn command-line tool: each subcommand lives in cli/cmd_*.cpp and maps its options onto a
// library options struct. Every error becomes one line on stderr and exit code 2.
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <unistd.h>

#include <csignal>

#include "command.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/core/progress.hpp"

namespace {
/// SIGINT asks the running analysis to stop at its next poll (no partial output file is written:
/// results are written only when complete); a second SIGINT kills at once.
extern "C" void on_sigint(int) {
  if (rnndyn::active_monitors() == 0) {  // nothing polls: stop now (async-signal-safe calls only)
    static const char msg[] = "rnndyn: interrupted (no output written)\n";
    [[maybe_unused]] const auto n = write(2, msg, sizeof msg - 1);
    _exit(130);
  }
  rnndyn::request_stop();
  std::signal(SIGINT, SIG_DFL);
}
/// Every option that takes a value refuses an empty one (`--targets ''` would be read as 0).
void refuse_empty_values(CLI::App& app) {
  static const CLI::Validator non_empty(
      [](std::string& text) {
        return text.find_first_not_of(" \t\n") == std::string::npos ? std::string("expected a value, got an empty one")
                                                                    : std::string();
      },
      "");
  for (CLI::Option* opt : app.get_options())
    if (opt->get_items_expected_max() > 0 && opt->get_type_size_max() > 0 && !opt->get_lnames().empty())
      opt->check(non_empty);
  // Subcommands and their option groups (CLI11 keeps both as nested apps).
  for (CLI::App* sub : app.get_subcommands({})) refuse_empty_values(*sub);
}

/// CLI11's messages in the house format "<flag>: <problem>" where CLI11 words them otherwise.
std::string parse_error_text(const CLI::App& app, const CLI::ParseError& e) {
  const std::string what = e.what();
  // ConversionError: "Could not convert: --t-end = ten"
  const std::string convert = "Could not convert: ";
  if (what.rfind(convert, 0) == 0) {
    const auto eq = what.find(" = ", convert.size());
    if (eq != std::string::npos) {
      const std::string flag = what.substr(convert.size(), eq - convert.size());
      std::string expected = "a value of another type";
      for (const CLI::App* sub : app.get_subcommands({}))
        if (const CLI::Option* opt = sub->get_option_no_throw(flag)) {
          const std::string type = opt->get_type_name();
          expected = type == "INT" ? "an integer" : type == "UINT" ? "a non-negative integer" : "a number";
        }
      return flag + ": expected " + expected + ", got '" + what.substr(eq + 3) + "'";
    }
  }
  // ExtrasError: "The following argument(s) was (were) not expected: --frobnicate"
  for (const std::string extras :
       {"The following argument was not expected: ", "The following arguments were not expected: "})
    if (what.rfind(extras, 0) == 0) {
      const std::string args = what.substr(extras.size());
      return args.substr(0, args.find(' ')) + ": not an option of this command" +
             (args.find(' ') == std::string::npos ? "" : " (nor are: " + args.substr(args.find(' ') + 1) + ")");
    }
  // ExcludesError: "--weights excludes --bias"
  if (const auto at = what.find(" excludes "); at != std::string::npos && what.find(' ') == at)
    return what.substr(0, at) + ": cannot be combined with " + what.substr(at + 10);
  // RequiredError: "--at is required"
  const std::string required = " is required";
  if (what.size() > required.size() && what.compare(what.size() - required.size(), required.size(), required) == 0 &&
      what.find(' ') == what.size() - required.size())
    return what.substr(0, what.size() - required.size()) + ": required";
  return what;
}
/// A message "--flag: problem" naming the flag as the user typed it, where the option has several
/// spellings (--n_omega,--n-omega): CLI11 and the renaming name it by one of them.
std::string as_typed(const CLI::App& app, const std::string& text, int argc, char** argv) {
  if (text.rfind("--", 0) != 0) return text;
  const std::string flag = text.substr(0, text.find(':'));
  for (const CLI::App* sub : app.get_subcommands({})) {
    const CLI::Option* opt = sub->get_option_no_throw(flag);
    if (!opt) continue;
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      for (const auto& name : opt->get_lnames())
        if (arg == "--" + name || arg.rfind("--" + name + "=", 0) == 0) return "--" + name + text.substr(flag.size());
    }
  }
  return text;
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rnndyn: find, classify and predict the attractors of recurrent neural networks"};
  app.require_subcommand(1);
  // A flag callback runs before any subcommand's callback, so progress is silenced in time.
  app.add_flag_function(
      "-q,--quiet", [](std::int64_t) { rnndyn::cli::set_quiet(true); }, "Suppress progress messages on stderr");
  app.set_version_flag("--version", "rnndyn 0.1.0");
  app.add_option_function<std::vector<std::string>>(
         "--set",
         [](const std::vector<std::string>& assignments) {
           for (const auto& a : assignments) rnndyn::cli::add_parameter_override(a);
         },
         "Override model parameters after loading: --set 'tau[1]=50' --set g=1.5")
      ->type_name("NAME=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  // Options of the main app (--set, -q) may also follow the subcommand.
  app.fallthrough();
  rnndyn::cli::setup_commands(app);
  refuse_empty_values(app);
  // CLI11 would only say "a subcommand is required" for a mistyped command; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const auto* sub : app.get_subcommands({})) known = known || sub->get_name() == argv[1];
    if (!known) {
      std::fprintf(stderr, "rnndyn: error: unknown command '%s' (see rnndyn --help)\n", argv[1]);
      return 2;
    }
  }
  std::signal(SIGINT, on_sigint);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "rnndyn: error: %s (see rnndyn --help)\n",
                 as_typed(app, parse_error_text(app, e), argc, argv).c_str());
    return 2;
  } catch (const rnndyn::Interrupted&) {
    std::fprintf(stderr, "rnndyn: interrupted (no output written)\n");
    return 130;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rnndyn: error: %s\n", as_typed(app, e.what(), argc, argv).c_str());
    return 2;
  }
  return 0;
}
