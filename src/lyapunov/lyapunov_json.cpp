// JSON writer of Lyapunov spectra.
#include "rnndyn/lyapunov/lyapunov_json.hpp"

#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const LyapunovOptions& o) {
  return {{"x0", to_json(o.x0)},
          {"k", o.k},
          {"warmup", to_json_number(o.warmup)},
          {"t_total", to_json_number(o.t_total)},
          {"interval", to_json_number(o.interval)},
          {"integrator", to_string(o.integrator)},
          {"dt", to_json_number(o.dt)},
          {"abs_tol", to_json_number(o.abs_tol)},
          {"rel_tol", to_json_number(o.rel_tol)},
          {"blocks", o.blocks},
          {"bootstrap_samples", o.bootstrap_samples},
          {"confidence", to_json_number(o.confidence)},
          {"seed", o.seed},
          {"blowup", to_json_number(o.blowup)},
          {"initial_tangents", to_json(o.initial_tangents)}};
}

nlohmann::json to_json(const LyapunovSpectrum& s) {
  nlohmann::json j;
  j["status"] = to_string(s.status);
  j["exponents"] = to_json(s.exponents);
  j["ci_low"] = to_json(s.ci_low);
  j["ci_high"] = to_json(s.ci_high);
  j["standard_error"] = to_json(s.standard_error);
  j["block_estimates"] = to_json(s.block_estimates);
  j["running"] = to_json(s.running);
  j["sum"] = to_json_number(s.sum);
  j["unresolved"] = s.unresolved;
  j["measured_time"] = to_json_number(s.measured_time);
  j["reorthonormalisations"] = s.reorthonormalisations;
  j["x0"] = to_json(s.x0);
  j["final_state"] = to_json(s.final_state);
  j["options"] = to_json(s.options);
  add_run_info(j, s.info);
  return j;
}

}  // namespace rnndyn
