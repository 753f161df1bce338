#include "rnndyn/core/enums.hpp"

#include "rnndyn/core/errors.hpp"

namespace rnndyn {

std::string to_string(TimeKind t) { return t == TimeKind::Flow ? "continuous" : "discrete"; }

TimeKind parse_time_kind(const std::string& text, const std::string& field) {
  if (text == "discrete" || text == "map") return TimeKind::Map;
  if (text == "continuous" || text == "flow") return TimeKind::Flow;
  throw InputError(field, "expected 'discrete' (map) or 'continuous' (flow), got '" + text + "'");
}

}  // namespace rnndyn
