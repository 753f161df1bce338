// Bindings of the analyses: each takes the model and the options struct's main fields as keyword
// arguments, releases the GIL while computing, and returns the same JSON as the CLI command.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/continuation/continuation_json.hpp"
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

void bind_fixed_points(py::module_& m) {
  m.def(
      "_fixed_points_exact",
      [](const Model& model, const std::string& method, bool force) {
        if (!model.piecewise_linear())
          throw InputError("method",
                           "exact enumeration needs a piecewise-linear model (relu, hardtanh, linear); this " +
                               model.kind() + " model is smooth: use method='numeric'");
        PiecewiseLinearFixedPointOptions o;
        o.method = pl_fixed_point_method_from_string(method);
        o.force = force;
        o.validate();
        nlohmann::json j;
        {
          py::gil_scoped_release release;
          j = to_json(find_fixed_points(model, o));
        }
        j["model"] = model.kind();
        return to_python_json(j);
      },
      py::arg("model"), py::arg("method"), py::arg("force"));
  m.def(
      "_fixed_points_numeric",
      [](const Model& model, const Matrix& starts, const Matrix& data, double q_tol, double slow_q_max,
         double dedup_tol, double outlier_distance, int max_iter, int threads) {
        NumericFixedPointOptions o;
        o.q_tol = q_tol;
        o.slow_q_max = slow_q_max;
        o.dedup_tol = dedup_tol;
        o.outlier_distance = outlier_distance;
        o.max_iter = max_iter;
        o.threads = threads;
        o.validate();
        if (starts.cols() != model.dim())
          throw InputError("initial_states", "expected " + std::to_string(model.dim()) + " columns, got " +
                                                 std::to_string(starts.cols()));
        NumericFixedPointResult r;
        {
          py::gil_scoped_release release;
          r = find_fixed_points_numeric(model, starts, o, data);
        }
        nlohmann::json j{{"method", "numeric"}, {"model", model.kind()}, {"n_starts", starts.rows()}};
        j["fixed_points"] = nlohmann::json::array();
        for (const auto& p : r.fixed_points) j["fixed_points"].push_back(to_json(p, o.compute_stability));
        j["slow_points"] = nlohmann::json::array();
        for (const auto& p : r.slow_points) j["slow_points"].push_back(to_json(p, o.compute_stability));
        j["continua"] = nlohmann::json::array();
        j["max_q"] = to_json_number(r.max_q);
        return to_python_json(j);
      },
      py::arg("model"), py::arg("starts"), py::arg("data"), py::arg("q_tol"), py::arg("slow_q_max"),
      py::arg("dedup_tol"), py::arg("outlier_distance"), py::arg("max_iter"), py::arg("threads"));
}

void bind_continuation(py::module_& m) {
  m.def(
      "_continue",
      [](const Model& model, const std::string& parameter, double from, double to, const std::vector<Vector>& starts,
         int max_points, double initial_step, double max_step) {
        ContinuationOptions o;
        o.parameter = parameter;
        o.from = from;
        o.to = to;
        o.max_points = max_points;
        o.initial_step = initial_step;
        o.max_step = max_step;
        o.validate();
        nlohmann::json j;
        {
          py::gil_scoped_release release;
          j = to_json(continue_fixed_points(model, starts, o));
        }
        j["parameter"] = parameter;
        return to_python_json(j);
      },
      py::arg("model"), py::arg("parameter"), py::arg("start"), py::arg("stop"), py::arg("starts"),
      py::arg("max_points"), py::arg("initial_step"), py::arg("max_step"));
}

void bind_perturbation(py::module_& m) {
  m.def(
      "_perturb",
      [](const Model& model, const std::string& target, double scale, int samples, std::uint64_t seed,
         const Matrix& epsilon, double confidence, int keep) {
        PerturbOptions o;
        if (target != "weights" && target != "bias")
          throw InputError("target", "expected 'weights' or 'bias', got '" + target + "'");
        o.target = target == "bias" ? PerturbTarget::Bias : PerturbTarget::Weights;
        o.scale = scale;
        o.samples = samples;
        o.seed = seed;
        o.epsilon = epsilon;
        o.confidence = confidence;
        o.keep_samples = keep;
        o.validate();
        nlohmann::json j;
        {
          py::gil_scoped_release release;
          j = to_json(perturb(model, o));
        }
        j["model"] = model.kind();
        j["target"] = target;
        return to_python_json(j);
      },
      py::arg("model"), py::arg("target"), py::arg("scale"), py::arg("samples"), py::arg("seed"), py::arg("epsilon"),
      py::arg("confidence"), py::arg("keep"));
}

}  // namespace rnndyn::python
