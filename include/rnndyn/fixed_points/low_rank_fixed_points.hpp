#pragma once
/// Fixed points of low-rank smooth networks, solved in the R-dimensional latent space
/// (Mastrogiuseppe & Ostojic 2018), with an exhaustive interval search over a box for small R.
///
/// For a connectivity of rank R, W = U V^T (U, V: N x R, from the SVD of W), and the constant
/// drive d (b + W_in u), every fixed point is determined by its latent coordinates kappa in R^R:
///
///   rate, current form   tau dx/dt = -x + g W phi(x) + d:   x* = M kappa + d
///   rate, rate form      tau dr/dt = -r + phi(g W r + d):   r* = phi(M kappa + d)
///   rnn (map)            h' = phi(W_hh h + d):              h* = phi(M kappa + d)
///
/// with M = g U (g = 1 for rnn) and kappa a zero of
///
///   G(kappa) = V^T phi(M kappa + d) - kappa.
///
/// The map kappa -> x* is a bijection between zeros of G and fixed points (kappa = V^T phi(x*)
/// resp. V^T r*), so the search is exact in R dimensions instead of N.
///
/// Exhaustive search: boxes of kappa are bisected; a box is discarded when the interval
/// enclosure of G excludes 0 (phi is monotone, so phi(M K + d) is enclosed exactly per unit) or
/// when the Krawczyk operator K(X) misses X; a box with K(X) inside X contains exactly one zero,
/// found by Newton's method. Guarantee: every zero of G in the box lies in a certified box (one
/// zero each) or in a reported unresolved box (width below min_width, e.g. at a double root),
/// up to floating-point rounding (enclosures are widened by a relative 1e-12 but not rounded
/// outward). For bounded phi (tanh, sigmoid) the default box is the a-priori bound
/// |kappa_r| <= sum_i |V_ir| sup|phi|, so then no fixed point of the network is missed.
#include <string>
#include <utility>
#include <vector>

#include "rnndyn/core/describe.hpp"
#include "rnndyn/core/types.hpp"
#include "rnndyn/models/activation.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

/// The latent problem G(kappa) = V^T phi(M kappa + d) - kappa and its lift (models/latent.hpp).
using LowRankProblem = LatentReduction;

/// The model's latent reduction (Model::latent_reduction: rate and rnn models, from their factors
/// or the SVD of W with rank R = #{sigma_i > rank_tol * sigma_max}) for the interval search,
/// which needs a smooth monotone activation (tanh, sigmoid, softplus). Throws InputError for
/// models without a reduction, other activations, or R > max_rank.
LowRankProblem low_rank_problem(const Model& model, double rank_tol = 1e-10, Index max_rank = 8);

struct LowRankSearchOptions {
  /// Search box in latent coordinates; empty (default) = the a-priori bound for bounded phi
  /// (required for softplus). Same length R as lo/hi, lo < hi.
  Vector lo, hi;
  /// Boxes narrower than this (max side) are not bisected further but reported unresolved, > 0.
  /// Default 1e-9.
  double min_width = 1e-9;
  /// At most this many boxes are examined, >= 1; beyond, the rest are reported unresolved.
  /// Default 2,000,000.
  long max_boxes = 2000000;
  /// Newton stops at ||G|| <= newton_tol, > 0. Default 1e-13.
  double newton_tol = 1e-13;
  void validate() const;
};

/// The fields of the options (core/describe.hpp). The box has its own CLI parser (fixed-points
/// --latent-box), the limits no flag.
template <>
struct Description<LowRankSearchOptions> {
  using O = LowRankSearchOptions;
  static constexpr auto fields = std::make_tuple(
      field("lo", &O::lo, "Lower corner of the latent box, length R (empty: the a-priori bound of bounded phi)"),
      field("hi", &O::hi, "Upper corner of the latent box, length R, > lo (empty: the a-priori bound)"),
      field("min_width", &O::min_width, "Boxes narrower than this (max side) stay unresolved, > 0"),
      field("max_boxes", &O::max_boxes, "At most this many boxes are examined (the rest unresolved), >= 1"),
      field("newton_tol", &O::newton_tol, "Newton stops at |G| <= this, > 0"));
};

enum class LowRankGuarantee {
  Complete,    ///< every zero in the box was found, each certified unique in its own box
  Unresolved,  ///< some boxes stayed undecided (listed): zeros there may be missed or uncertified
};
std::string to_string(LowRankGuarantee g);

struct LowRankSearchResult {
  std::vector<Vector> kappa;                          ///< latent zeros found
  std::vector<Vector> x;                              ///< the corresponding fixed points of the network
  std::vector<bool> certified;                        ///< Krawczyk-certified (unique in its box)
  std::vector<std::pair<Vector, Vector>> unresolved;  ///< undecided boxes (lo, hi)
  Vector lo, hi;                                      ///< the box searched
  /// The box was the default, the a-priori bound (options.lo empty), which holds every fixed
  /// point of tanh and sigmoid networks.
  bool default_box = false;
  long n_boxes = 0;  ///< boxes examined
  LowRankGuarantee guarantee = LowRankGuarantee::Complete;
};

/// Boxes (lo, hi) as a list of {"lo", "hi"} objects (the undecided boxes).
nlohmann::json to_json_boxes(const std::vector<std::pair<Vector, Vector>>& boxes);

/// The interval part's keys (core/describe.hpp), which FixedPointResult writes at its top
/// (merged); kappa and certified are written per point (NumericPoint), lo and hi as latent_box.
template <>
struct Description<LowRankSearchResult> {
  using L = LowRankSearchResult;
  static constexpr auto fields = std::make_tuple(
      group("latent_box", "The latent box searched", field("lo", &L::lo, "Its lower corner"),
            field("hi", &L::hi, "Its upper corner")),
      field("default_box_is_global", &L::default_box,
            "The box was the default a-priori bound (it holds every fixed point of tanh and sigmoid networks)"),
      field("n_boxes", &L::n_boxes, "Boxes examined"),
      encoded(field("unresolved_boxes", &L::unresolved, "Undecided boxes ({lo, hi})"), &to_json_boxes));
};

LowRankSearchResult find_low_rank_fixed_points(const LowRankProblem& problem, const LowRankSearchOptions& options = {});

}  // namespace rnndyn
