// Bindings of the analyses: each takes the model and the options struct's main fields as keyword
// arguments, releases the GIL while computing, and returns the same JSON as the CLI command.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/continuation/continuation_json.hpp"
#include "rnndyn/continuation/limit_cycle.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points_json.hpp"
#include "rnndyn/fixed_points/piecewise_linear_fixed_points.hpp"
#include "rnndyn/fixed_points/piecewise_linear_fixed_points_json.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/lyapunov/lyapunov.hpp"
#include "rnndyn/lyapunov/lyapunov_json.hpp"
#include "rnndyn/perturbation/perturbation.hpp"
#include "rnndyn/perturbation/perturbation_json.hpp"
#include "rnndyn/reservoir/mean_field.hpp"
#include "rnndyn/reservoir/reservoir_json.hpp"

namespace rnndyn::python {

void bind_limit_cycle(py::module_& m) {
  m.def(
      "_limit_cycle",
      [](const Model& model, const Vector& x0, double transient, double window, double max_time) {
        LimitCycleOptions o;
        o.transient = transient;
        o.window = window;
        o.max_time = max_time;
        o.validate();
        py::gil_scoped_release release;
        return to_python_json(to_json(find_limit_cycle(model, x0, o)));
      },
      py::arg("model"), py::arg("x0"), py::arg("transient"), py::arg("window"), py::arg("max_time"));
}

void bind_lyapunov(py::module_& m) {
  m.def(
      "_lyapunov",
      [](const Model& model, const Vector& x0, Index k, double t_total, double warmup, double interval,
         const std::string& integrator, double dt, std::uint64_t seed) {
        LyapunovOptions o;
        o.k = k;
        o.t_total = t_total;
        o.warmup = warmup;
        o.interval = interval;
        o.integrator = lyapunov_integrator_from_string(integrator);
        o.dt = dt;
        o.seed = seed;
        o.validate();
        py::gil_scoped_release release;
        return to_python_json(to_json(lyapunov_spectrum(model, x0, o)));
      },
      py::arg("model"), py::arg("x0"), py::arg("k"), py::arg("t_total"), py::arg("warmup"), py::arg("interval"),
      py::arg("integrator"), py::arg("dt"), py::arg("seed"));
}

void bind_reservoir(py::module_& m) {
  m.def(
      "_mean_field",
      [](const std::string& activation, double threshold, double g, const std::vector<double>& targets,
         const std::string& feedback, double feedback_scale, const std::vector<double>& omegas) {
        MeanFieldOptions o;
        o.activation = Activation::from_name(activation, threshold);
        o.g = g;
        o.targets = targets;
        o.feedback = feedback_distribution_from_name(feedback);
        o.feedback_scale = feedback_scale;
        o.validate();
        nlohmann::json j = to_json(solve_mean_field(o), omegas);
        j["omega"] = omegas;
        return to_python_json(j);
      },
      py::arg("activation"), py::arg("threshold"), py::arg("g"), py::arg("targets"), py::arg("feedback"),
      py::arg("feedback_scale"), py::arg("omegas"));
}

}  // namespace rnndyn::python
