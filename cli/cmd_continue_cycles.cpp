// rnndyn continue-cycles MODEL --param NAME --from A --to B [--start X] [--step S] [--map-period K] ...
#include <cstdio>

#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/continuation/cycle_continuation.hpp"
#include "rnndyn/io/describe_json.hpp"

namespace rnndyn::cli {
namespace {

struct ContinueCyclesCli {
  std::string model_path, start, output;
  LimitCycleContinuationOptions options;
  FlagTable flags;  // the described options' fields -> flags
};

void add_flags(CLI::App* sub, ContinueCyclesCli& c) {
  sub->add_option("model", c.model_path, "Model file (JSON): a flow, or a piecewise-linear map")->required();
  // The options from their description; the start's simulation offers only --transient and --max-time,
  // the maps' k-cycle search at p = from none (its period is --map-period).
  add_described_flags(sub, c.options, c.flags, "",
                      {"search.window", "search.section_unit", "search.period_tol", "cycles"});
  require_flags(sub, {"--param", "--from", "--to"});
  sub->add_option("--start", c.start,
                  "A state near a cycle at p = from (default: every Hopf point of the fixed points on "
                  "[from, to], else the model file's x0; maps: every k-cycle at p = from, or the one nearest this)");
  add_output_option(sub, c.output);
}

const bool registered = register_command("continue-cycles", [](CLI::App& app) {
  auto c = std::make_shared<ContinueCyclesCli>();
  auto* sub = add_analysis_command(app, "continue-cycles");
  add_flags(sub, *c);
  sub->callback([c, sub] {
    const auto result = run_naming_options(
        *sub,
        [&] {
          const auto model = load_model_file(c->model_path);
          if (!c->start.empty()) c->options.start = parse_vector(c->start, "start", model->dim());
          c->options.progress = progress_reporter("continue-cycles");
          return continue_limit_cycles(*model, c->options);
        },
        c->flags);
    if (!result.message.empty()) std::fprintf(stderr, "rnndyn: warning: %s\n", result.message.c_str());
    write_result(c->output, "continue-cycles", to_json(result));
  });
});

}  // namespace
}  // namespace rnndyn::cli
