// Perturbations classified by exact fixed-point enumeration; see perturbation.hpp.
#include "rnndyn/perturbation/perturbation.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <exception>
#include <random>

#include "../detail/parallel.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/models/activation.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points.hpp"

namespace rnndyn {

void PerturbOptions::validate() const {
  if (epsilon.size() == 0) {
    if (!(scale > 0) || !std::isfinite(scale)) throw InputError("scale", "must be > 0");
    if (samples < 1) throw InputError("samples", "must be >= 1");
  } else if (!epsilon.allFinite()) {
    throw InputError("epsilon", "entries must be finite");
  }
  if (!(confidence > 0 && confidence < 1)) throw InputError("confidence", "must be in (0, 1)");
  if (keep_samples < 0) throw InputError("keep_samples", "must be >= 0");
}

std::pair<double, double> wilson_interval(long k, long n, double confidence) {
  if (n <= 0) return {0.0, 1.0};
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + confidence / 2);
  const double p = static_cast<double>(k) / static_cast<double>(n), nn = static_cast<double>(n);
  const double denom = 1 + z * z / nn;
  const double centre = (p + z * z / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom;
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::string theorem1_seed_prediction(const Matrix& e) {
  const double e11 = e(0, 0), e12 = e(0, 1), e21 = e(1, 0), e22 = e(1, 1);
  const double detA = e11 * e22 - e11 - e22 - e12 * e21 + e12 + e21;
  if (std::abs(detA) < 1e-12) return "line";  // eq. 7 (v = 0)
  // Condition 1 as written (lines 48-51, reading the second "det A > 0" as "< 0").
  const bool cond1 = (detA > 0 && e22 > e12 && e11 > e21) || (detA < 0 && e22 < e12 && e11 < e21);
  const bool c14 = e22 <= e12, c15 = e11 <= e21;  // eqs. 14, 15
  if (!cond1 && c14 && c15) return "two_boundary_fixed_points";
  if (!cond1 && (c14 != c15)) return "single_boundary_point";
  if (!(c14 && c15)) return "three_fixed_points";  // "If condition 2 is violated, there are three"
  return "one_fixed_point";
}

std::string theorem1_derived_prediction(const Matrix& e) {
  Matrix A(2, 2);
  A << e(0, 0) - 1, e(0, 1) - 1, e(1, 0) - 1, e(1, 1) - 1;
  const double detA = A.determinant();
  if (std::abs(detA) < 1e-12) return "line";
  const Vector x = A.inverse() * -Vector::Ones(2);  // eq. 13 (beta = 1; the types do not depend on beta > 0)
  const bool full = x(0) > 0 && x(1) > 0;
  const int boundary = (e(1, 1) > e(0, 1) && e(1, 1) < 1 ? 1 : 0) + (e(0, 0) > e(1, 0) && e(0, 0) < 1 ? 1 : 0);
  if (full) return boundary == 0 ? "one_fixed_point" : (boundary == 2 ? "three_fixed_points" : "two_fixed_points");
  if (boundary == 2) return "two_boundary_fixed_points";
  return boundary == 1 ? "single_boundary_point" : "no_fixed_point";
}

namespace {

/// On a switching boundary the Jacobian is not defined: the stability string then lists the
/// classes of every one-sided Jacobian, e.g. "boundary: saddle / stable node" (the unbounded line
/// attractor's origin sits on both hyperplanes; whether a one-sided class is realised depends on
/// whether its eigenvectors point into its region).
std::string stability_of(const Model& model, const PlFixedPoint& fp) {
  if (!fp.on_boundary) return to_string(fp.stability.type);
  const Linearization lin = linearize(model, fp.x);
  if (!lin.on_switching_boundary) return to_string(fp.stability.type);
  std::vector<std::string> kinds;
  for (const auto& os : lin.one_sided) kinds.push_back(to_string(os.stability.type));
  std::sort(kinds.begin(), kinds.end());
  kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
  if (kinds.size() == 1) return kinds.front();
  std::string s = "boundary: ";
  for (std::size_t i = 0; i < kinds.size(); ++i) s += (i ? " / " : "") + kinds[i];
  return s;
}

std::string classify(const Model& model, const PiecewiseLinearFixedPoints& fps,
                     std::vector<PerturbedFixedPoint>& points) {
  for (const auto& fp : fps.fixed_points) {
    PerturbedFixedPoint p;
    p.x = fp.x;
    p.stability = stability_of(model, fp);
    p.full_support = std::all_of(fp.pattern.begin(), fp.pattern.end(), [](int s) { return s > 0; });
    points.push_back(p);
  }
  if (!fps.continua.empty()) return "line";
  const std::size_t n = points.size();
  const std::size_t full = static_cast<std::size_t>(
      std::count_if(points.begin(), points.end(), [](const PerturbedFixedPoint& p) { return p.full_support; }));
  if (n == 0) return "no_fixed_point";
  if (n == 1) return full == 1 ? "one_fixed_point" : "single_boundary_point";
  if (n == 2) return full == 0 ? "two_boundary_fixed_points" : "two_fixed_points";
  if (n == 3) return "three_fixed_points";
  return "other";
}

/// What the sample still remembers (RemainingMemory in the header) from its exact fixed points.
void remaining_memory(const PiecewiseLinearFixedPoints& fps, TimeKind time, PerturbSample& s) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (!fps.continua.empty()) {
    s.memory = RemainingMemory::Kept;
    s.half_life = kInf;
    return;
  }
  double longest = -1.0;  // over the stable points; stays < 0 when there is none
  for (const auto& fp : fps.fixed_points) {
    if (fp.stability.n_unstable > 0 || fp.eigenvalues.size() == 0) continue;
    double rate = kInf;  // the slowest decay rate
    for (const auto& l : fp.eigenvalues)
      rate = std::min(rate, time == TimeKind::Map ? -std::log(std::abs(l)) : -l.real());
    longest = std::max(longest, fp.stability.n_marginal > 0 || !(rate > 0.0) ? kInf : std::log(2.0) / rate);
  }
  if (longest < 0.0) return;  // none: the defaults
  s.memory = std::isfinite(longest) ? RemainingMemory::Decays : RemainingMemory::Kept;
  s.half_life = longest;
}

/// The q-quantile of sorted values, linearly interpolated (numpy's default); NaN when empty.
double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

/// The seed-000 bounded line attractor form, tau dr/dt = -r + relu(W r + b) with W = [[0,-1],[-1,0]]
/// and b = beta (1, 1), beta > 0, read off the piecewise-linear view F(z) = A z + V relu(U z + c) + h:
/// two relu units with threshold 0, U = W, c = b, V = -A diagonal (the rate form) and h = 0.
bool is_bounded_line_attractor(const PiecewiseLinearStructure& pl) {
  if (pl.dim() != 2 || pl.hidden() != 2) return false;
  for (const auto& u : pl.units)
    if (u.kind() != ActivationKind::Relu || u.threshold() != 0) return false;
  Matrix W0(2, 2);
  W0 << 0, -1, -1, 0;
  const Matrix D = -pl.A;
  const bool rate_form = D.isDiagonal(0.0) && (pl.V - D).cwiseAbs().maxCoeff() == 0.0 && D(0, 0) > 0 && D(1, 1) > 0 &&
                         pl.h.cwiseAbs().maxCoeff() == 0.0;
  return rate_form && (pl.U - W0).cwiseAbs().maxCoeff() < 1e-12 && pl.c(0) > 0 && std::abs(pl.c(0) - pl.c(1)) < 1e-12;
}

}  // namespace

std::string to_string(RemainingMemory m) {
  switch (m) {
    case RemainingMemory::Kept:
      return "kept";
    case RemainingMemory::Decays:
      return "decays";
    case RemainingMemory::None:
      break;
  }
  return "none";
}

std::string to_string(PerturbTarget t) { return t == PerturbTarget::Bias ? "bias" : "weights"; }

PerturbTarget parse_perturb_target(const std::string& name, const std::string& field) {
  if (name == "weights") return PerturbTarget::Weights;
  if (name == "bias") return PerturbTarget::Bias;
  throw InputError(field, "expected 'weights' or 'bias', got '" + name + "'");
}

namespace {

/// One perturbed network, classified (and its Theorem-1 predictions when `theorem`).
PerturbSample classify_sample(const Model& model, const std::vector<std::string>& names, const Matrix& eps,
                              const PiecewiseLinearStructure& pl, bool theorem) {
  auto m = model.clone();
  for (Index k = 0; k < eps.size(); ++k)
    m->set_parameter(names[static_cast<std::size_t>(k)],
                     model.parameter(names[static_cast<std::size_t>(k)]) + eps(k % eps.rows(), k / eps.rows()));
  PerturbSample sample;
  sample.epsilon = eps;
  const auto perturbed = m->piecewise_linear();
  const PiecewiseLinearFixedPoints fps = find_fixed_points(*perturbed);
  sample.type = classify(*m, fps, sample.fixed_points);
  remaining_memory(fps, m->time_kind(), sample);
  if (theorem) {
    // The seed writes epsilon for W' = W + epsilon with g = 1; the effective perturbation is
    // the change of the units' input weights (g epsilon for the rate model's gain g).
    const Matrix e = perturbed->U - pl.U;
    sample.theorem1_seed = theorem1_seed_prediction(e);
    sample.theorem1_derived = theorem1_derived_prediction(e);
  }
  return sample;
}

/// The counts of the samples, in the order drawn.
struct Tally {
  std::map<std::string, long> counts;
  std::map<std::string, std::map<std::string, long>> stability, memory;
  std::map<std::string, std::vector<double>> half_lives;  // the finite ones, by type

  void add(PerturbSample&& sample, const PerturbOptions& o, PerturbResult& res) {
    ++counts[sample.type];
    ++memory[sample.type][to_string(sample.memory)];
    if (std::isfinite(sample.half_life)) half_lives[sample.type].push_back(sample.half_life);
    std::vector<std::string> st;
    for (const auto& p : sample.fixed_points) st.push_back(p.stability);
    std::sort(st.begin(), st.end());
    std::string key;
    for (const auto& x : st) key += (key.empty() ? "" : " + ") + x;
    ++stability[sample.type][key.empty() ? "none" : key];
    if (res.theorem1_checked) {
      if (sample.theorem1_seed != sample.type) {
        ++res.theorem1_seed_mismatches;
        if (res.theorem1_seed_counterexamples.size() < 5) res.theorem1_seed_counterexamples.push_back(sample);
      }
      if (sample.theorem1_derived != sample.type) ++res.theorem1_derived_mismatches;
    }
    if (static_cast<long>(res.kept.size()) < o.keep_samples) res.kept.push_back(std::move(sample));
  }

  void finish(long total, double confidence, PerturbResult& res) {
    for (const auto& [type, count] : counts) {
      TypeShare ts;
      ts.count = count;
      ts.share = static_cast<double>(count) / static_cast<double>(total);
      std::tie(ts.ci_low, ts.ci_high) = wilson_interval(count, total, confidence);
      ts.stability = stability[type];
      ts.memory = memory[type];
      auto& h = half_lives[type];
      std::sort(h.begin(), h.end());
      ts.half_life_median = quantile(h, 0.5);
      ts.half_life_q25 = quantile(h, 0.25);
      ts.half_life_q75 = quantile(h, 0.75);
      res.types[type] = ts;
    }
  }
};

/// Samples drawn and classified per round: drawn in order from the one generator (the result
/// does not depend on the threads), classified in parallel, counted in order. One parallel region
/// per sample cost more than the sample (9 s for 1000 bias samples of a 2-unit network on a
/// loaded 2-core machine, 0.06 s on one thread); the inner searches now run on one thread each.
constexpr long kRound = 256;

}  // namespace

PerturbResult perturb(const Model& model, const PerturbOptions& o) {
  o.validate();
  const Stopwatch clock;
  if (!model.piecewise_linear())
    throw InputError("model", "perturb needs a piecewise-linear model (relu, hardtanh, linear)");
  const std::string symbol = o.target == PerturbTarget::Weights ? "W" : "b";
  Index rows = 0, cols = 0;
  for (const auto& blk : model.parameter_blocks())
    if (blk.symbol == symbol) rows = blk.rows, cols = blk.cols;
  if (rows == 0) throw InputError("model", "has no parameter " + symbol + " to perturb");
  if (o.epsilon.size() > 0 && (o.epsilon.rows() != rows || o.epsilon.cols() != cols))
    throw InputError("epsilon", "expected a " + std::to_string(rows) + "x" + std::to_string(cols) + " matrix, got " +
                                    std::to_string(o.epsilon.rows()) + "x" + std::to_string(o.epsilon.cols()));
  std::vector<std::string> names;  // column-major, as eps(k % rows, k / rows)
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i)
      names.push_back(cols == 1 ? symbol + "[" + std::to_string(i) + "]"
                                : symbol + "[" + std::to_string(i) + "," + std::to_string(j) + "]");
  const auto pl = model.piecewise_linear();
  PerturbResult res;
  res.theorem1_checked = o.target == PerturbTarget::Weights && is_bounded_line_attractor(*pl);
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> normal;
  const long total = o.epsilon.size() > 0 ? 1 : o.samples;
  Tally tally;
  Monitor monitor(o.progress);
  for (long first = 0; first < total; first += kRound) {
    monitor.checkpoint({"perturb", static_cast<double>(first) / static_cast<double>(total), first, 0, 0.0});
    const long n = std::min(kRound, total - first);
    std::vector<Matrix> eps(static_cast<std::size_t>(n), o.epsilon);
    if (o.epsilon.size() == 0)
      for (Matrix& e : eps) {  // row by row, the order of earlier versions (same samples per seed)
        e.resize(rows, cols);
        for (Index i = 0; i < rows; ++i)
          for (Index j = 0; j < cols; ++j) e(i, j) = o.scale * normal(rng);
      }
    std::vector<PerturbSample> samples(static_cast<std::size_t>(n));
    detail::parallel_for_each(
        n, 0, [] { return false; },
        [&](std::int64_t k) {
          samples[static_cast<std::size_t>(k)] =
              classify_sample(model, names, eps[static_cast<std::size_t>(k)], *pl, res.theorem1_checked);
        });
    for (PerturbSample& sample : samples) tally.add(std::move(sample), o, res);
  }
  // The last report, at 100 % (forced: a short run would otherwise report nothing).
  monitor.checkpoint({"perturb", 1.0, total, 0, 0.0}, true);
  res.samples = total;
  tally.finish(total, o.confidence, res);
  const auto three = res.types.find("three_fixed_points");
  res.three_fixed_points_share = three == res.types.end() ? 0.0 : three->second.share;
  res.options = o;
  res.options.progress = nullptr;  // the result keeps the settings, not the caller's callback
  res.info = {model.kind(), model.time_kind(), clock.seconds()};
  return res;
}

}  // namespace rnndyn
