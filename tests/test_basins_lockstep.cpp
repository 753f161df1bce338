// The map census steps its starts in lockstep chunks (one evaluate_batch per step, decided orbits
// dropped): each start must get exactly the label and settle step of its own orbit, simulated here
// one start at a time by a plain GRU written out with loops (no Model code, no Eigen products) and
// the census' ball rule |x_k - x_a| < r_a checked after every step.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "rnndyn/basins/basins.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/models/gru_model.hpp"

using namespace rnndyn;

namespace {

/// h' = (1 - z) n + z h with PyTorch's gates (gru_model.hpp), entry by entry.
std::vector<double> gru_step(const GruModel& m, const std::vector<double>& h) {
  const auto H = static_cast<Index>(h.size());
  std::vector<double> g(static_cast<size_t>(3 * H)), gh(static_cast<size_t>(3 * H));
  for (Index i = 0; i < 3 * H; ++i) {
    double in = m.b_ih()(i), rec = m.b_hh()(i);
    for (Index j = 0; j < m.W_ih().cols(); ++j) in += m.W_ih()(i, j) * m.u()(j);
    for (Index j = 0; j < H; ++j) rec += m.W_hh()(i, j) * h[static_cast<size_t>(j)];
    g[static_cast<size_t>(i)] = in;
    gh[static_cast<size_t>(i)] = rec;
  }
  std::vector<double> out(h.size());
  for (Index k = 0; k < H; ++k) {
    const auto s = [&](Index i) { return 1.0 / (1.0 + std::exp(-(g[size_t(i)] + gh[size_t(i)]))); };
    const double r = s(k), z = s(H + k);
    const double n = std::tanh(g[size_t(2 * H + k)] + r * gh[size_t(2 * H + k)]);
    out[size_t(k)] = (1.0 - z) * n + z * h[size_t(k)];
  }
  return out;
}

double distance(const std::vector<double>& x, const Vector& y) {
  double s = 0.0;
  for (size_t i = 0; i < x.size(); ++i) s += (x[i] - y(static_cast<Index>(i))) * (x[i] - y(static_cast<Index>(i)));
  return std::sqrt(s);
}

}  // namespace

TEST(BasinsLockstep, EveryStartGetsTheLabelAndStepOfItsOwnOrbit) {
  const auto loaded = load_model(std::string(RNNDYN_SOURCE_DIR) + "/examples/gru_flipflop.json");
  const auto& gru = dynamic_cast<const GruModel&>(*loaded);
  const int kBudget = 250;
  BasinsOptions o;
  o.starts.count = 1000;  // 32 chunks of kLockstepChunk, over the threads
  o.starts.seed = 11;
  o.extrapolate = false;  // the ball rule alone, which the reference applies
  o.saddle_graph = false;
  o.max_time = kBudget;  // short enough that some starts are still on their way when it ends
  const BasinsResult r = basins(gru, o);
  // The 8 memories of the search hold balls; a set an orbit recurred on at the budget's end holds none.
  std::vector<size_t> balls;
  for (size_t a = 0; a < r.attractors.size(); ++a)
    if (r.attractors[a].found_by == "search") balls.push_back(a);
  ASSERT_EQ(balls.size(), 8u);
  int settled = 0, unsettled = 0;
  std::set<double> steps;
  for (Index i = 0; i < r.n_starts; ++i) {
    std::vector<double> x(r.starts.cols());
    for (Index j = 0; j < r.starts.cols(); ++j) x[size_t(j)] = r.starts(i, j);
    int label = kBasinUnsettled;
    int k = 0;
    for (; k <= kBudget && label == kBasinUnsettled; ++k) {
      if (k > 0) x = gru_step(gru, x);
      for (const size_t a : balls)
        if (label == kBasinUnsettled && distance(x, r.attractors[a].x) < r.attractors[a].radius)
          label = static_cast<int>(a);
    }
    // The census' states and these differ by rounding only (its gates are vectorised; a few
    // 1e-16), far below any start's closest approach to a ball's edge at a step: exact equality.
    if (label >= 0) {
      ++settled;
      steps.insert(k - 1);
      EXPECT_EQ(r.labels[size_t(i)], label) << "start " << i;
      EXPECT_EQ(r.times[size_t(i)], k - 1) << "start " << i;
    } else {
      ++unsettled;
      // Not in a ball within the budget: unsettled, or a set the orbit recurred on, never a
      // search attractor.
      const int l = r.labels[size_t(i)];
      EXPECT_TRUE(l < 0 || r.attractors[size_t(l)].found_by == "recurrence") << "start " << i;
      EXPECT_EQ(r.times[size_t(i)], kBudget) << "start " << i;
    }
  }
  // The chunks really drop orbits at many different steps, and the budget ends some.
  EXPECT_GT(settled, 500) << unsettled;
  EXPECT_GT(unsettled, 0);
  EXPECT_GT(steps.size(), 20u);
}
