// rnndyn report RESULT.json -o report.html [--model MODEL]: hands over to the Python package
// (`python -m rnndyn.report`), which owns the figures. The interpreter is $RNNDYN_PYTHON, else the
// python3 beside this executable (pip installs both into <environment>/bin), else python3 on PATH;
// nothing about the build tree is compiled in.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "command.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn::cli {
namespace {

struct ReportCli {
  std::string result_path, output, model_path, title;
};

void run(const ReportCli& c) {
  if (c.output.empty()) throw InputError("--output", "required: the HTML file to write");
  std::vector<std::string> args{python_interpreter(), "-m", "rnndyn.report", c.result_path, "-o", c.output};
  if (!c.model_path.empty()) args.insert(args.end(), {"--model", c.model_path});
  if (!c.title.empty()) args.insert(args.end(), {"--title", c.title});
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("report: cannot start python");
  if (pid == 0) {
    setenv("MPLBACKEND", "Agg", 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "rnndyn: error: report: cannot run %s (set RNNDYN_PYTHON to a Python with rnndyn installed)\n",
                 argv[0]);
    _exit(2);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  // The Python side already printed its one-line error; keep its exit code.
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::exit(WIFEXITED(status) ? WEXITSTATUS(status) : 2);
}

const bool registered = register_command("report", [](CLI::App& app) {
  auto c = std::make_shared<ReportCli>();
  auto* sub = app.add_subcommand("report", "Self-contained HTML page (figures and tables) of a result JSON");
  sub->add_option("result", c->result_path, "Result JSON written by another rnndyn command")->required();
  sub->add_option("-o,--output", c->output, "HTML file to write")->required();
  sub->add_option("--model", c->model_path, "Model file, for a phase portrait of 2-D models");
  sub->add_option("--title", c->title, "Page title");
  sub->callback([c] { run(*c); });
});

}  // namespace
}  // namespace rnndyn::cli
