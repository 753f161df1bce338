// rnndyn hopf-curve MODEL --param-x NAME --x-from A --x-to B --param-y NAME --y-from C --y-to D
// --start-x P --start-y Q [--x0 X]: the Hopf curve through (P, Q) in the box (HopfCurveOptions; one
// library call). rnndyn fold-curve and border-curve: the same with kind "fold" and "border_collision".
#include "command.hpp"
#include "rnndyn/continuation/hopf_curve.hpp"
#include "rnndyn/continuation/hopf_curve_json.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn::cli {
namespace {

struct HopfCurveCli {
  std::string model_path, output, x0;
  HopfCurveOptions options;
};

void add_curve_command(CLI::App& app, const std::string& name, const std::string& kind, const std::string& what) {
  auto c = std::make_shared<HopfCurveCli>();
  auto* sub = app.add_subcommand(name, what);
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  HopfCurveOptions& o = c->options;
  o.kind = kind;
  sub->add_option("--param-x", o.parameter_x, "First parameter: W[i,j], b[i], tau[i], g, ...")->required();
  sub->add_option("--x-from", o.x_from, "Box: first parameter from")->required();
  sub->add_option("--x-to", o.x_to, "Box: first parameter to")->required();
  sub->add_option("--param-y", o.parameter_y, "Second parameter")->required();
  sub->add_option("--y-from", o.y_from, "Box: second parameter from")->required();
  sub->add_option("--y-to", o.y_to, "Box: second parameter to")->required();
  sub->add_option("--start-x", o.start_x, "Start: first parameter")->required();
  sub->add_option("--start-y", o.start_y, "Start: second parameter (moved onto the curve along it)")->required();
  sub->add_option("--x0", c->x0,
                  "A state near the fixed point at the start (default: the model's x0, else a trained reservoir's "
                  "first trained state, else zeros)");
  sub->add_option("--step", o.step, "Step along the curve, in units of the box (scaled to [0, 1]^2)")
      ->capture_default_str();
  sub->add_option("--max-points", o.max_points, "Most points per direction")->capture_default_str();
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    const auto model = load_model_file(c->model_path);
    if (!c->x0.empty()) c->options.x0 = parse_vector(c->x0, "--x0", model->dim());
    const std::map<std::string, std::string> flags{
        {"parameter_x", "--param-x"}, {"parameter_y", "--param-y"}, {"x_from", "--x-from"},
        {"x_to", "--x-to"},           {"y_from", "--y-from"},       {"y_to", "--y-to"},
        {"start_x", "--start-x"},     {"start_y", "--start-y"},     {"max_points", "--max-points"}};
    const HopfCurveResult result = run_naming_options(
        *sub, [&] { return continue_hopf_curve(*model, c->options); }, flags);
    write_json(c->output, to_json(result));
  });
}

const bool registered_hopf_curve = register_command("hopf-curve", [](CLI::App& app) {
  add_curve_command(app, "hopf-curve", "hopf",
                    "Follow a Hopf curve in a parameter plane (pseudo-arclength on Re lambda = 0, or |lambda| = 1 "
                    "for maps)");
});

const bool registered_border_curve = register_command("border-curve", [](CLI::App& app) {
  add_curve_command(app, "border-curve", "border_collision",
                    "Follow a border-collision curve of a piecewise-linear model in a parameter plane: where the "
                    "fixed point found nearest the start along the second parameter sits on a unit's kink");
});

const bool registered_fold_curve = register_command("fold-curve", [](CLI::App& app) {
  add_curve_command(app, "fold-curve", "fold",
                    "Follow a fold (saddle-node) curve in a parameter plane: the augmented system F(x, p) - delta "
                    "x = 0 with a bordered test function, by pseudo-arclength in (x, p); smooth models");
});

}  // namespace
}  // namespace rnndyn::cli
