#pragma once
// The built-in model-file readers, one per model type.
#include <map>
#include <string>

#include "rnndyn/io/model_io.hpp"

namespace rnndyn::detail {

void add_builtin_model_readers(std::map<std::string, ModelReaderFn>& readers);

}  // namespace rnndyn::detail
