#include "rnndyn/io/json_utils.hpp"

#include <cmath>

namespace rnndyn {

nlohmann::json to_json_number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json to_json(const Vector& v) {
  nlohmann::json out = nlohmann::json::array();
  for (Index i = 0; i < v.size(); ++i) out.push_back(to_json_number(v(i)));
  return out;
}

nlohmann::json to_json(const Matrix& m) {
  nlohmann::json out = nlohmann::json::array();
  for (Index i = 0; i < m.rows(); ++i) out.push_back(to_json(Vector(m.row(i).transpose())));
  return out;
}

nlohmann::json to_json(Complex z) { return nlohmann::json::array({to_json_number(z.real()), to_json_number(z.imag())}); }

nlohmann::json to_json(const ComplexVector& v) {
  nlohmann::json out = nlohmann::json::array();
  for (Index i = 0; i < v.size(); ++i) out.push_back(to_json(v(i)));
  return out;
}

nlohmann::json to_json(const ComplexMatrix& m) {
  nlohmann::json out = nlohmann::json::array();
  for (Index i = 0; i < m.rows(); ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (Index j = 0; j < m.cols(); ++j) row.push_back(to_json(m(i, j)));
    out.push_back(row);
  }
  return out;
}

}  // namespace rnndyn
