// rnndyn sweep SPEC.json -o OUT.zarr [--scheduler ADDRESS] [--workers N] [--serial] [--overwrite]:
// hands over to the Python package (`python -m rnndyn.sweep`), which runs the sweep on
// dask.distributed (docs/sweeps.md). The process is replaced by the interpreter (python_interpreter():
// $RNNDYN_PYTHON, the python3 beside this executable, else python3 on PATH), so its one-line errors
// (exit 2), Ctrl-C (exit 130) and summary JSON are the command's own.
#include <unistd.h>

#include <cstdio>
#include <vector>

#include "command.hpp"

namespace rnndyn::cli {
namespace {

struct SweepCli {
  std::string spec, output, scheduler;
  int workers = 0;
  bool serial = false, overwrite = false;
};

[[noreturn]] void run(const SweepCli& c, bool quiet) {
  std::vector<std::string> args{python_interpreter(), "-m", "rnndyn.sweep", c.spec, "-o", c.output};
  if (!c.scheduler.empty()) args.insert(args.end(), {"--scheduler", c.scheduler});
  if (c.workers > 0) args.insert(args.end(), {"--workers", std::to_string(c.workers)});
  if (c.serial) args.emplace_back("--serial");
  if (c.overwrite) args.emplace_back("--overwrite");
  if (quiet) args.emplace_back("-q");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  execvp(argv[0], argv.data());
  std::fprintf(stderr, "rnndyn: error: sweep: cannot run %s (set RNNDYN_PYTHON to a Python with rnndyn installed)\n",
               argv[0]);
  std::_Exit(2);
}

const bool registered = register_command("sweep", [](CLI::App& app) {
  auto c = std::make_shared<SweepCli>();
  auto* sub = app.add_subcommand("sweep",
                                 "Run a sweep spec (grid, sample or model list) on dask.distributed into Zarr; "
                                 "run again to resume");
  sub->add_option("spec", c->spec, "Sweep spec (JSON, docs/sweeps.md)")->required();
  sub->add_option("-o,--output", c->output, "Zarr store to write or resume")->required();
  sub->add_option("--scheduler", c->scheduler, "dask scheduler address (default: a LocalCluster)");
  sub->add_option("--workers", c->workers, "LocalCluster worker processes (default: every core)")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--serial", c->serial, "Run the tasks in this process, without dask");
  sub->add_flag("--overwrite", c->overwrite, "Replace a store that holds another sweep");
  sub->callback([c] { run(*c, is_quiet()); });
});

}  // namespace
}  // namespace rnndyn::cli
