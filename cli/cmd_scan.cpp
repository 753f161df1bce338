// rnndyn scan MODEL --param-x NAME --x-from A --x-to B [--x-steps N] --param-y NAME --y-from C
// --y-to D [--y-steps M] [--method M] [--max-period K]: the fixed points (and k-cycles of
// piecewise-linear maps) of every cell of a parameter grid, counted by stability
// (ParameterScanOptions; one library call).
#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/continuation/parameter_scan.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/describe_json.hpp"

namespace rnndyn::cli {
namespace {

struct ScanCli {
  std::string model_path, output;
  ParameterScanOptions options;
  FlagTable flags;  // the described options' fields -> flags
};

const bool registered_scan = register_command("scan", [](CLI::App& app) {
  auto c = std::make_shared<ScanCli>();
  auto* sub = add_analysis_command(app, "scan");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  ParameterScanOptions& o = c->options;
  // Of every cell's searches only --method (the fixed points'); the cycle search keeps its defaults.
  std::set<std::string> skip = fields_but<FixedPointOptions>("fixed_points.", {"method"});
  skip.insert("cycles");
  add_described_flags(sub, o, c->flags, "", skip);
  require_flags(sub, {"--param-x", "--x-from", "--x-to", "--param-y", "--y-from", "--y-to"});
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    const auto model = load_model_file(c->model_path);
    const ParameterScanResult result = run_naming_options(
        *sub,
        [&] {
          c->options.progress = progress_reporter("scan");
          return scan_parameters(*model, c->options);
        },
        c->flags);
    write_result(c->output, "scan", to_json(result));
  });
});

}  // namespace
}  // namespace rnndyn::cli
