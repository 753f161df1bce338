// rnndyn basins MODEL [--starts N] [--seed S] [--box lo,hi | --from-trajectories FILE [--noise s] |
//                     --initial-states FILE] [--method M] [--max-time T] [--map-resolution R] ...
#include "command.hpp"
#include "rnndyn/basins/basins.hpp"
#include "rnndyn/basins/basins_json.hpp"
#include "rnndyn/io/matrix_file.hpp"

namespace rnndyn::cli {
namespace {

struct BasinsCli {
  std::string model_path, output, box, map_box, trajectories, initial_states,
      method = to_string(FixedPointOptions{}.method);
  BasinsOptions options;
};

const std::map<std::string, std::string> kRenames = {{"starts.count", "--starts"},
                                                     {"starts.seed", "--seed"},
                                                     {"starts.box", "--box"},
                                                     {"starts.noise", "--noise"},
                                                     {"starts.data", "--from-trajectories"},
                                                     {"starts.initial_states", "--initial-states"},
                                                     {"abs_tol", "--atol"},
                                                     {"rel_tol", "--rtol"},
                                                     {"map_lo", "--map-box"},
                                                     {"map_hi", "--map-box"},
                                                     {"method", "--method"},
                                                     {"fixed_points.method", "--method"}};

void add_options(CLI::App* sub, BasinsCli& c) {
  BasinsOptions& o = c.options;
  sub->add_option("--starts", o.starts.count, "Number of starts drawn (box or data)")->capture_default_str();
  sub->add_option("--seed", o.starts.seed, "Seed of the drawn starts")
      ->check(non_negative_integer())
      ->capture_default_str();
  sub->add_option("--box", c.box, "Box of uniform starts: \"lo,hi\" or lo,hi per dimension (default -1,1)");
  sub->add_option("--from-trajectories", c.trajectories, "States file (.npy/.json/.csv): starts drawn from its rows");
  sub->add_option("--noise", o.starts.noise, "Std of the Gaussian noise added to drawn data states")
      ->capture_default_str();
  sub->add_option("--initial-states", c.initial_states, "States file: exactly these starts, one per row");
  sub->add_option("--method", c.method, "Fixed-point method of the attractor search")->capture_default_str();
  sub->add_option("--cycle-periods", o.cycle_periods,
                  "Piecewise-linear maps: stable cycles of period 2..K from the exact search (0: none)")
      ->capture_default_str();
  sub->add_option("--cycle-time-limit", o.cycle_time_limit, "Seconds per period of that search")->capture_default_str();
  sub->add_option("--ball-fraction", o.ball_fraction, "Error ball: share of the distance to the nearest other point")
      ->capture_default_str();
  sub->add_flag("!--no-extrapolate", o.extrapolate,
                "Assign orbits only inside the error ball (no extrapolation of steady convergence)");
  sub->add_option("--max-time", o.max_time, "Budget of each orbit: time (flows) or steps (maps)")
      ->capture_default_str();
  sub->add_option("--check-interval", o.check_interval, "Flows: time between checks of an orbit")
      ->capture_default_str();
  sub->add_option("--atol", o.abs_tol, "Flows: absolute tolerance of the stepper")->capture_default_str();
  sub->add_option("--rtol", o.rel_tol, "Flows: relative tolerance of the stepper")->capture_default_str();
  sub->add_option("--record-fraction", o.record_fraction, "Share of the budget examined for recurrence")
      ->capture_default_str();
  sub->add_option("--settle-tol", o.settle_tol, "Relative spread of a stationary orbit")->capture_default_str();
  sub->add_option("--max-period", o.max_period, "Maps: longest period of a new cycle")->capture_default_str();
  sub->add_option("--lyapunov-tol", o.lyapunov_tol, "Largest Lyapunov exponent above which a set is not a cycle")
      ->capture_default_str();
  sub->add_option("--confidence", o.confidence, "Confidence level of the Wilson intervals")->capture_default_str();
  sub->add_flag("!--no-saddle-graph", o.saddle_graph, "Do not follow the unstable manifolds of index-1 saddles");
  sub->add_option("--saddle-eps", o.saddle_eps, "Manifold starts' offset, share of the nearest-point distance")
      ->capture_default_str();
  sub->add_option("--map-resolution", o.map_resolution, "2-D models: basin map on R x R grid centres (0: none)")
      ->capture_default_str();
  sub->add_option("--map-box", c.map_box, "Box of the basin map: \"lo,hi\" or lo0,hi0,lo1,hi1 (default: the starts')");
}

const bool registered = register_command("basins", [](CLI::App& app) {
  auto c = std::make_shared<BasinsCli>();
  auto* sub = add_analysis_command(app, "basins");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  add_options(sub, *c);
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    run_naming_options(
        *sub,
        [&c] {
          BasinsOptions& o = c->options;
          o.fixed_points.method = parse_fixed_point_method(c->method, "--method");
          if (!c->box.empty() && !c->trajectories.empty())
            throw InputError("--box", "give either --box or --from-trajectories, not both");
          if (!c->box.empty()) parse_box(c->box, "--box", o.starts.box_lo, o.starts.box_hi);
          if (!c->map_box.empty()) parse_box(c->map_box, "--map-box", o.map_lo, o.map_hi);
          if (!c->trajectories.empty()) o.starts.data = read_matrix_file(c->trajectories, "--from-trajectories");
          if (!c->initial_states.empty())
            o.starts.initial_states = read_matrix_file(c->initial_states, "--initial-states");
          const auto model = load_model_file(c->model_path);
          o.progress = progress_reporter("basins");
          write_result(c->output, "basins", to_json(basins(*model, o)));
        },
        kRenames);
  });
});

}  // namespace
}  // namespace rnndyn::cli
