// rnndyn hopf-curve MODEL --param-x NAME --x-from A --x-to B --param-y NAME --y-from C --y-to D
// --start-x P --start-y Q [--x0 X]: the Hopf curve through (P, Q) in the box (HopfCurveOptions; one
// library call). rnndyn fold-curve and border-curve: the same with kind "fold" and "border_collision".
#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/analyses.hpp"
#include "rnndyn/continuation/hopf_curve.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/describe_json.hpp"

namespace rnndyn::cli {
namespace {

struct HopfCurveCli {
  std::string model_path, output, x0;
  HopfCurveOptions options;
  FlagTable flags;  // the described options' fields -> flags
};

/// The curve command of the registry row `name`; the row's variant is the curve's kind.
void add_curve_command(CLI::App& app, const std::string& name) {
  auto c = std::make_shared<HopfCurveCli>();
  auto* sub = add_analysis_command(app, name);
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  HopfCurveOptions& o = c->options;
  o.kind = std::string(analysis(name).variant);
  add_described_flags(sub, o, c->flags);
  require_flags(sub, {"--param-x", "--x-from", "--x-to", "--param-y", "--y-from", "--y-to", "--start-x", "--start-y"});
  sub->add_option("--x0", c->x0,
                  "A state near the fixed point at the start (default: the model's x0, else a trained reservoir's "
                  "first trained state, else zeros)");
  add_output_option(sub, c->output);
  sub->callback([c, sub, name] {
    const auto model = load_model_file(c->model_path);
    if (!c->x0.empty()) c->options.x0 = parse_vector(c->x0, "--x0", model->dim());
    const HopfCurveResult result = run_naming_options(
        *sub, [&] { return continue_hopf_curve(*model, c->options); }, c->flags);
    write_result(c->output, name, to_json(result));
  });
}

const bool registered_hopf_curve =
    register_command("hopf-curve", [](CLI::App& app) { add_curve_command(app, "hopf-curve"); });

const bool registered_border_curve =
    register_command("border-curve", [](CLI::App& app) { add_curve_command(app, "border-curve"); });

const bool registered_fold_curve =
    register_command("fold-curve", [](CLI::App& app) { add_curve_command(app, "fold-curve"); });

}  // namespace
}  // namespace rnndyn::cli
