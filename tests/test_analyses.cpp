// The registry of analyses (include/rnndyn/analyses.hpp, issue 32): its rows against the umbrella
// header, and the encoder that writes a row's name into a result's JSON. The CLI's commands and the
// Python package are checked against it in tests/cli/test_analysis_key.py and
// tests/python/test_analyses_registry.py.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

#include "rnndyn/rnndyn.hpp"

namespace rnndyn {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Analyses, NamesAndPythonNamesAreUnique) {
  std::set<std::string_view> names, python;
  for (const Analysis& a : kAnalyses) {
    EXPECT_TRUE(names.insert(a.name).second) << a.name;
    EXPECT_TRUE(python.insert(a.python).second) << a.python;
    EXPECT_FALSE(a.summary.empty()) << a.name;
  }
}

TEST(Analyses, TheUmbrellaHeaderIncludesEveryAnalysisAndItsEncoder) {
  const std::filesystem::path include = std::filesystem::path(RNNDYN_SOURCE_DIR) / "include" / "rnndyn";
  const std::string umbrella = read_text(include / "rnndyn.hpp");
  EXPECT_NE(umbrella.find("#include \"rnndyn/analyses.hpp\""), std::string::npos);
  for (const Analysis& a : kAnalyses)
    for (const std::string_view header : {a.header, a.json}) {
      EXPECT_TRUE(std::filesystem::exists(include / std::string(header))) << a.name << ": " << header;
      EXPECT_NE(umbrella.find("#include \"rnndyn/" + std::string(header) + "\""), std::string::npos)
          << a.name << ": " << header;
    }
}

TEST(Analyses, FindsRowsByNameAndBySharedResult) {
  static_assert(analysis("lyapunov").front_door == "lyapunov_spectrum");  // resolved at compile time
  EXPECT_EQ(find_analysis("frobnicate"), nullptr);
  EXPECT_THROW(analysis("frobnicate"), std::logic_error);
  // the three curves share HopfCurveResult; its kind selects the row
  EXPECT_EQ(analysis_of("HopfCurveResult", "hopf").name, "hopf-curve");
  EXPECT_EQ(analysis_of("HopfCurveResult", "fold").name, "fold-curve");
  EXPECT_EQ(analysis_of("HopfCurveResult", "border_collision").name, "border-curve");
  EXPECT_EQ(analysis_of("PlCycles").name, "cycles");
  EXPECT_THROW(analysis_of("HopfCurveResult", "saddle"), std::logic_error);
}

TEST(Analyses, TheEncoderAddsTheNameAndToJsonStaysPure) {
  LyapunovSpectrum s;
  const nlohmann::json plain = to_json(s);
  EXPECT_FALSE(plain.contains("analysis"));
  nlohmann::json encoded = with_analysis(plain, "lyapunov");
  EXPECT_EQ(encoded["analysis"], "lyapunov");
  encoded.erase("analysis");
  EXPECT_EQ(encoded, plain);  // nothing else changes
  EXPECT_THROW(with_analysis(plain, "frobnicate"), std::logic_error);
}

}  // namespace
}  // namespace rnndyn
