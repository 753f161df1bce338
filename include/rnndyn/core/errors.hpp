#pragma once
/// Error types. Exceptions are for misuse and bad input only; numerical outcomes such as
/// "not converged" are statuses in result structs.
#include <stdexcept>
#include <string>

namespace rnndyn {

/// Bad user input (model file, option value). The message names the offending field,
/// e.g. `W: expected a 2x2 matrix, got 2x3`. The CLI prints it as one line and exits with 2.
class InputError : public std::invalid_argument {
 public:
  InputError(const std::string& field, const std::string& problem)
      : std::invalid_argument(field.empty() ? problem : field + ": " + problem), field_(field), problem_(problem) {}
  /// The field (JSON key, option or parameter name) at fault; empty when none applies.
  const std::string& field() const noexcept { return field_; }
  /// What is wrong with it, without the field: what a caller that renames the field rethrows.
  const std::string& problem() const noexcept { return problem_; }

 private:
  std::string field_;
  std::string problem_;
};

/// Runs fn; an InputError it throws is rethrown with its field under `prefix` ("cycles." +
/// "max_nodes"): how a struct's validate() or a reader names the fields of a struct nested in it.
template <class Fn>
void naming_fields_under(const std::string& prefix, Fn&& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    throw InputError(prefix + e.field(), e.problem());
  }
}

}  // namespace rnndyn
