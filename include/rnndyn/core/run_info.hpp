#pragma once
/// What every analysis result carries besides its numbers: which model it ran on, whether that
/// model is a flow or a map, and how long the analysis took. Filled by the front doors, encoded
/// by io/json_utils (keys "model", "time", "elapsed_seconds").
#include <chrono>
#include <string>

#include "rnndyn/core/types.hpp"

namespace rnndyn {

struct RunInfo {
  std::string model;               ///< the model-file type name (rate, gru, ...); empty for model-free analyses
  TimeKind time = TimeKind::Flow;  ///< flow (dx/dt = F) or map (x' = F)
  double elapsed_seconds = 0.0;    ///< wall time of the analysis alone (no parsing, no output)
};

/// Measures the wall time of one analysis: construct at the start, read seconds() at the end.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace rnndyn
