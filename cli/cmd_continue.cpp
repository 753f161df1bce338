// rnndyn continue MODEL --param NAME --from A --to B [--start X ...] [--all-fixed-points]
#include "command.hpp"
#include "rnndyn/continuation/continuation.hpp"
#include "rnndyn/continuation/continuation_json.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/piecewise_linear_fixed_points.hpp"

namespace rnndyn::cli {
namespace {

struct ContinueCli {
  std::string model_path, output;
  std::vector<std::string> starts;
  bool all_fixed_points = false;
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
                  "Start guess of a branch at p = from (repeatable; default: the model file's x0, else zeros)");
  sub->add_flag("--all-fixed-points", c->all_fixed_points,
                "Piecewise-linear models: one branch from each isolated fixed point at p = from (exact enumeration)");
  sub->add_option("--step", c->options.initial_step, "First arclength step (0: |to - from| / 100)")
      ->capture_default_str();
  sub->add_option("--max-step", c->options.max_step, "Largest arclength step (0: |to - from| / 20)")
      ->capture_default_str();
  sub->add_option("--max-points", c->options.max_points, "Most branch points per branch")->capture_default_str();
  sub->add_option("--tol", c->options.newton_tol, "Newton tolerance")->capture_default_str();
  add_output_option(sub, c->output);
  sub->callback([c] {
    c->options.validate();
    const auto model = load_model_file(c->model_path);
    model->parameter(c->options.parameter);  // names an unknown parameter before any work
    std::vector<Vector> starts;
    for (const auto& s : c->starts) starts.push_back(parse_vector(s, "--start", model->dim()));
    if (c->all_fixed_points) {
      auto at_from = model->clone();
      at_from->set_parameter(c->options.parameter, c->options.from);
      const auto pl = at_from->piecewise_linear();
      if (!pl)
        throw InputError("--all-fixed-points", "needs a piecewise-linear model, got a " + model->kind() + " model");
      for (const auto& fp : find_fixed_points(*pl).fixed_points) starts.push_back(fp.x);
      if (starts.empty()) throw InputError("--all-fixed-points", "no isolated fixed point at p = from");
    }
    if (starts.empty()) starts.push_back(initial_state("", *model));
    const ContinuationResult r = continue_fixed_points(*model, starts, c->options);
    nlohmann::json j = to_json(r);
    j["model"] = model->kind();
    j["time"] = model->time_kind() == TimeKind::Flow ? "continuous" : "discrete";
    j["from"] = c->options.from;
    j["to"] = c->options.to;
    write_json(c->output, j);
  });
});

}  // namespace
}  // namespace rnndyn::cli
