#pragma once
// Shared by the models with a low-rank connectivity (rate, rnn): their LatentReduction.
#include <optional>

#include "rnndyn/models/latent.hpp"

namespace rnndyn::detail {

/// x -> phi(g W x + d) with a dense W (factored by its SVD unless options.factors_only) or its
/// given factors U, V (N x R each; W ignored when U is non-empty); nullopt when the rank exceeds
/// options.max_rank.
std::optional<LatentReduction> reduce_low_rank(const Matrix& W, const Matrix& U, const Matrix& V, double g,
                                               const Vector& d, const Activation& phi, bool lift_through_phi,
                                               const LatentOptions& options);

}  // namespace rnndyn::detail
