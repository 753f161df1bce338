// JSON encoding of the exact piecewise-linear fixed-point result (field names documented in
// piecewise_linear_fixed_points_json.hpp and docs/fixed_points.md).
#include "rnndyn/piecewise_linear/piecewise_linear_fixed_points_json.hpp"

#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/result_json.hpp"

namespace rnndyn {

nlohmann::json to_json(const PiecewiseLinearFixedPoints& r) { return described_to_json(r); }

}  // namespace rnndyn
