#pragma once
/// Text names of the core enums, one to_string/parse pair each, so that the CLI, the JSON
/// encoders and Python spell them alike.
#include <string>

#include "rnndyn/core/types.hpp"

namespace rnndyn {

/// "continuous" (Flow) or "discrete" (Map): the spelling of model files and results.
std::string to_string(TimeKind t);
/// Accepts "continuous"/"flow" and "discrete"/"map"; throws InputError naming `field` otherwise.
TimeKind parse_time_kind(const std::string& text, const std::string& field = "time");

}  // namespace rnndyn
