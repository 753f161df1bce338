// rnndyn scan MODEL --param-x NAME --x-from A --x-to B [--x-steps N] --param-y NAME --y-from C
// --y-to D [--y-steps M] [--method M] [--max-period K]: the fixed points (and k-cycles of
// piecewise-linear maps) of every cell of a parameter grid, counted by stability
// (ParameterScanOptions; one library call).
#include "command.hpp"
#include "rnndyn/continuation/parameter_scan.hpp"
#include "rnndyn/continuation/parameter_scan_json.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn::cli {
namespace {

struct ScanCli {
  std::string model_path, output, method = "auto";
  ParameterScanOptions options;
};

const bool registered_scan = register_command("scan", [](CLI::App& app) {
  auto c = std::make_shared<ScanCli>();
  auto* sub = app.add_subcommand(
      "scan",
      "Count the fixed points (and, for piecewise-linear maps, the k-cycles) of every cell of a parameter grid by "
      "stability (a two-parameter bifurcation map)");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  ParameterScanOptions& o = c->options;
  sub->add_option("--param-x", o.parameter_x, "First parameter: W[i,j], b[i], tau[i], g, ...")->required();
  sub->add_option("--x-from", o.x_from, "First value of the first parameter")->required();
  sub->add_option("--x-to", o.x_to, "Last value of the first parameter")->required();
  sub->add_option("--x-steps", o.x_steps, "Grid points of the first parameter, >= 2")->capture_default_str();
  sub->add_option("--param-y", o.parameter_y, "Second parameter")->required();
  sub->add_option("--y-from", o.y_from, "First value of the second parameter")->required();
  sub->add_option("--y-to", o.y_to, "Last value of the second parameter")->required();
  sub->add_option("--y-steps", o.y_steps, "Grid points of the second parameter, >= 2")->capture_default_str();
  sub->add_option("--method", c->method,
                  "Fixed-point method in every cell: auto, brute, arrangement, level_set, subdivision, branch_bound, "
                  "numeric, "
                  "interval")
      ->capture_default_str();
  sub->add_option("--max-period", o.max_period,
                  "Piecewise-linear maps: also count the cycles of minimal period 2..K per cell (exact k-cycle "
                  "search; 1: fixed points only)")
      ->capture_default_str();
  sub->add_option("--threads", o.threads, "OpenMP threads over the cells (0: default)")->capture_default_str();
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    const auto model = load_model_file(c->model_path);
    const std::map<std::string, std::string> flags{
        {"parameter_x", "--param-x"}, {"parameter_y", "--param-y"}, {"x_from", "--x-from"},
        {"x_to", "--x-to"},           {"x_steps", "--x-steps"},     {"y_from", "--y-from"},
        {"y_to", "--y-to"},           {"y_steps", "--y-steps"},     {"max_period", "--max-period"}};
    const ParameterScanResult result = run_naming_options(
        *sub,
        [&] {
          c->options.fixed_points.method = parse_fixed_point_method(c->method, "--method");
          c->options.progress = progress_reporter("scan");
          return scan_parameters(*model, c->options);
        },
        flags);
    write_json(c->output, to_json(result));
  });
});

}  // namespace
}  // namespace rnndyn::cli
