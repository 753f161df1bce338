#include "rnndyn/io/model_io.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "../detail/checks.hpp"
#include "model_readers.hpp"
#include "rnndyn/core/enums.hpp"
#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/json_utils.hpp"
#include "rnndyn/io/matrix_file.hpp"
#include "rnndyn/io/npy.hpp"

namespace rnndyn {

namespace {

std::map<std::string, ModelReaderFn>& registry() {
  static std::map<std::string, ModelReaderFn> readers = [] {
    std::map<std::string, ModelReaderFn> r;
    detail::add_builtin_model_readers(r);
    return r;
  }();
  return readers;
}
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

std::string json_type_name(const nlohmann::json& v) { return v.type_name(); }

}  // namespace

void register_model_reader(const std::string& kind, ModelReaderFn reader) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  registry()[kind] = std::move(reader);
}

ModelFileReader::ModelFileReader(const nlohmann::json& j, std::filesystem::path base_dir)
    : j_(j), base_dir_(std::move(base_dir)) {}

bool ModelFileReader::has(const std::string& key) const {
  read_.insert(key);
  return j_.contains(key) && !j_.at(key).is_null();
}

const nlohmann::json& ModelFileReader::at(const std::string& key) const {
  read_.insert(key);
  if (!j_.contains(key) || j_.at(key).is_null()) throw InputError(key, "missing required key");
  return j_.at(key);
}

Matrix ModelFileReader::parse_matrix(const std::string& key) const {
  Matrix m = matrix_from_json(at(key), key, base_dir_);
  // An empty W would make a 0-unit network and the error would blame the next key (b).
  if (m.size() == 0) throw InputError(key, "is empty (expected numbers)");
  return m;
}

Matrix ModelFileReader::matrix(const std::string& key, Index rows, Index cols) const {
  Matrix m = parse_matrix(key);
  // A flat list is one row when a single row is expected, otherwise a column.
  if (rows == 1 && m.cols() == 1 && m.rows() != 1) m.transposeInPlace();
  if ((rows >= 0 && m.rows() != rows) || (cols >= 0 && m.cols() != cols))
    throw InputError(key, "expected a " + (rows >= 0 ? std::to_string(rows) : std::string("n")) + "x" +
                              (cols >= 0 ? std::to_string(cols) : std::string("m")) + " matrix, got " +
                              detail::shape_string(m.rows(), m.cols()));
  return m;
}

Vector ModelFileReader::vector(const std::string& key, Index n) const {
  Matrix m = parse_matrix(key);
  // Only a bare number is broadcast; a list must have the right length.
  if (at(key).is_number() && n >= 0) return Vector::Constant(n, m(0, 0));
  if (m.cols() != 1 && m.rows() == 1) m.transposeInPlace();
  if (m.cols() != 1)
    throw InputError(key, "expected a vector, got a " + detail::shape_string(m.rows(), m.cols()) + " matrix");
  if (n >= 0 && m.rows() != n)
    throw InputError(key,
                     "expected a vector of length " + std::to_string(n) + ", got length " + std::to_string(m.rows()));
  return m.col(0);
}

Matrix ModelFileReader::square_or_diagonal(const std::string& key, Index n) const {
  Matrix m = parse_matrix(key);
  if (m.cols() == 1 && !(m.rows() == 1 && n == 1)) {
    const Vector d = (at(key).is_number() && n >= 0) ? Vector::Constant(n, m(0, 0)) : Vector(m.col(0));
    m = d.asDiagonal();
  }
  if (m.rows() != m.cols() || (n >= 0 && m.rows() != n))
    throw InputError(key, "expected a " +
                              (n >= 0 ? std::to_string(n) + "x" + std::to_string(n) : std::string("square")) +
                              " matrix or a diagonal of length " + (n >= 0 ? std::to_string(n) : std::string("n")) +
                              ", got " + detail::shape_string(m.rows(), m.cols()));
  return m;
}

double ModelFileReader::number(const std::string& key) const {
  const auto& v = at(key);
  if (!v.is_number()) throw InputError(key, "expected a number, got " + json_type_name(v));
  const double x = v.get<double>();
  if (!std::isfinite(x)) throw InputError(key, "must be finite");
  return x;
}

double ModelFileReader::number_or(const std::string& key, double fallback) const {
  return has(key) ? number(key) : fallback;
}

std::string ModelFileReader::string_or(const std::string& key, const std::string& fallback) const {
  if (!has(key)) return fallback;
  const auto& v = at(key);
  if (!v.is_string()) throw InputError(key, "expected a string, got " + json_type_name(v));
  return v.get<std::string>();
}

TimeKind ModelFileReader::time_or(TimeKind fallback) const {
  if (!has("time")) return fallback;
  return parse_time_kind(string_or("time", ""), "time");
}

std::vector<std::string> ModelFileReader::unread_keys() const {
  std::vector<std::string> out;
  for (auto it = j_.begin(); it != j_.end(); ++it)
    if (!read_.count(it.key())) out.push_back(it.key());
  return out;
}

std::unique_ptr<Model> model_from_json(const nlohmann::json& j, const std::filesystem::path& base_dir) {
  if (!j.is_object()) throw InputError("model file", "expected a JSON object, got " + json_type_name(j));
  if (!j.contains("model"))
    throw InputError("model", "missing required key (one of rate, linear, plrnn, shplrnn, rnn, ...)");
  if (!j.at("model").is_string()) throw InputError("model", "expected a string, got " + json_type_name(j.at("model")));
  const std::string kind = j.at("model").get<std::string>();
  ModelReaderFn reader;
  std::string known;
  {
    std::lock_guard<std::mutex> lock(registry_mutex());
    const auto it = registry().find(kind);
    if (it != registry().end()) reader = it->second;
    for (const auto& [name, fn] : registry()) known += (known.empty() ? "" : ", ") + name;
  }
  if (!reader) throw InputError("model", "unknown model type '" + kind + "' (known: " + known + ")");
  ModelFileReader r(j, base_dir);
  r.has("model");
  // Free-text keys that never affect the model.
  for (const char* free_key : {"name", "description", "comment", "notes"}) r.has(free_key);
  auto model = reader(r);
  // x0: the state analyses start from when the caller gives none (simulate, Lyapunov spectra,
  // limit cycles, continuation).
  if (r.has("x0")) model->set_initial_state(r.vector("x0", model->dim()));
  // W_out, b_out: the readout z = W_out r + b_out (seed 000), r = Model::rates(x). A flat list is
  // one row (one output). A reservoir reads out through its own w_out; a reader that read W_out
  // itself (esn: the readout is fed back into the map) owns it.
  const auto unread = r.unread_keys();
  const auto left = [&unread](const char* key) { return std::find(unread.begin(), unread.end(), key) != unread.end(); };
  if (left("W_out") || left("b_out")) {
    if (model->readout())
      throw InputError(r.has("W_out") ? "W_out" : "b_out",
                       "the " + kind + " model has its own readout (w_out); W_out and b_out are not keys of it");
    if (!r.has("W_out")) throw InputError("b_out", "a readout offset b_out needs readout weights W_out");
    Matrix W_out = r.matrix("W_out");
    if (W_out.cols() == 1 && W_out.rows() == model->dim()) W_out.transposeInPlace();
    if (W_out.cols() != model->dim())
      throw InputError("W_out", "expected " + std::to_string(model->dim()) + " columns (one per unit), got a " +
                                    detail::shape_string(W_out.rows(), W_out.cols()) + " matrix");
    Readout readout{W_out, r.has("b_out") ? r.vector("b_out", W_out.rows()) : Vector::Zero(W_out.rows())};
    model->set_readout(readout);
  }
  for (const auto& key : r.unread_keys())
    if (key.empty() || key[0] != '_') throw InputError(key, "not a key of the " + kind + " model (a typo?)");
  return model;
}

std::unique_ptr<Model> load_model(const std::string& path) {
  if (std::filesystem::is_directory(path)) throw InputError("model file", "'" + path + "' is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("model file", "cannot open '" + path + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw InputError("model file", "'" + path + "' is empty");
  return model_from_json(parse_json_document(text, "model file", "'" + path + "'"),
                         std::filesystem::path(path).parent_path());
}

std::unique_ptr<Model> model_from_json_text(const std::string& text, const std::filesystem::path& base_dir) {
  return model_from_json(parse_json_document(text, "model", "the model"), base_dir);
}

}  // namespace rnndyn
