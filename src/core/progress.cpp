// Progress reports and interruption (progress.hpp).
#include "rnndyn/core/progress.hpp"

namespace rnndyn {

namespace {
std::atomic<bool> g_stop{false};
std::atomic<int> g_monitors{0};
static_assert(std::atomic<bool>::is_always_lock_free, "request_stop must be async-signal-safe");
}  // namespace

void request_stop() noexcept { g_stop.store(true, std::memory_order_relaxed); }
void clear_stop_request() noexcept { g_stop.store(false, std::memory_order_relaxed); }
bool stop_requested() noexcept { return g_stop.load(std::memory_order_relaxed); }
int active_monitors() noexcept { return g_monitors.load(); }

Monitor::Monitor(ProgressCallback callback, double interval_seconds)
    : callback_(std::move(callback)),
      interval_(interval_seconds),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {
  ++g_monitors;
}

Monitor::~Monitor() { --g_monitors; }

double Monitor::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool Monitor::poll(Progress p, bool force) {
  if (stopped()) return false;
  const auto now = std::chrono::steady_clock::now();
  if (!callback_ || (!force && std::chrono::duration<double>(now - last_).count() < interval_)) return true;
  last_ = now;
  p.elapsed_seconds = std::chrono::duration<double>(now - start_).count();
  try {
    if (!callback_(p)) stopped_.store(true);
  } catch (...) {
    error_ = std::current_exception();
    stopped_.store(true);
  }
  return !stopped();
}

void Monitor::check() const {
  if (error_) std::rethrow_exception(error_);
  if (stopped()) throw Interrupted();
}

}  // namespace rnndyn
