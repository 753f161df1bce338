#include "rnndyn/models/piecewise_linear.hpp"

#include <stdexcept>

namespace rnndyn {

std::vector<Hyperplane> PiecewiseLinearStructure::hyperplanes() const {
  std::vector<Hyperplane> planes;
  for (Index i = 0; i < hidden(); ++i) {
    const auto bps = units[static_cast<size_t>(i)].breakpoints();
    for (size_t k = 0; k < bps.size(); ++k)
      planes.push_back(Hyperplane{U.row(i).transpose(), c(i) - bps[k], i, static_cast<Index>(k)});
  }
  return planes;
}

std::vector<int> PiecewiseLinearStructure::pattern_at(const Vector& z) const {
  const Vector a = U * z + c;
  std::vector<int> pattern(static_cast<size_t>(hidden()));
  for (Index i = 0; i < hidden(); ++i) {
    int piece = 0;
    for (double bp : units[static_cast<size_t>(i)].breakpoints())
      if (a(i) > bp) ++piece;
    pattern[static_cast<size_t>(i)] = piece;
  }
  return pattern;
}

AffineMap PiecewiseLinearStructure::region_map(const std::vector<int>& pattern) const {
  if (static_cast<Index>(pattern.size()) != hidden())
    throw std::invalid_argument("region_map: pattern has " + std::to_string(pattern.size()) + " entries, expected " +
                                std::to_string(hidden()));
  Vector slope(hidden()), shift(hidden());
  for (Index i = 0; i < hidden(); ++i) {
    const auto pieces = units[static_cast<size_t>(i)].pieces();
    const int p = pattern[static_cast<size_t>(i)];
    if (p < 0 || p >= static_cast<int>(pieces.size()))
      throw std::invalid_argument("region_map: piece index " + std::to_string(p) + " out of range for unit " +
                                  std::to_string(i));
    slope(i) = pieces[static_cast<size_t>(p)].slope;
    shift(i) = pieces[static_cast<size_t>(p)].slope * c(i) + pieces[static_cast<size_t>(p)].intercept;
  }
  return AffineMap{A + V * slope.asDiagonal() * U, V * shift + h};
}

Vector PiecewiseLinearStructure::evaluate(const Vector& z) const {
  const Vector a = U * z + c;
  Vector phi(hidden());
  for (Index i = 0; i < hidden(); ++i) phi(i) = units[static_cast<size_t>(i)].value(a(i));
  return A * z + V * phi + h;
}

}  // namespace rnndyn
