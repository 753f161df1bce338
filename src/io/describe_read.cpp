// The "did you mean" of described_from_json's callers; see describe_read.hpp.
#include "rnndyn/io/describe_read.hpp"

#include <algorithm>

namespace rnndyn {

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string closest_key(const std::string& key, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(key, c);
    // At most 40 % of the longer name differs (difflib's 0.6 similarity): "sed" -> "seed" and
    // "n_omgea" -> "n_omega" are typos; "gain" -> "g" and "W" -> "A" (every two one-letter keys are
    // one edit apart) are not.
    if (5 * d <= 2 * std::max(key.size(), c.size()) && (best.empty() || d < best_distance)) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string unknown_key_problem(const std::string& key, const std::vector<std::string>& candidates) {
  const std::string close = closest_key(key, candidates);
  return close.empty() ? "unknown key" : "unknown key; did you mean '" + close + "'?";
}

}  // namespace rnndyn
