#pragma once
/// JSON encodings of the seed-003 results (used by `rnndyn mft` and `rnndyn reservoir`).
/// Complex numbers are [re, im] pairs (io/json_utils.hpp).
#include <vector>

#include <nlohmann/json.hpp>

#include "rnndyn/reservoir/reservoir_analysis.hpp"

namespace rnndyn {

/// Mean-field result: status, C, k and one entry per level with sigma2, beta0, beta1, rho,
/// poles, stable, lambda_out (M = 1), the Nyquist verdict, and G^OL at `omegas`.
nlohmann::json to_json(const MeanFieldResult& mf, const std::vector<double>& omegas,
                       const NyquistOptions& nyquist = {});
/// One finite-network level: rho, outliers, displaced, max_real, nyquist, gain, and the full
/// closed-loop spectrum when `with_spectrum`.
nlohmann::json to_json(const FiniteTargetAnalysis& a, bool with_spectrum);
nlohmann::json to_json(const NyquistResult& n);
nlohmann::json to_json(const TransientResponse& t);

}  // namespace rnndyn
