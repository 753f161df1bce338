// Grid scan of a parameter plane; see parameter_scan.hpp.
#include "rnndyn/continuation/parameter_scan.hpp"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>

#include <omp.h>

#include "../detail/checks.hpp"
#include "../detail/parallel.hpp"
#include "parameter_field.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {
namespace {

void check_axis(const std::string& axis, double from, double to, int steps) {
  if (!std::isfinite(from)) throw InputError(axis + "_from", "must be finite");
  if (!std::isfinite(to)) throw InputError(axis + "_to", "must be finite");
  if (from == to) throw InputError(axis + "_to", "must differ from " + axis + "_from");
  if (steps < 2) throw InputError(axis + "_steps", "must be >= 2, got " + std::to_string(steps));
}

/// Every grid value of a parameter must be admitted by the model (a time constant > 0); an
/// unknown name is reported under the axis' own field.
void check_parameter(const Model& model, const std::string& field, const std::string& name, double from, double to) {
  if (!detail::admits_all(model, field, name, {from, to}))
    throw InputError(field, "'" + name + "' must stay inside its domain over the grid (" + detail::number_text(from) +
                                " to " + detail::number_text(to) + "; a time constant must be > 0)");
}

std::vector<double> grid(double from, double to, int steps) {
  std::vector<double> v(static_cast<size_t>(steps));
  for (int i = 0; i < steps; ++i) v[static_cast<size_t>(i)] = from + (to - from) * i / (steps - 1);
  v.back() = to;  // exactly the end the user asked for
  return v;
}

/// Counts one stability into the cell.
void count(ScanCell& c, const Stability& s) {
  ++c.n_fixed_points;
  if (s.n_unstable > 0)
    ++c.n_unstable;
  else if (s.n_marginal > 0)
    ++c.n_marginal;
  else
    ++c.n_stable;
}

/// Counts the cycles of every period 2 .. max_period into the cell (piecewise-linear maps).
void count_cycles(ScanCell& c, const Model& m, const ParameterScanOptions& o) {
  c.n_cycles_by_period.assign(static_cast<size_t>(o.max_period - 1), 0);
  PlCycleOptions search = o.cycles;
  for (int k = 2; k <= o.max_period; ++k) {
    search.period = k;
    const PlCycles r = find_cycles(m, search);
    c.complete = c.complete && r.status == PlCycleStatus::Complete;
    c.n_cycles_by_period[static_cast<size_t>(k - 2)] = static_cast<int>(r.cycles.size());
    c.n_cycle_continua += static_cast<int>(r.continua.size());
    for (const PlCycle& cycle : r.cycles) {
      ++c.n_cycles;
      if (cycle.stability.n_unstable > 0)
        ++c.n_unstable_cycles;
      else if (cycle.stability.n_marginal > 0)
        ++c.n_marginal_cycles;
      else
        ++c.n_stable_cycles;
    }
  }
}

ScanCell scan_cell(const Model& model, const ParameterScanOptions& o, bool cycles, double x, double y) {
  auto m = model.clone();
  m->set_parameter(o.parameter_x, x);
  m->set_parameter(o.parameter_y, y);
  const FixedPointResult r = find_fixed_points(*m, o.fixed_points);
  ScanCell c;
  c.x = x;
  c.y = y;
  c.method = to_string(r.method);
  c.complete = r.status == FixedPointStatus::Complete;
  if (r.exact) {
    for (const auto& p : r.exact->fixed_points) count(c, p.stability);
    c.n_continua = static_cast<int>(r.exact->continua.size());
  }
  if (r.numeric)
    for (const auto& p : r.numeric->fixed_points) count(c, p.stability);
  if (cycles) count_cycles(c, *m, o);
  return c;
}

}  // namespace

void ParameterScanOptions::validate() const {
  if (parameter_x.empty()) throw InputError("parameter_x", "a parameter name is required");
  if (parameter_y.empty()) throw InputError("parameter_y", "a parameter name is required");
  if (parameter_x == parameter_y) throw InputError("parameter_y", "must differ from parameter_x");
  check_axis("x", x_from, x_to, x_steps);
  check_axis("y", y_from, y_to, y_steps);
  if (static_cast<double>(x_steps) * y_steps > 1e7) throw InputError("y_steps", "the grid has more than 10^7 cells");
  if (threads < 0) throw InputError("threads", "must be >= 0");
  if (max_period < 1 || max_period > 16)
    throw InputError("max_period", "must lie in [1, 16], got " + std::to_string(max_period));
  fixed_points.validate();
  naming_fields_under("cycles.", [&] { cycles.validate(); });
}

void ParameterScanOptions::validate(const Model& model) const {
  validate();
  check_parameter(model, "parameter_x", parameter_x, x_from, x_to);
  check_parameter(model, "parameter_y", parameter_y, y_from, y_to);
}

ParameterScanResult scan_parameters(const Model& model, const ParameterScanOptions& options) {
  options.validate(model);
  const Stopwatch clock;
  ParameterScanResult r;
  r.parameter_x = options.parameter_x;
  r.parameter_y = options.parameter_y;
  r.x_values = grid(options.x_from, options.x_to, options.x_steps);
  r.y_values = grid(options.y_from, options.y_to, options.y_steps);
  const auto nx = static_cast<std::int64_t>(options.x_steps), total = nx * options.y_steps;
  r.cells.resize(static_cast<size_t>(total));
  // Cycles need a complete search: the exact k-cycle search of piecewise-linear maps.
  if (options.max_period < 2)
    r.cycles_note = "max_period is 1: cycles not counted";
  else if (model.time_kind() == TimeKind::Flow)
    r.cycles_note =
        "a flow: cycles are counted for piecewise-linear maps only (limit cycles of flows have no "
        "complete search here; see continue-cycles)";
  else if (!model.piecewise_linear())
    r.cycles_note = "a smooth map: cycles are counted for piecewise-linear maps only (the exact k-cycle search)";
  r.cycles_counted = r.cycles_note.empty();
  ParameterScanOptions cell_options = options;
  cell_options.progress = {};
  cell_options.fixed_points.progress = {};  // the scan reports; a cell's search does not
  cell_options.cycles.progress = {};
  Monitor monitor(options.progress);
  std::atomic<std::int64_t> done{0};
  detail::parallel_for_each(
      total, options.threads, [&] { return monitor.stopped(); },
      [&](std::int64_t k) {
        r.cells[static_cast<size_t>(k)] =
            scan_cell(model, cell_options, r.cycles_counted, r.x_values[static_cast<size_t>(k % nx)],
                      r.y_values[static_cast<size_t>(k / nx)]);
        const std::int64_t n = ++done;
        if (omp_get_thread_num() == 0)
          monitor.poll({"scan", static_cast<double>(n) / static_cast<double>(total), n, 0});
      });
  monitor.check();
  bool complete = true;
  for (const ScanCell& c : r.cells) complete = complete && c.complete;
  r.status = complete ? "complete" : "sampled";
  const std::string period = std::to_string(options.max_period);
  r.guarantee = complete
                    ? "every isolated fixed point" +
                          (r.cycles_counted ? " and every isolated cycle of minimal period 2 to " + period : "") +
                          " of every cell, counted by stability (exact enumeration per cell); curves between "
                          "cells are located to the grid spacing"
                    : "the fixed points" + (r.cycles_counted ? " and cycles of minimal period 2 to " + period : "") +
                          " found in each cell (at least one cell was searched by sampling or cut by its budget: "
                          "a count is a lower bound); curves between cells are located to the grid spacing";
  r.options = options;
  r.options.progress = {};
  r.info = {model.kind(), model.time_kind(), clock.seconds()};
  return r;
}

std::vector<std::vector<std::string>> scan_methods(const ParameterScanResult& r) {
  const size_t nx = r.x_values.size();
  std::vector<std::vector<std::string>> rows(r.y_values.size());
  for (size_t j = 0; j < rows.size(); ++j)
    for (size_t i = 0; i < nx; ++i) rows[j].push_back(r.cells[j * nx + i].method);
  return rows;
}

std::optional<std::map<std::string, ScanGrid>> scan_cycles_by_period(const ParameterScanResult& r) {
  if (!r.cycles_counted) return std::nullopt;
  std::map<std::string, ScanGrid> by_period;
  for (int k = 2; k <= r.options.max_period; ++k)
    by_period[std::to_string(k)] = scan_grid<ScanGrid>(r, [k](const ScanCell& c) {
      return static_cast<std::int64_t>(c.n_cycles_by_period[static_cast<size_t>(k - 2)]);
    });
  return by_period;
}

}  // namespace rnndyn
