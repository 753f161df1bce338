#pragma once
/// Reading and writing NumPy .npy arrays (format versions 1.0-3.0; little-endian float64,
/// float32, int64, int32; C or Fortran order; 0-, 1- or 2-dimensional).
#include <string>

#include "rnndyn/core/types.hpp"

namespace rnndyn {

/// A 1-D array becomes an n x 1 matrix. Throws InputError naming `field` (the model-file key
/// that pointed here) for a missing file, a malformed header, an unsupported dtype or rank.
Matrix read_npy(const std::string& path, const std::string& field = "");

/// Writes a float64 C-order array; `as_vector` writes shape (n,) for an n x 1 matrix.
void write_npy(const std::string& path, const Matrix& a, bool as_vector = false);

}  // namespace rnndyn
