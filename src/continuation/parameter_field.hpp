#pragma once
// Shared by the two-parameter analyses (scan, Hopf curve): whether a model admits every value of
// a named parameter, with an unknown name reported under the option's own field (parameter_x or
// parameter_y) rather than the model's generic "parameter".
#include <initializer_list>
#include <string>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/models/model.hpp"

namespace rnndyn::detail {

inline bool admits_all(const Model& model, const std::string& field, const std::string& name,
                       std::initializer_list<double> values) {
  try {
    for (double v : values)
      if (!model.admits(name, v)) return false;
    return true;
  } catch (const InputError& e) {
    throw InputError(field, e.what());
  }
}

}  // namespace rnndyn::detail
