#include "rnndyn/io/matrix_file.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "../detail/checks.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/npy.hpp"

namespace rnndyn {
namespace {

std::string type_name(const nlohmann::json& v) { return v.type_name(); }

double number_at(const nlohmann::json& v, const std::string& field, const std::string& where) {
  if (!v.is_number()) throw InputError(field, "entry " + where + " is a " + type_name(v) + ", expected a number");
  return v.get<double>();
}

Matrix rows_from_json(const nlohmann::json& v, const std::string& field) {
  const size_t cols = v.front().size();
  Matrix m(static_cast<Index>(v.size()), static_cast<Index>(cols));
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_array() || v[i].size() != cols)
      throw InputError(field,
                       "row " + std::to_string(i) + " has " +
                           (v[i].is_array() ? std::to_string(v[i].size()) + " entries" : "type " + type_name(v[i])) +
                           ", expected " + std::to_string(cols) + " numbers (rows must have equal length)");
    for (size_t k = 0; k < cols; ++k)
      m(static_cast<Index>(i), static_cast<Index>(k)) =
          number_at(v[i][k], field, "[" + std::to_string(i) + "," + std::to_string(k) + "]");
  }
  return m;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string read_text(const std::string& path, const std::string& field) {
  if (std::filesystem::is_directory(path)) throw InputError(field, "'" + path + "' is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(field, "cannot open '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Vector as_vector(const Matrix& m, const std::string& field) {
  if (m.cols() != 1 && m.rows() != 1) throw InputError(field, "holds a matrix, expected a vector");
  return m.cols() == 1 ? Vector(m.col(0)) : Vector(m.row(0).transpose());
}

}  // namespace

Matrix matrix_from_json(const nlohmann::json& v, const std::string& field, const std::filesystem::path& base_dir) {
  Matrix m;
  if (v.is_string()) {
    const std::string text = v.get<std::string>();
    // Only a .npy path is a string value: "tau": "10" is a quoted number, not a file to open.
    if (!ends_with(text, ".npy")) {
      size_t used = 0;
      try {
        std::stod(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used > 0 && used == text.size())
        throw InputError(
            field, "is the string \"" + text + "\"; write the number without quotes (a string names a .npy file)");
      throw InputError(field,
                       "expected a number, a list, a list of rows or a .npy path, got the string '" + text + "'");
    }
    std::filesystem::path p = text;
    if (p.is_relative()) p = base_dir / p;
    m = read_npy(p.string(), field);
  } else if (v.is_number()) {
    m = Matrix::Constant(1, 1, v.get<double>());
  } else if (v.is_array()) {
    if (v.empty()) return Matrix(0, 0);
    if (v.front().is_array()) {
      m = rows_from_json(v, field);
    } else {
      m.resize(static_cast<Index>(v.size()), 1);
      for (size_t i = 0; i < v.size(); ++i)
        m(static_cast<Index>(i), 0) = number_at(v[i], field, "[" + std::to_string(i) + "]");
    }
  } else {
    throw InputError(field, "expected a number, a list, a list of rows or a .npy path, got " + type_name(v));
  }
  detail::require_finite(m, field);
  return m;
}

namespace {

/// Rows of comma-separated numbers; blank lines and lines starting with '#' are skipped, and so is
/// a first line that is not numeric (a header such as "t,u0,u1").
Matrix read_csv(const std::string& path, const std::string& field) {
  std::stringstream text(read_text(path, field));
  std::vector<std::vector<double>> rows;
  std::string line;
  size_t line_no = 0;
  bool header_allowed = true;
  while (std::getline(text, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    std::vector<double> row;
    std::stringstream cells(line);
    std::string cell;
    bool numeric = true;
    while (std::getline(cells, cell, ',')) {
      size_t used = 0;
      double x = 0;
      try {
        x = std::stod(cell, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || cell.find_first_not_of(" \t", used) != std::string::npos) {
        numeric = false;
        break;
      }
      row.push_back(x);
    }
    if (!numeric) {
      if (header_allowed) {
        header_allowed = false;
        continue;
      }
      throw InputError(field, "'" + path + "' line " + std::to_string(line_no) + ": '" + line +
                                  "' is not a row of comma-separated numbers");
    }
    header_allowed = false;
    if (!rows.empty() && row.size() != rows.front().size())
      throw InputError(field, "'" + path + "' line " + std::to_string(line_no) + ": expected " +
                                  std::to_string(rows.front().size()) + " values, got " + std::to_string(row.size()));
    rows.push_back(std::move(row));
  }
  if (rows.empty()) throw InputError(field, "'" + path + "' holds no numbers");
  Matrix m(static_cast<Index>(rows.size()), static_cast<Index>(rows.front().size()));
  for (Index i = 0; i < m.rows(); ++i)
    for (Index j = 0; j < m.cols(); ++j) m(i, j) = rows[static_cast<size_t>(i)][static_cast<size_t>(j)];
  detail::require_finite(m, field);
  return m;
}

}  // namespace

Matrix read_matrix_file(const std::string& path, const std::string& field) {
  if (ends_with(path, ".csv")) return read_csv(path, field);
  if (ends_with(path, ".npy")) {
    Matrix m = read_npy(path, field);
    detail::require_finite(m, field);
    return m;
  }
  nlohmann::json j = parse_json_document(read_text(path, field), field, "'" + path + "'");
  if (j.is_object() && j.contains("states")) j = j["states"];
  if (j.is_string()) throw InputError(field, "'" + path + "' holds a string, expected numbers");
  Matrix m = matrix_from_json(j, field, std::filesystem::path(path).parent_path());
  if (m.size() == 0) throw InputError(field, "'" + path + "' holds no numbers");
  return m;
}

Matrix parse_matrix_text(const std::string& text, const std::string& field) {
  const auto first = text.find_first_not_of(" \t\n");
  if (first == std::string::npos || text[first] != '[') return read_matrix_file(text, field);
  Matrix m = matrix_from_json(parse_json_document(text, field, "'" + text + "'"), field);
  if (m.size() == 0) throw InputError(field, "holds no numbers");
  return m;
}

Vector parse_vector_text(const std::string& text, const std::string& field, Index n) {
  Vector v;
  const auto first = text.find_first_not_of(" \t\n");
  // "zeros": the zero state of the model's dimension (a way back to the origin where the model
  // has a default start of its own, such as a trained reservoir's first trained state).
  if (n >= 0 && text == "zeros") return Vector::Zero(n);
  if (!text.empty() && text[0] == '@') {
    v = as_vector(read_matrix_file(text.substr(1), field), field);
  } else if (first != std::string::npos && text[first] == '[') {
    const nlohmann::json j = parse_json_document(text, field, "'" + text + "'");
    if (!j.is_array() || (!j.empty() && j.front().is_array())) throw InputError(field, "expected a list of numbers");
    v = j.empty() ? Vector() : as_vector(matrix_from_json(j, field), field);
  } else {
    std::vector<double> values;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
      size_t used = 0;
      double x = 0;
      try {
        x = std::stod(item, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || item.find_first_not_of(" \t\n", used) != std::string::npos)
        throw InputError(field, "'" + item + "' is not a number (expected e.g. 1,2.5,-3)");
      values.push_back(x);
    }
    v = Eigen::Map<Vector>(values.data(), static_cast<Index>(values.size()));
  }
  if (n >= 0 && v.size() != n)
    throw InputError(
        field, "expected " + std::to_string(n) + " values (the model's dimension), got " + std::to_string(v.size()));
  for (Index i = 0; i < v.size(); ++i)
    if (!std::isfinite(v(i))) throw InputError(field, "entry " + std::to_string(i) + " is not finite");
  return v;
}

}  // namespace rnndyn
