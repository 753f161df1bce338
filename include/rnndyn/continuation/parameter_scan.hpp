#pragma once
/// Grid scan of a parameter plane (issue 14; the bifurcation maps SCYFI draws from grid scans):
/// at every cell (p_x, p_y) of a regular grid, every fixed point of the model is found with
/// find_fixed_points (exact for piecewise-linear models, the numeric finder otherwise) and
/// counted by stability, and for piecewise-linear maps z' = F(z) every k-cycle
/// z_1, ..., z_k (z_{j+1} = F(z_j), minimal period k, 2 <= k <= max_period) is found with the
/// exact k-cycle search find_cycles and counted by the stability of its multipliers (the
/// eigenvalues of D(F^k)(z_1) = M_{D_k} ... M_{D_1}). Cycles of flows and of smooth maps are not
/// counted (cycles_counted false, cycles_note says why): no complete and cheap cycle search exists
/// for them here (a simulation finds only the attracting cycles it happens to reach).
/// A boundary between cells of different counts is a bifurcation curve (fold, Hopf, border
/// collision; period doubling and border collisions of cycles for maps) resolved to the grid
/// spacing; pseudo-arclength continuation of such curves is not part of this scan.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/progress.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/models/model.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"

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
  /// Piecewise-linear maps: cycles of every minimal period k = 2 .. max_period are counted per
  /// cell (1: fixed points only). In [1, 16], default 4: periods 2 and 4 show the first two
  /// period doublings and 3 the first cycle not born from one. Each period is one exact search
  /// per cell; measured on examples/shplrnn_r2_n12.json (R = 2, 79 regions, one thread, loaded
  /// machine) a cell costs 0.11 s for the fixed points, 0.16 s with period 2 and 0.25 s with
  /// periods 2 to 4 (each search about 0.05 s, mostly listing the regions); the search itself
  /// grows with the number of itineraries of length k, up to geometrically in k. Ignored for
  /// flows and smooth maps.
  int max_period = 4;
  /// The k-cycle search run per period (its `period` is set by the scan; its own defaults
  /// otherwise: the exhaustive pruned search). Its budget (max_nodes, time_limit) applies per
  /// cell and period; a search cut by it makes the cell incomplete.
  PlCycleOptions cycles;
  /// OpenMP threads over the cells, >= 0 (0: the OpenMP default). The result does not depend on it.
  int threads = 0;
  /// Reports (stage "scan": share of cells done); returning false stops the run with
  /// Interrupted, as does request_stop() (Ctrl-C). Default: none.
  ProgressCallback progress;

  void validate() const;
  /// validate(), and that both parameters name parameters of `model` whose domains hold the grid.
  void validate(const Model& model) const;
};

/// The fields of the options (core/describe.hpp); the CLI sets fixed_points.method by --method,
/// progress is no setting.
template <>
struct Description<ParameterScanOptions> {
  using O = ParameterScanOptions;
  static constexpr auto fields = std::make_tuple(
      field("parameter_x", &O::parameter_x, "First parameter: W[i,j], b[i], tau[i], g, ... (required)", "--param-x"),
      field("parameter_y", &O::parameter_y, "Second parameter (required, distinct)", "--param-y"),
      field("x_from", &O::x_from, "First value of the first parameter (x_from != x_to)", "--x-from"),
      field("x_to", &O::x_to, "Last value of the first parameter", "--x-to"),
      field("y_from", &O::y_from, "First value of the second parameter (y_from != y_to)", "--y-from"),
      field("y_to", &O::y_to, "Last value of the second parameter", "--y-to"),
      field("x_steps", &O::x_steps, "Grid points of the first parameter, >= 2", "--x-steps"),
      field("y_steps", &O::y_steps, "Grid points of the second parameter, >= 2", "--y-steps"),
      field("threads", &O::threads,
            "OpenMP threads over the cells, >= 0 (0: default; the result does not depend on it)", "--threads"),
      field("fixed_points", &O::fixed_points, "FixedPointOptions of every cell's search"),
      field("max_period", &O::max_period,
            "Piecewise-linear maps: also count the cycles of minimal period 2..max_period per cell (exact k-cycle "
            "search; 1: fixed points only), in [1, 16]",
            "--max-period"),
      field("cycles", &O::cycles, "CycleOptions of every cell's k-cycle search (its period set per k)"));
};

/// What one cell holds.
struct ScanCell {
  double x = 0.0, y = 0.0;  ///< the parameter values
  int n_fixed_points = 0;   ///< isolated fixed points
  int n_stable = 0;         ///< of them: no unstable and no marginal eigenvalue
  int n_unstable = 0;       ///< at least one unstable eigenvalue
  int n_marginal = 0;       ///< marginal eigenvalues and no unstable one
  int n_continua = 0;       ///< continua of fixed points (piecewise-linear models)
  /// Cycles (piecewise-linear maps, cycles_counted): orbits of minimal period 2 .. max_period,
  /// each counted once (not per point), by the stability of their multipliers.
  int n_cycles = 0;
  int n_stable_cycles = 0;    ///< every multiplier inside the unit circle
  int n_unstable_cycles = 0;  ///< a multiplier outside it
  int n_marginal_cycles = 0;  ///< a multiplier on it (within marginal_tol) and none outside
  int n_cycle_continua = 0;   ///< region k-tuples with a continuum of periodic points
  /// n_cycles_by_period[k - 2]: the cycles of minimal period k (size max_period - 1).
  std::vector<int> n_cycles_by_period;
  /// The cell's searches (fixed points, and cycles when counted) were complete (exact methods);
  /// false if one was sampled or cut by its budget.
  bool complete = true;
  std::string method;  ///< the fixed-point method used in the cell
};

struct ParameterScanResult {
  std::string parameter_x, parameter_y;
  std::vector<double> x_values, y_values;  ///< the grid
  /// cells[j * x_steps + i] is the cell (x_values[i], y_values[j]).
  std::vector<ScanCell> cells;
  /// True when cycles were counted (a piecewise-linear map and max_period >= 2).
  bool cycles_counted = false;
  /// Why cycles were not counted ("" when they were): a flow, a smooth map, or max_period 1.
  std::string cycles_note;
  std::string status;     ///< "complete" when every cell's search was complete, else "sampled"
  std::string guarantee;  ///< what the counts promise, in words
  ParameterScanOptions options;
  RunInfo info;
};

/// The cells' counts as grids: one row per y value, one column per x value (row j, column i is
/// cells[j * x_values.size() + i]). Grids are views (core/describe.hpp), not members: each is
/// `cells` re-arranged, no number computed, so the struct keeps the counts once.
using ScanGrid = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The member `get` of every cell as a grid of Grid (ScanGrid, or bools for `complete`).
template <class Grid, class Get>
Grid scan_grid(const ParameterScanResult& r, Get get) {
  const Index nx = static_cast<Index>(r.x_values.size()), ny = static_cast<Index>(r.y_values.size());
  Grid g(ny, nx);
  for (Index j = 0; j < ny; ++j)
    for (Index i = 0; i < nx; ++i) g(j, i) = get(r.cells[static_cast<size_t>(j * nx + i)]);
  return g;
}

/// scan_grid of an int member of the cells.
template <int ScanCell::*member>
ScanGrid scan_counts(const ParameterScanResult& r) {
  return scan_grid<ScanGrid>(r, [](const ScanCell& c) { return static_cast<std::int64_t>(c.*member); });
}

/// scan_counts where cycles were counted, else nothing (the JSON leaves the key out, Python None).
template <int ScanCell::*member>
std::optional<ScanGrid> scan_cycle_counts(const ParameterScanResult& r) {
  if (!r.cycles_counted) return std::nullopt;
  return scan_counts<member>(r);
}

/// The fixed-point method of every cell, as rows of text.
std::vector<std::vector<std::string>> scan_methods(const ParameterScanResult& r);
/// The cycles of each minimal period k = 2 .. max_period as grids, under "k"; nothing where cycles
/// were not counted.
std::optional<std::map<std::string, ScanGrid>> scan_cycles_by_period(const ParameterScanResult& r);

/// Its members, and the cells' counts as grids (views of `cells`, see ScanGrid); the cycles' grids
/// only where cycles were counted.
template <>
struct Description<ParameterScanResult> {
  using R = ParameterScanResult;
  using Flags = Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  static constexpr auto fields = std::make_tuple(
      field("parameter_x", &R::parameter_x, "The parameter along x"),
      field("parameter_y", &R::parameter_y, "The parameter along y"),
      field("x_values", &R::x_values, "The grid's x values"), field("y_values", &R::y_values, "The grid's y values"),
      field("cycles_counted", &R::cycles_counted, "Whether cycles were counted (piecewise-linear maps)"),
      field("cycles_note", &R::cycles_note, "Why cycles were not counted, or ''"),
      field("status", &R::status, "'complete' when every cell's search was complete, else 'sampled'"),
      field("guarantee", &R::guarantee, "What the counts promise, in words"),
      field("options", &R::options, "The options it ran with"),
      view("n_fixed_points", "cells' n_fixed_points as a grid: one row per y value, one column per x value",
           &scan_counts<&ScanCell::n_fixed_points>),
      view("n_stable", "cells' n_stable as a grid: one row per y value, one column per x value",
           &scan_counts<&ScanCell::n_stable>),
      view("n_unstable", "cells' n_unstable as a grid: one row per y value, one column per x value",
           &scan_counts<&ScanCell::n_unstable>),
      view("n_marginal", "cells' n_marginal as a grid: one row per y value, one column per x value",
           &scan_counts<&ScanCell::n_marginal>),
      view("n_continua", "cells' n_continua as a grid: one row per y value, one column per x value",
           &scan_counts<&ScanCell::n_continua>),
      view(
          "complete", "cells' complete as a grid: one row per y value, one column per x value",
          +[](const R& r) { return scan_grid<Flags>(r, [](const ScanCell& c) { return c.complete; }); }),
      view("method", "cells' method as rows of text: one row per y value, one column per x value", &scan_methods),
      view("n_cycles", "cells' n_cycles as a grid (None when cycles were not counted: see cycles_note)",
           &scan_cycle_counts<&ScanCell::n_cycles>),
      view("n_stable_cycles", "cells' n_stable_cycles as a grid (None when cycles were not counted: see cycles_note)",
           &scan_cycle_counts<&ScanCell::n_stable_cycles>),
      view("n_unstable_cycles",
           "cells' n_unstable_cycles as a grid (None when cycles were not counted: see cycles_note)",
           &scan_cycle_counts<&ScanCell::n_unstable_cycles>),
      view("n_marginal_cycles",
           "cells' n_marginal_cycles as a grid (None when cycles were not counted: see cycles_note)",
           &scan_cycle_counts<&ScanCell::n_marginal_cycles>),
      view("n_cycle_continua", "cells' n_cycle_continua as a grid (None when cycles were not counted: see cycles_note)",
           &scan_cycle_counts<&ScanCell::n_cycle_continua>),
      view("n_cycles_by_period",
           "The cycles of each minimal period k as a grid, under 'k' (None when cycles were not counted)",
           &scan_cycles_by_period));
};

/// The scan (header comment). Throws InputError for invalid options.
ParameterScanResult scan_parameters(const Model& model, const ParameterScanOptions& options);

}  // namespace rnndyn
