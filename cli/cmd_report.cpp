// rnndyn report RESULT.json -o report.html [--model MODEL]: hands over to the Python package
// (rnndyn.report), which owns the figures. The package is looked up beside the build tree, or
// where RNNDYN_PYTHONPATH points.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "command.hpp"
#include "rnndyn/core/errors.hpp"

#ifndef RNNDYN_PYTHON_DIR
#define RNNDYN_PYTHON_DIR ""
#endif

namespace rnndyn::cli {
namespace {

struct ReportCli {
  std::string result_path, output, model_path, title;
};

void run(const ReportCli& c) {
  if (c.output.empty()) throw InputError("--output", "required: the HTML file to write");
  const char* env_path = std::getenv("RNNDYN_PYTHONPATH");
  std::string pythonpath = env_path ? env_path : RNNDYN_PYTHON_DIR;
  if (const char* existing = std::getenv("PYTHONPATH")) pythonpath += std::string(":") + existing;
  const char* python = std::getenv("RNNDYN_PYTHON");
  std::vector<std::string> args{
      python ? python : "/usr/bin/python3", "-m", "rnndyn.report", c.result_path, "-o", c.output};
  if (!c.model_path.empty()) args.insert(args.end(), {"--model", c.model_path});
  if (!c.title.empty()) args.insert(args.end(), {"--title", c.title});
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("report: cannot start python");
  if (pid == 0) {
    setenv("PYTHONPATH", pythonpath.c_str(), 1);
    setenv("MPLBACKEND", "Agg", 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    std::fprintf(stderr, "rnndyn: error: report: cannot run %s (install python3 or set RNNDYN_PYTHON)\n", argv[0]);
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
