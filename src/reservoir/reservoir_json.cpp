// JSON encodings of the seed-003 results and the reader of their configuration files; see
// reservoir_json.hpp.
#include "rnndyn/reservoir/reservoir_json.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/describe_json.hpp"
#include "rnndyn/io/describe_read.hpp"
#include "rnndyn/io/json_utils.hpp"

namespace rnndyn {

nlohmann::json to_json(const MeanFieldOptions& o) {
  nlohmann::json j = described_to_json(o);
  j["activation"] = o.activation.name();  // the one member the description leaves out: two keys
  j["threshold"] = to_json_number(o.activation.threshold());
  return j;
}

nlohmann::json to_json(const ReservoirExperimentOptions& o) {
  nlohmann::json j = described_to_json(o);
  j["mean_field"] = to_json(o.mean_field);  // with the activation, which its description leaves out
  return j;
}

nlohmann::json to_json(const MeanFieldResult& mf) {
  nlohmann::json j = described_to_json(mf);
  add_run_info(j, mf.info);
  return j;
}

nlohmann::json to_json(const TransientResponse& t) {
  return {{"t", t.t},
          {"z", to_json(t.z)},
          {"neurons", to_json(t.neurons)},
          {"status", t.status == SimulateStatus::Ok ? "ok" : "diverged"}};
}

namespace {

nlohmann::json read_json_object(const std::string& path) {
  if (std::filesystem::is_directory(path)) throw InputError("config", "'" + path + "' is a directory, not a file");
  std::ifstream in(path);
  if (!in) throw InputError("config", "cannot open '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json j = parse_json_document(text.str(), "config", "'" + path + "'");
  if (!j.is_object()) throw InputError("config", "'" + path + "': expected a JSON object");
  return j;
}

}  // namespace

ReservoirExperimentOptions read_reservoir_config(const std::string& path, ReservoirExperimentOptions o,
                                                 const std::vector<std::string>& keep,
                                                 std::vector<std::string>* set_by_file) {
  const nlohmann::json j = read_json_object(path);
  // The file is flat: the theory's keys (MeanFieldOptions's description, nyquist an object of
  // NyquistOptions's), the finite network's (ReservoirExperimentOptions's but mean_field), the
  // activation's two keys and two descriptive ones.
  const std::vector<std::string> theory = described_keys<MeanFieldOptions>();
  std::vector<std::string> network = described_keys<ReservoirExperimentOptions>();
  network.erase(std::remove(network.begin(), network.end(), "mean_field"), network.end());
  std::vector<std::string> known = theory;
  known.insert(known.end(), network.begin(), network.end());
  for (const char* k : {"activation", "threshold", "comment", "figure"}) known.push_back(k);
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find(known.begin(), known.end(), it.key()) == known.end())
      throw InputError(it.key(), unknown_key_problem(it.key(), known) + " (config '" + path + "')");
  const auto kept = [&keep](const char* k) { return std::find(keep.begin(), keep.end(), k) != keep.end(); };
  try {
    described_from_json(j, o.mean_field, {keep, {}});
    described_from_json(j, o, {keep, {}});  // its mean_field is no key of the file (refused above)
    // The activation is one member and two keys (its name, relu's threshold): read as text and a
    // number, then built by the library's parser, which names "activation" for an unknown name.
    std::string activation = o.mean_field.activation.name();
    double threshold = o.mean_field.activation.threshold();
    if (j.contains("activation") && !kept("activation"))
      activation = detail::value_from_json<std::string>(j.at("activation"), "activation");
    if (j.contains("threshold") && !kept("threshold"))
      threshold = detail::value_from_json<double>(j.at("threshold"), "threshold");
    o.mean_field.activation = Activation::from_name(activation, threshold);
  } catch (const InputError& e) {
    throw InputError(e.field(), e.problem() + " (config '" + path + "')");
  }
  if (set_by_file)
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (kept(it.key().c_str()) || it.key() == "comment" || it.key() == "figure") continue;
      if (it.key() == "nyquist")
        for (auto n = it->begin(); n != it->end(); ++n) set_by_file->push_back("nyquist." + n.key());
      else
        set_by_file->push_back(it.key());
    }
  return o;
}

}  // namespace rnndyn
