#pragma once
/// The one reader of matrices and vectors given by users: model-file values, state files
/// (trajectories, initial states), perturbation files and CLI vectors all go through it, so they
/// accept the same forms and fail with the same one-line messages (InputError naming `field`).
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "rnndyn/core/types.hpp"

namespace rnndyn {

/// A matrix from a JSON value: a number (1 x 1), a flat list (a column), a list of equal-length
/// rows, or a string naming a .npy file (relative paths resolved against `base_dir`). Entries
/// must be finite.
Matrix matrix_from_json(const nlohmann::json& value, const std::string& field,
                        const std::filesystem::path& base_dir = {});

/// A matrix from a file: .npy, .csv (rows of comma-separated numbers, an optional header line),
/// or JSON holding a value matrix_from_json accepts or an object
/// {"states": rows} (the form trajectory files use).
Matrix read_matrix_file(const std::string& path, const std::string& field);

/// A matrix given on a command line: JSON rows inline ("[[0, 0.1], [0, 0]]") or, for any other
/// text, a file for read_matrix_file.
Matrix parse_matrix_text(const std::string& text, const std::string& field);

/// A vector from text: "1,2,3", a JSON list "[1, 2, 3]", or "@FILE" (.npy or JSON holding one
/// row or column). Checks the length `n` when n >= 0 and finiteness.
Vector parse_vector_text(const std::string& text, const std::string& field, Index n = -1);

}  // namespace rnndyn
