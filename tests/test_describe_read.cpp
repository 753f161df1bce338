// Described structs read from JSON files (io/describe_read.hpp, issue 32): the reservoir's --config
// and its model file. Every key the descriptions give, fed a bad value, is named in the error as
// the file writes it; integers, required keys and unknown keys ("did you mean") are checked.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/describe_read.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/reservoir/mean_field.hpp"
#include "rnndyn/reservoir/reservoir.hpp"
#include "rnndyn/reservoir/reservoir_analysis.hpp"
#include "rnndyn/reservoir/reservoir_json.hpp"

namespace rnndyn {
namespace {

/// A file of its own per test: ctest runs the tests of this file in parallel processes.
std::string write_config(const std::string& text) {
  const std::string path = ::testing::TempDir() + "/rnndyn_describe_read_" +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json";
  std::ofstream(path) << text;
  return path;
}

/// The field and message of the InputError reading `text` as a config file throws ("" if none).
std::pair<std::string, std::string> config_error(const std::string& text) {
  try {
    read_reservoir_config(write_config(text));
  } catch (const InputError& e) {
    return {e.field(), e.what()};
  }
  return {"", ""};
}

/// Every key of the config file, from the descriptions it is read through (none listed here).
std::vector<std::string> config_keys() {
  std::vector<std::string> keys;
  for (const auto& k : described_keys<MeanFieldOptions>())
    if (k == "nyquist")
      for (const auto& n : described_keys<NyquistOptions>()) keys.push_back("nyquist." + n);
    else
      keys.push_back(k);
  for (const auto& k : described_keys<ReservoirExperimentOptions>())
    if (k != "mean_field") keys.push_back(k);
  keys.push_back("activation");
  keys.push_back("threshold");
  return keys;
}

std::string config_with(const std::string& key, const std::string& value) {
  if (key.rfind("nyquist.", 0) == 0) return R"({"nyquist": {")" + key.substr(8) + R"(": )" + value + "}}";
  return R"({")" + key + R"(": )" + value + "}";
}

TEST(DescribeRead, EveryConfigKeyGivenAWrongValueIsNamedAsTheFileWritesIt) {
  const auto keys = config_keys();
  EXPECT_GE(keys.size(), 24u);
  for (const auto& key : keys) {
    // A word is wrong for every key: numbers, integers, booleans and lists refuse its type, the
    // enums and the activation its name.
    const auto [field, what] = config_error(config_with(key, R"("word")"));
    EXPECT_EQ(field, key) << what;
    EXPECT_NE(what.find("(config '"), std::string::npos) << what;  // the file named
  }
}

TEST(DescribeRead, IntegerKeysRefuseFractionsAndNegativeSeeds) {
  for (const char* key : {"N", "seed", "hermite_order", "feedback_order", "max_iter", "n_omega",
                          "nyquist.initial_points", "nyquist.max_evaluations"}) {
    const auto [field, what] = config_error(config_with(key, "2.5"));
    EXPECT_EQ(field, key);
    EXPECT_NE(what.find("must be an integer"), std::string::npos) << what;
  }
  const auto [field, what] = config_error(R"({"seed": -2})");
  EXPECT_EQ(field, "seed");
  EXPECT_NE(what.find("non-negative"), std::string::npos) << what;
  EXPECT_EQ(config_error(R"({"n_omega": 1e12})").first, "n_omega");          // beyond an int
  EXPECT_EQ(read_reservoir_config(write_config(R"({"N": 300.0})")).N, 300);  // an integer written as a float
}

TEST(DescribeRead, UnknownKeysSuggestTheNearestKnownOne) {
  auto [field, what] = config_error(R"({"n_omgea": 3})");
  EXPECT_EQ(field, "n_omgea");
  EXPECT_NE(what.find("did you mean 'n_omega'?"), std::string::npos) << what;
  std::tie(field, what) = config_error(R"({"nyquist": {"omega_mn": 1}})");
  EXPECT_EQ(field, "nyquist.omega_mn");
  EXPECT_NE(what.find("did you mean 'omega_min'?"), std::string::npos) << what;
  std::tie(field, what) = config_error(R"({"mean_field": {}})");  // a key of the struct, not of the file
  EXPECT_EQ(field, "mean_field");
  std::tie(field, what) = config_error(R"({"zzzzzz": 1})");
  EXPECT_EQ(what.find("did you mean"), std::string::npos) << what;  // nothing near: no guess
  EXPECT_EQ(closest_key("gain", {"g", "targets"}), "");
  EXPECT_EQ(closest_key("sed", {"seed", "N"}), "seed");
}

TEST(DescribeRead, ConfigFilesReadEveryKindOfField) {
  const auto o = read_reservoir_config(write_config(
      R"({"comment": "ignored", "feedback": "gaussian", "omegas": [0, 1.5], "dense_spectrum": false,
          "nyquist": {"max_angle_step": 0.1}, "seed": 7, "tol": 1e-10, "activation": "relu"})"));
  EXPECT_EQ(o.mean_field.feedback, FeedbackDistribution::Gaussian);
  EXPECT_EQ(o.mean_field.omegas, (std::vector<double>{0.0, 1.5}));
  EXPECT_FALSE(o.dense_spectrum);
  EXPECT_EQ(o.mean_field.nyquist.max_angle_step, 0.1);
  EXPECT_EQ(o.mean_field.nyquist.initial_points, NyquistOptions{}.initial_points);  // absent: kept
  EXPECT_EQ(o.seed, 7u);
  EXPECT_EQ(o.mean_field.tol, 1e-10);
  EXPECT_EQ(o.mean_field.activation.kind(), ActivationKind::Relu);
  std::vector<std::string> set;
  read_reservoir_config(write_config(R"({"g": 1.2, "N": 50, "nyquist": {"initial_points": 20}, "figure": "1a"})"), {},
                        {"N"}, &set);
  EXPECT_EQ(set, (std::vector<std::string>{"g", "nyquist.initial_points"}));  // N kept, figure descriptive
}

TEST(DescribeRead, NyquistValidationErrorsNameTheirPath) {
  MeanFieldOptions o;
  o.targets = {1.0};
  o.nyquist.initial_points = 2;
  try {
    o.validate();
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "nyquist.initial_points");
  }
}

/// The field of the InputError reading `text` as a model file throws ("" if none).
std::string model_error(const std::string& text) {
  try {
    model_from_json_text(text);
  } catch (const InputError& e) {
    return e.field();
  }
  return "";
}

TEST(DescribeRead, ReservoirModelFilesRequireNAndGAndIntegers) {
  EXPECT_EQ(model_error(R"({"model": "reservoir", "g": 0.5})"), "N");
  EXPECT_EQ(model_error(R"({"model": "reservoir", "N": 20})"), "g");
  EXPECT_EQ(model_error(R"({"model": "reservoir", "N": 20.5, "g": 0.5})"), "N");
  EXPECT_EQ(model_error(R"({"model": "reservoir", "N": 20, "g": 0.5, "seed": -1})"), "seed");
  EXPECT_EQ(model_error(R"({"model": "reservoir", "N": 20, "g": 0.5, "seed": 1.5})"), "seed");
  EXPECT_EQ(model_error(R"({"model": "reservoir", "N": 20, "g": "big"})"), "g");
  EXPECT_EQ(model_error(R"({"model": "reservoir", "N": 20, "g": 0.5, "feedback": "cauchy"})"), "feedback");
  EXPECT_EQ(model_error(R"({"model": "reservoir", "N": 20, "g": 0.5, "feedback_scale": "x"})"), "feedback_scale");
  EXPECT_EQ(model_error(R"({"model": "reservoir", "N": 20, "g": 0.5, "tau": "x"})"), "tau");
  EXPECT_EQ(model_error(R"({"model": "reservoir", "N": 20, "g": 0.5, "sead": 1})"), "sead");  // a typo
  const auto model = model_from_json_text(R"({"model": "reservoir", "N": 20, "g": 0.5, "seed": 3, "tau": 2})");
  EXPECT_EQ(model->dim(), 20);
}

}  // namespace
}  // namespace rnndyn
