// rnndyn mft ... (mean-field theory only) and rnndyn reservoir ... (finite network + theory) of
// seed 003: both bind ReservoirExperimentOptions (mft uses its mean_field part), optionally read
// from --config (the command line wins), and make one library call.
#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/reservoir/reservoir_json.hpp"

namespace rnndyn::cli {
namespace {

struct ReservoirCli {
  std::string config, output;
  std::string activation = MeanFieldOptions{}.activation.name();
  double threshold = MeanFieldOptions{}.activation.threshold();
  ReservoirExperimentOptions options;
  FlagTable flags;  // the described options' fields -> flags
  CLI::App* sub = nullptr;
};

/// The options as given: command line, then the config file for every key not given there. The
/// fields the file set are named in `names` as the file writes them (a bad "n_omega" in the file is
/// reported as n_omega, not as --n-omega, which the user did not type).
ReservoirExperimentOptions parse(const ReservoirCli& c, FlagTable& names) {
  ReservoirExperimentOptions o = c.options;
  run_naming_options(
      *c.sub, [&] { o.mean_field.activation = Activation::from_name(c.activation, c.threshold); }, c.flags);
  if (c.config.empty()) return o;
  std::vector<std::string> keep = given_fields(*c.sub);
  if (const CLI::Option* no_dense = c.sub->get_option_no_throw("--no-dense"); no_dense && no_dense->count())
    keep.push_back("dense_spectrum");
  std::vector<std::string> from_file;
  try {
    o = read_reservoir_config(c.config, o, keep, &from_file);
  } catch (const InputError& e) {
    // The file's own errors name its key as typed there; only the file itself is a flag.
    if (e.field() != "config") throw;
    throw InputError("--config", e.problem());
  }
  for (const auto& field : from_file) names[field] = field;
  return o;
}

/// The options both commands share: the config file, the activation (one member, two flags: name
/// and threshold), the theory's described options and the output. The theory's fields are
/// recorded without a prefix: MeanFieldOptions::validate names them so, under both commands.
void add_common(CLI::App* sub, ReservoirCli& c) {
  sub->add_option("--config", c.config, "JSON file with any of these options (examples/reservoir_*.json)");
  sub->add_option("--activation", c.activation, "tanh, relu (max(0, x - threshold)), sigmoid, softplus, ...")
      ->capture_default_str();
  sub->add_option("--threshold", c.threshold, "Threshold of relu")->capture_default_str();
  add_described_flags(sub, c.options.mean_field, c.flags);
  add_output_option(sub, c.output);
}

const bool registered_mft = register_command("mft", [](CLI::App& app) {
  auto c = std::make_shared<ReservoirCli>();
  c->sub = add_analysis_command(app, "mft");
  add_common(c->sub, *c);
  c->sub->callback([c] {
    FlagTable names = c->flags;
    const ReservoirExperimentOptions o = parse(*c, names);
    run_naming_options(
        *c->sub, [&] { write_result(c->output, "mft", to_json(solve_mean_field(o.mean_field))); }, names);
  });
});

const bool registered_reservoir = register_command("reservoir", [](CLI::App& app) {
  auto c = std::make_shared<ReservoirCli>();
  ReservoirExperimentOptions& o = c->options;
  c->sub = add_analysis_command(app, "reservoir");
  add_common(c->sub, *c);
  add_described_flags(c->sub, o, c->flags, "", {"mean_field"});  // the finite network's
  c->sub->callback([c] {
    FlagTable names = c->flags;
    const ReservoirExperimentOptions o = parse(*c, names);
    run_naming_options(
        *c->sub, [&] { write_result(c->output, "reservoir", to_json(analyze_reservoir(o))); }, names);
  });
});

}  // namespace
}  // namespace rnndyn::cli
