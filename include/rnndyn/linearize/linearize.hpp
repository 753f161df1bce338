#pragma once
/// Linearization at a point: Jacobian DF(x), its eigen-decomposition and a stability class.
///
/// Flows read Re(lambda) against 0, maps |lambda| against 1 (seed 002: "If a_k < 0 for all k,
/// ... the network will be stable"). On a switching boundary of a piecewise-linear activation
/// the Jacobian is not defined; every one-sided Jacobian is reported instead.
#include <string>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

enum class StabilityClass {
  StableNode,
  StableFocus,
  Saddle,
  UnstableNode,
  UnstableFocus,
  NonHyperbolic,
};
std::string to_string(StabilityClass s);

struct StabilityOptions {
  /// |Re lambda| (flows) or ||lambda| - 1| (maps) below this counts as marginal, >= 0.
  double marginal_tol = 1e-9;
  /// |Im lambda| below this counts as real, >= 0.
  double imag_tol = 1e-12;
};

/// The fields of the thresholds (core/describe.hpp). Commands whose options hold them offer
/// --marginal-tol unless they skip "stability.marginal_tol" (continue does: it never validates it).
template <>
struct Description<StabilityOptions> {
  using O = StabilityOptions;
  static constexpr auto fields = std::make_tuple(
      field("marginal_tol", &O::marginal_tol,
            "|Re lambda| (flows) or ||lambda| - 1| (maps) below this is marginal, >= 0", "--marginal-tol"),
      field("imag_tol", &O::imag_tol, "|Im lambda| below this counts as real, >= 0"));
};

struct Stability {
  StabilityClass type = StabilityClass::StableNode;
  int n_stable = 0;
  int n_unstable = 0;
  int n_marginal = 0;  ///< zero (flows) or unit-modulus (maps) eigenvalues
};

/// Its class alone as JSON ("stable focus"), as the results of continuation, fixed points and cycles
/// write a point's stability (an encoder of their descriptions; io/result_json.cpp).
nlohmann::json to_json_class(const Stability& s);
/// Its counts alone ({"n_stable", "n_unstable", "n_marginal"}), as cycles write them beside the class.
nlohmann::json to_json_counts(const Stability& s);

/// Classifies a spectrum for the given time kind.
Stability classify_spectrum(const ComplexVector& eigenvalues, TimeKind time, const StabilityOptions& options = {});

struct EigenDecomposition {
  ComplexVector eigenvalues;   ///< sorted by decreasing real part (flows) or modulus (maps)
  ComplexMatrix eigenvectors;  ///< unit-norm columns matching eigenvalues
};
EigenDecomposition eigen_decompose(const Matrix& J, TimeKind time);

struct LinearizeOptions {
  StabilityOptions stability;
  /// A unit whose activation input is within this of a kink is on a switching boundary, >= 0.
  double kink_tol = 1e-12;
  /// At most this many units at a kink are expanded into 2^k one-sided Jacobians, in [0, 16].
  int max_kink_units = 10;
  /// Throws InputError naming the field (stability.marginal_tol, kink_tol, ...).
  void validate() const;
};

/// The fields of the options (core/describe.hpp).
template <>
struct Description<LinearizeOptions> {
  using O = LinearizeOptions;
  static constexpr auto fields =
      std::make_tuple(field("stability", &O::stability, "Thresholds of the stability classification (marginal, real)"),
                      field("kink_tol", &O::kink_tol,
                            "A unit whose activation input is this close to a kink is on a switching "
                            "boundary, >= 0",
                            "--kink-tol"),
                      field("max_kink_units", &O::max_kink_units,
                            "At most this many units at a kink are expanded into 2^k one-sided Jacobians, in [0, 16]"));
};

struct OneSidedLinearization {
  std::vector<int> side;  ///< per unit at a kink: 0 = left piece, 1 = right piece
  Matrix jacobian;
  EigenDecomposition eigen;
  Stability stability;
};

struct Linearization {
  Vector x;
  Vector residual;             ///< F(x) (flows) or F(x) - x (maps)
  double residual_norm = 0.0;  ///< |residual|_2
  Matrix jacobian;             ///< with the left derivative at kinks
  EigenDecomposition eigen;
  Stability stability;
  bool on_switching_boundary = false;
  std::vector<Index> kink_units;
  std::vector<OneSidedLinearization> one_sided;  ///< empty unless on_switching_boundary
  RunInfo info;
  LinearizeOptions options;  ///< the options it ran with
};

/// The fields of a one-sided Jacobian (core/describe.hpp): its stability as its class.
template <>
struct Description<OneSidedLinearization> {
  using R = OneSidedLinearization;
  static constexpr auto fields = std::make_tuple(
      field("side", &R::side, "Per unit at a kink: 0 = left piece, 1 = right piece"),
      field("jacobian", &R::jacobian, "The one-sided Jacobian"),
      view(
          "eigenvalues", "Its eigenvalues (eigen.eigenvalues)", +[](const R& r) { return r.eigen.eigenvalues; }),
      encoded(field("stability", &R::stability, "Stability class of the one-sided Jacobian"), &to_json_class));
};

/// The fields of the result (core/describe.hpp); its to_json adds the run info (io/result_json.cpp).
template <>
struct Description<Linearization> {
  using R = Linearization;
  static constexpr auto fields = std::make_tuple(
      field("x", &R::x, "The point"), field("residual", &R::residual, "F(x) (flows) or F(x) - x (maps)"),
      field("residual_norm", &R::residual_norm, "|residual|_2"),
      field("jacobian", &R::jacobian, "DF(x), with the left derivative at kinks"),
      view(
          "eigenvalues", "Eigenvalues, by decreasing Re (flows) or modulus (maps) (eigen.eigenvalues)",
          +[](const R& r) { return r.eigen.eigenvalues; }),
      view(
          "eigenvectors", "Unit eigenvectors, one per column (eigen.eigenvectors)",
          +[](const R& r) { return r.eigen.eigenvectors; }),
      encoded(field("stability", &R::stability, "Stability class (Python: the Stability with its counts)"),
              &to_json_class),
      view(
          "stability_detail", "The stability's class and counts (stability)", +[](const R& r) { return r.stability; }),
      field("on_switching_boundary", &R::on_switching_boundary, "x is on a switching boundary of the activation"),
      when(
          field("kink_units", &R::kink_units, "Units at a kink (written on a switching boundary)"),
          +[](const R& r) { return r.on_switching_boundary; }),
      when(
          field("one_sided", &R::one_sided, "Every one-sided Jacobian (written on a switching boundary)"),
          +[](const R& r) { return r.on_switching_boundary; }),
      field("options", &R::options, "The options it ran with"));
};

Linearization linearize(const Model& model, const Vector& x, const LinearizeOptions& options = {});
/// At the model's initial state: initial_state_or_zeros() (the model file's x0, else a trained
/// reservoir's first trained state, else zeros).
Linearization linearize(const Model& model, const LinearizeOptions& options = {});

}  // namespace rnndyn
