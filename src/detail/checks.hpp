#pragma once
// Input checks shared by the model constructors: each throws InputError naming the field.
#include <cstdio>
#include <string>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/core/types.hpp"

namespace rnndyn::detail {

inline std::string shape_string(Index r, Index c) { return std::to_string(r) + "x" + std::to_string(c); }

/// A number as a user would write it (0, -3, 1e-05, 0.25), not std::to_string's 0.000000.
inline std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

inline void require_finite(const Matrix& m, const std::string& field) {
  for (Index j = 0; j < m.cols(); ++j)
    for (Index i = 0; i < m.rows(); ++i)
      if (!std::isfinite(m(i, j))) {
        const std::string where =
            m.cols() == 1 ? "[" + std::to_string(i) + "]" : "[" + std::to_string(i) + "," + std::to_string(j) + "]";
        throw InputError(field, "entry " + where + " is not finite (" + number_text(m(i, j)) + ")");
      }
}

inline void require_shape(const Matrix& m, Index rows, Index cols, const std::string& field) {
  if (m.rows() != rows || m.cols() != cols)
    throw InputError(field,
                     "expected a " + shape_string(rows, cols) + " matrix, got " + shape_string(m.rows(), m.cols()));
  require_finite(m, field);
}

inline void require_length(const Vector& v, Index n, const std::string& field) {
  if (v.size() != n)
    throw InputError(field,
                     "expected a vector of length " + std::to_string(n) + ", got length " + std::to_string(v.size()));
  require_finite(v, field);
}

inline void require_positive(const Vector& v, const std::string& field) {
  require_finite(v, field);
  for (Index i = 0; i < v.size(); ++i)
    if (!(v(i) > 0.0))
      throw InputError(
          field, "must be > 0, got " + number_text(v(i)) + (v.size() > 1 ? " at [" + std::to_string(i) + "]" : ""));
}

inline void require_nonempty(Index n, const std::string& field) {
  if (n <= 0) throw InputError(field, "must not be empty");
}

}  // namespace rnndyn::detail
