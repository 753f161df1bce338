// rnndyn continue MODEL --param NAME --from A --to B [--start X ...] [--all-fixed-points]
#include <cstdio>

#include "command.hpp"
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/continuation/continuation_json.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn::cli {
namespace {

struct ContinueCli {
  std::string model_path, output;
  std::vector<std::string> starts;
  ContinuationOptions options;
};

const bool registered_continue = register_command("continue", [](CLI::App& app) {
  auto c = std::make_shared<ContinueCli>();
  auto* sub = app.add_subcommand(
      "continue",
      "Follow fixed points in one parameter (pseudo-arclength); report folds, Hopf points, border collisions");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  sub->add_option("--param", c->options.parameter, "Parameter name: W[i,j], b[i], tau[i], g, ...")->required();
  sub->add_option("--from", c->options.from, "Start value of the parameter")->required();
  sub->add_option("--to", c->options.to, "End value of the parameter")->required();
  sub->add_option("--start", c->starts,
                  "Start guess of a branch at p = from (repeatable; default: the model file's x0, else every "
                  "fixed point at p = from)");
  sub->add_flag("--all-fixed-points", c->options.all_fixed_points,
                "One branch from each fixed point at p = from (exact for piecewise-linear models, numeric "
                "otherwise), besides any --start");
  sub->add_option("--step", c->options.initial_step, "First arclength step (0: |to - from| / 100)")
      ->capture_default_str();
  sub->add_option("--max-step", c->options.max_step, "Largest arclength step (0: |to - from| / 20)")
      ->capture_default_str();
  sub->add_option("--max-points", c->options.max_points, "Most branch points per branch")->capture_default_str();
  sub->add_option("--tol", c->options.newton_tol, "Newton tolerance")->capture_default_str();
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    const auto model = load_model_file(c->model_path);
    for (const auto& s : c->starts) c->options.starts.push_back(parse_vector(s, "--start", model->dim()));
    const std::map<std::string, std::string> flags{
        {"parameter", "--param"}, {"initial_step", "--step"}, {"newton_tol", "--tol"}, {"starts", "--start"}};
    const ContinuationResult result = run_naming_options(
        *sub,
        [&] {
          c->options.progress = progress_reporter("continue");
          return continue_fixed_points(*model, c->options);
        },
        flags);
    // A start without a branch is in the JSON's status; say so where a user looks first too.
    for (std::size_t i = 0; i < result.branches.size(); ++i)
      if (result.branches[i].status == ContinuationStatus::StartNotConverged)
        std::fprintf(stderr,
                     "rnndyn: warning: start %zu did not converge to a fixed point at %s = %g; its branch is empty\n",
                     i, result.parameter.c_str(), result.options.from);
    write_json(c->output, to_json(result));
  });
});

}  // namespace
}  // namespace rnndyn::cli
