// rnndyn fixed-points MODEL [--method auto|brute|arrangement|level_set|subdivision|branch_bound|numeric|interval]
// [--cycles K]: binds FixedPointOptions (or PlCycleOptions for --cycles K >= 2, with --cycle-method
// and the search's budget), calls find_fixed_points (find_cycles) once, prints its JSON; progress
// of long searches goes to stderr. The method choice and the numeric starts are the
// library's.
#include "command.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/fixed_points.hpp"
#include "rnndyn/fixed_points/fixed_points_json.hpp"
#include "rnndyn/io/matrix_file.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles_json.hpp"

namespace rnndyn::cli {
namespace {

struct FixedPointsCli {
  CLI::App* sub = nullptr;
  std::string model_path, output, method = "auto";
  FixedPointOptions options;
  bool exhaustive = false;      // --exhaustive: the interval method
  std::string box, latent_box;  // "lo,hi" or per dimension "lo0,hi0,lo1,hi1,..."
  std::string trajectories, initial_states;
  CLI::Option* dedup = nullptr;  // --dedup-tol also sets the numeric finder's when given
  CLI::Option* numeric_dedup = nullptr;
  int cycles = 1;        // --cycles K >= 2: the k-cycle search
  PlCycleOptions cycle;  // the --cycles search's own options (method, budget, heuristic)
  std::string cycle_method = "pruned";
  bool no_heuristic = false;
  CLI::Option* max_nodes = nullptr;  // --max-nodes / --time-limit given: they bound the cycle search too
  CLI::Option* time_limit = nullptr;
  CLI::Option* numeric_time_limit = nullptr;  // --time-limit, when given, sets it too
};

/// Library field paths whose CLI option is not the one spelling the field's last component.
const std::map<std::string, std::string> kFlagNames{{"starts.count", "--starts"},
                                                    {"starts.data", "--from-trajectories"},
                                                    {"numeric.dedup_tol", "--numeric-dedup-tol"},
                                                    {"numeric.time_limit", "--numeric-time-limit"},
                                                    {"numeric.deflation_power", "--deflation-power"},
                                                    {"numeric.deflation_shift", "--deflation-shift"},
                                                    {"numeric.slow_manifolds.gap", "--slow-manifold-gap"},
                                                    {"numeric.slow_manifolds.step", "--slow-manifold-step"},
                                                    {"numeric.slow_manifolds.speed_max", "--slow-manifold-speed-max"},
                                                    {"numeric.slow_manifolds.min_points", "--slow-manifold-min-points"},
                                                    {"numeric.slow_manifolds.max_points", "--slow-manifold-max-points"},
                                                    {"numeric.memories.orbits", "--memory-orbits"},
                                                    {"numeric.memories.steps", "--memory-steps"},
                                                    {"numeric.memories.dt", "--memory-dt"},
                                                    {"numeric.memories.radius", "--memory-place-radius"},
                                                    {"numeric.memories.min_share", "--memory-min-share"},
                                                    {"interval.lo", "--latent-box"},
                                                    {"interval.hi", "--latent-box"},
                                                    {"period", "--cycles"},
                                                    {"exact.stability.marginal_tol", "--marginal-tol"},
                                                    {"method", "--method"},
                                                    {"seed", "--heuristic-seed"}};

/// "lo,hi" or "lo0,hi0,lo1,hi1,...": the corners of a box.
void parse_box(const std::string& text, const std::string& flag, Vector& lo, Vector& hi) {
  const Vector v = parse_vector_text(text, flag);
  if (v.size() < 2 || v.size() % 2 != 0)
    throw InputError(flag,
                     "expected \"lo,hi\" or lo,hi for every dimension, got " + std::to_string(v.size()) + " numbers");
  lo = Eigen::Map<const Vector, 0, Eigen::InnerStride<2>>(v.data(), v.size() / 2);
  hi = Eigen::Map<const Vector, 0, Eigen::InnerStride<2>>(v.data() + 1, v.size() / 2);
}

void run_cycles(const FixedPointsCli& c, const Model& model) {
  PlCycleOptions o = c.cycle;
  o.period = c.cycles;
  o.method = parse_pl_cycle_method(c.cycle_method, "--cycle-method");
  o.heuristic_on_budget = !c.no_heuristic;
  if (c.max_nodes->count() > 0) o.max_nodes = c.options.exact.max_nodes;
  if (c.time_limit->count() > 0) o.time_limit = c.options.exact.time_limit;
  o.progress = progress_reporter("fixed-points --cycles");
  o.force = c.options.exact.force;
  o.region_tol = c.options.exact.region_tol;
  o.singular_tol = c.options.exact.singular_tol;
  o.dedup_tol = c.options.exact.dedup_tol;
  o.stability = c.options.exact.stability;
  write_json(c.output, to_json(run_naming_options(
                           *c.sub, [&] { return find_cycles(model, o); }, kFlagNames)));
}

void run(FixedPointsCli& c) {
  if (c.cycles < 1) throw InputError("--cycles", "must be >= 1, got " + std::to_string(c.cycles));
  FixedPointOptions& o = c.options;
  o.method = c.exhaustive ? FixedPointMethod::Interval : parse_fixed_point_method(c.method, "--method");
  if (c.dedup->count() > 0 && c.numeric_dedup->count() == 0) o.numeric.dedup_tol = o.exact.dedup_tol;
  if (c.time_limit->count() > 0 && c.numeric_time_limit->count() == 0) o.numeric.time_limit = o.exact.time_limit;
  if (!c.box.empty()) parse_box(c.box, "--box", o.starts.box_lo, o.starts.box_hi);
  if (!c.latent_box.empty()) parse_box(c.latent_box, "--latent-box", o.interval.lo, o.interval.hi);
  if (!c.latent_box.empty() && o.method != FixedPointMethod::Interval)
    throw InputError("--latent-box", "only applies with --method interval (--exhaustive)");
  if (o.method == FixedPointMethod::Interval &&
      (!c.box.empty() || !c.trajectories.empty() || !c.initial_states.empty()))
    throw InputError("--exhaustive", "searches the latent box (--latent-box), not --box or initial states");
  if (!c.box.empty() && !c.trajectories.empty())
    throw InputError("--box", "give either --box or --from-trajectories, not both");
  if (!c.trajectories.empty()) o.starts.data = read_matrix_file(c.trajectories, "--from-trajectories");
  if (!c.initial_states.empty()) o.starts.initial_states = read_matrix_file(c.initial_states, "--initial-states");
  o.progress = progress_reporter("fixed-points");
  const auto model = load_model_file(c.model_path);
  if (c.cycles > 1) return run_cycles(c, *model);
  write_json(c.output, to_json(run_naming_options(
                           *c.sub, [&] { return find_fixed_points(*model, o); }, kFlagNames)));
}

/// The --cycles search's method, budget and heuristic.
void add_cycle_options(CLI::Option_group* g, FixedPointsCli& c) {
  PlCycleOptions& y = c.cycle;
  g->add_option("--cycle-method", c.cycle_method,
                "--cycles search: pruned (exhaustive over region sequences some orbit follows) | tuples (every "
                "region K-tuple) | heuristic (SCYFI-style sampling, no guarantee)")
      ->capture_default_str();
  g->add_option("--max-tuples", y.max_tuples, "Size limit of --cycle-method tuples (region tuples); --force lifts it")
      ->capture_default_str();
  g->add_flag("--no-heuristic", c.no_heuristic,
              "Do not run the heuristic on top when the pruned search stops on its budget");
  g->add_option("--outer-loops", y.outer_loops, "Heuristic: initial region tuples, >= 0")->capture_default_str();
  g->add_option("--inner-loops", y.inner_loops, "Heuristic: refinements of each tuple, >= 1")->capture_default_str();
  g->add_option("--heuristic-seed", y.seed, "Heuristic: seed of its random numbers")
      ->check(non_negative_integer())
      ->capture_default_str();
}

void add_exact_options(CLI::App* sub, FixedPointsCli& c) {
  auto* g = sub->add_option_group("exact", "Exact enumeration (piecewise-linear models)");
  PiecewiseLinearFixedPointOptions& e = c.options.exact;
  g->add_flag("--force", e.force, "Let brute force (and --cycles) go beyond their size limits");
  g->add_option("--brute-max-log2", e.brute_max_log2, "Size limit of brute force, in [0, 62]")->capture_default_str();
  g->add_option("--region-tol", e.region_tol,
                "Relative tolerance of the closed-region (pattern consistency) test, in [0, 1e-3]")
      ->capture_default_str();
  g->add_option("--singular-tol", e.singular_tol,
                "Relative pivot below which a region's system is singular (continuum check), in (0, 1e-2]")
      ->capture_default_str();
  c.dedup = g->add_option("--dedup-tol", e.dedup_tol, "Relative distance under which two fixed points are one")
                ->capture_default_str();
  g->add_flag("--skip-eigen", e.skip_eigen, "Do not compute eigenvalues and stability");
  g->add_option("--marginal-tol", e.stability.marginal_tol,
                "|Re lambda| (flows) or ||lambda|-1| (maps) below this is marginal")
      ->capture_default_str();
  g->add_option("--cycles", c.cycles,
                "Period K: K >= 2 lists every K-cycle of a discrete-time piecewise-linear model "
                "(see --cycle-method); 1 = fixed points")
      ->capture_default_str();
  // One budget for both tree searches: branch and bound (fixed points) and the pruned cycle
  // search; the defaults shown are the fixed-point search's, the cycle search keeps its own
  // unless these are given.
  c.max_nodes = g->add_option("--max-nodes", c.options.exact.max_nodes,
                              "Budget of branch and bound (--cycles: of the pruned search): nodes, >= 1")
                    ->capture_default_str();
  c.time_limit = g->add_option("--time-limit", c.options.exact.time_limit,
                               "Budget of branch and bound (--cycles: of the pruned search): seconds, > 0")
                     ->capture_default_str();
  g->add_option("--projection-factor", c.options.exact.projection_factor,
                "Branch and bound stops early when the projected time to close its tree exceeds this times "
                "--time-limit (judged after max(1 s, 5 % of it)); 0: never")
      ->capture_default_str();
  g->add_flag("!--no-numeric-fallback", c.options.numeric_fallback,
              "When branch and bound ends on its budget, do not add the numeric finder's points");
  add_cycle_options(g, c);
}

void add_numeric_options(CLI::App* sub, FixedPointsCli& c) {
  auto* g = sub->add_option_group("numeric", "Numeric finder (--method numeric; smooth models)");
  NumericFixedPointOptions& n = c.options.numeric;
  StartOptions& s = c.options.starts;
  g->add_option("--starts", s.count,
                "Pool of initial states drawn: the most random starts solved (in rounds of --batch), >= 1")
      ->capture_default_str();
  g->add_option("--batch", n.batch, "Random starts per round, >= 1")->capture_default_str();
  g->add_option("--patience", n.patience,
                "Stop after this many consecutive rounds without a new fixed point (0: solve every start)")
      ->capture_default_str();
  c.numeric_time_limit = g->add_option("--numeric-time-limit", n.time_limit,
                                       "Budget of the numeric rounds in seconds, > 0 (--time-limit, when given, "
                                       "sets it too)")
                             ->capture_default_str();
  g->add_flag("!--no-deflation", n.deflation,
              "Do not rerun starts that returned to a known point on the deflated residual");
  g->add_option("--deflation-power", n.deflation_power, "p of the deflation M(x) = prod (|x - x_k|^-p + sigma), >= 1")
      ->capture_default_str();
  g->add_option("--deflation-shift", n.deflation_shift, "sigma of the deflation, > 0")->capture_default_str();
  g->add_flag("!--no-saddle-starts", n.saddle_starts,
              "No starts between known points and along the unstable directions of saddles");
  g->add_option("--neighbours", n.neighbours, "Nearest known points each new point is paired with, >= 0")
      ->capture_default_str();
  g->add_option("--memory-radius", n.memory_radius,
                "Slow points: the memory time is the first time the orbit from the point is farther than this "
                "from it; 0: half the distance to the nearest other point")
      ->capture_default_str();
  g->add_option("--memory-horizon", n.memory_horizon,
                "Slow points: how far the memory time is simulated (maps: steps; flows: time), > 0")
      ->capture_default_str();
  g->add_option("--memory-time-points", n.memory_time_points,
                "Slow points: the memory time is simulated for this many, the slowest first (-1: all)")
      ->capture_default_str();
  SlowManifoldOptions& sm = n.slow_manifolds;
  g->add_flag("!--no-slow-manifolds", sm.enabled, "Do not trace slow manifolds through the fixed and slow points");
  g->add_option("--slow-manifold-gap", sm.gap,
                "A point seeds a slow manifold when its slowest eigenvalue mu_1 of DR is real with "
                "|mu_1| <= this x |mu_2|, in (0, 1)")
      ->capture_default_str();
  g->add_option("--slow-manifold-step", sm.step,
                "Arc length between the points of a slow manifold (0: 0.05 max(1, |seed|)), >= 0")
      ->capture_default_str();
  g->add_option("--slow-manifold-speed-max", sm.speed_max,
                "A slow manifold ends where |R| exceeds this (0: sqrt(2 slow-q-max)), >= 0")
      ->capture_default_str();
  g->add_option("--slow-manifold-min-points", sm.min_points, "Shorter slow manifolds are not reported, >= 2")
      ->capture_default_str();
  g->add_option("--slow-manifold-max-points", sm.max_points, "Most points of one slow manifold, >= min points")
      ->capture_default_str();
  MemoryOptions& mem = n.memories;
  g->add_flag("!--no-memories", mem.enabled,
              "With --from-trajectories: do not look for memories (places where orbits from the data dwell)");
  g->add_option("--memory-orbits", mem.orbits, "Memories: orbits run from data states, >= 1")->capture_default_str();
  g->add_option("--memory-steps", mem.steps, "Memories: samples per orbit (maps: steps), >= 1")->capture_default_str();
  g->add_option("--memory-dt", mem.dt, "Memories, flows: time between samples, > 0")->capture_default_str();
  g->add_option("--memory-place-radius", mem.radius,
                "Memories: radius of a place (0: 0.1 x the data's mean distance from their centroid), >= 0")
      ->capture_default_str();
  g->add_option("--memory-min-share", mem.min_share,
                "Memories: smallest share of the orbits' time spent in a place for it to count, in [0, 1]")
      ->capture_default_str();
  g->add_option("--seed", s.seed, "Seed of the initial-state sampler (results do not depend on threads)")
      ->check(non_negative_integer())
      ->capture_default_str();
  g->add_option("--box", c.box,
                "Initial states uniform in a box: \"lo,hi\" for every dimension or \"lo0,hi0,lo1,hi1,...\" "
                "(default -1,1 unless --from-trajectories)");
  g->add_option("--from-trajectories", c.trajectories,
                "States visited by the network (.npy N x dim, or .json list of rows): starts are drawn "
                "from them and points far from them are dropped as outliers");
  g->add_option("--initial-states", c.initial_states,
                "Exact initial states, one per row (.npy N x dim or .json rows); overrides --starts, and "
                "serves as the outlier reference unless --from-trajectories is given");
  g->add_option("--noise", s.noise, "Std of Gaussian noise added to states drawn from trajectories, >= 0")
      ->capture_default_str();
  g->add_option("--q-tol", n.q_tol, "q = |R|^2/2 at or below this is a fixed point, > 0")->capture_default_str();
  g->add_option("--slow-q-max", n.slow_q_max,
                "Stationary points of q with q-tol < q <= this are reported as slow points (0: none)")
      ->capture_default_str();
  g->add_option("--slow-q-relative", n.slow_q_relative,
                "With --from-trajectories: a run ending with q <= this x the median q of the data states "
                "is a slow point (0: only stationary points), >= 0")
      ->capture_default_str();
  g->add_option("--slow-merge-tol", n.slow_merge_tol, "Slow points closer than this * max(1, |x|) are one memory, >= 0")
      ->capture_default_str();
  c.numeric_dedup = g->add_option("--numeric-dedup-tol", n.dedup_tol,
                                  "Points closer than this * max(1, |x|) are merged (numeric finder; --dedup-tol, "
                                  "when given, sets it too)")
                        ->capture_default_str();
  g->add_option("--outlier-distance", n.outlier_distance,
                "Drop points farther than this from every data state (0: 10 x mean distance of the data "
                "from their centroid; inf: never)")
      ->capture_default_str();
  g->add_option("--max-iter", n.max_iter, "Levenberg-Marquardt iterations per start, >= 1")->capture_default_str();
  g->add_option(
       "--stall-steps", n.stall_steps,
       "A start ends after this many accepted steps in a row that each lower q by < 10 % (a crawl along a slow "
       "valley; a slow point if q is below the data's threshold), >= 0 (0: never)")
      ->capture_default_str();
  g->add_option("--newton-steps", n.newton_steps, "Newton steps refining a run with q <= q-tol, >= 0")
      ->capture_default_str();
  g->add_option("--newton-tol", n.newton_tol,
                "A fixed point's error estimate 2 |DR^+ R| (Newton step) is at most this * max(1, |x|), > 0")
      ->capture_default_str();
  g->add_option("--threads", n.threads, "OpenMP threads (0: default)")->capture_default_str();
  g->add_flag("--exhaustive", c.exhaustive,
              "Same as --method interval: low-rank rate/rnn models (tanh, sigmoid, softplus) solved in the "
              "R-dim latent space by an exhaustive interval search (bisection + Krawczyk test)");
  g->add_option("--latent-box", c.latent_box,
                "Latent box of the interval method: \"lo,hi\" or per latent dimension (default: the a-priori "
                "bound, which contains every fixed point for tanh/sigmoid)");
  g->add_option("--max-rank", c.options.max_rank, "Largest rank the interval method accepts, in [1, 8]")
      ->capture_default_str();
}

const bool registered = register_command("fixed-points", [](CLI::App& app) {
  auto c = std::make_shared<FixedPointsCli>();
  auto* sub = c->sub = app.add_subcommand("fixed-points",
                                          "All fixed points: exact region enumeration for piecewise-linear models, "
                                          "numeric search for smooth ones");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  sub->add_option("--method", c->method,
                  "auto | brute (all activation patterns) | arrangement (regions of the hyperplane "
                  "arrangement only) | level_set (only regions where F can vanish) | subdivision (latent boxes "
                  "pruned by a bound on F, exact leaves) | branch_bound (dense "
                  "networks: pruned search over activation patterns, with a budget) | numeric | "
                  "interval (low-rank smooth networks, certified)")
      ->capture_default_str();
  add_exact_options(sub, *c);
  add_numeric_options(sub, *c);
  add_output_option(sub, c->output);
  sub->callback([c] { run(*c); });
});

}  // namespace
}  // namespace rnndyn::cli
