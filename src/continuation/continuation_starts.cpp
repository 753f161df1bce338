// The continuation front door: which branches to follow when the caller names none.
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/fixed_points.hpp"

namespace rnndyn {
namespace {

/// Every fixed point of the model at p = from (isolated points only; continua have no branch).
std::vector<Vector> fixed_points_at_start(const Model& model, const ContinuationOptions& o) {
  auto at_from = model.clone();
  at_from->set_parameter(o.parameter, o.from);
  const FixedPointResult r = find_fixed_points(*at_from, FixedPointOptions{});
  std::vector<Vector> out;
  if (r.exact)
    for (const auto& p : r.exact->fixed_points) out.push_back(p.x);
  if (r.numeric)
    for (const auto& p : r.numeric->fixed_points) out.push_back(p.x);
  return out;
}

}  // namespace

ContinuationResult continue_fixed_points(const Model& model, const ContinuationOptions& options) {
  options.validate(model);  // an unknown parameter, or `from` outside its domain, before any work
  const Stopwatch clock;
  std::vector<Vector> starts = options.starts;
  std::string source = "given";
  if (starts.empty() && !options.all_fixed_points && model.initial_state()) {
    starts.push_back(*model.initial_state());
    source = "initial_state";
  } else if (starts.empty() || options.all_fixed_points) {
    const auto fps = fixed_points_at_start(model, options);
    if (fps.empty())
      throw InputError("starts", "no fixed point found at " + options.parameter + " = " + std::to_string(options.from) +
                                     "; give a start guess near one");
    source = starts.empty() ? "fixed_points" : "given+fixed_points";
    starts.insert(starts.end(), fps.begin(), fps.end());
  }
  ContinuationResult r = continue_fixed_points(model, starts, options);
  r.options = options;
  r.options.progress = nullptr;  // the result keeps the settings, not the caller's callback
  r.options.starts = starts;
  r.start_source = source;
  r.info = {model.kind(), model.time_kind(), clock.seconds()};
  return r;
}

}  // namespace rnndyn
