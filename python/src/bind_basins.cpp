// Basins of attraction and the attractor census (basins/basins.hpp).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/basins/basins.hpp"
#include "rnndyn/basins/basins_json.hpp"

namespace rnndyn::python {

namespace {

void bind_basins_options(py::module_& m) {
  py::class_<BasinsOptions> o(m, "BasinsOptions", "Options of basins (C++ defaults)");
  o.def(py::init<>()).def("validate", &BasinsOptions::validate);
  def_described_options<BasinsOptions>(o);
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

// After fixed_points, which binds the FixedPointOptions its options hold.
const bool registered = register_binding("basins", &bind_basins, {"core", "models", "fixed_points"});

}  // namespace rnndyn::python
