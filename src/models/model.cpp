#include "rnndyn/models/model.hpp"

#include <cctype>
#include <cmath>
#include <utility>

#include "../detail/checks.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {

ParameterName parse_parameter_name(const std::string& name) {
  const auto bad = [&](const std::string& why) {
    return InputError("parameter",
                      "cannot parse '" + name + "': " + why + " (expected e.g. W[0,1], b[0], tau[1] or g)");
  };
  ParameterName out;
  const auto open = name.find('[');
  out.symbol = name.substr(0, open);
  if (out.symbol.empty()) throw bad("missing symbol");
  for (char ch : out.symbol)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')) throw bad("invalid character in symbol");
  if (open == std::string::npos) return out;
  if (name.back() != ']') throw bad("missing ']'");
  const std::string inside = name.substr(open + 1, name.size() - open - 2);
  std::vector<long> idx;
  size_t pos = 0;
  while (pos <= inside.size()) {
    const auto comma = inside.find(',', pos);
    std::string part = inside.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (part.empty()) throw bad("empty index");
    for (char ch : part)
      if (!std::isdigit(static_cast<unsigned char>(ch)))
        throw bad("index '" + part + "' is not a non-negative integer");
    idx.push_back(std::stol(part));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  if (idx.size() > 2) throw bad("at most two indices");
  out.rank = static_cast<int>(idx.size());
  out.row = idx[0];
  out.col = idx.size() == 2 ? idx[1] : 0;
  return out;
}

std::pair<double*, Model::ParameterBlock> Model::locate_parameter(const std::string& name) {
  const ParameterName p = parse_parameter_name(name);
  const auto blocks = parameter_blocks();
  for (const auto& block : blocks) {
    if (block.symbol != p.symbol) continue;
    const int block_rank = block.cols > 1 ? 2 : (block.rows > 1 ? 1 : 0);
    // A vector entry may be written b[3] or b[3,0]; a scalar g or g[0].
    if ((block_rank == 2 && p.rank != 2) || (block_rank < 2 && p.rank == 2 && p.col != 0))
      throw InputError("parameter", "'" + name + "': " + p.symbol + " is a " + std::to_string(block.rows) + "x" +
                                        std::to_string(block.cols) + " block");
    if (p.row >= block.rows || p.col >= block.cols)
      throw InputError("parameter", "'" + name + "': index out of range for " + p.symbol + " of shape " +
                                        std::to_string(block.rows) + "x" + std::to_string(block.cols));
    if (double* s = parameter_slot(p.symbol, p.row, p.col)) return {s, block};
  }
  std::string known;
  for (const auto& block : blocks) known += (known.empty() ? "" : ", ") + block.symbol;
  throw InputError("parameter", "'" + name + "': the " + kind() + " model has no parameter '" + p.symbol +
                                    (known.empty() ? "' (it has none)" : "' (it has " + known + ")"));
}

double Model::parameter(const std::string& name) const {
  // Lookup only reads; the non-const slot accessor is shared with set_parameter.
  return *const_cast<Model*>(this)->locate_parameter(name).first;
}

void Model::evaluate_batch(const Matrix& X, Matrix& F) const {
  F.resize(dim(), X.cols());
  Vector f;
  for (Index j = 0; j < X.cols(); ++j) {
    evaluate(X.col(j), f);
    F.col(j) = f;
  }
}

void Model::check_state(const Vector& x, const std::string& field) const {
  if (x.size() != dim())
    throw InputError(field, "expected " + std::to_string(dim()) + " entries (the model's dimension), got " +
                                std::to_string(x.size()));
}

Model::ParameterRef Model::parameter_ref(const std::string& name) const {
  const ParameterName p = parse_parameter_name(name);
  const auto block = const_cast<Model*>(this)->locate_parameter(name).second;
  return {name, p.symbol, p.row, p.col, block.positive};
}

double Model::parameter(const ParameterRef& p) const {
  return *const_cast<Model*>(this)->parameter_slot(p.symbol, p.row, p.col);
}

void Model::set_parameter(const ParameterRef& p, double value) {
  if (!std::isfinite(value)) throw InputError("parameter", "'" + p.name + "': value must be finite");
  if (p.positive && !(value > 0))
    throw InputError("parameter", "'" + p.name + "': must be > 0 (a time constant), got " + detail::number_text(value));
  *parameter_slot(p.symbol, p.row, p.col) = value;
  parameters_changed();
}

bool Model::admits(const std::string& name, double value) const {
  const auto block = const_cast<Model*>(this)->locate_parameter(name).second;
  return std::isfinite(value) && (!block.positive || value > 0);
}

void Model::set_parameter(const std::string& name, double value) {
  const auto [slot, block] = locate_parameter(name);
  if (!std::isfinite(value)) throw InputError("parameter", "'" + name + "': value must be finite");
  if (block.positive && !(value > 0))
    throw InputError("parameter", "'" + name + "': must be > 0 (a time constant), got " + detail::number_text(value));
  *slot = value;
  parameters_changed();
}

}  // namespace rnndyn

namespace rnndyn {

void Model::set_initial_state(const Vector& x0) {
  if (x0.size() != dim())
    throw InputError("x0", "expected " + std::to_string(dim()) + " values (the model's dimension), got " +
                               std::to_string(x0.size()));
  if (!x0.allFinite()) throw InputError("x0", "entries must be finite");
  initial_state_ = x0;
}

void Model::set_trained_states(std::vector<TrainedState> states) {
  for (const auto& s : states) {
    if (s.x.size() != dim())
      throw InputError("trained_states",
                       "expected states of " + std::to_string(dim()) + " values, got " + std::to_string(s.x.size()));
    if (!s.x.allFinite() || !std::isfinite(s.level)) throw InputError("trained_states", "entries must be finite");
  }
  trained_states_ = std::move(states);
}

void Model::set_input(const Vector& u) {
  if (input_dim() == 0)
    throw InputError("u", "the " + kind() + " model has no input weights (W_in, W_ih or w_in), so it takes no input");
  detail::require_length(u, input_dim(), "u");
}

void Model::set_readout(const Readout& readout) {
  if (readout.W_out.rows() < 1) throw InputError("W_out", "needs at least one row (one output)");
  detail::require_shape(readout.W_out, readout.W_out.rows(), dim(), "W_out");
  detail::require_length(readout.b_out, readout.W_out.rows(), "b_out");
  readout_ = readout;
}

Vector Model::output_of(const Vector& x) const {
  const auto r = readout();
  if (!r) throw InputError("W_out", "the " + kind() + " model has no readout (model file keys W_out, b_out)");
  return r->W_out * rates(x) + r->b_out;
}

}  // namespace rnndyn
