// rnndyn response MODEL [--method impulse|noise] [--channel C] [--output K] [--amplitude A] ...:
// the transfer function of the readout over one input channel, measured by simulation.
#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/simulate/response.hpp"

namespace rnndyn::cli {
namespace {

struct ResponseCli {
  CLI::App* sub = nullptr;
  std::string model_path, x0, output;
  ResponseOptions options;
  FlagTable flags;  // the described options' fields -> flags
};

const bool registered = register_command("response", [](CLI::App& app) {
  auto c = std::make_shared<ResponseCli>();
  auto* sub = c->sub = add_analysis_command(app, "response");
  sub->add_option("model", c->model_path, "Model file with inputs (W_in / w_in) and a readout (W_out / w_out)")
      ->required();
  add_described_flags(sub, c->options, c->flags);
  sub->add_option("--x0", c->x0,
                  "Start, usually a stable fixed point (default: the file's x0, else a trained state, else zeros)");
  add_output_option(sub, c->output);
  sub->callback([c] {
    const auto model = load_model_file(c->model_path);
    if (!c->x0.empty()) c->options.x0 = parse_vector(c->x0, "--x0", model->dim());
    const ResponseResult res = run_naming_options(
        *c->sub,
        [&] {
          c->options.progress = progress_reporter("response");
          return measure_response(*model, c->options);
        },
        c->flags);
    write_result(c->output, "response", to_json(res));
  });
});

}  // namespace
}  // namespace rnndyn::cli
