// Stability classes on spectra with known answers, the seed-002 E-I network against its
// closed-form 2x2 eigenvalues, and one-sided Jacobians on a relu switching boundary.
#include <gtest/gtest.h>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/linearize/linearize.hpp"
#include "rnndyn/models/plrnn.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
using rnndyn::testing::near;

namespace {

ComplexVector spectrum(std::initializer_list<Complex> values) {
  ComplexVector v(static_cast<Index>(values.size()));
  Index i = 0;
  for (Complex z : values) v(i++) = z;
  return v;
}

TEST(ClassifySpectrum, Flows) {
  EXPECT_EQ(classify_spectrum(spectrum({-1.0, -2.0}), TimeKind::Flow).type, StabilityClass::StableNode);
  EXPECT_EQ(classify_spectrum(spectrum({{-1.0, 2.0}, {-1.0, -2.0}}), TimeKind::Flow).type, StabilityClass::StableFocus);
  EXPECT_EQ(classify_spectrum(spectrum({1.0, -2.0}), TimeKind::Flow).type, StabilityClass::Saddle);
  EXPECT_EQ(classify_spectrum(spectrum({1.0, 2.0}), TimeKind::Flow).type, StabilityClass::UnstableNode);
  EXPECT_EQ(classify_spectrum(spectrum({{0.5, 2.0}, {0.5, -2.0}}), TimeKind::Flow).type, StabilityClass::UnstableFocus);
  const Stability line = classify_spectrum(spectrum({0.0, -2.0}), TimeKind::Flow);
  EXPECT_EQ(line.type, StabilityClass::NonHyperbolic);
  EXPECT_EQ(line.n_marginal, 1);
  EXPECT_EQ(line.n_stable, 1);
}

TEST(ClassifySpectrum, MapsUseTheUnitCircle) {
  EXPECT_EQ(classify_spectrum(spectrum({0.5, -0.9}), TimeKind::Map).type, StabilityClass::StableNode);
  EXPECT_EQ(classify_spectrum(spectrum({{0.3, 0.4}, {0.3, -0.4}}), TimeKind::Map).type, StabilityClass::StableFocus);
  EXPECT_EQ(classify_spectrum(spectrum({1.5, 0.5}), TimeKind::Map).type, StabilityClass::Saddle);
  EXPECT_EQ(classify_spectrum(spectrum({-1.0, 0.2}), TimeKind::Map).type, StabilityClass::NonHyperbolic);
  // A flow-stable spectrum (negative real parts) can be map-unstable.
  EXPECT_EQ(classify_spectrum(spectrum({-3.0, -2.0}), TimeKind::Map).type, StabilityClass::UnstableNode);
}

TEST(EigenDecompose, ResidualIsSmall) {
  std::mt19937 rng(11);
  for (Index n : {2, 10, 60}) {
    const Matrix J = rnndyn::testing::random_matrix(n, n, rng);
    const EigenDecomposition e = eigen_decompose(J, TimeKind::Flow);
    const ComplexMatrix residual = J.cast<Complex>() * e.eigenvectors - e.eigenvectors * e.eigenvalues.asDiagonal();
    EXPECT_LT(residual.cwiseAbs().maxCoeff(), 1e-10 * J.norm()) << "n = " << n;
    for (Index i = 1; i < n; ++i) EXPECT_GE(e.eigenvalues(i - 1).real(), e.eigenvalues(i).real());
  }
}

// Seed 002: tau_E dv_E/dt = -v_E + [M_EE v_E + M_EI v_I - gamma_E]^+, and likewise for I.
RateModel ei_network(double tau_I) {
  Matrix M(2, 2);
  M << 1.25, -1.0, 1.0, 0.0;  // M_EE, M_EI; M_IE, M_II
  Vector minus_gamma(2);
  minus_gamma << 10.0, -10.0;  // gamma_E = -10, gamma_I = 10
  Vector tau(2);
  tau << 10.0, tau_I;
  return RateModel(RateModel::Form::Rate, Activation::from_name("relu"), tau, M, minus_gamma);
}

TEST(Linearize, EINetworkMatchesSeedEigenvalueFormula) {
  // Both units active: v_I = v_E - 10 and 0.25 v_E = v_I - 10 + ... gives v_E = 80/3, v_I = 50/3.
  Vector v(2);
  v << 80.0 / 3.0, 50.0 / 3.0;
  for (double tau_I : {20.0, 30.0, 39.0, 41.0, 50.0, 80.0}) {
    const RateModel model = ei_network(tau_I);
    const Linearization lin = linearize(model, v);
    EXPECT_LT(lin.residual.norm(), 1e-12);
    // lambda = 1/2 (a + d +- sqrt((a - d)^2 + 4 M_EI M_IE / (tau_E tau_I))), a = (M_EE-1)/tau_E, d = (M_II-1)/tau_I
    const double a = 0.25 / 10.0, d = -1.0 / tau_I;
    const Complex disc = std::sqrt(Complex((a - d) * (a - d) + 4.0 * (-1.0) * 1.0 / (10.0 * tau_I), 0.0));
    const Complex l1 = 0.5 * (a + d + disc), l2 = 0.5 * (a + d - disc);
    ComplexVector expected(2);
    expected << l1, l2;
    if (expected(0).imag() < expected(1).imag()) std::swap(expected(0), expected(1));
    EXPECT_TRUE(near(lin.eigen.eigenvalues, expected, 1e-14, 1e-12)) << "tau_I = " << tau_I;
    // The Hopf point is where the trace a + d vanishes: tau_I = 40 ms.
    EXPECT_EQ(lin.stability.type, tau_I < 40.0 ? StabilityClass::StableFocus : StabilityClass::UnstableFocus)
        << "tau_I = " << tau_I;
    EXPECT_FALSE(lin.on_switching_boundary);
  }
}

TEST(Linearize, ReportsBothSidesOfAReluKink) {
  // dz/dt = A z + W relu(z - theta) + h with z_0 exactly at its threshold.
  Matrix A = -Matrix::Identity(2, 2), W(2, 2);
  W << 2.0, 0.5, -1.0, 0.3;
  Vector theta(2), h(2), z(2);
  theta << 0.5, -1.0;
  h << 0.1, 0.2;
  z << 0.5, 3.0;
  Plrnn model(TimeKind::Flow, A, W, theta, h);
  const Linearization lin = linearize(model, z);
  ASSERT_TRUE(lin.on_switching_boundary);
  ASSERT_EQ(lin.kink_units, std::vector<Index>{0});
  ASSERT_EQ(lin.one_sided.size(), 2u);
  // Left of the kink unit 0 is off, right of it on; unit 1 is on in both.
  Matrix left = A, right = A;
  left.col(1) += W.col(1);
  right += W;
  EXPECT_TRUE(near(lin.one_sided[0].jacobian, left, 0.0));
  EXPECT_TRUE(near(lin.one_sided[1].jacobian, right, 0.0));
  // The one-sided Jacobians agree with one-sided finite differences of F.
  const double hstep = 1e-7;
  Vector zp = z, zm = z;
  zp(0) += hstep;
  zm(0) -= hstep;
  EXPECT_TRUE(near(((model.rhs(zp) - model.rhs(z)) / hstep).eval(), Vector(right.col(0)), 1e-6));
  EXPECT_TRUE(near(((model.rhs(z) - model.rhs(zm)) / hstep).eval(), Vector(left.col(0)), 1e-6));
}

TEST(Linearize, RejectsWrongLength) {
  const RateModel model = ei_network(30.0);
  EXPECT_THROW(linearize(model, Vector::Zero(3)), InputError);
}

}  // namespace
