// Grid scan of a parameter plane (issue 14): seed 002's E-I network with M_EE = w and tau_I free.
#include <gtest/gtest.h>

#include "rnndyn/continuation/parameter_scan.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

// tau dr/dt = -r + relu(W r + b), W = [[w, -1], [1, 0]], b = (10, -10), tau = (10, tau_I). For
// 1 < w < 2 the only fixed point has both units on: r_E = 20 / (2 - w), r_I = r_E - 10 > 0 (the
// three other activation patterns contradict their own signs). There J = diag(1/tau)(W - I) has
// det = (2 - w) / (10 tau_I) > 0 and trace (w - 1) / 10 - 1 / tau_I, so it is stable exactly for
// tau_I < 10 / (w - 1) (a Hopf curve; w = 1.25 gives the seed's 40 ms). No grid value lies on it.
TEST(ParameterScan, EiNetworkHopfCurveMatchesItsClosedForm) {
  const RateModel model = testing::ei_network();
  ParameterScanOptions o;
  o.parameter_x = "W[0,0]";
  o.x_from = 1.1;
  o.x_to = 1.6;
  o.x_steps = 6;
  o.parameter_y = "tau[1]";
  o.y_from = 12.0;
  o.y_to = 72.0;
  o.y_steps = 7;
  const ParameterScanResult r = scan_parameters(model, o);
  ASSERT_EQ(r.cells.size(), 42u);
  EXPECT_EQ(r.status, "complete");
  int stable = 0, unstable = 0;
  for (size_t j = 0; j < r.y_values.size(); ++j)
    for (size_t i = 0; i < r.x_values.size(); ++i) {
      const ScanCell& c = r.cells[j * r.x_values.size() + i];
      const double w = 1.1 + 0.1 * static_cast<double>(i), tau_i = 12.0 + 10.0 * static_cast<double>(j);
      EXPECT_NEAR(c.x, w, 1e-12);
      EXPECT_NEAR(c.y, tau_i, 1e-12);
      EXPECT_EQ(c.n_fixed_points, 1) << "w = " << w << ", tau_I = " << tau_i;
      const bool expect_stable = tau_i < 10.0 / (w - 1.0);
      EXPECT_EQ(c.n_stable, expect_stable ? 1 : 0) << "w = " << w << ", tau_I = " << tau_i;
      EXPECT_EQ(c.n_unstable, expect_stable ? 0 : 1) << "w = " << w << ", tau_I = " << tau_i;
      EXPECT_TRUE(c.complete);
      (expect_stable ? stable : unstable) += 1;
    }
  EXPECT_GT(stable, 5);  // both sides of the curve are sampled
  EXPECT_GT(unstable, 5);
  // The model itself is unchanged (every cell works on a copy).
  EXPECT_EQ(model.parameter("tau[1]"), 30.0);
}

TEST(ParameterScan, BadOptionsNameTheirField) {
  const RateModel model = testing::ei_network();
  ParameterScanOptions o;
  o.parameter_x = "tau[1]";
  o.x_from = 10.0;
  o.x_to = 50.0;
  o.parameter_y = "tau[1]";
  auto field = [&](const ParameterScanOptions& opts) {
    try {
      scan_parameters(model, opts);
    } catch (const InputError& e) {
      return e.field();
    }
    return std::string("none");
  };
  EXPECT_EQ(field(o), "parameter_y");
  o.parameter_y = "g[7]";
  EXPECT_EQ(field(o), "parameter_y");
  o.parameter_y = "W[0,0]";
  o.x_from = -1.0;  // tau_I must stay > 0 over the grid
  EXPECT_EQ(field(o), "parameter_x");
  o.x_from = 10.0;
  o.x_steps = 1;
  EXPECT_EQ(field(o), "x_steps");
}

}  // namespace
}  // namespace rnndyn
