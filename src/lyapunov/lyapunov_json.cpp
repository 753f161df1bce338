// JSON writer of Lyapunov spectra: the described fields (lyapunov.hpp) and the run info.
#include "rnndyn/lyapunov/lyapunov_json.hpp"

#include "rnndyn/io/describe_json.hpp"

namespace rnndyn {

nlohmann::json to_json(const LyapunovOptions& o) { return described_to_json(o); }

nlohmann::json to_json(const LyapunovSpectrum& s) {
  nlohmann::json j = described_to_json(s);
  add_run_info(j, s.info);
  return j;
}

}  // namespace rnndyn
