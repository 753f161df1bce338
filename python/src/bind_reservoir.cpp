// Seed 003: the mean-field theory (MeanFieldOptions -> solve_mean_field -> MeanFieldResult) and the
// finite-network experiment (ReservoirExperimentOptions -> analyze_reservoir ->
// ReservoirExperiment) as classes, their config files (read_reservoir_config), the activation
// and the Nyquist types they contain. The front doors run with the GIL released.
#include <pybind11/complex.h>
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "describe_bind.hpp"
#include "rnndyn/reservoir/reservoir_json.hpp"

namespace rnndyn::python {
namespace {

void bind_activation(py::module_& m) {
  if (py::detail::get_type_info(typeid(Activation))) return;  // already bound by another area
  py::class_<Activation>(m, "Activation", R"doc(
A scalar activation phi: linear, relu (max(0, x - threshold)), tanh, sigmoid, softplus, hardtanh.
Options fields of this type also accept a name ('tanh') or a (name, threshold) pair.)doc")
      .def(py::init([](const std::string& name) { return Activation::from_name(name); }), py::arg("name"))
      .def(py::init(&Activation::from_name), py::arg("name"), py::arg("threshold"))
      .def_property_readonly("name", &Activation::name, "linear, relu, tanh, sigmoid, softplus or hardtanh")
      .def_property_readonly("threshold", &Activation::threshold, "Threshold theta of relu")
      .def("value", &Activation::value, py::arg("x"), "phi(x)")
      .def("derivative", &Activation::derivative, py::arg("x"), "phi'(x) (left derivative at a kink)")
      .def("__repr__",
           [](const Activation& a) { return "Activation('" + a.name() + "', " + std::to_string(a.threshold()) + ")"; });
}

/// An Activation from an Activation, a name, or a (name, threshold) pair.
Activation activation_from(const py::object& v) {
  if (py::isinstance<py::str>(v)) return Activation::from_name(v.cast<std::string>());
  if (py::isinstance<py::tuple>(v) || py::isinstance<py::list>(v)) {
    const auto pair = v.cast<std::pair<std::string, double>>();
    return Activation::from_name(pair.first, pair.second);
  }
  return v.cast<Activation>();
}

void bind_nyquist(py::module_& m) {
  py::class_<NyquistOptions> o(m, "NyquistOptions", "Settings of the Nyquist winding count (reservoir/nyquist.hpp)");
  o.def(py::init<>()).def("validate", &NyquistOptions::validate);
  def_described_options<NyquistOptions>(o);
  def_copy<NyquistOptions>(o);
  py::class_<NyquistResult> r(m, "NyquistResult", "Winding of G(i omega) around 1: the closed loop's verdict");
  def_described_result<NyquistResult>(r);
  def_to_dict<NyquistResult>(r);
}

void bind_mean_field(py::module_& m) {
  bind_text_enum(m, "FeedbackDistribution", "Distribution of the feedback weights w_FB",
                 {FeedbackDistribution::Uniform, FeedbackDistribution::Gaussian});
  bind_text_enum(m, "MeanFieldStatus", "Outcome of the covariance self-consistency",
                 {MeanFieldStatus::Converged, MeanFieldStatus::NotConverged, MeanFieldStatus::Degenerate,
                  MeanFieldStatus::Diverged});

  py::class_<MeanFieldOptions> o(m, "MeanFieldOptions", R"doc(
Options of solve_mean_field (include/rnndyn/reservoir/mean_field.hpp); every default is the C++
one. List fields (targets, omegas) are copied: assign a new list to change them.)doc");
  o.def(py::init<>())
      .def_property(
          "activation", [](const MeanFieldOptions& x) { return x.activation; },
          [](MeanFieldOptions& x, const py::object& v) { x.activation = activation_from(v); },
          "Activation phi (default tanh); also a name or a (name, threshold) pair")
      .def("validate", &MeanFieldOptions::validate, "Raises ValueError naming a bad field")
      .def("frequencies", &MeanFieldOptions::frequencies, "The frequencies of the reported gains");
  def_described_options<MeanFieldOptions>(o);
  def_copy<MeanFieldOptions>(o);

  py::class_<MeanFieldTarget> t(m, "MeanFieldTarget", "The mean-field theory at one target level A_n");
  def_described_result<MeanFieldTarget>(t);  // the JSON's keys; the rest is Python's only
  def_readonly_copy(t, "a", &MeanFieldTarget::a, "a_k = <phi(x_k) phi'(x_n) w>");
  def_readonly_copy(t, "P", &MeanFieldTarget::P, "g^2 B C^-1: open-loop poles eig(P) - 1");
  def_readonly_copy(t, "k", &MeanFieldTarget::k, "Readout coefficients k = g^2 C^-1 A");
  def_readonly_copy(t, "open_loop_unstable", &MeanFieldTarget::open_loop_unstable, "eig(P) - 1 in Re s > 0");
  t.def("open_loop_gain", &MeanFieldTarget::open_loop_gain, py::arg("omega"), "G_OL(i omega) (eq. 17)");

  py::class_<MeanFieldResult> r(m, "MeanFieldResult", R"doc(
Result of solve_mean_field: covariance C, readout k, and one MeanFieldTarget per level with its
poles, time scales, G_OL and Nyquist verdict. to_dict() is the CLI's JSON (rnndyn mft).)doc");
  def_described_result<MeanFieldResult>(r);
  def_readonly_copy(r, "omegas", &MeanFieldResult::omegas, "Frequencies of every level's gain (the JSON's omega)");
  def_analysis_result<MeanFieldResult>(r, "mft");

  m.def(
      "solve_mean_field",
      [](const MeanFieldOptions& options) {
        py::gil_scoped_release release;
        return solve_mean_field(options);
      },
      py::arg("options"), "Mean-field theory, G_OL and the Nyquist verdict at every level (see rnndyn mft).");
}

/// The parts of a ReservoirExperiment: training, finite-network levels, transients.
void bind_finite_results(py::module_& m) {
  bind_text_enum(m, "TrainingStatus", "Outcome of the readout training",
                 {TrainingStatus::Converged, TrainingStatus::NotConverged});
  py::class_<TrainedTarget> tt(m, "TrainedTarget", "One open-loop fixed point x_m of the training (eq. 3)");
  def_readonly_copy(tt, "A", &TrainedTarget::A, "Target level");
  def_readonly_copy(tt, "x", &TrainedTarget::x, "Open-loop fixed point x_m");
  def_readonly_copy(tt, "residual", &TrainedTarget::residual, "|x - W phi(x) - w_FB A|_inf");
  def_readonly_copy(tt, "converged", &TrainedTarget::converged, "Residual below tol");
  def_readonly_copy(tt, "iterations", &TrainedTarget::iterations, "Damped iterations + Newton steps");
  def_readonly_copy(tt, "output", &TrainedTarget::output, "w_out^T phi(x_m) after the fit");
  py::class_<TrainingResult> tr(m, "TrainingResult", "Open-loop fixed points and the fitted readout");
  def_readonly_copy(tr, "status", &TrainingResult::status, "TrainingStatus");
  def_readonly_copy(tr, "targets", &TrainingResult::targets, "One TrainedTarget per level");
  def_readonly_copy(tr, "w_out", &TrainingResult::w_out, "Readout weights");
  def_readonly_copy(tr, "readout_error", &TrainingResult::readout_error, "max_m |w_out^T r_m - A_m|");

  py::class_<FiniteTargetAnalysis> a(m, "FiniteTargetAnalysis", "The finite network at one trained level");
  def_described_result<FiniteTargetAnalysis>(a);
  def_readonly_copy(a, "closed_loop_eigenvalues", &FiniteTargetAnalysis::closed_loop_eigenvalues,
                    "Dense spectrum of eq. 4 by decreasing Re (complex; empty without dense_spectrum)");

  py::class_<TransientResponse> tresp(m, "TransientResponse", "Response to a kick along w_FB at t = 0");
  def_readonly_copy(tresp, "t", &TransientResponse::t, "Sample times");
  def_readonly_copy(tresp, "z", &TransientResponse::z, "w_out^T phi(x(t)) - A");
  def_readonly_copy(tresp, "neurons", &TransientResponse::neurons, "x_i(t) - x_A,i (recorded neurons x samples)");
  tresp.def_property_readonly(
      "status", [](const TransientResponse& x) { return x.status == SimulateStatus::Ok ? "ok" : "diverged"; },
      "'ok' or 'diverged'");
}

void bind_experiment(py::module_& m) {
  bind_text_enum(m, "ReservoirExperimentStatus", "Outcome of analyze_reservoir",
                 {ReservoirExperimentStatus::Ok, ReservoirExperimentStatus::TrainingNotConverged,
                  ReservoirExperimentStatus::MeanFieldNotConverged});

  py::class_<ReservoirExperimentOptions> o(m, "ReservoirExperimentOptions", R"doc(
Options of analyze_reservoir (include/rnndyn/reservoir/reservoir_analysis.hpp): the network's
statistics, targets and theory settings in mean_field, the finite network's in the other fields.
Every default is the C++ one.)doc");
  o.def(py::init<>()).def("validate", &ReservoirExperimentOptions::validate, "Raises ValueError naming a bad field");
  def_described_options<ReservoirExperimentOptions>(o);
  def_copy<ReservoirExperimentOptions>(o);

  py::class_<ReservoirExperiment> r(m, "ReservoirExperiment", R"doc(
Result of analyze_reservoir: the theory (mean_field), the training, and the finite network at
every level (levels, transients). to_dict() is the CLI's JSON (rnndyn reservoir).)doc");
  def_described_result<ReservoirExperiment>(r);  // status, omega, mean_field, finite, options
  def_readonly_copy(r, "training", &ReservoirExperiment::training, "TrainingResult");
  def_readonly_copy(r, "w_out_norm", &ReservoirExperiment::w_out_norm, "|w_out|_2");
  def_readonly_copy(r, "levels", &ReservoirExperiment::levels, "One FiniteTargetAnalysis per level");
  r.def_property_readonly(
      "transients",
      [](const ReservoirExperiment& x) {
        std::vector<TransientResponse> out;
        for (const auto& l : x.levels)
          if (l.transient) out.push_back(*l.transient);
        return out;
      },
      "One TransientResponse per level (or none): the levels' transient");
  def_readonly_copy(r, "omegas", &ReservoirExperiment::omegas, "Frequencies of every gain (the JSON's omega)");
  def_analysis_result<ReservoirExperiment>(r, "reservoir");

  m.def(
      "analyze_reservoir",
      [](const ReservoirExperimentOptions& options) {
        py::gil_scoped_release release;
        return analyze_reservoir(options);
      },
      py::arg("options"), "Draw, train and analyse a reservoir against the theory (see rnndyn reservoir).");
  m.def(
      "read_reservoir_config", [](const std::string& path) { return read_reservoir_config(path); }, py::arg("path"),
      "ReservoirExperimentOptions from a config file (examples/reservoir_*.json) over the defaults.");
  m.def(
      "read_reservoir_config",
      [](const std::string& path, const ReservoirExperimentOptions& base, const std::vector<std::string>& keep) {
        return read_reservoir_config(path, base, keep);
      },
      py::arg("path"), py::arg("base"), py::arg("keep"),
      "The keys of the config file applied to `base`, except those in `keep`.");
}

}  // namespace

void bind_reservoir(py::module_& m) {
  bind_activation(m);
  bind_nyquist(m);
  bind_mean_field(m);
  bind_finite_results(m);
  bind_experiment(m);
}

const bool registered = register_binding("reservoir", &bind_reservoir);

}  // namespace rnndyn::python
