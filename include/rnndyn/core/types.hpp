#pragma once
/// Common numeric types of rnndyn: every state, parameter block and Jacobian is an Eigen
/// dense object of doubles, so analyses share one vocabulary.
#include <Eigen/Dense>
#include <complex>
#include <cstdint>

namespace rnndyn {

using Index = Eigen::Index;
using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;
using Complex = std::complex<double>;
using ComplexVector = Eigen::VectorXcd;
using ComplexMatrix = Eigen::MatrixXcd;

/// Whether a model is a continuous-time flow dx/dt = F(x) or a discrete-time map x_{t+1} = F(x_t).
/// Fixed points are F(x) = 0 for flows and F(x) = x for maps; stability reads Re(lambda) < 0
/// for flows and |lambda| < 1 for maps.
enum class TimeKind { Flow, Map };

}  // namespace rnndyn
