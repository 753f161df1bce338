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
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/matrix_file.hpp"
#include "rnndyn/piecewise_linear/piecewise_linear_cycles.hpp"

namespace rnndyn::cli {
namespace {

struct FixedPointsCli {
  CLI::App* sub = nullptr;
  std::string model_path, output;
  FixedPointOptions options;
  bool exhaustive = false;      // --exhaustive: the interval method
  std::string box, latent_box;  // "lo,hi" or per dimension "lo0,hi0,lo1,hi1,..."
  std::string trajectories, initial_states;
  CLI::Option* dedup = nullptr;  // --dedup-tol also sets the numeric finder's when given
  CLI::Option* numeric_dedup = nullptr;
  int cycles = 1;        // --cycles K >= 2: the k-cycle search
  PlCycleOptions cycle;  // the --cycles search's own options (method, budget, heuristic)
  // field -> flag of each library call (their fields share names: "method", "seed"): the described
  // options' and the flags with their own parser.
  FlagTable flags, cycle_flags;
  CLI::Option* max_nodes = nullptr;  // --max-nodes / --time-limit given: they bound the cycle search too
  CLI::Option* time_limit = nullptr;
  CLI::Option* numeric_time_limit = nullptr;  // --time-limit, when given, sets it too
};

void run_cycles(const FixedPointsCli& c, const Model& model) {
  PlCycleOptions o = c.cycle;
  o.period = c.cycles;
  // The fields shared with the exact search come from its flags; the budget only when given (the
  // cycle search's own defaults differ).
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
                   *c.sub, [&] { return find_cycles(model, o); }, c.cycle_flags)));
}

void run(FixedPointsCli& c) {
  if (c.cycles < 1) throw InputError("--cycles", "must be >= 1, got " + std::to_string(c.cycles));
  FixedPointOptions& o = c.options;
  if (c.exhaustive) o.method = FixedPointMethod::Interval;
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

/// The --cycles search's own flags (method, size limit, heuristic), from its description; the
/// fields it shares with the exact search (and their nested stability) are set from that search's.
void add_cycle_options(CLI::Option_group* g, FixedPointsCli& c) {
  add_described_flags(g, c.cycle, c.cycle_flags, "", {"stability"});
  sets_fields(g->add_option("--cycles", c.cycles,
                            "Period K: K >= 2 lists every K-cycle of a discrete-time piecewise-linear model "
                            "(see --cycle-method); 1 = fixed points")
                  ->capture_default_str(),
              c.cycle_flags, {"period"});
}

void add_exact_options(CLI::App* sub, FixedPointsCli& c) {
  auto* g = sub->add_option_group(
      "exact",
      "Exact enumeration (piecewise-linear models). --force, --region-tol, --singular-tol, --dedup-tol and "
      "--marginal-tol apply to the --cycles search too, and --max-nodes and --time-limit when given");
  add_described_flags(g, c.options.exact, c.flags, "exact.");
  c.dedup = g->get_option("--dedup-tol");
  c.max_nodes = g->get_option("--max-nodes");
  c.time_limit = g->get_option("--time-limit");
  add_cycle_options(g, c);
  // The cycle search's fields that run_cycles copies from the exact search are named by its flags.
  for (const char* f :
       {"force", "max_nodes", "time_limit", "region_tol", "singular_tol", "dedup_tol", "stability.marginal_tol"})
    c.cycle_flags[f] = c.flags.at(std::string("exact.") + f);
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
}

const bool registered = register_command("fixed-points", [](CLI::App& app) {
  auto c = std::make_shared<FixedPointsCli>();
  auto* sub = c->sub = add_analysis_command(app, "fixed-points");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  // The front door's own fields (--method, --max-rank, --no-numeric-fallback); those of its
  // searches go to their groups.
  add_described_flags(sub, c->options, c->flags, "", {"exact", "numeric", "starts", "interval"});
  add_exact_options(sub, *c);
  add_numeric_options(sub, *c);
  add_output_option(sub, c->output);
  sub->callback([c] { run(*c); });
});

}  // namespace
}  // namespace rnndyn::cli
