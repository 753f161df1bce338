#pragma once
/// JSON encodings of the seed-003 results (used by `rnndyn mft` and `rnndyn reservoir`) and the
/// reader of their configuration files (examples/reservoir_*.json). Complex numbers are [re, im]
/// pairs (io/json_utils.hpp).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/reservoir/reservoir_analysis.hpp"

namespace rnndyn {

/// The options with the activation as "activation" (name) and "threshold", which their
/// descriptions leave out (declared beside the structs too, so they win wherever those are seen).
nlohmann::json to_json(const MeanFieldOptions& o);
nlohmann::json to_json(const ReservoirExperimentOptions& o);

/// {"status", "iterations", "C", "k", "omega", "levels": [{"A", "sigma2", "beta0", "beta1",
///  "rho", "tau_net", "lambda_out", "lambda_out_eq15", "tau_out" (M = 1), "poles", "stable",
///  "nyquist", "nyquist_stable", "gain"}], "options", "model", "time", "elapsed_seconds"}
nlohmann::json to_json(const MeanFieldResult& mf);
/// A recorded transient: {"t", "z", "neurons", "status"} (not described: nested in a level).
nlohmann::json to_json(const TransientResponse& t);

// A finite-network level (FiniteTargetAnalysis: rho, outliers, outlier_inside_bulk, displaced,
// max_real, stable, nyquist, nyquist_stable, gain, residual, converged, the transient when
// recorded, "eigenvalues" when the run asked for the spectrum) and the experiment
// (ReservoirExperiment: {"status", "omega", "mean_field", "finite": {"N", "seed", "ridge",
// "training_status", "readout_error", "w_out_norm", "levels"}, "options", "model", "time",
// "elapsed_seconds"}) are written by the template to_json of io/describe_json.hpp.

/// `base` with the keys of the JSON object in the file `path` applied, read through the
/// descriptions (io/describe_read.hpp): the keys of MeanFieldOptions (nyquist an object of
/// NyquistOptions fields), those of ReservoirExperimentOptions but mean_field, the activation's
/// activation and threshold, and the descriptive comment and figure (ignored). Keys listed in
/// `keep` are left as in `base` (the command line wins over the file). `set_by_file`, when given,
/// receives the fields the file set, as their errors name them ("g", "nyquist.omega_min"), so an
/// edge can name them as the file does. Throws InputError("config", ...) when the file cannot be
/// read or is not a JSON object, and InputError(key as typed in the file, ...) for an unknown key
/// (with a "did you mean") or a value of the wrong type; ranges are validate()'s.
ReservoirExperimentOptions read_reservoir_config(const std::string& path, ReservoirExperimentOptions base = {},
                                                 const std::vector<std::string>& keep = {},
                                                 std::vector<std::string>* set_by_file = nullptr);

}  // namespace rnndyn
