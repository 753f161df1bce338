// Types every area shares: the run header of results, stability classes and their thresholds.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/core/enums.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/linearize/linearize.hpp"

namespace rnndyn::python {
namespace {

/// 'saddle (2 unstable)': the class, then the unstable and marginal counts where there are any.
std::string stability_text(const Stability& s) {
  std::string counts;
  if (s.n_unstable > 0) counts = std::to_string(s.n_unstable) + " unstable";
  if (s.n_marginal > 0) counts += (counts.empty() ? "" : ", ") + std::to_string(s.n_marginal) + " marginal";
  return counts.empty() ? to_string(s.type) : to_string(s.type) + " (" + counts + ")";
}

/// What equality and order compare: most to least stable, the same text gives the same key.
std::tuple<int, int, int> stability_key(const Stability& s) {
  return {s.n_unstable, s.n_marginal, static_cast<int>(s.type)};
}

/// The registry (rnndyn/analyses.hpp) as a list of dicts, one per analysis, and the CLI's tools.
py::list analysis_rows() {
  py::list rows;
  for (const Analysis& a : kAnalyses) {
    const std::pair<const char*, std::string_view> fields[] = {
        {"name", a.name},       {"cli", a.cli},        {"python", a.python}, {"front_door", a.front_door},
        {"header", a.header},   {"json", a.json},      {"result", a.result}, {"options", a.options},
        {"variant", a.variant}, {"summary", a.summary}};
    py::dict row;
    for (const auto& [key, value] : fields) row[key] = std::string(value);
    rows.append(row);
  }
  return rows;
}

}  // namespace

void bind_core(py::module_& m) {
  m.def("analyses", &analysis_rows,
        "The registry of analyses: name (the JSON's \"analysis\"), cli (its command), python (its function "
        "in rnndyn), front_door, header, json, result, variant, summary; one dict each.");
  m.def(
      "cli_tools", [] { return std::vector<std::string>(kCliTools.begin(), kCliTools.end()); },
      "The CLI's commands that are not analyses (report, sweep).");
  py::class_<Progress>(m, "Progress", "One progress report of a long run (the progress= callback's argument)")
      .def_readonly("stage", &Progress::stage, "What runs, e.g. 'branch and bound'")
      .def_readonly("fraction", &Progress::fraction, "Share of the work done in [0, 1], or -1 when unknown")
      .def_readonly("done", &Progress::done, "Units of work done (nodes, tuples, starts)")
      .def_readonly("found", &Progress::found, "Results found so far")
      .def_readonly("elapsed_seconds", &Progress::elapsed_seconds)
      .def("__repr__", [](const Progress& p) {
        return "<Progress " + p.stage + " " + std::to_string(p.fraction) + " done=" + std::to_string(p.done) + ">";
      });
  py::register_exception<Interrupted>(m, "Interrupted", PyExc_KeyboardInterrupt);
  py::class_<RunInfo>(m, "RunInfo", "Which model an analysis ran on and how long it took")
      .def_readonly("model", &RunInfo::model, "Model-file type name (rate, gru, ...)")
      .def_property_readonly(
          "time", [](const RunInfo& r) { return to_string(r.time); }, "'continuous' (flow) or 'discrete' (map)")
      .def_readonly("elapsed_seconds", &RunInfo::elapsed_seconds);

  py::class_<StabilityOptions> so(m, "StabilityOptions", "Thresholds of the stability classification");
  so.def(py::init<>());
  def_described_options<StabilityOptions>(so);
  py::class_<LinearizeOptions> lo(m, "LinearizeOptions", "Options of linearize");
  lo.def(py::init<>()).def("__copy__", [](const LinearizeOptions& o) { return LinearizeOptions(o); });
  def_described_options<LinearizeOptions>(lo);

  // A class and its counts read as one text, 'saddle (2 unstable)': str, repr, ==, hash and the
  // order all follow it (see stability_text), so collections.Counter keeps saddles of index 1
  // and 2 apart.
  py::class_<Stability>(m, "Stability", R"doc(
Stability class of a spectrum and its eigenvalue counts.

``str(s)`` is the class with the unstable and marginal counts where there are any:
'stable node', 'saddle (2 unstable)', 'non-hyperbolic (1 unstable, 1 marginal)'. Two
stabilities are equal when that text is (class, n_unstable and n_marginal; n_stable only
follows the dimension), and hash like it. Compared with a string, ``s == text`` matches the full
text ('saddle (2 unstable)') or the class alone ('saddle': any saddle). Sorting orders from
most to least stable: by n_unstable, then n_marginal, then class (stable node, stable focus,
saddle, unstable node, unstable focus, non-hyperbolic).)doc")
      .def_property_readonly(
          "type", [](const Stability& s) { return to_string(s.type); }, "e.g. 'stable node', 'saddle'")
      .def_readonly("n_stable", &Stability::n_stable)
      .def_readonly("n_unstable", &Stability::n_unstable, "Unstable directions (the index of a saddle)")
      .def_readonly("n_marginal", &Stability::n_marginal)
      .def("__str__", &stability_text)
      .def("__repr__",
           [](const Stability& s) {
             return "Stability(type='" + to_string(s.type) + "', n_stable=" + std::to_string(s.n_stable) +
                    ", n_unstable=" + std::to_string(s.n_unstable) + ", n_marginal=" + std::to_string(s.n_marginal) +
                    ")";
           })
      .def(
          "__eq__",
          [](const Stability& s, const std::string& text) {
            return stability_text(s) == text || to_string(s.type) == text;
          },
          py::is_operator())
      .def(
          "__eq__", [](const Stability& a, const Stability& b) { return stability_key(a) == stability_key(b); },
          py::is_operator())
      .def(
          "__lt__", [](const Stability& a, const Stability& b) { return stability_key(a) < stability_key(b); },
          py::is_operator())
      .def(
          "__le__", [](const Stability& a, const Stability& b) { return stability_key(a) <= stability_key(b); },
          py::is_operator())
      .def(
          "__gt__", [](const Stability& a, const Stability& b) { return stability_key(a) > stability_key(b); },
          py::is_operator())
      .def(
          "__ge__", [](const Stability& a, const Stability& b) { return stability_key(a) >= stability_key(b); },
          py::is_operator())
      .def("__hash__", [](const Stability& s) { return py::hash(py::str(stability_text(s))); });
}

ProgressCallback python_progress(py::object callback) {
  // Deleted under the GIL wherever the last copy of the callback dies.
  std::shared_ptr<py::object> held(new py::object(std::move(callback)), [](py::object* o) {
    py::gil_scoped_acquire gil;
    delete o;
  });
  return [held](const Progress& p) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (held->is_none()) return true;
    const py::object r = (*held)(p);
    return r.is_none() || r.cast<bool>();
  };
}

const bool registered = register_binding("core", &bind_core, {});

}  // namespace rnndyn::python
