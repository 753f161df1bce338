// Model files and .npy arrays: round trips, and every bad-input case naming its field.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/io/npy.hpp"
#include "rnndyn/models/rate_model.hpp"
#include "rnndyn/models/shallow_plrnn.hpp"
#include "test_helpers.hpp"

using namespace rnndyn;
namespace fs = std::filesystem;

namespace {

class ModelFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("rnndyn_io_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                     "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const auto p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  /// The InputError's field for loading `text`, or "<no error>".
  std::string error_field(const std::string& text) {
    try {
      load_model(write("m.json", text));
    } catch (const InputError& e) {
      last_message_ = e.what();
      return e.field();
    }
    return "<no error>";
  }
  fs::path dir_;
  std::string last_message_;
};

TEST_F(ModelFiles, LoadsRateModelWithDefaults) {
  const auto m = load_model(write("m.json", R"({"model": "rate", "form": "rate", "activation": "relu",
      "tau": [10, 30], "W": [[1.25, -1], [1, 0]], "b": [10, -10]})"));
  ASSERT_EQ(m->kind(), "rate");
  const auto& rate = dynamic_cast<const RateModel&>(*m);
  EXPECT_EQ(rate.form(), RateModel::Form::Rate);
  EXPECT_EQ(rate.tau()(1), 30.0);
  EXPECT_EQ(rate.W()(0, 1), -1.0);
  EXPECT_EQ(rate.g(), 1.0);
  EXPECT_EQ(m->time_kind(), TimeKind::Flow);
}

TEST_F(ModelFiles, ScalarTauIsBroadcastAndDiagonalAIsAccepted) {
  const auto m = load_model(write("m.json", R"({"model": "rate", "tau": 5, "W": [[0, 1], [1, 0]]})"));
  EXPECT_EQ(dynamic_cast<const RateModel&>(*m).tau(), Vector::Constant(2, 5.0));
  const auto p = load_model(
      write("p.json", R"({"model": "plrnn", "A": [0.5, 0.25], "W": [[0, 1], [1, 0]], "time": "continuous"})"));
  EXPECT_EQ(p->parameter("A[1,1]"), 0.25);
  EXPECT_EQ(p->parameter("A[0,1]"), 0.0);
  EXPECT_EQ(p->time_kind(), TimeKind::Flow);
}

TEST_F(ModelFiles, MatricesFromNpyRelativeToTheModelFile) {
  std::mt19937 rng(41);
  const Matrix W2 = rnndyn::testing::random_matrix(7, 2, rng), W1 = rnndyn::testing::random_matrix(2, 7, rng);
  fs::create_directories(dir_ / "weights");
  write_npy((dir_ / "weights" / "W2.npy").string(), W2);
  write_npy((dir_ / "weights" / "W1.npy").string(), W1);
  write_npy((dir_ / "weights" / "h2.npy").string(), Vector::LinSpaced(7, -1, 1), /*as_vector=*/true);
  const auto m = load_model(write("m.json", R"({"model": "shplrnn", "A": [0.9, 0.8], "W1": "weights/W1.npy",
      "W2": "weights/W2.npy", "h2": "weights/h2.npy"})"));
  const auto& sh = dynamic_cast<const ShallowPlrnn&>(*m);
  EXPECT_EQ(sh.W2(), W2);
  EXPECT_EQ(sh.W1(), W1);
  EXPECT_EQ(sh.h2(), Vector::LinSpaced(7, -1, 1));
}

TEST_F(ModelFiles, NpyRoundTripAndFortranOrder) {
  Matrix a(2, 3);
  a << 1, 2, 3, 4, 5, 6;
  const auto p = (dir_ / "a.npy").string();
  write_npy(p, a);
  EXPECT_EQ(read_npy(p), a);
  // A hand-made Fortran-order float32 file holding the same matrix column by column.
  std::string header = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }";
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header += '\n';
  std::ofstream out(dir_ / "f.npy", std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const char len[2] = {static_cast<char>(header.size()), 0};
  out.write(len, 2);
  out << header;
  for (float v : {1.f, 4.f, 2.f, 5.f, 3.f, 6.f}) out.write(reinterpret_cast<const char*>(&v), 4);
  out.close();
  EXPECT_EQ(read_npy((dir_ / "f.npy").string()), a);
}

TEST_F(ModelFiles, EveryBadInputNamesItsField) {
  EXPECT_EQ(error_field(""), "model file");
  EXPECT_NE(last_message_.find("empty"), std::string::npos);
  EXPECT_EQ(error_field("{not json"), "model file");
  EXPECT_EQ(error_field("[1, 2]"), "model file");
  EXPECT_EQ(error_field(R"({"W": [[1]]})"), "model");
  EXPECT_EQ(error_field(R"({"model": "lstmx", "W": [[1]]})"), "model");
  EXPECT_NE(last_message_.find("unknown model type 'lstmx'"), std::string::npos);
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 2], [3, 4]], "b": [1, 2, 3]})"), "b");
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 2], [3]]})"), "W");
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 2, 3], [3, 4, 5]]})"), "W");
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, "x"], [3, 4]]})"), "W");
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 0], [0, 1]], "tau": [1, -2]})"), "tau");
  EXPECT_NE(last_message_.find("> 0"), std::string::npos);
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 0], [0, 1]], "tau": 0})"), "tau");
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 0], [0, 1]], "activation": "gelu"})"), "activation");
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 0], [0, 1]], "form": "voltage"})"), "form");
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 0], [0, 1]], "Wx": 1})"), "Wx");
  EXPECT_EQ(error_field(R"({"model": "rate", "W": "missing.npy"})"), "W");
  EXPECT_NE(last_message_.find("cannot open"), std::string::npos);
  EXPECT_EQ(error_field(R"({"model": "linear", "M": [[1, 0], [0, 1]], "h": [0]})"), "h");
  EXPECT_EQ(error_field(R"({"model": "plrnn", "W": [[1, 0], [0, 1]], "time": "sometimes"})"), "time");
  EXPECT_EQ(error_field(R"({"model": "shplrnn", "W2": [[1, 0]], "W1": [[1, 0], [0, 1]]})"), "W1");
  EXPECT_EQ(error_field(R"({"model": "rnn", "W_hh": [[0.5]], "u": [1]})"), "u");
  // NaN cannot be written in JSON; it arrives through .npy.
  Matrix nan_w = Matrix::Identity(2, 2);
  nan_w(0, 1) = std::nan("");
  write_npy((dir_ / "nan.npy").string(), nan_w);
  EXPECT_EQ(error_field(R"({"model": "rate", "W": "nan.npy"})"), "W");
  EXPECT_NE(last_message_.find("not finite"), std::string::npos);
  std::ofstream(dir_ / "bad.npy") << "NUMPY garbage";
  EXPECT_EQ(error_field(R"({"model": "rate", "W": "bad.npy"})"), "W");
  std::ofstream(dir_ / "trunc.npy", std::ios::binary)
      << std::string("\x93NUMPY\x01\x00\x46\x00", 10) << "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }"
      << std::string(9, ' ') << "\n"
      << std::string(8, '\0');
  EXPECT_EQ(error_field(R"({"model": "rate", "W": "trunc.npy"})"), "W");
  EXPECT_NE(last_message_.find("truncated"), std::string::npos);
}

// Issue 15's loader cases: each was accepted or reported in the parser's own words before.
TEST_F(ModelFiles, StrictParsingNamesTheFieldInTheHouseFormat) {
  // A quoted number was opened as the .npy file '10'.
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 0], [0, 1]], "tau": "10"})"), "tau");
  EXPECT_NE(last_message_.find("without quotes"), std::string::npos) << last_message_;
  EXPECT_EQ(error_field(R"({"model": "rate", "W": "weights"})"), "W");
  EXPECT_NE(last_message_.find("got the string 'weights'"), std::string::npos) << last_message_;
  // 1e400 gave nlohmann's "[json.exception.out_of_range.406] ...".
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 0], [0, 1e400]]})"), "model file");
  EXPECT_NE(last_message_.find("1e400"), std::string::npos) << last_message_;
  EXPECT_EQ(last_message_.find("json.exception"), std::string::npos) << last_message_;
  // Duplicate keys: nlohmann silently kept the last one.
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 0], [0, 1]], "W": [[2, 0], [0, 2]]})"), "W");
  EXPECT_NE(last_message_.find("duplicate key"), std::string::npos) << last_message_;
  EXPECT_EQ(error_field(R"({"model": "rate", "model": "rate", "W": [[1, 0], [0, 1]]})"), "model");
  // Equal keys in different objects are not duplicates.
  EXPECT_EQ(error_field(R"({"model": "rate", "W": [[1, 0], [0, 1]], "_meta": {"W": 1, "b": {"W": 2}}})"), "<no error>");
  EXPECT_EQ(error_field("{\"model\": \"rate\", \"W\": [[1, 0], [0, 1]]"), "model file");
  EXPECT_NE(last_message_.find("not valid JSON (byte"), std::string::npos) << last_message_;
  // A directory as the model file was "... is empty"; as a .npy file, "cannot open" or worse.
  fs::create_directories(dir_ / "d.json");
  try {
    load_model((dir_ / "d.json").string());
    ADD_FAILURE() << "a directory loaded as a model file";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "model file");
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
  fs::create_directories(dir_ / "w.npy");
  EXPECT_EQ(error_field(R"({"model": "rate", "W": "w.npy"})"), "W");
  EXPECT_NE(last_message_.find("is a directory"), std::string::npos) << last_message_;
  // The strict parser also serves text given directly (the Python bindings).
  EXPECT_THROW(model_from_json_text(R"({"model": "rate", "W": [[1]], "W": [[2]]})"), InputError);
  EXPECT_EQ(model_from_json_text(R"({"model": "rate", "W": [[0.5]]})")->dim(), 1);
}

// A time constant is > 0 whichever way its value arrives; other parameters take any finite value.
TEST_F(ModelFiles, SetParameterKeepsTimeConstantsPositive) {
  for (const char* text : {R"({"model": "rate", "W": [[0, 1], [1, 0]], "tau": [1, 2]})",
                           R"({"model": "linear", "M": [[0, 1], [1, 0]], "tau": 3})"}) {
    auto m = load_model(write("m.json", text));
    const std::string tau = m->kind() == "rate" ? "tau[1]" : "tau";
    for (double bad : {0.0, -3.0, double(NAN), double(INFINITY)}) {
      EXPECT_FALSE(m->admits(tau, bad)) << m->kind() << " " << bad;
      try {
        m->set_parameter(tau, bad);
        ADD_FAILURE() << m->kind() << ": " << tau << " = " << bad << " accepted";
      } catch (const InputError& e) {
        EXPECT_EQ(e.field(), "parameter");
        EXPECT_NE(std::string(e.what()).find(tau), std::string::npos) << e.what();
      }
    }
    EXPECT_EQ(m->parameter(tau), m->kind() == "rate" ? 2.0 : 3.0);  // unchanged by the refusals
    EXPECT_TRUE(m->admits(tau, 1e-9));
    m->set_parameter(tau, 0.5);
    EXPECT_EQ(m->parameter(tau), 0.5);
    const std::string w = m->kind() == "rate" ? "W[0,1]" : "M[0,1]";
    EXPECT_TRUE(m->admits(w, -3.0));
    m->set_parameter(w, -3.0);
    EXPECT_EQ(m->parameter(w), -3.0);
  }
  auto m = load_model(write("m.json", R"({"model": "rate", "W": [[0.5]]})"));
  EXPECT_THROW(m->admits("nope", 1.0), InputError);
}

}  // namespace
