#pragma once
/// Grid scan of a parameter plane (issue 14; the bifurcation maps SCYFI draws from grid scans):
/// at every cell (p_x, p_y) of a regular grid, every fixed point of the model is found with
/// find_fixed_points (exact for piecewise-linear models, the numeric finder otherwise) and
/// counted by stability. A boundary between cells of different counts is a bifurcation curve
/// (fold, Hopf, border collision) resolved to the grid spacing; pseudo-arclength continuation of
/// such curves is not part of this scan.
#include <string>
#include <vector>

#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

struct ParameterScanOptions {
  /// The two parameters spanning the plane, e.g. "tau[1]", "W[0,0]", "g" (required, distinct).
  std::string parameter_x, parameter_y;
  /// Ranges of the grid, ends included (from != to on each axis).
  double x_from = 0.0, x_to = 1.0, y_from = 0.0, y_to = 1.0;
  /// Grid points per axis, >= 2. Default 21 x 21.
  int x_steps = 21, y_steps = 21;
  /// The fixed-point search run in every cell (its own defaults: method auto).
  FixedPointOptions fixed_points;
  /// OpenMP threads over the cells, >= 0 (0: the OpenMP default). The result does not depend on it.
  int threads = 0;
  /// Reports (stage "scan": share of cells done); returning false stops the run with
  /// Interrupted, as does request_stop() (Ctrl-C). Default: none.
  ProgressCallback progress;

  void validate() const;
  /// validate(), and that both parameters name parameters of `model` whose domains hold the grid.
  void validate(const Model& model) const;
};

/// What one cell holds.
struct ScanCell {
  double x = 0.0, y = 0.0;  ///< the parameter values
  int n_fixed_points = 0;   ///< isolated fixed points
  int n_stable = 0;         ///< of them: no unstable and no marginal eigenvalue
  int n_unstable = 0;       ///< at least one unstable eigenvalue
  int n_marginal = 0;       ///< marginal eigenvalues and no unstable one
  int n_continua = 0;       ///< continua of fixed points (piecewise-linear models)
  bool complete = true;     ///< the cell's search was complete (exact methods), false if sampled
  std::string method;       ///< the fixed-point method used in the cell
};

struct ParameterScanResult {
  std::string parameter_x, parameter_y;
  std::vector<double> x_values, y_values;  ///< the grid
  /// cells[j * x_steps + i] is the cell (x_values[i], y_values[j]).
  std::vector<ScanCell> cells;
  std::string status;     ///< "complete" when every cell's search was complete, else "sampled"
  std::string guarantee;  ///< what the counts promise, in words
  ParameterScanOptions options;
  RunInfo info;
};

/// The scan (header comment). Throws InputError for invalid options.
ParameterScanResult scan_parameters(const Model& model, const ParameterScanOptions& options);

}  // namespace rnndyn
