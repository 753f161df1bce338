#pragma once
/// Model files: JSON objects `{"model": "rate"|"linear"|"plrnn"|"shplrnn"|"rnn"|..., ...}`
/// whose other keys are the symbols of the model's equation (W, b, tau, ...). A matrix is a
/// list of rows, a number (scalars, or a constant vector such as `"tau": 10`), or a string: the
/// path of a .npy file relative to the model file.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rnndyn/core/types.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn {

/// Reads and validates a model file. Throws InputError naming the field at fault.
std::unique_ptr<Model> load_model(const std::string& path);

/// Builds a model from parsed JSON; `base_dir` resolves relative .npy paths.
std::unique_ptr<Model> model_from_json(const nlohmann::json& j, const std::filesystem::path& base_dir = {});
/// model_from_json of a JSON text, parsed strictly (parse_json_document: duplicate keys, numbers
/// beyond a double and syntax errors are InputErrors).
std::unique_ptr<Model> model_from_json_text(const std::string& text, const std::filesystem::path& base_dir = {});

/// Helpers shared by the model readers: each throws InputError naming `key`.
class ModelFileReader {
 public:
  ModelFileReader(const nlohmann::json& j, std::filesystem::path base_dir);
  bool has(const std::string& key) const;
  /// A rows x cols matrix (a value < 0 leaves that dimension free). All entries must be finite.
  Matrix matrix(const std::string& key, Index rows = -1, Index cols = -1) const;
  /// A vector of length n (n < 0: any length); a scalar is broadcast when n >= 0.
  Vector vector(const std::string& key, Index n = -1) const;
  /// A square matrix, or a diagonal given as a vector, of size n (n < 0: any).
  Matrix square_or_diagonal(const std::string& key, Index n = -1) const;
  double number(const std::string& key) const;
  double number_or(const std::string& key, double fallback) const;
  std::string string_or(const std::string& key, const std::string& fallback) const;
  /// "map"/"discrete" or "flow"/"continuous" under key `time`.
  TimeKind time_or(TimeKind fallback) const;
  const nlohmann::json& json() const { return j_; }
  /// The folder relative .npy paths are resolved against (for readers of nested objects).
  const std::filesystem::path& base_dir() const { return base_dir_; }
  /// Keys present in the file that no accessor has read (typos such as "Wh" for "W_hh").
  std::vector<std::string> unread_keys() const;

 private:
  const nlohmann::json& at(const std::string& key) const;
  Matrix parse_matrix(const std::string& key) const;
  const nlohmann::json& j_;
  std::filesystem::path base_dir_;
  mutable std::set<std::string> read_;
};

/// Adds a reader for a model type of the caller's own; the built-in types are listed in
/// src/io/model_readers.cpp. A later registration of the same name replaces the earlier one.
using ModelReaderFn = std::function<std::unique_ptr<Model>(const ModelFileReader&)>;
void register_model_reader(const std::string& kind, ModelReaderFn reader);

}  // namespace rnndyn
