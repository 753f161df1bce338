// rnndyn fixed-points MODEL [--method auto|brute|arrangement|numeric]: every fixed point of a
// piecewise-linear model, certified by enumerating its linear regions (seed 001); smooth models
// go to the numeric finder (cli/fixed_points_numeric.hpp).
#include <chrono>

#include "command.hpp"
#include "fixed_points_numeric.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/fixed_points/piecewise_linear_cycles.hpp"
#include "rnndyn/fixed_points/piecewise_linear_cycles_json.hpp"
#include "rnndyn/fixed_points/piecewise_linear_fixed_points.hpp"
#include "rnndyn/fixed_points/piecewise_linear_fixed_points_json.hpp"

namespace rnndyn::cli {
namespace {

struct FixedPointsCli {
  std::string model_path, output, method = "auto";
  PiecewiseLinearFixedPointOptions options;
  std::shared_ptr<NumericFixedPointCliOptions> numeric;
  int cycles = 1;                         // --cycles K: K >= 2 runs the k-cycle search
  std::int64_t max_tuples = 100'000'000;  // --max-tuples (with --force)
};

/// --cycles K >= 2: every K-cycle of a discrete-time piecewise-linear model (find_cycles), with
/// the tolerances and --force of the fixed-point search.
void run_cycles(const FixedPointsCli& c) {
  PlCycleOptions o;
  o.max_tuples = c.max_tuples;
  o.force = c.options.force;
  o.region_tol = c.options.region_tol;
  o.singular_tol = c.options.singular_tol;
  o.dedup_tol = c.options.dedup_tol;
  o.stability = c.options.stability;
  o.validate();
  const auto model = load_model_file(c.model_path);
  const auto pl = model->piecewise_linear();
  if (!pl)
    throw InputError("--cycles", "needs a piecewise-linear model (relu, hardtanh or linear units); this " +
                                     model->kind() + " model is smooth");
  if (model->time_kind() != TimeKind::Map)
    throw InputError("--cycles", "needs a discrete-time model (a map); this " + model->kind() + " model is a flow");
  const auto start = std::chrono::steady_clock::now();
  const auto result = find_cycles(*pl, c.cycles, o);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  nlohmann::json j = to_json(result);
  j["elapsed_seconds"] = elapsed.count();
  j["model"] = model->kind();
  j["time"] = "discrete";
  write_json(c.output, j);
}

void run(const FixedPointsCli& c) {
  if (c.cycles < 1) throw InputError("--cycles", "must be >= 1, got " + std::to_string(c.cycles));
  if (c.cycles > 1) return run_cycles(c);
  if (c.method != "auto" && c.method != "brute" && c.method != "arrangement" && c.method != "level_set" &&
      c.method != "numeric")
    throw InputError("--method", "expected auto, brute, arrangement, level_set or numeric, got '" + c.method + "'");
  PiecewiseLinearFixedPointOptions options = c.options;
  options.validate();
  const auto model = load_model_file(c.model_path);
  const bool pl = model->piecewise_linear().has_value();
  if (c.method == "numeric" || (c.method == "auto" && !pl)) {
    write_json(c.output, run_numeric_fixed_points(*model, *c.numeric, c.model_path));
    return;
  }
  if (!pl)
    throw InputError("--method", c.method + " needs a piecewise-linear model (relu, hardtanh or linear units); this " +
                                     model->kind() + " model is smooth: use --method numeric or auto");
  options.method = pl_fixed_point_method_from_string(c.method, "--method");
  const auto start = std::chrono::steady_clock::now();
  const auto result = find_fixed_points(*model, options);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  nlohmann::json j = to_json(result);
  j["elapsed_seconds"] = elapsed.count();  // the enumeration alone (no start-up, parsing, output)
  j["model"] = model->kind();
  j["time"] = model->time_kind() == TimeKind::Flow ? "continuous" : "discrete";
  write_json(c.output, j);
}

const bool registered = register_command("fixed-points", [](CLI::App& app) {
  auto c = std::make_shared<FixedPointsCli>();
  auto* sub = app.add_subcommand("fixed-points",
                                 "All fixed points: exact region enumeration for piecewise-linear models, "
                                 "numeric search for smooth ones");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  sub->add_option("--method", c->method,
                  "auto | brute (all activation patterns) | arrangement (regions of the hyperplane "
                  "arrangement only) | level_set (R = 2: only regions where F can vanish) | numeric")
      ->capture_default_str();
  sub->add_flag("--force", c->options.force, "Let brute force visit more than 2^--brute-max-log2 patterns");
  sub->add_option("--brute-max-log2", c->options.brute_max_log2, "Size limit of brute force, in [0, 62]")
      ->capture_default_str();
  sub->add_option("--region-tol", c->options.region_tol,
                  "Relative tolerance of the closed-region (pattern consistency) test, in [0, 1e-3]")
      ->capture_default_str();
  sub->add_option("--singular-tol", c->options.singular_tol,
                  "Relative pivot below which a region's system is singular (continuum check), in (0, 1e-2]")
      ->capture_default_str();
  sub->add_option("--dedup-tol", c->options.dedup_tol, "Relative distance under which two fixed points are one")
      ->capture_default_str();
  sub->add_flag("--skip-eigen", c->options.skip_eigen, "Do not compute eigenvalues and stability");
  sub->add_option("--marginal-tol", c->options.stability.marginal_tol,
                  "|Re lambda| (flows) or ||lambda|-1| (maps) below this is marginal")
      ->capture_default_str();
  sub->add_option("--cycles", c->cycles,
                  "Period K: K >= 2 lists every K-cycle of a discrete-time piecewise-linear model "
                  "(exhaustive over region K-tuples); 1 = fixed points")
      ->capture_default_str();
  sub->add_option("--max-tuples", c->max_tuples, "Size limit of the --cycles search (region tuples); --force lifts it")
      ->capture_default_str();
  c->numeric = add_numeric_fixed_point_options(sub);
  add_output_option(sub, c->output);
  sub->callback([c] { run(*c); });
});

}  // namespace
}  // namespace rnndyn::cli
