#pragma once
// CLI options from the descriptions of options structs (core/describe.hpp): one option per field
// that has a flag, bound to the struct's member, with the doc line as help and the struct's default
// shown; enums are parsed by their library parser under the flag's name. Each flag is recorded in
// a FlagTable (field path -> flag), which run_naming_options uses so that a validation error of
// any field names the flag the user typed.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "command.hpp"
#include "rnndyn/core/describe.hpp"
#include "rnndyn/io/describe_json.hpp"

namespace rnndyn::cli {

/// Library field path ("t_total", "numeric.q_tol") -> the CLI flag that sets it ("--t").
using FlagTable = std::map<std::string, std::string>;

namespace detail {

/// The flag's long name as typed: "!--no-x" -> "--no-x", "-o,--output" -> "--output".
inline std::string typed_flag(const std::string& flag) {
  std::string f = flag.substr(flag[0] == '!' ? 1 : 0);
  if (const auto comma = f.rfind(','); comma != std::string::npos) f = f.substr(comma + 1);
  return f;
}

}  // namespace detail

/// Adds the options of every flagged field of S (nested described structs too, their paths
/// prefixed "name.") to `sub`, bound to `s`, which must outlive the parse. `skip`: field paths
/// (with the prefix, "search.window") a command does not offer.
template <Described S>
void add_described_flags(CLI::App* sub, S& s, FlagTable& flags, const std::string& prefix = "",
                         const std::set<std::string>& skip = {}) {
  static const S defaults{};
  for_each_field<S>([&](const auto& f) {
    using T = typename std::remove_cvref_t<decltype(f)>::Type;
    auto& member = s.*(f.member);
    if (skip.count(prefix + f.key)) return;
    if constexpr (Described<T>) {
      if (!f.flag) add_described_flags(sub, member, flags, prefix + f.key + ".", skip);
      return;
    } else {
      if (!f.flag) return;
      const std::string flag = f.flag, typed = detail::typed_flag(flag);
      flags[prefix + f.key] = typed;
      if constexpr (EnumDescriptor<std::remove_cvref_t<decltype(f)>>) {
        const auto parse = f.parse;
        sub->add_option_function<std::string>(
               flag, [&member, parse, typed](const std::string& text) { member = parse(text, typed); }, f.doc)
            ->default_str(to_json_text(field_to_json(defaults.*(f.member))));
      } else if constexpr (std::is_same_v<T, bool>) {
        sub->add_flag(flag, member, f.doc);
      } else if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::string>) {
        [[maybe_unused]] CLI::Option* opt = sub->add_option(flag, member, f.doc)->capture_default_str();
        if constexpr (std::is_same_v<T, std::uint64_t>) opt->check(non_negative_integer());
      } else if constexpr (std::is_same_v<T, std::vector<double>>) {
        sub->add_option(flag, member, f.doc)->delimiter(',')->capture_default_str();  // --targets 1,-1
      } else {
        // Eigen vectors and matrices have their own parsers (a list, @file.npy); no flag in a description.
        throw std::logic_error(std::string("describe: field ") + f.key + " cannot have a CLI flag");
      }
    }
  });
}

/// The paths of every field of S but those in `keep`, each prefixed: the skip list of a command
/// that offers only some flags of a nested struct (basins offers its fixed-point search's --method).
template <Described S>
std::set<std::string> fields_but(const std::string& prefix, std::initializer_list<const char*> keep) {
  std::set<std::string> out;
  for_each_field<S>([&](const auto& f) {
    if (std::none_of(keep.begin(), keep.end(), [&](const char* k) { return std::string(k) == f.key; }))
      out.insert(prefix + f.key);
  });
  return out;
}

/// A flag with a parser of its own (a box, a file, a name the command resolves) that sets the
/// fields at `paths`: recorded where the flag is defined, so that the library's errors about those
/// fields name it. Returns the option.
inline CLI::Option* sets_fields(CLI::Option* opt, FlagTable& flags, std::initializer_list<const char*> paths) {
  for (const char* path : paths) flags[path] = "--" + opt->get_lnames().back();
  return opt;
}

/// Marks described flags the command cannot run without (--param, --from, ...) as required; their
/// struct's default, meaningless then, is not shown.
inline void require_flags(CLI::App* sub, std::initializer_list<const char*> typed_flags) {
  for (const char* flag : typed_flags) sub->get_option(flag)->required()->default_str("");
}

}  // namespace rnndyn::cli
