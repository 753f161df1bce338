// JSON writer of Lyapunov spectra.
#include "rnndyn/lyapunov/lyapunov_json.hpp"

#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const LyapunovSpectrum& s) {
  nlohmann::json j;
  j["status"] = to_string(s.status);
  j["exponents"] = to_json(s.exponents);
  j["ci_low"] = to_json(s.ci_low);
  j["ci_high"] = to_json(s.ci_high);
  j["standard_error"] = to_json(s.standard_error);
  j["block_estimates"] = to_json(s.block_estimates);
  j["running"] = to_json(s.running);
  j["measured_time"] = to_json_number(s.measured_time);
  j["reorthonormalisations"] = s.reorthonormalisations;
  j["final_state"] = to_json(s.final_state);
  j["sum"] = to_json_number(s.exponents.sum());
  return j;
}

}  // namespace rnndyn
