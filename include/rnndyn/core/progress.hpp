#pragma once
/// Progress reports and interruption of long runs.
///
/// A long analysis (exhaustive searches, multi-start batches) takes a ProgressCallback in its
/// options and a Monitor built from it. The algorithm calls Monitor::poll from the thread that
/// called the analysis (never from OpenMP workers: they read Monitor::stopped()), at most every
/// `interval` seconds. The run stops when
///  - the callback returns false or throws (the exception is rethrown by Monitor::check, after
///    the algorithm has left its parallel region: e.g. Python's KeyboardInterrupt), or
///  - request_stop() was called (the CLI's SIGINT handler; async-signal-safe),
/// and then throws Interrupted (or the callback's exception) from Monitor::check. Budgets (time,
/// nodes) are not interruptions: they end a run with status "incomplete" and a partial result.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

namespace rnndyn {

/// One progress report. `fraction` in [0, 1] when the share of work done is known, else -1.
struct Progress {
  std::string stage;       ///< what runs, e.g. "branch and bound", "cycles of period 12"
  double fraction = -1.0;  ///< share of the work done, or -1 when unknown
  std::int64_t done = 0;   ///< units of work done (nodes, tuples, starts)
  std::int64_t found = 0;  ///< results found so far (fixed points, cycles)
  double elapsed_seconds = 0.0;
};

/// Returns false to stop the run (it then throws Interrupted). May throw to stop with its own
/// exception. Empty: no reports.
using ProgressCallback = std::function<bool(const Progress&)>;

/// Thrown when a run was stopped by its callback or by request_stop().
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

/// Asks every running analysis to stop at its next poll (async-signal-safe: one atomic store).
void request_stop() noexcept;
/// Clears a stop request (the CLI and tests call it before a run).
void clear_stop_request() noexcept;
bool stop_requested() noexcept;
/// Number of Monitors alive: runs that poll for a stop request (the CLI's SIGINT handler exits at
/// once when there is none).
int active_monitors() noexcept;

/// Throttled polling of a ProgressCallback and the global stop request for one run.
class Monitor {
 public:
  explicit Monitor(ProgressCallback callback = {}, double interval_seconds = 0.2);
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;
  /// Reports `p` (elapsed time filled in) when `interval` has passed since the last report or
  /// `force`; records a stop when the callback returns false or throws, or a stop was requested.
  /// Returns false once the run should stop. Call only from the analysis' own thread.
  bool poll(Progress p, bool force = false);
  /// True once the run should stop (safe to read from any thread).
  bool stopped() const noexcept { return stopped_.load(std::memory_order_relaxed) || stop_requested(); }
  /// Throws the callback's exception or Interrupted when the run was stopped; call it outside
  /// parallel regions.
  void check() const;
  /// poll(p, force), then check() once the run should stop: for serial loops, which stop right
  /// where they report. A forced checkpoint with fraction 1 is a run's last report.
  void checkpoint(Progress p, bool force = false) {
    if (!poll(std::move(p), force)) check();
  }
  double seconds() const;

 private:
  ProgressCallback callback_;
  double interval_;
  std::chrono::steady_clock::time_point start_, last_;
  std::atomic<bool> stopped_{false};
  std::exception_ptr error_;
};

}  // namespace rnndyn
