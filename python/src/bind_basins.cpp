// Basins of attraction and the attractor census (basins/basins.hpp).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/basins/basins.hpp"
#include "rnndyn/io/describe_json.hpp"

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
  py::class_<BasinAttractor> a(m, "BasinAttractor", "One attractor of the census with its basin share");
  def_described_result<BasinAttractor>(a);
  py::class_<BasinFixedPoint> p(m, "BasinFixedPoint", "A fixed point of the search as the census sees it");
  def_described_result<BasinFixedPoint>(p);
  py::class_<BasinSaddle> s(m, "BasinSaddle", "An index-1 saddle and the attractors its unstable branches reach");
  def_described_result<BasinSaddle>(s);
  py::class_<BasinEdge> e(m, "BasinEdge", "Two attractors joined by saddles");
  def_described_result<BasinEdge>(e);
  py::class_<BasinMap> map(m, "BasinMap", "Labels of a grid over a 2-D state space");
  def_described_result<BasinMap>(map, {"labels"});  // a grid: a 2-D array
  map.def_property_readonly(
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
  // labels as an array, as numpy reads it; the method as its text and the map as None when there is
  // none, as before they were described
  def_described_result<BasinsResult>(r, {"labels", "fixed_point_method", "map"});
  r.def_property_readonly(
       "map",
       [](const BasinsResult& x) -> std::optional<BasinMap> {
         if (!x.has_map) return std::nullopt;
         return x.map;
       },
       "The 2-D basin map (with map_resolution > 0), or None")
      .def_property_readonly(
          "fixed_point_method", [](const BasinsResult& x) { return to_string(x.fixed_point_method); },
          "The method the attractor search used")
      .def_property_readonly(
          "labels",
          [](const BasinsResult& x) {
            return Eigen::Map<const Eigen::VectorXi>(x.labels.data(), static_cast<Index>(x.labels.size())).eval();
          },
          "Per start: attractor index, -1 unsettled, -2 diverged")
      // the members of the JSON's "unsettled" under their C++ names
      .def_readonly("n_unsettled", &BasinsResult::n_unsettled)
      .def_readonly("n_diverged", &BasinsResult::n_diverged)
      .def_readonly("unsettled_fraction", &BasinsResult::unsettled_fraction)
      .def_readonly("unsettled_ci_low", &BasinsResult::unsettled_ci_low)
      .def_readonly("unsettled_ci_high", &BasinsResult::unsettled_ci_high);
  def_analysis_result<BasinsResult>(r, "basins");
  def_with_progress(m, "_basins", &basins);
}

// After fixed_points, which binds the FixedPointOptions its options hold.
const bool registered = register_binding("basins", &bind_basins, {"core", "models", "fixed_points"});

}  // namespace rnndyn::python
