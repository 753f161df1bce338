// Basins of attraction and the attractor census (basins/basins.hpp).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rnndyn/basins/basins.hpp"
#include "rnndyn/basins/basins_json.hpp"

namespace rnndyn::python {

namespace {

void bind_basins_options(py::module_& m) {
  py::class_<BasinsOptions> o(m, "BasinsOptions", "Options of basins (C++ defaults)");
  o.def(py::init<>())
      .def_readwrite("starts", &BasinsOptions::starts, "Where the orbits start (box, data with noise, or given)")
      .def_readwrite("fixed_points", &BasinsOptions::fixed_points, "The attractor search run first")
      .def_readwrite("cycle_periods", &BasinsOptions::cycle_periods,
                     "Piecewise-linear maps: stable cycles of period 2..k from the exact search, [0, 16]")
      .def_readwrite("cycle_time_limit", &BasinsOptions::cycle_time_limit, "Seconds per period of that search")
      .def_readwrite("ball_fraction", &BasinsOptions::ball_fraction,
                     "Error ball: share of the distance to the nearest other fixed point, in (0, 0.5]")
      .def_readwrite("extrapolate", &BasinsOptions::extrapolate,
                     "Accept orbits whose steps shrink steadily once their limit can only be the attractor")
      .def_readwrite("max_time", &BasinsOptions::max_time, "Budget of each orbit: time (flows) or steps (maps)")
      .def_readwrite("check_interval", &BasinsOptions::check_interval, "Flows: time between checks")
      .def_readwrite("abs_tol", &BasinsOptions::abs_tol, "Flows: absolute tolerance of the stepper")
      .def_readwrite("rel_tol", &BasinsOptions::rel_tol, "Flows: relative tolerance of the stepper")
      .def_readwrite("blowup", &BasinsOptions::blowup, "|x|_inf above this: diverged")
      .def_readwrite("record_fraction", &BasinsOptions::record_fraction,
                     "Share of the budget examined for what an orbit recurs on, in (0, 1)")
      .def_readwrite("settle_tol", &BasinsOptions::settle_tol, "Relative spread of a stationary orbit")
      .def_readwrite("max_period", &BasinsOptions::max_period, "Maps: longest period of a new cycle")
      .def_readwrite("lyapunov_tol", &BasinsOptions::lyapunov_tol,
                     "Largest Lyapunov exponent above which a recurrent set is 'unknown', not a cycle")
      .def_readwrite("confidence", &BasinsOptions::confidence, "Level of the Wilson intervals, in (0, 1)")
      .def_readwrite("saddle_graph", &BasinsOptions::saddle_graph, "Follow the index-1 saddles' unstable manifolds")
      .def_readwrite("saddle_eps", &BasinsOptions::saddle_eps,
                     "Offset of the manifold starts, share of the nearest-point distance")
      .def_readwrite("map_resolution", &BasinsOptions::map_resolution, "2-D models: basin map grid size (0: none)")
      .def_readwrite("map_lo", &BasinsOptions::map_lo, "Basin map box, lower corner (empty: the starts')")
      .def_readwrite("map_hi", &BasinsOptions::map_hi, "Basin map box, upper corner")
      .def("validate", &BasinsOptions::validate);
  def_copy<BasinsOptions>(o);
}

void bind_basins_parts(py::module_& m) {
  bind_text_enum(m, "BasinsStatus", "complete (every start settled) or incomplete",
                 {BasinsStatus::Complete, BasinsStatus::Incomplete});
  py::class_<BasinAttractor>(m, "BasinAttractor", "One attractor of the census with its basin share")
      .def_readonly("kind", &BasinAttractor::kind, "'fixed_point', 'cycle' or 'unknown'")
      .def_readonly("found_by", &BasinAttractor::found_by, "'search' or 'recurrence'")
      .def_readonly("x", &BasinAttractor::x)
      .def_readonly("points", &BasinAttractor::points, "States on it (dim x m)")
      .def_readonly("period", &BasinAttractor::period)
      .def_readonly("period_time", &BasinAttractor::period_time)
      .def_readonly("radius", &BasinAttractor::radius, "Error-ball or match radius")
      .def_readonly("lyapunov", &BasinAttractor::lyapunov, "Largest Lyapunov exponent (recurrent sets)")
      .def_readonly("fixed_point", &BasinAttractor::fixed_point, "Index into fixed_points (-1: none)")
      .def_readonly("count", &BasinAttractor::count)
      .def_readonly("fraction", &BasinAttractor::fraction)
      .def_readonly("ci_low", &BasinAttractor::ci_low)
      .def_readonly("ci_high", &BasinAttractor::ci_high)
      .def_readonly("mean_time", &BasinAttractor::mean_time);
  py::class_<BasinFixedPoint>(m, "BasinFixedPoint", "A fixed point of the search as the census sees it")
      .def_readonly("x", &BasinFixedPoint::x)
      .def_readonly("stability", &BasinFixedPoint::stability)
      .def_readonly("n_unstable", &BasinFixedPoint::n_unstable)
      .def_readonly("attractor", &BasinFixedPoint::attractor);
  py::class_<BasinSaddle>(m, "BasinSaddle", "An index-1 saddle and the attractors its unstable branches reach")
      .def_readonly("fixed_point", &BasinSaddle::fixed_point)
      .def_readonly("x", &BasinSaddle::x)
      .def_readonly("eigenvalue", &BasinSaddle::eigenvalue)
      .def_readonly("direction", &BasinSaddle::direction)
      .def_readonly("plus", &BasinSaddle::plus)
      .def_readonly("minus", &BasinSaddle::minus)
      .def_readonly("eps", &BasinSaddle::eps);
  py::class_<BasinEdge>(m, "BasinEdge", "Two attractors joined by saddles")
      .def_readonly("a", &BasinEdge::a)
      .def_readonly("b", &BasinEdge::b)
      .def_readonly("saddles", &BasinEdge::saddles);
  py::class_<BasinMap>(m, "BasinMap", "Labels of a grid over a 2-D state space")
      .def_readonly("x", &BasinMap::x)
      .def_readonly("y", &BasinMap::y)
      .def_property_readonly(
          "labels",
          [](const BasinMap& b) {
            Eigen::Matrix<int, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> L(b.y.size(), b.x.size());
            for (Index i = 0; i < L.size(); ++i) L.data()[i] = b.labels[static_cast<size_t>(i)];
            return L;
          },
          "Labels, rows along y, columns along x");
}

}  // namespace

void bind_basins(py::module_& m) {
  bind_basins_options(m);
  bind_basins_parts(m);
  py::class_<BasinsResult> r(m, "BasinsResult", "Which attractor each start reaches, and the shares");
  r.def_readonly("status", &BasinsResult::status)
      .def_readonly("guarantee", &BasinsResult::guarantee)
      .def_readonly("options", &BasinsResult::options)
      .def_property_readonly(
          "fixed_point_method", [](const BasinsResult& x) { return to_string(x.fixed_point_method); },
          "The method the attractor search used")
      .def_property_readonly(
          "fixed_point_status", [](const BasinsResult& x) { return to_string(x.fixed_point_status); },
          "complete, incomplete or sampled (the attractor search)")
      .def_readonly("fixed_points", &BasinsResult::fixed_points)
      .def_readonly("attractors", &BasinsResult::attractors)
      .def_readonly("starts_from", &BasinsResult::starts_from)
      .def_readonly("starts", &BasinsResult::starts, "One start per row")
      .def_property_readonly(
          "labels",
          [](const BasinsResult& x) {
            return Eigen::Map<const Eigen::VectorXi>(x.labels.data(), static_cast<Index>(x.labels.size())).eval();
          },
          "Per start: attractor index, -1 unsettled, -2 diverged")
      .def_readonly("times", &BasinsResult::times)
      .def_readonly("n_starts", &BasinsResult::n_starts)
      .def_readonly("n_settled", &BasinsResult::n_settled)
      .def_readonly("n_unsettled", &BasinsResult::n_unsettled)
      .def_readonly("n_diverged", &BasinsResult::n_diverged)
      .def_readonly("unsettled_fraction", &BasinsResult::unsettled_fraction)
      .def_readonly("unsettled_ci_low", &BasinsResult::unsettled_ci_low)
      .def_readonly("unsettled_ci_high", &BasinsResult::unsettled_ci_high)
      .def_readonly("saddles", &BasinsResult::saddles)
      .def_readonly("graph", &BasinsResult::graph)
      .def_property_readonly(
          "map",
          [](const BasinsResult& x) -> std::optional<BasinMap> {
            if (!x.has_map) return std::nullopt;
            return x.map;
          },
          "The 2-D basin map, or None");
  def_run_info<BasinsResult>(r);
  def_analysis_result<BasinsResult>(r, "basins");
  def_with_progress(m, "_basins", &basins);
}

}  // namespace rnndyn::python
