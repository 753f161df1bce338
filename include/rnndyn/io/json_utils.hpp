#pragma once
/// JSON encodings shared by every result writer: vectors as lists, matrices as lists of rows,
/// complex numbers as [re, im] pairs, non-finite numbers as null.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rnndyn/core/run_info.hpp"
#include "rnndyn/core/types.hpp"

namespace rnndyn {

nlohmann::json to_json_number(double v);  ///< null for NaN/inf
nlohmann::json to_json(const Vector& v);
nlohmann::json to_json(const Matrix& m);
nlohmann::json to_json(Complex z);               ///< [re, im]
nlohmann::json to_json(const ComplexVector& v);  ///< list of [re, im]
nlohmann::json to_json(const ComplexMatrix& m);  ///< list of rows of [re, im]

/// Writes the keys "model" (omitted when empty), "time" ("continuous"/"discrete") and
/// "elapsed_seconds" of `info` into the object `j`.
void add_run_info(nlohmann::json& j, const RunInfo& info);

/// The encoder of the edges (CLI output, Python's to_dict()): the result's `to_json` with the key
/// "analysis": `name`, a row of the registry (rnndyn/analyses.hpp; std::logic_error for any other
/// name), so that the report and the plots know which analysis wrote it. to_json stays pure.
nlohmann::json with_analysis(nlohmann::json j, std::string_view name);

/// Parses a JSON document strictly: a syntax error (with its byte), a number beyond the range of
/// a double (1e400) and a key given twice in one object are InputErrors. `field` names the input
/// (e.g. "model file"), `what` describes it in the message (e.g. "'net.json'"); a duplicate key
/// is named as the field itself.
nlohmann::json parse_json_document(const std::string& text, const std::string& field, const std::string& what);

/// Indented JSON in which arrays of numbers (and arrays of such arrays, e.g. [re, im] pairs or
/// matrix rows) stay on one line, so results remain readable.
std::string dump_readable(const nlohmann::json& j, int indent = 2);

}  // namespace rnndyn
