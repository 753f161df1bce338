// rnndyn fixed-points MODEL [--method auto|brute|arrangement|level_set|subdivision|branch_bound|numeric|interval]
// [--cycles K]: binds FixedPointOptions (or PlCycleOptions for --cycles K >= 2, with --cycle-method
// and the search's budget), calls find_fixed_points (find_cycles) once, prints its JSON; progress
// of long searches goes to stderr. The method choice and the numeric starts are the
// library's.
#include "command.hpp"
#include "describe_cli.hpp"
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
  FlagTable flags;  // field -> flag: the described options' and the flags with their own parser
  bool no_heuristic = false;
  CLI::Option* max_nodes = nullptr;  // --max-nodes / --time-limit given: they bound the cycle search too
  CLI::Option* time_limit = nullptr;
  CLI::Option* numeric_time_limit = nullptr;  // --time-limit, when given, sets it too
};

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
  write_result(c.output, "cycles",
               to_json(run_naming_options(
                   *c.sub, [&] { return find_cycles(model, o); }, c.flags)));
}

void run(FixedPointsCli& c) {
  if (c.cycles < 1) throw InputError("--cycles", "must be >= 1, got " + std::to_string(c.cycles));
  parse_pl_cycle_method(c.cycle_method, "--cycle-method");  // a bad name is an error with or without --cycles
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
  write_result(c.output, "fixed-points",
               to_json(run_naming_options(
                   *c.sub, [&] { return find_fixed_points(*model, o); }, c.flags)));
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
  sets_fields(g->add_option("--heuristic-seed", y.seed, "Heuristic: seed of its random numbers")
                  ->check(non_negative_integer())
                  ->capture_default_str(),
              c.flags, {"seed"});
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
  add_described_flags(g, e.stability, c.flags, "exact.stability.");
  sets_fields(g->add_option("--cycles", c.cycles,
                            "Period K: K >= 2 lists every K-cycle of a discrete-time piecewise-linear model "
                            "(see --cycle-method); 1 = fixed points")
                  ->capture_default_str(),
              c.flags, {"period"});
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
  // The starts' and the numeric finder's own options, from their descriptions (fixed_points.hpp,
  // numeric_fixed_points.hpp); --starts is the pool the search takes in rounds of --batch. Its
  // linearize thresholds are not offered: --marginal-tol is the exact search's.
  add_described_flags(g, c.options.starts, c.flags, "starts.");
  add_described_flags(g, n, c.flags, "numeric.", {"numeric.linearize"});
  c.numeric_time_limit = g->get_option("--numeric-time-limit");
  c.numeric_dedup = g->get_option("--numeric-dedup-tol");
  sets_fields(g->add_option("--box", c.box,
                            "Initial states uniform in a box: \"lo,hi\" for every dimension or \"lo0,hi0,lo1,hi1,...\" "
                            "(default -1,1 unless --from-trajectories)"),
              c.flags, {"starts.box"});
  sets_fields(g->add_option("--from-trajectories", c.trajectories,
                            "States visited by the network (.npy N x dim, or .json list of rows): starts are drawn "
                            "from them and points far from them are dropped as outliers"),
              c.flags, {"starts.data"});
  sets_fields(g->add_option("--initial-states", c.initial_states,
                            "Exact initial states, one per row (.npy N x dim or .json rows); overrides --starts, and "
                            "serves as the outlier reference unless --from-trajectories is given"),
              c.flags, {"starts.initial_states"});
  g->add_flag("--exhaustive", c.exhaustive,
              "Same as --method interval: low-rank rate/rnn models (tanh, sigmoid, softplus) solved in the "
              "R-dim latent space by an exhaustive interval search (bisection + Krawczyk test)");
  sets_fields(g->add_option("--latent-box", c.latent_box,
                            "Latent box of the interval method: \"lo,hi\" or per latent dimension (default: the "
                            "a-priori bound, which contains every fixed point for tanh/sigmoid)"),
              c.flags, {"interval.lo", "interval.hi"});
  g->add_option("--max-rank", c.options.max_rank, "Largest rank the interval method accepts, in [1, 8]")
      ->capture_default_str();
}

const bool registered = register_command("fixed-points", [](CLI::App& app) {
  auto c = std::make_shared<FixedPointsCli>();
  auto* sub = c->sub = add_analysis_command(app, "fixed-points");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  sets_fields(sub->add_option("--method", c->method,
                              "auto | brute (all activation patterns) | arrangement (regions of the hyperplane "
                              "arrangement only) | level_set (only regions where F can vanish) | subdivision (latent "
                              "boxes pruned by a bound on F, exact leaves) | branch_bound (dense networks: pruned "
                              "search over activation patterns, with a budget) | numeric | interval (low-rank smooth "
                              "networks, certified)")
                  ->capture_default_str(),
              c->flags, {"method"});
  add_exact_options(sub, *c);
  add_numeric_options(sub, *c);
  add_output_option(sub, c->output);
  sub->callback([c] { run(*c); });
});

}  // namespace
}  // namespace rnndyn::cli
