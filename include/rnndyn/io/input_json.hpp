#pragma once
/// Input signals (simulate/input_signal.hpp) in JSON, the form the CLI's `--input` takes:
///
///   {"kind": "clicks", "times": [1, 2.5, 4], "signs": [1, -1, 1], "delta": 0.1, "width": 0.5, "channel": 1}
///   {"kind": "poisson", "rate": 2, "delta": 0.1, "seed": 7}
///   {"kind": "noise", "sigma": 0.5, "correlation_time": 0.2, "dt": 0.01, "seed": 3}
///   {"kind": "step", "amplitude": 1, "onset": 10, "offset": 20}
///   {"kind": "series", "values": "u.npy", "dt": 0.1, "interpolation": "linear"}
///
/// The keys are the fields of InputSignal; "values" is a list of rows (T x k; a flat list is one
/// channel) or a .npy/.csv path relative to the JSON file. Unknown keys are errors (a typo).
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rnndyn/simulate/input_signal.hpp"

namespace rnndyn {

/// One object or a list of them. Errors name `field`[i].key (e.g. "--input[0].times").
std::vector<InputSignal> input_signals_from_json(const nlohmann::json& j, const std::string& field,
                                                 const std::filesystem::path& base_dir = {});

/// Text given on a command line: inline JSON (an object or a list), a .json file holding one, or
/// a .npy / .csv file: a series held piecewise constant with the simulation's dt.
std::vector<InputSignal> parse_input_text(const std::string& text, const std::string& field);

/// The fields that belong to the signal's kind.
nlohmann::json to_json(const InputSignal& s);

}  // namespace rnndyn
