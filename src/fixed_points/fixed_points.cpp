// find_fixed_points(model, options): the one place that decides exact / numeric / interval and
// draws the numeric starts (fixed_points.hpp).
#include "rnndyn/fixed_points/fixed_points.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

#include "../detail/dense_lapack.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {

std::string to_string(FixedPointMethod m) {
  switch (m) {
    case FixedPointMethod::Auto:
      return "auto";
    case FixedPointMethod::Brute:
      return "brute";
    case FixedPointMethod::Arrangement:
      return "arrangement";
    case FixedPointMethod::LevelSet:
      return "level_set";
    case FixedPointMethod::Subdivision:
      return "subdivision";
    case FixedPointMethod::BranchBound:
      return "branch_bound";
    case FixedPointMethod::Numeric:
      return "numeric";
    case FixedPointMethod::Interval:
      return "interval";
  }
  return "auto";
}

FixedPointMethod parse_fixed_point_method(const std::string& name, const std::string& field) {
  for (auto m : {FixedPointMethod::Auto, FixedPointMethod::Brute, FixedPointMethod::Arrangement,
                 FixedPointMethod::LevelSet, FixedPointMethod::Subdivision, FixedPointMethod::BranchBound,
                 FixedPointMethod::Numeric, FixedPointMethod::Interval})
    if (to_string(m) == name) return m;
  throw InputError(
      field, "expected auto, brute, arrangement, level_set, subdivision, branch_bound, numeric or interval, got '" +
                 name + "'");
}

std::string to_string(FixedPointStatus s) {
  switch (s) {
    case FixedPointStatus::Complete:
      return "complete";
    case FixedPointStatus::Incomplete:
      return "incomplete";
    case FixedPointStatus::Sampled:
      return "sampled";
  }
  return "sampled";
}

namespace {

/// Re-raises an InputError of a nested options struct with the nested field's path.
template <class Fn>
void validate_nested(const std::string& prefix, Fn&& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    throw InputError(prefix + "." + (e.field().empty() ? std::string("value") : e.field()), e.problem());
  }
}

void validate_starts(const StartOptions& s) {
  if (s.count < 1) throw InputError("starts.count", "must be >= 1, got " + std::to_string(s.count));
  if (!(s.noise >= 0.0) || !std::isfinite(s.noise)) throw InputError("starts.noise", "must be finite and >= 0");
  if (s.box_lo.size() != s.box_hi.size()) throw InputError("starts.box", "lo and hi differ in length");
  for (Index i = 0; i < s.box_lo.size(); ++i)
    if (!(s.box_lo(i) < s.box_hi(i)) || !std::isfinite(s.box_lo(i)) || !std::isfinite(s.box_hi(i)))
      throw InputError("starts.box", "need finite lo < hi (dimension " + std::to_string(i) + ")");
  if (s.box_lo.size() > 0 && s.data.size() > 0)
    throw InputError("starts.box", "give either a box or data (trajectory states), not both");
  if (s.box_lo.size() > 0 && s.initial_states.size() > 0)
    throw InputError("starts.box", "give either a box or initial states, not both");
  if (!s.data.allFinite()) throw InputError("starts.data", "states must be finite");
  if (!s.initial_states.allFinite()) throw InputError("starts.initial_states", "states must be finite");
}

void check_columns(const Matrix& m, Index dim, const std::string& field) {
  if (m.size() > 0 && m.cols() != dim)
    throw InputError(field, "expected states with " + std::to_string(dim) + " columns (the model's dimension), got " +
                                std::to_string(m.cols()));
}

/// A number in a sentence: 3 significant digits (2e-10, 1.9e+10), not std::to_string's 0.000000.
std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

/// What an exact result promises, in words (the reasons it may be incomplete come first).
std::string exact_guarantee(const PiecewiseLinearFixedPoints& e) {
  if (e.status == PlFixedPointStatus::Complete)
    return e.branch_bound ? "complete: branch and bound closed every node of the pattern tree (" +
                                std::to_string(e.branch_bound->nodes) +
                                " nodes); every isolated fixed point and every continuum is listed (up to the "
                                "region and singularity tolerances)"
                          : "complete: every region of the hyperplane arrangement was examined; every isolated fixed "
                            "point and every continuum is listed (up to the region and singularity tolerances)";
  std::string why;
  if (e.branch_bound && e.branch_bound->hopeless)
    why = "branch and bound stopped early after " + std::to_string(e.branch_bound->nodes) + " nodes: it closed " +
          short_number(e.branch_bound->closed_share) + " of the pattern tree, so closing it would take ~" +
          short_number(e.branch_bound->projected_seconds) +
          " s, far beyond time_limit (projection_factor; 0 disables the projection)";
  else if (e.branch_bound && e.branch_bound->budget_exhausted)
    why = "the branch-and-bound budget ended the search after " + std::to_string(e.branch_bound->nodes) +
          " nodes with " + short_number(e.branch_bound->closed_share * 100.0) +
          "% of the pattern tree closed (raise max_nodes / time_limit)";
  if (!e.undecided_regions.empty())
    why += std::string(why.empty() ? "" : "; ") + std::to_string(e.undecided_regions.size()) +
           " region(s) too ill-conditioned to decide (undecided_regions)";
  if (why.empty()) why = "some regions at a highly degenerate vertex were not expanded";
  return "incomplete: " + why + "; the points listed are fixed points, others may exist";
}

/// The exact guarantee, with the latent space it was reached in when that came from an SVD.
std::string exact_guarantee_with_latent(const PiecewiseLinearFixedPoints& e) {
  std::string g = exact_guarantee(e);
  if (e.latent_rounded)
    g += " (searched in the " + std::to_string(e.latent_dimension) +
         "-dimensional latent space of W's SVD: singular values below 1e-10 sigma_max dropped; each point re-solved "
         "in its region of the full network up to N = 300)";
  return g;
}

bool is_exact(FixedPointMethod m) {
  return m == FixedPointMethod::Brute || m == FixedPointMethod::Arrangement || m == FixedPointMethod::LevelSet ||
         m == FixedPointMethod::Subdivision || m == FixedPointMethod::BranchBound;
}

PlFixedPointMethod exact_method(FixedPointMethod m) {
  switch (m) {
    case FixedPointMethod::Brute:
      return PlFixedPointMethod::Brute;
    case FixedPointMethod::Arrangement:
      return PlFixedPointMethod::Arrangement;
    case FixedPointMethod::LevelSet:
      return PlFixedPointMethod::LevelSet;
    case FixedPointMethod::Subdivision:
      return PlFixedPointMethod::Subdivision;
    case FixedPointMethod::BranchBound:
      return PlFixedPointMethod::BranchBound;
    default:
      return PlFixedPointMethod::Auto;
  }
}

FixedPointMethod from_exact(PlFixedPointMethod m) {
  switch (m) {
    case PlFixedPointMethod::Brute:
      return FixedPointMethod::Brute;
    case PlFixedPointMethod::LevelSet:
      return FixedPointMethod::LevelSet;
    case PlFixedPointMethod::Subdivision:
      return FixedPointMethod::Subdivision;
    case PlFixedPointMethod::BranchBound:
      return FixedPointMethod::BranchBound;
    default:
      return FixedPointMethod::Arrangement;
  }
}

/// The trained states among the exact points (match_trained_states): sigma_min is that of DR in
/// the point's region (M_D - I for maps, M_D for flows), computed only for candidates.
void label_trained_exact(const Model& model, const FixedPointOptions& o, PiecewiseLinearFixedPoints& e) {
  if (model.trained_states().empty()) return;  // before building the piecewise-linear view
  const auto pl = model.piecewise_linear();
  if (!pl) return;
  std::vector<Vector> xs;
  for (const PlFixedPoint& p : e.fixed_points) xs.push_back(p.x);
  const auto sigma = [&](std::size_t i) {
    Matrix DR = pl->region_map(e.fixed_points[i].pattern).matrix;
    if (model.time_kind() == TimeKind::Map) DR.diagonal().array() -= 1.0;
    return detail::singular_values(DR).minCoeff();
  };
  for (const TrainedMatch& t :
       match_trained_states(model, xs, std::vector<double>(xs.size(), 0.0), sigma, o.numeric.dedup_tol)) {
    PlFixedPoint& p = e.fixed_points[static_cast<std::size_t>(t.point)];
    p.trained_state = t.state;
    p.trained_level = model.trained_states()[static_cast<std::size_t>(t.state)].level;
    p.trained_distance = t.distance;
  }
}

void run_exact(const Model& model, const FixedPointOptions& o, FixedPointResult& r) {
  if (!model.piecewise_linear())
    throw InputError("method", to_string(o.method) +
                                   " needs a piecewise-linear model (relu, hardtanh or linear units); this " +
                                   model.kind() + " model is smooth: use method numeric or auto");
  PiecewiseLinearFixedPointOptions eo = o.exact;
  eo.method = exact_method(o.method);
  eo.progress = o.progress;
  r.exact = find_fixed_points_exact(model, eo);
  r.method = from_exact(r.exact->method);
  r.status =
      r.exact->status == PlFixedPointStatus::Complete ? FixedPointStatus::Complete : FixedPointStatus::Incomplete;
  r.guarantee = exact_guarantee_with_latent(*r.exact);
}

/// Piecewise-linear models: every numeric fixed point re-solved in its own region
/// (polish_fixed_point), so that its residual is at rounding level instead of the solver's
/// ~sqrt(eps); two numeric points that land on one exact point are merged (their counts added).
void polish_numeric_points(const Model& model, const PiecewiseLinearStructure& pl, const NumericFixedPointOptions& no,
                           NumericFixedPointResult& res) {
  std::vector<NumericPoint> kept;
  for (NumericPoint& p : res.fixed_points) {
    const PlPolish polished = polish_fixed_point(pl, p.x);
    if (!polished.ok) {
      kept.push_back(std::move(p));
      continue;
    }
    p.x = polished.x;
    p.q = 0.5 * model.fixed_point_residual(p.x).squaredNorm();
    p.exact = true;
    auto same = std::find_if(kept.begin(), kept.end(), [&](const NumericPoint& k) {
      return (k.x - p.x).lpNorm<Eigen::Infinity>() <= no.dedup_tol * std::max(1.0, p.x.lpNorm<Eigen::Infinity>());
    });
    if (same != kept.end()) {
      same->n_starts += p.n_starts;
      same->random_hits += p.random_hits;
      continue;
    }
    if (no.compute_stability) add_stability(model, p, no.linearize);
    kept.push_back(std::move(p));
  }
  res.fixed_points = std::move(kept);
  res.search.singletons = 0;  // the Good-Turing estimate over the merged points
  for (const auto& p : res.fixed_points) res.search.singletons += p.random_hits == 1 ? 1 : 0;
  if (res.search.samples > 0) res.search.good_turing = static_cast<double>(res.search.singletons) / res.search.samples;
  res.max_q = 0.0;
  for (const auto& p : res.fixed_points) res.max_q = std::max(res.max_q, p.q);
}

void run_numeric(const Model& model, const FixedPointOptions& o, FixedPointResult& r) {
  StartsUsed used;
  Matrix starts = draw_starts(o.starts, model.dim(), &used);
  // The model's trained states (a trained reservoir's x_1..x_M) are solved first whenever the
  // caller gave no starts of its own: they are the points the user trained for, and a random box
  // in a chaotic network's state space rarely lands in their basins.
  const auto& trained = model.trained_states();
  if (used.from != "given" && !trained.empty()) {
    Matrix with(starts.rows() + static_cast<Index>(trained.size()), starts.cols());
    for (std::size_t m = 0; m < trained.size(); ++m) with.row(static_cast<Index>(m)) = trained[m].x.transpose();
    with.bottomRows(starts.rows()) = starts;
    starts.swap(with);
    used.n_trained = static_cast<Index>(trained.size());
    used.n_starts = starts.rows();
  }
  NumericFixedPointOptions no = o.numeric;
  no.progress = o.progress;
  if (used.from == "given") no.patience = 0;  // given starts are solved, every one
  // The outlier reference: the data, else the given starts, else (only for an explicit
  // distance) the drawn starts; without any, the automatic rule removes nothing.
  Matrix reference = o.starts.data.size() > 0 ? o.starts.data : o.starts.initial_states;
  if (reference.size() == 0 && no.outlier_distance > 0.0 && std::isfinite(no.outlier_distance)) reference = starts;
  if (reference.size() == 0 && no.outlier_distance == 0.0)
    no.outlier_distance = std::numeric_limits<double>::infinity();
  r.numeric = find_fixed_points_numeric(model, starts, no, reference);
  // The re-solve forms and factors the region's dim x dim map per point: kept to dim <= 512
  // (~0.1 s a point there); larger networks keep the solver's points (exact: false).
  if (const auto pl = model.dim() <= 512 ? model.piecewise_linear() : std::nullopt)
    polish_numeric_points(model, *pl, no, *r.numeric);
  label_trained_states(model, no, *r.numeric);
  if (no.compute_stability) add_memory_times(model, no, *r.numeric);
  add_slow_manifolds(model, no, *r.numeric);
  add_memories(model, no, o.starts.data, *r.numeric);
  r.starts = used;
  r.method = FixedPointMethod::Numeric;
  r.status = FixedPointStatus::Sampled;
  const std::string solver =
      no.solver == NumericSolver::Dogleg ? "Powell's dogleg, then Levenberg-Marquardt" : "Levenberg-Marquardt";
  r.guarantee = "none: multi-start local search (" + solver +
                " on R(x) = " + std::string(model.time_kind() == TimeKind::Flow ? "F(x)" : "F(x) - x") +
                "); fixed points outside the basins of the starts can be missed";
}

/// After an exact search ended on its budget: the numeric finder's points that the exact search
/// did not find, appended to the exact list with found_by "numeric". run_numeric re-solved each
/// in its own region (polish_fixed_point), so they are exact like the others; the region found
/// there gives the (one-sided) pattern and the eigenvalues. A point that no region holds (a
/// continuum's), or of a network beyond the re-solve's size, keeps the model's Jacobian and
/// found_by "numeric (not exact)".
void add_numeric_points(const Model& model, const FixedPointOptions& o, FixedPointResult& r) {
  FixedPointResult n;
  n.options = o;
  run_numeric(model, o, n);
  const auto pl = model.piecewise_linear();
  if (!pl) return;  // exact searches run only on piecewise-linear models
  auto& pts = r.exact->fixed_points;
  const std::size_t n_exact = pts.size();
  for (const NumericPoint& q : n.numeric->fixed_points) {
    bool known = false;
    for (std::size_t k = 0; k < n_exact && !known; ++k)
      known = (pts[k].x - q.x).lpNorm<Eigen::Infinity>() <=
              o.numeric.dedup_tol * std::max(1.0, q.x.lpNorm<Eigen::Infinity>());
    if (known) continue;
    PlFixedPoint p;
    PlPolish polished;  // the region run_numeric re-solved the point in (again: one LU), if it did
    if (q.exact) polished = polish_fixed_point(*pl, q.x, o.exact.region_tol);
    if (!polished.ok) {
      polished.x = q.x;
      polished.pattern = pl->pattern_at(q.x);
    }
    p.x = polished.x;
    p.pattern = polished.pattern;
    p.on_boundary = polished.on_boundary;
    p.found_by = polished.ok ? "numeric" : "numeric (not exact)";
    p.residual = model.fixed_point_residual(p.x).lpNorm<Eigen::Infinity>();
    p.relative_residual = p.residual / std::max(1.0, p.x.lpNorm<Eigen::Infinity>());
    if (!o.exact.skip_eigen) {
      const Matrix J = polished.ok ? pl->region_map(p.pattern).matrix : model.jacobian(p.x);
      p.eigenvalues = eigen_decompose(J, model.time_kind()).eigenvalues;
      p.stability = classify_spectrum(p.eigenvalues, model.time_kind(), o.exact.stability);
    }
    pts.push_back(std::move(p));
  }
  r.guarantee += "; the numeric finder (" + std::to_string(n.starts->n_starts) + " starts) added " +
                 std::to_string(pts.size() - n_exact) +
                 " point(s) labelled found_by \"numeric\", each re-solved exactly in its own region";
}

/// The interval search on the latent problem `p` of `model` (low_rank_problem, or the reduction
/// auto already made).
void run_interval(const Model& model, const FixedPointOptions& o, const LowRankProblem& p, FixedPointResult& r) {
  LowRankSearchOptions so = o.interval;
  if (so.lo.size() == 1 && p.rank() > 1) {  // one interval for every latent dimension
    so.lo = Vector::Constant(p.rank(), so.lo(0));
    so.hi = Vector::Constant(p.rank(), so.hi(0));
  }
  if (so.lo.size() != 0 && so.lo.size() != p.rank())
    throw InputError("interval.lo", "expected 1 or " + std::to_string(p.rank()) + " values (the latent rank), got " +
                                        std::to_string(so.lo.size()));
  r.interval = find_low_rank_fixed_points(p, so);
  r.latent_rank = p.rank();
  NumericFixedPointResult n;
  for (size_t i = 0; i < r.interval->x.size(); ++i) {
    const Vector& x = r.interval->x[i];
    NumericPoint pt;
    pt.x = x;
    pt.kappa = r.interval->kappa[i];
    pt.certified = static_cast<bool>(r.interval->certified[i]);
    pt.q = 0.5 * model.fixed_point_residual(x).squaredNorm();
    pt.n_starts = 0;
    if (o.numeric.compute_stability) add_stability(model, pt, o.numeric.linearize);
    n.max_q = std::max(n.max_q, pt.q);
    n.fixed_points.push_back(std::move(pt));
  }
  label_trained_states(model, o.numeric, n);
  add_slow_manifolds(model, o.numeric, n);  // seeded by the certified points
  r.numeric = std::move(n);
  r.method = FixedPointMethod::Interval;
  r.status =
      r.interval->guarantee == LowRankGuarantee::Complete ? FixedPointStatus::Complete : FixedPointStatus::Incomplete;
  r.guarantee = to_string(r.interval->guarantee);
  if (o.interval.lo.size() != 0) r.guarantee += " (in the given latent box only)";
}

/// Auto's choice for a smooth model: the certified interval search when it is a tanh or sigmoid
/// rate/rnn network of latent rank <= 2 and the caller configured no numeric starts (no box, data
/// or initial states): its default latent box then holds every fixed point, and bisection in one
/// or two latent dimensions takes about a second even at N = 1000, where the numeric search
/// would only sample. The rank test is randomized, O(N^2) for a dense W (models/latent.cpp).
/// Returns the latent problem (with the rank tolerance of low_rank_problem, so the SVD is made
/// once), or nothing when auto takes another method.
std::optional<LowRankProblem> auto_interval_problem(const Model& model, const FixedPointOptions& o) {
  const StartOptions& s = o.starts;
  if (s.box_lo.size() > 0 || s.data.size() > 0 || s.initial_states.size() > 0) return std::nullopt;
  LatentOptions lo;
  lo.rank_tol = 1e-10;
  lo.max_rank = std::min<Index>(2, o.max_rank);
  auto p = model.latent_reduction(lo);
  if (!p || (p->phi.kind() != ActivationKind::Tanh && p->phi.kind() != ActivationKind::Sigmoid)) return std::nullopt;
  return p;
}

}  // namespace

void FixedPointOptions::validate() const {
  validate_nested("exact", [&] { exact.validate(); });
  validate_nested("numeric", [&] { numeric.validate(); });
  validate_nested("interval", [&] { interval.validate(); });
  validate_starts(starts);
  if (max_rank < 1 || max_rank > 8) throw InputError("max_rank", "must lie in [1, 8], got " + std::to_string(max_rank));
}

Matrix draw_starts(const StartOptions& s, Index dim, StartsUsed* used) {
  validate_starts(s);
  check_columns(s.data, dim, "starts.data");
  check_columns(s.initial_states, dim, "starts.initial_states");
  StartsUsed u;
  u.n_data = s.data.rows();
  u.seed = s.seed;
  u.noise = s.noise;
  Matrix X;
  if (s.initial_states.size() > 0) {
    u.from = "given";
    X = s.initial_states;
  } else if (s.data.size() > 0) {
    u.from = "data";
    X = sample_from_data(s.count, s.data, s.noise, s.seed);
  } else {
    u.from = "box";
    const auto side = [&](const Vector& v, double fallback) {
      if (v.size() == 0) return Vector::Constant(dim, fallback).eval();
      if (v.size() == 1) return Vector::Constant(dim, v(0)).eval();
      if (v.size() != dim)
        throw InputError("starts.box", "expected 1 or " + std::to_string(dim) + " values per corner, got " +
                                           std::to_string(v.size()));
      return v;
    };
    u.box_lo = side(s.box_lo, -1.0);
    u.box_hi = side(s.box_hi, 1.0);
    X = sample_box(s.count, u.box_lo, u.box_hi, s.seed);
  }
  u.n_starts = X.rows();
  if (used) *used = u;
  return X;
}

FixedPointResult find_fixed_points(const Model& model, const FixedPointOptions& options) {
  options.validate();
  const Stopwatch clock;
  FixedPointResult r;
  r.options = options;
  r.options.starts.data.resize(0, 0);  // the result keeps the settings, not the data
  r.options.starts.initial_states.resize(0, 0);
  r.options.progress = nullptr;  // nor the caller's callback
  r.info.model = model.kind();
  r.info.time = model.time_kind();
  const FixedPointMethod m = options.method;
  if (is_exact(m) || (m == FixedPointMethod::Auto && model.piecewise_linear())) {
    run_exact(model, options, r);
    if (options.numeric_fallback && r.exact->branch_bound && r.exact->branch_bound->budget_exhausted)
      add_numeric_points(model, options, r);
    label_trained_exact(model, options, *r.exact);
  } else if (m == FixedPointMethod::Interval) {
    run_interval(model, options, low_rank_problem(model, 1e-10, options.max_rank), r);
  } else if (const auto p = m == FixedPointMethod::Auto ? auto_interval_problem(model, options) : std::nullopt) {
    run_interval(model, options, *p, r);
  } else {
    run_numeric(model, options, r);
  }
  r.info.elapsed_seconds = clock.seconds();
  return r;
}

}  // namespace rnndyn
