// Builds the seed-002 E-I network through the public API and checks its fixed point.
#include <rnndyn/rnndyn.hpp>

#include <cmath>
#include <cstdio>

int main() {
  rnndyn::Matrix W(2, 2);
  W << 1.25, -1.0, 1.0, 0.0;
  rnndyn::Vector b(2);
  b << 10.0, -10.0;  // -gamma_E, -gamma_I
  rnndyn::Vector tau(2);
  tau << 10.0, 30.0;
  rnndyn::RateModel model(rnndyn::RateModel::Form::Rate, rnndyn::Activation::from_name("relu"), tau, W, b);
  rnndyn::Vector x(2);
  x << 80.0 / 3.0, 50.0 / 3.0;
  const double residual = model.rhs(x).norm();
  const auto lin = rnndyn::linearize(model, x);
  std::printf("residual %.3g, stability %s\n", residual, rnndyn::to_string(lin.stability.type).c_str());
  return residual < 1e-12 && lin.stability.type == rnndyn::StabilityClass::StableFocus ? 0 : 1;
}
