// rnndyn simulate MODEL --t-end T --dt DT [--x0 X] [--input SIGNAL]... [--format json|csv] [--method ode|closed-form]
#include <iomanip>
#include <sstream>

#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/input_json.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/linear/linear_network.hpp"
#include "rnndyn/models/linear_model.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn::cli {
namespace {

struct SimulateCli {
  CLI::App* sub = nullptr;
  std::string model_path, x0, output, format = "json";
  std::vector<std::string> inputs;
  SimulateOptions options;
  FlagTable flags;  // the described options' fields -> flags
};

std::string to_csv(const Trajectory& traj) {
  std::ostringstream out;
  out << std::setprecision(17) << "t";
  for (Index i = 0; i < traj.x.rows(); ++i) out << ",x" << i;
  for (Index i = 0; i < traj.u.rows(); ++i) out << ",u" << i;
  for (Index i = 0; i < traj.z.rows(); ++i) out << ",z" << i;
  out << "\n";
  for (Index k = 0; k < traj.x.cols(); ++k) {
    out << traj.t[static_cast<size_t>(k)];
    for (Index i = 0; i < traj.x.rows(); ++i) out << "," << traj.x(i, k);
    for (Index i = 0; i < traj.u.rows(); ++i) out << "," << traj.u(i, k);
    for (Index i = 0; i < traj.z.rows(); ++i) out << "," << traj.z(i, k);
    out << "\n";
  }
  return out.str();
}

void run(SimulateCli& c) {
  if (c.format != "json" && c.format != "csv")
    throw InputError("--format", "expected json or csv, got '" + c.format + "'");
  const auto model = load_model_file(c.model_path);
  if (!c.x0.empty()) c.options.x0 = parse_vector(c.x0, "--x0", model->dim());
  // Each --input adds its signals. The library names a bad value inputs[i].field, i counting the
  // signals of every --input in order; it is reported as --input[i].field.
  for (const auto& text : c.inputs)
    for (auto& s : parse_input_text(text, "--input")) c.options.inputs.push_back(s);
  const Trajectory traj = run_naming_options(
      *c.sub,
      [&] {
        c.options.progress = progress_reporter("simulate");
        try {
          return simulate(*model, c.options);
        } catch (const InputError& e) {
          // inputs[i].width -> --input[i].width: the flag as typed (not --width or --dt).
          const std::string& f = e.field();
          if (f.rfind("inputs", 0) != 0) throw;
          throw InputError("--input" + f.substr(6), e.problem());
        }
      },
      c.flags);
  if (traj.status == SimulateStatus::DivergedToInfinity)
    std::fprintf(stderr, "rnndyn: warning: trajectory diverged at t = %g; output stops there\n", traj.t.back());
  if (c.format == "csv")
    write_text(c.output, to_csv(traj));
  else
    write_result(c.output, "simulate", to_json(traj));
}

const bool registered = register_command("simulate", [](CLI::App& app) {
  auto c = std::make_shared<SimulateCli>();
  auto* sub = c->sub = add_analysis_command(app, "simulate");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  add_described_flags(sub, c->options, c->flags);
  sub->add_option("--x0", c->x0,
                  "Initial state: 1,2,3 or [1,2,3] or @file.npy or zeros (default: the file's x0, else a trained "
                  "reservoir's first trained state, else zeros)");
  sub->add_option("--input", c->inputs,
                  "Input signal added to the model's u (repeatable): JSON such as "
                  "'{\"kind\": \"clicks\", \"times\": [1, 2], \"delta\": 0.1}' (kinds series, clicks, poisson, "
                  "noise, step; docs/simulate.md), a .json file, or a .npy/.csv series (one row per dt)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--format", c->format, "json or csv")->capture_default_str();
  add_output_option(sub, c->output);
  sub->callback([c] { run(*c); });
});

}  // namespace
}  // namespace rnndyn::cli
