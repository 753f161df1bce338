// rnndyn continue MODEL --param NAME --from A --to B [--start X ...] [--all-fixed-points]
#include <cstdio>

#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/describe_json.hpp"

namespace rnndyn::cli {
namespace {

struct ContinueCli {
  std::string model_path, output;
  std::vector<std::string> starts;
  ContinuationOptions options;
  FlagTable flags;  // field -> flag: the described options' and --start
};

const bool registered_continue = register_command("continue", [](CLI::App& app) {
  auto c = std::make_shared<ContinueCli>();
  auto* sub = add_analysis_command(app, "continue");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  // The stability thresholds are not a setting of continue (it does not validate them).
  add_described_flags(sub, c->options, c->flags, "", {"stability.marginal_tol"});
  require_flags(sub, {"--param", "--from", "--to"});
  sub->add_option("--start", c->starts,
                  "Start guess of a branch at p = from (repeatable; default: the model file's x0, else every "
                  "fixed point at p = from)");
  c->flags["starts"] = "--start";
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    const auto model = load_model_file(c->model_path);
    for (const auto& s : c->starts) c->options.starts.push_back(parse_vector(s, "--start", model->dim()));
    const ContinuationResult result = run_naming_options(
        *sub,
        [&] {
          c->options.progress = progress_reporter("continue");
          return continue_fixed_points(*model, c->options);
        },
        c->flags);
    // A start without a branch is in the JSON's status; say so where a user looks first too.
    for (std::size_t i = 0; i < result.branches.size(); ++i)
      if (result.branches[i].status == ContinuationStatus::StartNotConverged)
        std::fprintf(stderr,
                     "rnndyn: warning: start %zu did not converge to a fixed point at %s = %g; its branch is empty\n",
                     i, result.parameter.c_str(), result.options.from);
    write_result(c->output, "continue", to_json(result));
  });
});

}  // namespace
}  // namespace rnndyn::cli
