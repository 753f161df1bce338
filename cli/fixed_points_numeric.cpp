// The numeric finder's part of `rnndyn fixed-points` (contract in fixed_points_numeric.hpp):
// option parsing into NumericFixedPointOptions, initial states from --box or
// --from-trajectories, and the JSON encoding of the result. No algorithm code here.
#include "fixed_points_numeric.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "command.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/low_rank_fixed_points.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points.hpp"
#include "rnndyn/fixed_points/numeric_fixed_points_json.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/npy.hpp"
#include "rnndyn/linearize/linearize.hpp"

namespace rnndyn::cli {

struct NumericFixedPointCliOptions {
  int starts = 256;
  std::uint64_t seed = 0;
  std::string box;             ///< "lo,hi" (all dimensions) or "lo0,hi0,lo1,hi1,..."
  std::string trajectories;    ///< .npy (N x dim) or .json (list of rows, or {"states": rows})
  std::string initial_states;  ///< exact starts, one per row (.npy or .json); K = rows
  double noise = 0.0;          ///< std of Gaussian noise added to states drawn from trajectories
  /// The subcommand's own --dedup-tol (piecewise-linear methods), honoured here when given.
  CLI::Option* shared_dedup_tol = nullptr;
  NumericFixedPointOptions finder;
  bool exhaustive = false;  ///< low-rank latent interval search instead of multi-start
  std::string latent_box;   ///< "lo,hi" or per latent dimension; empty = a-priori bound
  int max_rank = 4;
};

std::shared_ptr<NumericFixedPointCliOptions> add_numeric_fixed_point_options(CLI::App* sub) {
  auto o = std::make_shared<NumericFixedPointCliOptions>();
  auto* g = sub->add_option_group("numeric", "Numeric finder (--method numeric; smooth models)");
  g->add_option("--starts", o->starts, "Number of initial states K, >= 1")->capture_default_str();
  g->add_option("--seed", o->seed, "Seed of the initial-state sampler (results do not depend on threads)")
      ->capture_default_str();
  g->add_option("--box", o->box,
                "Initial states uniform in a box: \"lo,hi\" for every dimension or \"lo0,hi0,lo1,hi1,...\" "
                "(default -1,1 unless --from-trajectories)");
  g->add_option("--from-trajectories", o->trajectories,
                "States visited by the network (.npy N x dim, or .json list of rows): starts are drawn "
                "from them and points far from them are dropped as outliers");
  g->add_option("--initial-states", o->initial_states,
                "Exact initial states, one per row (.npy N x dim or .json rows); overrides --starts, and "
                "serves as the outlier reference unless --from-trajectories is given");
  g->add_option("--noise", o->noise, "Std of Gaussian noise added to states drawn from trajectories, >= 0")
      ->capture_default_str();
  g->add_option("--q-tol", o->finder.q_tol, "q = |R|^2/2 at or below this is a fixed point, > 0")
      ->capture_default_str();
  g->add_option("--slow-q-max", o->finder.slow_q_max,
                "Stationary points of q with q-tol < q <= this are reported as slow points (0: none)")
      ->capture_default_str();
  o->shared_dedup_tol = sub->get_option_no_throw("--dedup-tol");
  g->add_option("--numeric-dedup-tol", o->finder.dedup_tol,
                "Points closer than this * max(1, |x|) are merged (numeric finder; --dedup-tol, when "
                "given, sets it too)")
      ->capture_default_str();
  g->add_option("--outlier-distance", o->finder.outlier_distance,
                "Drop points farther than this from every data state (0: 10 x mean distance of the data "
                "from their centroid; inf: never)")
      ->capture_default_str();
  g->add_option("--max-iter", o->finder.max_iter, "Levenberg-Marquardt iterations per start, >= 1")
      ->capture_default_str();
  g->add_flag("--exhaustive", o->exhaustive,
              "Low-rank rate/rnn models (tanh, sigmoid, softplus): solve in the R-dim latent space and "
              "search a box exhaustively (interval bisection + Krawczyk test); reports its guarantee");
  g->add_option("--latent-box", o->latent_box,
                "Latent box for --exhaustive: \"lo,hi\" or per latent dimension (default: the a-priori "
                "bound, which contains every fixed point for tanh/sigmoid)");
  g->add_option("--max-rank", o->max_rank, "Largest rank --exhaustive accepts, in [1, 8]")->capture_default_str();
  g->add_option("--threads", o->finder.threads, "OpenMP threads (0: default)")->capture_default_str();
  return o;
}

namespace {

std::vector<double> parse_numbers(const std::string& text, const std::string& field) {
  std::vector<double> v;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      size_t used = 0;
      v.push_back(std::stod(item, &used));
      if (item.find_first_not_of(" \t", used) != std::string::npos) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw InputError(field, "expected comma-separated numbers, got '" + text + "'");
    }
  }
  return v;
}

Matrix read_states(const std::string& path, Index dim, const std::string& field = "--from-trajectories") {
  Matrix X;
  const bool npy = path.size() >= 4 && path.substr(path.size() - 4) == ".npy";
  if (npy) {
    X = read_npy(path, field);
  } else {
    std::ifstream in(path);
    if (!in) throw InputError(field, "cannot open '" + path + "'");
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_object() && j.contains("states")) j = j["states"];
    if (!j.is_array() || j.empty() || !j[0].is_array())
      throw InputError(field, "expected a non-empty list of state rows in '" + path + "'");
    X.resize(static_cast<Index>(j.size()), static_cast<Index>(j[0].size()));
    for (size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_array() || j[i].size() != j[0].size())
        throw InputError(field, "row " + std::to_string(i) + " has a different length");
      for (size_t k = 0; k < j[i].size(); ++k) {
        if (!j[i][k].is_number()) throw InputError(field, "row " + std::to_string(i) + " holds a non-number");
        X(static_cast<Index>(i), static_cast<Index>(k)) = j[i][k].get<double>();
      }
    }
  }
  if (X.cols() != dim)
    throw InputError(field, "expected states with " + std::to_string(dim) + " columns (the model's " +
                                "dimension), got " + std::to_string(X.cols()));
  if (X.rows() == 0) throw InputError(field, "no states");
  if (!X.allFinite()) throw InputError(field, "states must be finite");
  return X;
}

Vector parse_box_side(const std::vector<double>& v, Index n, bool upper, const std::string& field) {
  Vector out(n);
  if (v.size() == 2) return Vector::Constant(n, v[upper ? 1 : 0]);
  if (v.size() != static_cast<size_t>(2 * n))
    throw InputError(field,
                     "expected \"lo,hi\" or 2 x " + std::to_string(n) + " numbers, got " + std::to_string(v.size()));
  for (Index i = 0; i < n; ++i) out(i) = v[static_cast<size_t>(2 * i + (upper ? 1 : 0))];
  return out;
}

nlohmann::json run_exhaustive(const Model& model, const NumericFixedPointCliOptions& o) {
  if (o.max_rank < 1 || o.max_rank > 8) throw InputError("--max-rank", "must lie in [1, 8]");
  const LowRankProblem p = low_rank_problem(model, 1e-10, o.max_rank);
  LowRankSearchOptions so;
  if (!o.latent_box.empty()) {
    const auto v = parse_numbers(o.latent_box, "--latent-box");
    so.lo = parse_box_side(v, p.rank(), false, "--latent-box");
    so.hi = parse_box_side(v, p.rank(), true, "--latent-box");
    for (Index i = 0; i < p.rank(); ++i)
      if (!(so.lo(i) < so.hi(i))) throw InputError("--latent-box", "need lo < hi");
  }
  const LowRankSearchResult res = find_low_rank_fixed_points(p, so);
  nlohmann::json j;
  j["method"] = "numeric";
  j["search"] = "low-rank exhaustive";
  j["model"] = model.kind();
  j["time"] = model.time_kind() == TimeKind::Flow ? "continuous" : "discrete";
  j["rank"] = p.rank();
  j["latent_box"] = {{"lo", to_json(res.lo)}, {"hi", to_json(res.hi)}};
  j["default_box_is_global"] = o.latent_box.empty();
  j["guarantee"] = to_string(res.guarantee);
  j["n_boxes"] = res.n_boxes;
  j["fixed_points"] = nlohmann::json::array();
  for (size_t i = 0; i < res.x.size(); ++i) {
    NumericPoint pt;
    pt.x = res.x[i];
    pt.q = 0.5 * model.fixed_point_residual(pt.x).squaredNorm();
    pt.n_starts = 0;
    const Linearization lin = linearize(model, pt.x, o.finder.linearize);
    pt.eigen = lin.eigen;
    pt.stability = lin.stability;
    std::vector<Index> cols;
    for (Index k = 0; k < lin.eigen.eigenvalues.size(); ++k) {
      const Complex l = lin.eigen.eigenvalues(k);
      const double tol = o.finder.linearize.stability.marginal_tol;
      if (model.time_kind() == TimeKind::Map ? std::abs(l) > 1 + tol : l.real() > tol) cols.push_back(k);
    }
    pt.unstable_directions.resize(model.dim(), static_cast<Index>(cols.size()));
    pt.unstable_eigenvalues.resize(static_cast<Index>(cols.size()));
    for (size_t c = 0; c < cols.size(); ++c) {
      pt.unstable_directions.col(static_cast<Index>(c)) = lin.eigen.eigenvectors.col(cols[c]);
      pt.unstable_eigenvalues(static_cast<Index>(c)) = lin.eigen.eigenvalues(cols[c]);
    }
    nlohmann::json pj = to_json(pt, true);
    pj.erase("n_starts");
    pj["kappa"] = to_json(res.kappa[i]);
    pj["certified"] = static_cast<bool>(res.certified[i]);
    j["fixed_points"].push_back(pj);
  }
  j["unresolved_boxes"] = nlohmann::json::array();
  for (const auto& [lo, hi] : res.unresolved)
    j["unresolved_boxes"].push_back({{"lo", to_json(lo)}, {"hi", to_json(hi)}});
  j["slow_points"] = nlohmann::json::array();
  j["continua"] = nlohmann::json::array();
  return j;
}

}  // namespace

nlohmann::json run_numeric_fixed_points(const Model& model, const NumericFixedPointCliOptions& o,
                                        const std::string& model_path) {
  (void)model_path;
  if (o.exhaustive) {
    if (!o.box.empty() || !o.trajectories.empty() || !o.initial_states.empty())
      throw InputError("--exhaustive", "searches the latent box (--latent-box), not --box or initial states");
    return run_exhaustive(model, o);
  }
  if (!o.latent_box.empty()) throw InputError("--latent-box", "only applies with --exhaustive");
  if (o.starts < 1) throw InputError("--starts", "must be >= 1, got " + std::to_string(o.starts));
  if (!(o.noise >= 0.0) || !std::isfinite(o.noise)) throw InputError("--noise", "must be finite and >= 0");
  if (!o.box.empty() && !o.trajectories.empty())
    throw InputError("--box", "give either --box or --from-trajectories, not both");
  const Index n = model.dim();
  NumericFixedPointOptions finder = o.finder;
  if (o.shared_dedup_tol && o.shared_dedup_tol->count() > 0) finder.dedup_tol = o.shared_dedup_tol->as<double>();
  try {
    finder.validate();
  } catch (const InputError& e) {
    // Name the CLI option rather than the struct field.
    std::string field = e.field();
    for (auto& ch : field)
      if (ch == '_') ch = '-';
    if (field == "dedup-tol") field = "numeric-dedup-tol";
    throw InputError("--" + field, std::string(e.what()).substr(e.field().size() + 2));
  }
  Matrix starts, data;
  nlohmann::json init;
  if (!o.initial_states.empty()) {
    if (!o.box.empty()) throw InputError("--box", "give either --box or --initial-states, not both");
    starts = read_states(o.initial_states, n, "--initial-states");
    data = o.trajectories.empty() ? starts : read_states(o.trajectories, n);
    init = {{"from", "file"}, {"file", o.initial_states}, {"n_states", starts.rows()}};
  } else if (!o.trajectories.empty()) {
    data = read_states(o.trajectories, n);
    starts = sample_from_data(o.starts, data, o.noise, o.seed);
    init = {{"from", "trajectories"}, {"file", o.trajectories}, {"n_states", data.rows()}, {"noise", o.noise}};
  } else {
    const std::vector<double> v = parse_numbers(o.box.empty() ? "-1,1" : o.box, "--box");
    Vector lo(n), hi(n);
    if (v.size() == 2) {
      lo.setConstant(v[0]);
      hi.setConstant(v[1]);
    } else if (v.size() == static_cast<size_t>(2 * n)) {
      for (Index i = 0; i < n; ++i) {
        lo(i) = v[static_cast<size_t>(2 * i)];
        hi(i) = v[static_cast<size_t>(2 * i + 1)];
      }
    } else {
      throw InputError("--box",
                       "expected \"lo,hi\" or 2 x " + std::to_string(n) + " numbers, got " + std::to_string(v.size()));
    }
    for (Index i = 0; i < n; ++i)
      if (!(lo(i) < hi(i)) || !std::isfinite(lo(i)) || !std::isfinite(hi(i)))
        throw InputError("--box", "need finite lo < hi (dimension " + std::to_string(i) + ")");
    starts = sample_box(o.starts, lo, hi, o.seed);
    init = {{"from", "box"}, {"lo", to_json(lo)}, {"hi", to_json(hi)}};
    // Without trajectories an explicit --outlier-distance measures from the initial states.
    if (finder.outlier_distance > 0.0 && std::isfinite(finder.outlier_distance)) data = starts;
  }
  if (data.rows() == 0 && finder.outlier_distance == 0.0)
    finder.outlier_distance = std::numeric_limits<double>::infinity();

  const NumericFixedPointResult res = find_fixed_points_numeric(model, starts, finder, data);

  nlohmann::json j;
  j["method"] = "numeric";
  j["model"] = model.kind();
  j["time"] = model.time_kind() == TimeKind::Flow ? "continuous" : "discrete";
  j["guarantee"] = "none: multi-start local search (Levenberg-Marquardt on R(x) = " +
                   std::string(model.time_kind() == TimeKind::Flow ? "F(x)" : "F(x) - x") +
                   "); fixed points outside the basins of the starts can be missed";
  j["seed"] = o.seed;
  j["n_starts"] = starts.rows();
  j["initial_states"] = init;
  j["q_tol"] = finder.q_tol;
  j["slow_q_max"] = finder.slow_q_max;
  j["dedup_tol"] = finder.dedup_tol;
  j["outlier_distance"] = to_json_number(res.outlier_distance);
  j["fixed_points"] = nlohmann::json::array();
  for (const auto& p : res.fixed_points) j["fixed_points"].push_back(to_json(p, finder.compute_stability));
  j["slow_points"] = nlohmann::json::array();
  for (const auto& p : res.slow_points) j["slow_points"].push_back(to_json(p, finder.compute_stability));
  j["continua"] = nlohmann::json::array();
  j["summary"] = {{"n_fixed_points", res.fixed_points.size()}, {"n_slow_points", res.slow_points.size()},
                  {"n_fixed_runs", res.n_fixed_runs},          {"n_slow_runs", res.n_slow_runs},
                  {"n_failed_runs", res.n_failed_runs},        {"n_outliers", res.n_outliers},
                  {"max_q", to_json_number(res.max_q)}};
  return j;
}

}  // namespace rnndyn::cli
