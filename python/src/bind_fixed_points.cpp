// Fixed points and k-cycles: the options and result types of fixed_points.hpp and
// piecewise_linear_cycles.hpp as Python classes, and the two front doors.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <iomanip>
#include <map>
#include <sstream>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/fixed_points/fixed_points_json.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"

namespace rnndyn::python {
namespace {

void bind_options(py::module_& m) {
  py::enum_<FixedPointMethod>(m, "FixedPointMethod", "How find_fixed_points searches (see FixedPointOptions.method)")
      .value("auto", FixedPointMethod::Auto)
      .value("brute", FixedPointMethod::Brute)
      .value("arrangement", FixedPointMethod::Arrangement)
      .value("level_set", FixedPointMethod::LevelSet)
      .value("subdivision", FixedPointMethod::Subdivision)
      .value("branch_bound", FixedPointMethod::BranchBound)
      .value("numeric", FixedPointMethod::Numeric)
      .value("interval", FixedPointMethod::Interval)
      .def(py::init([](const std::string& s) { return parse_fixed_point_method(s); }))
      .def("__str__", [](FixedPointMethod x) { return to_string(x); });
  py::implicitly_convertible<py::str, FixedPointMethod>();

  py::class_<PiecewiseLinearFixedPointOptions> exact(m, "ExactOptions",
                                                     "Tolerances of the exact enumeration (seed 001)");
  exact.def(py::init<>());
  def_described_options<PiecewiseLinearFixedPointOptions>(exact);

  py::class_<MemoryOptions> mem(
      m, "MemoryOptions", "Memories found from simulation: places where orbits from the data dwell (C++ defaults)");
  mem.def(py::init<>());
  def_described_options<MemoryOptions>(mem);

  py::class_<SlowManifoldOptions> smo(m, "SlowManifoldOptions",
                                      "Slow manifolds through the points of the numeric search (C++ defaults)");
  smo.def(py::init<>());
  def_described_options<SlowManifoldOptions>(smo);

  bind_text_enum<NumericSolver>(m, "NumericSolver",
                                "Local solver of the numeric finder: dogleg (then Levenberg-Marquardt) or lm",
                                {NumericSolver::Dogleg, NumericSolver::LevenbergMarquardt});
  py::implicitly_convertible<py::str, NumericSolver>();
  py::class_<NumericFixedPointOptions> num(m, "NumericOptions", "Tolerances of the numeric finder");
  num.def(py::init<>());
  def_described_options<NumericFixedPointOptions>(num);

  py::class_<StartOptions> so(m, "StartOptions", R"doc(
Where the numeric finder starts: ``initial_states`` as given, else ``count`` rows of ``data``
(trajectory states, n x dim) plus Gaussian ``noise``, else ``count`` states uniform in the box
``[box_lo, box_hi]`` (default [-1, 1]), drawn from ``seed``. Arrays are copied.)doc");
  so.def(py::init<>());
  def_described_options<StartOptions>(so);
  // The inputs a result does not keep (outside the description, see fixed_points.hpp).
  so.def_readwrite("data", &StartOptions::data, "States visited by the network (n x dim)")
      .def_readwrite("initial_states", &StartOptions::initial_states, "Exact starts (k x dim)");

  py::class_<LowRankSearchOptions> interval(m, "IntervalOptions",
                                            "The certified latent box search of low-rank networks");
  interval.def(py::init<>());
  def_described_options<LowRankSearchOptions>(interval);

  py::class_<FixedPointOptions> fpo(m, "FixedPointOptions", "Options of find_fixed_points (C++ defaults)");
  fpo.def(py::init<>()).def("__copy__", [](const FixedPointOptions& o) { return FixedPointOptions(o); });
  def_described_options<FixedPointOptions>(fpo);
  fpo.def("validate", &FixedPointOptions::validate);

  bind_text_enum<PlCycleMethod>(m, "CycleMethod", "How find_cycles searches (see CycleOptions.method)",
                                {PlCycleMethod::Pruned, PlCycleMethod::Tuples, PlCycleMethod::Heuristic});
  py::implicitly_convertible<py::str, PlCycleMethod>();
  py::class_<PlCycleOptions> co(m, "CycleOptions", "Options of find_cycles (exact k-cycles of PL maps)");
  co.def(py::init<>()).def("__copy__", [](const PlCycleOptions& o) { return PlCycleOptions(o); });
  def_described_options<PlCycleOptions>(co);
}

void bind_points(py::module_& m) {
  py::class_<PlFixedPoint> point(m, "ExactFixedPoint", "A fixed point found by exact enumeration");
  def_described_result<PlFixedPoint>(point);
  py::class_<PlContinuum> continuum(m, "Continuum", "An affine set of fixed points inside one region");
  def_described_result<PlContinuum>(continuum);
  // the JSON's inequalities {A, b} under Python's names too
  continuum.def_readonly("inequalities_A", &PlContinuum::inequalities_A)
      .def_readonly("inequalities_b", &PlContinuum::inequalities_b);
  py::class_<PiecewiseLinearFixedPoints> exact(m, "ExactFixedPoints", "The exact enumeration's own part of a result");
  def_described_result<PiecewiseLinearFixedPoints>(exact);
  py::class_<PlBranchBoundStats> stats(m, "BranchBoundStats", "What the branch-and-bound search did");
  def_described_result<PlBranchBoundStats>(stats);

  py::class_<NumericPoint> point_n(m, "NumericFixedPoint",
                                   "A fixed or slow point found by the numeric (or interval) search");
  // stability: the Stability object (None where not linearized), n_unstable from it (_json_names.py)
  def_described_result<NumericPoint>(point_n, {"stability", "n_unstable"});
  point_n.def_readonly("slow", &NumericPoint::slow)
      .def_readonly("first_start", &NumericPoint::first_start, "Pool start that first reached it (-1: targeted)")
      .def_readonly("linearized", &NumericPoint::linearized,
                    "Whether eigenvalues, stability and conditioning are filled (slow points: the "
                    "slow_stability_points slowest)")
      .def_property_readonly("eigenvectors", [](const NumericPoint& p) { return p.eigen.eigenvectors; })
      .def_property_readonly(
          "stability",
          [](const NumericPoint& p) -> py::object { return p.linearized ? py::cast(p.stability) : py::none(); },
          "Stability (None: not linearized, see linearized)");
  py::class_<SlowManifoldFixedPoint>(m, "SlowManifoldFixedPoint", "A zero of the drift on a slow manifold")
      .def_readonly("s", &SlowManifoldFixedPoint::s, "Arc length of the zero")
      .def_readonly("s_end", &SlowManifoldFixedPoint::s_end, "End of a stretch at rest (= s otherwise)")
      .def_readonly("x", &SlowManifoldFixedPoint::x)
      .def_readonly("slope", &SlowManifoldFixedPoint::slope, "dv/ds: the eigenvalue along the manifold")
      .def_readonly("stability", &SlowManifoldFixedPoint::stability,
                    "'stable', 'unstable', 'half-stable' or 'neutral' (a stretch at rest), along the manifold")
      .def_property_readonly(
          "fixed_point",
          [](const SlowManifoldFixedPoint& z) -> py::object {
            return z.fixed_point >= 0 ? py::object(py::int_(z.fixed_point)) : py::object(py::none());
          },
          "Index of the search's fixed point at it (None: none)");
  py::class_<SlowManifold>(m, "SlowManifold", R"doc(
A slow manifold: a curve of ``points`` (in order; ``closed`` joins the last to the first) on which
the vector field is tangent and slow, with the signed ``drift`` t . R at each point (per unit time,
per step for maps), its ``max_drift`` and arc-length ``mean_drift``, and the zeros of the drift
(``fixed_points``) with their stability along the curve.)doc")
      .def_readonly("dimension", &SlowManifold::dimension)
      .def_readonly("closed", &SlowManifold::closed)
      .def_readonly("points", &SlowManifold::points, "n_points x dim, in order along the curve")
      .def_readonly("s", &SlowManifold::s, "Arc length of each point")
      .def_readonly("length", &SlowManifold::length)
      .def_readonly("drift", &SlowManifold::drift, "Signed drift t . R at each point")
      .def_readonly("max_drift", &SlowManifold::max_drift)
      .def_readonly("mean_drift", &SlowManifold::mean_drift, "Arc-length mean of |drift|")
      .def_readonly("max_normal_speed", &SlowManifold::max_normal_speed, "max |P_t R| (corrector residual)")
      .def_readonly("variance_explained", &SlowManifold::variance_explained,
                    "Variance shares of the first two principal components of the points")
      .def_readonly("fixed_points", &SlowManifold::fixed_points)
      .def_readonly("half_life", &SlowManifold::half_life,
                    "Time for a value stored at each point to drift half-way to its zero (inf: at rest; nan: "
                    "drifts off the curve)")
      .def_readonly("min_half_life", &SlowManifold::min_half_life, "Shortest finite half_life (inf: none)")
      .def_readonly("n_seeds", &SlowManifold::n_seeds, "Points of the search on it")
      .def_property_readonly(
          "n_points", [](const SlowManifold& m) { return m.points.rows(); }, "Points of the curve")
      .def("__repr__", [](const SlowManifold& m) {
        std::map<std::string, int> kinds;  // the zeros of the drift by stability along the curve
        for (const SlowManifoldFixedPoint& z : m.fixed_points) ++kinds[z.stability];
        std::string zeros;
        for (const auto& [kind, n] : kinds) zeros += (zeros.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
        std::ostringstream os;
        os << std::setprecision(4) << "SlowManifold(" << (m.closed ? "closed" : "open") << ", " << m.points.rows()
           << " points, length=" << m.length << ", max_drift=" << m.max_drift << ", mean_drift=" << m.mean_drift
           << ", fixed points: " << (zeros.empty() ? "none" : zeros) << ")";
        return os.str();
      });
  py::class_<Memory>(m, "Memory", R"doc(
A memory found from simulation: a place where orbits from the data dwell. ``x`` is its slowest
sample, ``speed`` |R| there, ``dwell`` the time all orbits spent in it (maps: steps), ``share``
that time over all time simulated, ``n_orbits`` the orbits that came there, ``mean_visit``
dwell / n_orbits, ``fixed_point`` / ``slow_point`` the index of the search's point within the
radius (None: none).)doc")
      .def_readonly("x", &Memory::x)
      .def_readonly("speed", &Memory::speed)
      .def_readonly("dwell", &Memory::dwell)
      .def_readonly("share", &Memory::share)
      .def_readonly("n_orbits", &Memory::n_orbits)
      .def_readonly("mean_visit", &Memory::mean_visit)
      .def_property_readonly("fixed_point",
                             [](const Memory& x) {
                               return x.fixed_point >= 0 ? py::object(py::int_(x.fixed_point)) : py::object(py::none());
                             })
      .def_property_readonly("slow_point",
                             [](const Memory& x) {
                               return x.slow_point >= 0 ? py::object(py::int_(x.slow_point)) : py::object(py::none());
                             })
      .def("__repr__", [](const Memory& x) {
        std::ostringstream os;
        os << std::setprecision(4) << "Memory(dwell=" << x.dwell << ", share=" << x.share << ", orbits=" << x.n_orbits
           << ", speed=" << x.speed;
        if (x.fixed_point >= 0) os << ", fixed_point=" << x.fixed_point;
        if (x.slow_point >= 0) os << ", slow_point=" << x.slow_point;
        os << ")";
        return os.str();
      });
  py::class_<MemoryCensus>(m, "MemoryCensus", "How the memories were found from simulation")
      .def_readonly("memories", &MemoryCensus::memories, "By dwell, largest first")
      .def_readonly("orbits", &MemoryCensus::orbits, "Orbits run (0: no census)")
      .def_readonly("steps", &MemoryCensus::steps, "Samples per orbit")
      .def_readonly("radius", &MemoryCensus::radius, "Radius of a place")
      .def_readonly("speed_threshold", &MemoryCensus::speed_threshold, "Slow when |R| <= this")
      .def_readonly("slow_share", &MemoryCensus::slow_share, "Share of all samples that were slow")
      .def_readonly("places", &MemoryCensus::places, "Places found before the min_share cut");
  py::class_<NumericSearchSummary> search(m, "NumericSearch",
                                          "The rounds of the numeric search and its completeness estimate");
  def_described_result<NumericSearchSummary>(search);
  py::class_<NumericFixedPointResult> numeric(m, "NumericFixedPoints", "The numeric finder's own part of a result");
  def_described_result<NumericFixedPointResult>(numeric);
  // the summary's members one by one too
  numeric.def_readonly("n_fixed_runs", &NumericFixedPointResult::n_fixed_runs)
      .def_readonly("n_slow_runs", &NumericFixedPointResult::n_slow_runs)
      .def_readonly("n_failed_runs", &NumericFixedPointResult::n_failed_runs)
      .def_readonly("n_outliers", &NumericFixedPointResult::n_outliers)
      .def_readonly("max_q", &NumericFixedPointResult::max_q)
      .def_readonly("data_median_q", &NumericFixedPointResult::data_median_q)
      .def_readonly("slow_q_threshold", &NumericFixedPointResult::slow_q_threshold)
      .def_readonly("n_memory_times", &NumericFixedPointResult::n_memory_times,
                    "Slow points whose memory time was simulated (the memory_time_points slowest)")
      .def_readonly("n_slow_linearized", &NumericFixedPointResult::n_slow_linearized,
                    "Slow points linearized (the slow_stability_points slowest)");
  py::class_<LowRankSearchResult> interval(m, "IntervalSearch", "The interval search's own part of a result");
  def_described_result<LowRankSearchResult>(interval);
  interval.def_readonly("kappa", &LowRankSearchResult::kappa, "Latent zeros, one per fixed point")
      .def_readonly("certified", &LowRankSearchResult::certified)
      .def_readonly("unresolved", &LowRankSearchResult::unresolved, "Undecided boxes (lo, hi)")
      .def_readonly("lo", &LowRankSearchResult::lo)
      .def_readonly("hi", &LowRankSearchResult::hi);
  py::class_<StartsUsed> used(m, "StartsUsed", "How the numeric starts were drawn");
  def_described_result<StartsUsed>(used);
  used.def_readonly("source", &StartsUsed::from, "'box', 'data' or 'given'")
      .def_readonly("n_trained", &StartsUsed::n_trained, "The model's trained states among them (solved first)")
      .def_readonly("n_data", &StartsUsed::n_data)
      .def_readonly("box_lo", &StartsUsed::box_lo)
      .def_readonly("box_hi", &StartsUsed::box_hi)
      .def_readonly("noise", &StartsUsed::noise);
}

void bind_results(py::module_& m) {
  py::class_<FixedPointResult> r(m, "FixedPointResult", R"doc(
The result of find_fixed_points: ``method`` used, ``status`` ('complete', 'incomplete' or
'sampled'), ``guarantee``, ``info`` (model, time, elapsed_seconds), ``options``, and the
method's part (``exact``, ``numeric``, ``interval``). ``fixed_points``, ``slow_points`` and
``continua`` list the points whatever the method; ``slow_manifolds`` the curves of slow points
through them (numeric and interval methods).)doc");
  // the parts (exact, numeric, starts, interval) and their attributes (merged), the header
  def_described_result<FixedPointResult>(r);
  r.def_readonly("latent_rank", &FixedPointResult::latent_rank)
      .def_property_readonly("fixed_points",
                             [](py::object self) -> py::object {
                               const auto& x = self.cast<const FixedPointResult&>();
                               return x.exact ? self.attr("exact").attr("fixed_points")
                                              : self.attr("numeric").attr("fixed_points");
                             })
      .def_property_readonly("slow_points",
                             [](py::object self) -> py::object {
                               const auto& x = self.cast<const FixedPointResult&>();
                               return x.numeric ? self.attr("numeric").attr("slow_points") : py::list();
                             })
      .def_property_readonly("slow_manifolds",
                             [](py::object self) -> py::object {
                               const auto& x = self.cast<const FixedPointResult&>();
                               return x.numeric ? self.attr("numeric").attr("slow_manifolds") : py::list();
                             })
      .def_property_readonly("memories",
                             [](py::object self) -> py::object {
                               const auto& x = self.cast<const FixedPointResult&>();
                               return x.numeric ? self.attr("numeric").attr("memories") : py::list();
                             })
      .def_property_readonly("continua", [](py::object self) -> py::object {
        const auto& x = self.cast<const FixedPointResult&>();
        return x.exact ? self.attr("exact").attr("continua") : py::list();
      });
  def_analysis_result<FixedPointResult>(r, "fixed-points");

  py::class_<PlCycle> cycle(m, "Cycle", "An isolated k-cycle z_1 -> ... -> z_k -> z_1");
  def_described_result<PlCycle>(cycle);
  py::class_<PlCycleContinuum> continuum(m, "CycleContinuum", "A continuum of periodic points of one region tuple");
  def_described_result<PlCycleContinuum>(continuum);
  py::class_<PlCycles> c(m, "CycleResult", "The result of find_cycles");
  def_described_result<PlCycles>(c, {"method", "stopped_by"});  // text and None, as before the description
  c.def_property_readonly(
       "method", [](const PlCycles& x) { return to_string(x.method); }, "pruned, tuples or heuristic")
      .def_property_readonly(
          "stopped_by",
          [](const PlCycles& x) -> py::object {
            if (x.stopped_by.empty()) return py::none();
            return py::str(x.stopped_by);
          },
          "None, or the budget that ended the search");
  def_analysis_result<PlCycles>(c, "cycles");
}

}  // namespace

void bind_fixed_points(py::module_& m) {
  bind_options(m);
  bind_points(m);
  bind_results(m);
  def_with_progress(m, "_find_fixed_points",
                    static_cast<FixedPointResult (*)(const Model&, const FixedPointOptions&)>(&find_fixed_points));
  def_with_progress(m, "_find_cycles", static_cast<PlCycles (*)(const Model&, const PlCycleOptions&)>(&find_cycles));
}

const bool registered = register_binding("fixed_points", &bind_fixed_points);

}  // namespace rnndyn::python
