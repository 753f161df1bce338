// rnndyn continue-cycles MODEL --param NAME --from A --to B [--start X] [--step S] [--map-period K] ...
#include <cstdio>

#include "command.hpp"
#include "rnndyn/continuation/cycle_continuation.hpp"
#include "rnndyn/continuation/cycle_continuation_json.hpp"

namespace rnndyn::cli {
namespace {

struct ContinueCyclesCli {
  std::string model_path, start, output;
  LimitCycleContinuationOptions options;
};

void add_flags(CLI::App* sub, ContinueCyclesCli& c) {
  sub->add_option("model", c.model_path, "Model file (JSON): a flow, or a piecewise-linear map")->required();
  sub->add_option("--param", c.options.parameter, "Parameter name: W[i,j], b[i], tau[i], g, ...")->required();
  sub->add_option("--from", c.options.from, "Start value of the parameter")->required();
  sub->add_option("--to", c.options.to, "End value of the parameter")->required();
  sub->add_option("--start", c.start,
                  "A state near a cycle at p = from (default: every Hopf point of the fixed points on "
                  "[from, to], else the model file's x0; maps: every k-cycle at p = from, or the one nearest this)");
  sub->add_option(
         "--step", c.options.initial_step,
         "First arclength step in scaled units (p by |to - from|, x by the cycle range, T by the period; 0: 0.01); "
         "maps: the constant step of p, in units of |to - from|")
      ->capture_default_str();
  sub->add_option("--max-step", c.options.max_step, "Largest scaled arclength step (0: 0.05)")->capture_default_str();
  sub->add_option("--max-points", c.options.max_points, "Most points per branch")->capture_default_str();
  sub->add_option("--tol", c.options.newton_tol, "Newton tolerance of the shooting corrector")->capture_default_str();
  sub->add_option("--samples", c.options.samples, "Samples per period for the min and max")->capture_default_str();
  sub->add_option("--hopf-offset", c.options.hopf_offset, "Hopf starts at p_H + offset (to - from)")
      ->capture_default_str();
  sub->add_option("--transient", c.options.search.transient, "Time discarded by the start's simulation")
      ->capture_default_str();
  sub->add_option("--max-time", c.options.search.max_time, "Time allowed for the start's cycle to converge")
      ->capture_default_str();
  sub->add_option("--map-period", c.options.map_period,
                  "Piecewise-linear maps: the minimal period k of the cycles followed (the exact k-cycles at p = "
                  "from)")
      ->capture_default_str();
  add_output_option(sub, c.output);
}

const bool registered = register_command("continue-cycles", [](CLI::App& app) {
  auto c = std::make_shared<ContinueCyclesCli>();
  auto* sub = app.add_subcommand(
      "continue-cycles",
      "Follow limit cycles of a flow (shooting) or k-cycles of a piecewise-linear map (exact) in one parameter: "
      "period, multipliers, min/max; report cycle folds, period doubling, Neimark-Sacker, border collisions");
  add_flags(sub, *c);
  sub->callback([c, sub] {
    const std::map<std::string, std::string> flags{
        {"parameter", "--param"},          {"initial_step", "--step"},
        {"newton_tol", "--tol"},           {"search.transient", "--transient"},
        {"search.max_time", "--max-time"}, {"map_period", "--map-period"}};
    const auto result = run_naming_options(
        *sub,
        [&] {
          const auto model = load_model_file(c->model_path);
          if (!c->start.empty()) c->options.start = parse_vector(c->start, "start", model->dim());
          c->options.progress = progress_reporter("continue-cycles");
          return continue_limit_cycles(*model, c->options);
        },
        flags);
    if (!result.message.empty()) std::fprintf(stderr, "rnndyn: warning: %s\n", result.message.c_str());
    write_json(c->output, to_json(result));
  });
});

}  // namespace
}  // namespace rnndyn::cli
