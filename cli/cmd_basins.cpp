// rnndyn basins MODEL [--starts N] [--seed S] [--box lo,hi | --from-trajectories FILE [--noise s] |
//                     --initial-states FILE] [--method M] [--max-time T] [--map-resolution R] ...
#include "command.hpp"
#include "describe_cli.hpp"
#include "rnndyn/basins/basins.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/matrix_file.hpp"

namespace rnndyn::cli {
namespace {

struct BasinsCli {
  std::string model_path, output, box, map_box, trajectories, initial_states;
  BasinsOptions options;
  FlagTable flags;  // field -> flag: the described options' and the flags with their own parser
};

/// The described options' flags (of the attractor search only --method), and those with a parser
/// of their own: the boxes, the state files.
void add_options(CLI::App* sub, BasinsCli& c) {
  add_described_flags(sub, c.options, c.flags, "", fields_but<FixedPointOptions>("fixed_points.", {"method"}));
  sets_fields(sub->add_option("--box", c.box, "Box of uniform starts: \"lo,hi\" or lo,hi per dimension (default -1,1)"),
              c.flags, {"starts.box"});
  sets_fields(sub->add_option("--from-trajectories", c.trajectories,
                              "States file (.npy/.json/.csv): starts drawn from its rows"),
              c.flags, {"starts.data"});
  sets_fields(sub->add_option("--initial-states", c.initial_states, "States file: exactly these starts, one per row"),
              c.flags, {"starts.initial_states"});
  sets_fields(sub->add_option("--map-box", c.map_box,
                              "Box of the basin map: \"lo,hi\" or lo0,hi0,lo1,hi1 (default: the starts')"),
              c.flags, {"map_lo", "map_hi"});
}

const bool registered = register_command("basins", [](CLI::App& app) {
  auto c = std::make_shared<BasinsCli>();
  auto* sub = add_analysis_command(app, "basins");
  sub->add_option("model", c->model_path, "Model file (JSON)")->required();
  add_options(sub, *c);
  add_output_option(sub, c->output);
  sub->callback([c, sub] {
    run_naming_options(
        *sub,
        [&c] {
          BasinsOptions& o = c->options;
          if (!c->box.empty() && !c->trajectories.empty())
            throw InputError("--box", "give either --box or --from-trajectories, not both");
          if (!c->box.empty()) parse_box(c->box, "--box", o.starts.box_lo, o.starts.box_hi);
          if (!c->map_box.empty()) parse_box(c->map_box, "--map-box", o.map_lo, o.map_hi);
          if (!c->trajectories.empty()) o.starts.data = read_matrix_file(c->trajectories, "--from-trajectories");
          if (!c->initial_states.empty())
            o.starts.initial_states = read_matrix_file(c->initial_states, "--initial-states");
          const auto model = load_model_file(c->model_path);
          o.progress = progress_reporter("basins");
          write_result(c->output, "basins", to_json(basins(*model, o)));
        },
        c->flags);
  });
});

}  // namespace
}  // namespace rnndyn::cli
