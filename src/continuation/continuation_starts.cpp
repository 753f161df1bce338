// The continuation front door: which branches to follow when the caller names none.
#include <algorithm>

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

/// The default starts: every fixed point at p = from, and the model's x0 when Newton takes it to a
/// fixed point not among them (or when the finder found none: its branch then reports whether it
/// converged). `source` names what was used.
std::vector<Vector> default_starts(const Model& model, const ContinuationOptions& o, std::string& source) {
  std::vector<Vector> starts = fixed_points_at_start(model, o);
  source = "fixed_points";
  if (!model.initial_state()) return starts;
  Vector x = *model.initial_state();
  auto at_from = model.clone();
  at_from->set_parameter(o.parameter, o.from);
  const bool converged = solve_fixed_point(*at_from, x, o);
  const bool known = std::any_of(starts.begin(), starts.end(), [&](const Vector& s) {
    return (s - x).cwiseAbs().maxCoeff() <= 1e-6 * (1 + x.cwiseAbs().maxCoeff());
  });
  if (starts.empty() || (converged && !known)) {
    starts.push_back(converged ? x : *model.initial_state());
    source = starts.size() == 1 ? "initial_state" : "fixed_points+initial_state";
  }
  return starts;
}

}  // namespace

ContinuationResult continue_fixed_points(const Model& model, const ContinuationOptions& options) {
  options.validate(model);  // an unknown parameter, or `from` outside its domain, before any work
  const Stopwatch clock;
  std::vector<Vector> starts = options.starts;
  std::string source = "given";
  if (starts.empty()) {
    starts = default_starts(model, options, source);
  } else if (options.all_fixed_points) {
    const auto fps = fixed_points_at_start(model, options);
    starts.insert(starts.end(), fps.begin(), fps.end());
    source = "given+fixed_points";
  }
  if (starts.empty())
    throw InputError("starts", "no fixed point found at " + options.parameter + " = " + std::to_string(options.from) +
                                   "; give a start guess near one");
  ContinuationResult r = continue_fixed_points(model, starts, options);
  r.options = options;
  r.options.progress = nullptr;  // the result keeps the settings, not the caller's callback
  r.options.starts = starts;
  r.start_source = source;
  r.info = {model.kind(), model.time_kind(), clock.seconds()};
  return r;
}

}  // namespace rnndyn
