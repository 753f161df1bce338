// rnndyn linear MODEL: eigen-mode analysis of the linear network of seed 002.
#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/linear/linear_network.hpp"

namespace rnndyn::cli {
namespace {

struct LinearCli {
  std::string model_path, output;
  LinearNetworkOptions options;
  FlagTable flags;  // the described options' fields -> flags
};

const bool registered = register_command("linear", [](CLI::App& app) {
  auto c = std::make_shared<LinearCli>();
  auto* sub = add_analysis_command(app, "linear");
  sub->add_option("model", c->model_path, "Model file of type linear (JSON)")->required();
  add_described_flags(sub, c->options, c->flags);
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    run_naming_options(
        *sub, [&c] { c->options.validate(); }, c->flags);
    const auto model = load_model_file(c->model_path);
    write_result(c->output, "linear",
                 to_json(run_naming_options(
                     *sub, [&] { return analyze_linear_network(*model, c->options); }, c->flags)));
  });
});

}  // namespace
}  // namespace rnndyn::cli
