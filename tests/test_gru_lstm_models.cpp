// GRU and LSTM cells: PyTorch conventions (reference values computed by torch 1.13 in float64
// from the random weights below), analytic Jacobians against central finite differences, and
// model-file reading.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "rnndyn/core/errors.hpp"
#include "rnndyn/io/model_io.hpp"
#include "rnndyn/models/gru_model.hpp"
#include "rnndyn/models/lstm_model.hpp"
#include "test_helpers.hpp"

namespace rnndyn {
namespace {

using rnndyn::testing::finite_difference_jacobian;
using rnndyn::testing::near;

Matrix row_major(const std::vector<double>& v, Index rows, Index cols) {
  Matrix m(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = v[static_cast<size_t>(i * cols + j)];
  return m;
}
Vector vec(const std::vector<double>& v) { return row_major(v, static_cast<Index>(v.size()), 1); }

// torch.nn.GRUCell(2, 3) and torch.nn.LSTMCell(2, 2) state_dicts (torch.manual_seed(3),
// parameters 0.8 N(0, 1)), an input u, a state and torch's output.
const std::vector<double> gru_weight_ih = {
    0.14709016466599018,  -0.42569897405497792,   -0.19415942754934212, -1.150857139385157,  -1.6958301792564243,
    -1.325738380943964,   -0.0017890591334774983, -0.39290299015374014, 0.37328424687787204, -0.034205677403612439,
    -0.33983823692556409, -0.016868573880619641,  -0.33924354612184177, -1.3651186202637478, 0.10321550612939959,
    0.55942704699048862,  -0.77627344191626457,   -1.8659940044439811};
const std::vector<double> gru_weight_hh = {
    -0.16937149162617346, 0.44474165281454719, 0.12059067922184918,  -0.65186089800254976, 0.47351767356859986,
    -0.99693940221841759, -1.3444293026032623, -1.2955799275277244,  0.85323174558080517,  -0.36000357990128901,
    0.50111471656496354,  -1.3205302078090018, 0.95746687554783838,  0.19419379841234552,  0.74873677304642028,
    0.54487203129114181,  0.40518109746344955, -0.15982985041884271, -0.87176657162027693, 0.18209093558260608,
    0.93432363188470158,  1.4417449514878806,  1.7825763121023603,   0.99021624339978376,  0.42093625662521622,
    -1.2661408495659581,  0.27902029552500057};
const std::vector<double> gru_bias_ih = {-0.25732368510277909, -1.2264098674924244,  -0.096725687295518337,
                                         -1.159829501805441,   -0.12578085547491089, 0.56069091562534379,
                                         0.23190595165278866,  0.84653818365611522,  -0.075067121160841105};
const std::vector<double> gru_bias_hh = {1.123581932307699,    -0.20478785803424052, -0.65168570876573895,
                                         -1.557660949794657,   -0.29966173371722721, -0.64671516998427059,
                                         0.018013238210154086, 0.20492611007977524,  -0.17713420814280001};
const std::vector<double> gru_u = {-0.31750968754272985, -1.4928908506029355};
const std::vector<double> gru_h = {-1.7120664416864002, 0.40508140392551917, 0.30091732302923341};
const std::vector<double> gru_out = {0.58348965978917722, -0.60368623233528418, 0.73096427274906484};
const std::vector<double> lstm_weight_ih = {
    -0.0023128634200988976, 0.75775468955174929,  -0.71474385002357954, -0.67096343801585567,
    0.97910844717482481,    0.1451335917551094,   -0.4054340843825095,  0.12706650408393538,
    0.5946077317577031,     -1.155527961741933,   -0.66867910209072301, -0.36334471805622837,
    0.52684362817244856,    -0.13859729862410397, -0.8907501837057531,  -0.2955206345484751};
const std::vector<double> lstm_weight_hh = {
    1.290223481591295,    -0.72042042809448681, -1.1125143265045183,  -0.13186261640246813,
    -0.44986466171739647, -1.1525462626780965,  0.63931536999128813,  -0.66840892888774983,
    -1.3563679116787695,  1.2827863823009042,   -0.39135478686594904, -1.6382664545946064,
    0.60077033651312906,  -0.32839302274881371, 0.3472359836924499,   -0.27737936770043986};
const std::vector<double> lstm_bias_ih = {0.39498264829200158,  -0.13422622226983252,  -1.7291829754256729,
                                          0.21472504461624542,  0.0041305490835013463, -1.1430751823683234,
                                          -0.23502490718549943, 1.3695836573609714};
const std::vector<double> lstm_bias_hh = {0.57376301664157525,   -0.3722714137458224,  -1.1471536696669025,
                                          -0.042404178564912402, -0.63610835765427642, -0.46252119026954119,
                                          1.026558928877384,     0.52854320084468454};
const std::vector<double> lstm_u = {1.0179759011767286, -0.67742045072067747};
const std::vector<double> lstm_h = {0.26322804717489384, -1.3489318783313731};
const std::vector<double> lstm_c = {1.3342699212937177, -0.85054523002470295};
const std::vector<double> lstm_out = {-0.21769152945248962, -0.42482818096774105, -0.25166924721082912,
                                      -0.55711962378215718};

TEST(GruModel, MatchesPyTorchGRUCell) {
  GruModel m(row_major(gru_weight_hh, 9, 3), vec(gru_bias_ih), vec(gru_bias_hh), row_major(gru_weight_ih, 9, 2),
             vec(gru_u));
  EXPECT_EQ(m.dim(), 3);
  EXPECT_EQ(m.time_kind(), TimeKind::Map);
  // Both sides in float64: agreement to a few ulps of O(1) values.
  EXPECT_TRUE(near(m.rhs(vec(gru_h)), vec(gru_out), 1e-13));
}

TEST(LstmModel, MatchesPyTorchLSTMCell) {
  LstmModel m(row_major(lstm_weight_hh, 8, 2), vec(lstm_bias_ih), vec(lstm_bias_hh), row_major(lstm_weight_ih, 8, 2),
              vec(lstm_u));
  EXPECT_EQ(m.dim(), 4);
  Vector x(4);
  x << vec(lstm_h), vec(lstm_c);
  EXPECT_TRUE(near(m.rhs(x), vec(lstm_out), 1e-13));
}

// Central differences with step 1e-6: truncation ~ 1e-12 |F'''|, round-off ~ 1e-16 / 1e-6.
TEST(GruModel, JacobianMatchesFiniteDifferences) {
  std::mt19937 rng(11);
  for (Index H : {1, 3, 8, 20}) {
    const Index I = 2;
    GruModel m(testing::random_matrix(3 * H, H, rng, 1.5 / std::sqrt(double(H))), testing::random_vector(3 * H, rng),
               testing::random_vector(3 * H, rng), testing::random_matrix(3 * H, I, rng),
               testing::random_vector(I, rng));
    for (int trial = 0; trial < 3; ++trial) {
      const Vector h = testing::random_vector(H, rng);
      EXPECT_TRUE(near(m.jacobian(h), finite_difference_jacobian(m, h), 1e-8)) << "H = " << H;
    }
  }
}

TEST(LstmModel, JacobianMatchesFiniteDifferences) {
  std::mt19937 rng(12);
  for (Index H : {1, 2, 6, 15}) {
    LstmModel m(testing::random_matrix(4 * H, H, rng, 1.5 / std::sqrt(double(H))), testing::random_vector(4 * H, rng),
                testing::random_vector(4 * H, rng));
    for (int trial = 0; trial < 3; ++trial) {
      const Vector x = testing::random_vector(2 * H, rng);
      EXPECT_TRUE(near(m.jacobian(x), finite_difference_jacobian(m, x), 1e-8)) << "H = " << H;
    }
  }
}

// Parameters by name (continuation, scans, perturbations): each of W_hh[i,j], b_ih[i], b_hh[i],
// W_ih[i,j] and u[i] moves exactly that entry, and its name's block has the weight's shape. The
// reference is an LSTM built from weights with that entry changed by hand.
TEST(LstmModel, ParametersByNameMoveTheirOwnEntry) {
  std::mt19937 rng(11);
  const Index H = 3;
  const Matrix W_hh = testing::random_matrix(4 * H, H, rng, 0.5), W_ih = testing::random_matrix(4 * H, 2, rng, 0.5);
  const Vector b_ih = testing::random_vector(4 * H, rng), b_hh = testing::random_vector(4 * H, rng),
               u = testing::random_vector(2, rng), x = testing::random_vector(2 * H, rng);
  LstmModel base(W_hh, b_ih, b_hh, W_ih, u);
  const std::vector<Model::ParameterBlock> blocks = base.parameter_blocks();
  ASSERT_EQ(blocks.size(), 5u);
  EXPECT_EQ(blocks[0].rows, 4 * H);
  EXPECT_EQ(blocks[0].cols, H);
  EXPECT_EQ(blocks[3].cols, 2);
  const double delta = 0.3;
  const auto check = [&](const std::string& name, const LstmModel& by_hand) {
    LstmModel m = base;
    m.set_parameter(name, m.parameter(name) + delta);
    Vector f, g;
    m.evaluate(x, f);
    by_hand.evaluate(x, g);
    EXPECT_EQ((f - g).cwiseAbs().maxCoeff(), 0.0) << name;
  };
  Matrix Whh = W_hh, Wih = W_ih;
  Vector bih = b_ih, bhh = b_hh, uu = u;
  Whh(7, 2) += delta;
  check("W_hh[7,2]", LstmModel(Whh, b_ih, b_hh, W_ih, u));
  bih(5) += delta;
  check("b_ih[5]", LstmModel(W_hh, bih, b_hh, W_ih, u));
  bhh(0) += delta;
  check("b_hh[0]", LstmModel(W_hh, b_ih, bhh, W_ih, u));
  Wih(11, 1) += delta;
  check("W_ih[11,1]", LstmModel(W_hh, b_ih, b_hh, Wih, u));
  uu(1) += delta;
  check("u[1]", LstmModel(W_hh, b_ih, b_hh, W_ih, uu));
  // b_ih and b_hh enter the gates as a sum, so evaluate cannot tell them apart: their values can.
  LstmModel m = base;
  m.set_parameter("b_ih[5]", 9.0);
  EXPECT_EQ(m.parameter("b_hh[5]"), b_hh(5));
  EXPECT_EQ(m.parameter("b_ih[5]"), 9.0);
  EXPECT_THROW(m.set_parameter("W_hh[12,0]", 1.0), InputError);  // row 4H is out of range
}

TEST(GruModel, ZeroWeightsHalveTheState) {
  // W = 0, b = 0: r = z = 1/2 and n = 0, so F(h) = h / 2 and DF = I / 2.
  GruModel m(Matrix::Zero(6, 2));
  const Vector h = Vector::Constant(2, 0.8);
  EXPECT_TRUE(near(m.rhs(h), Vector(h / 2), 1e-15));
  EXPECT_TRUE(near(m.jacobian(h), Matrix(Matrix::Identity(2, 2) / 2), 1e-15));
}

TEST(GruLstmModels, ReadFromModelFileAndRejectBadShapes) {
  nlohmann::json j = {{"model", "gru"},
                      {"W_hh", {{0.1}, {0.2}, {0.3}}},
                      {"W_ih", {{1.0}, {0.0}, {0.5}}},
                      {"b_ih", {0.0, 0.1, 0.2}},
                      {"b_hh", 0.5},
                      {"u", {2.0}}};
  auto m = model_from_json(j);
  EXPECT_EQ(m->kind(), "gru");
  EXPECT_EQ(m->dim(), 1);
  EXPECT_DOUBLE_EQ(m->parameter("u[0]"), 2.0);
  EXPECT_DOUBLE_EQ(m->parameter("b_hh[2]"), 0.5);
  j["W_hh"] = {{0.1, 0.2}, {0.3, 0.4}};
  EXPECT_THROW(model_from_json(j), InputError);

  nlohmann::json l = {{"model", "lstm"}, {"W_hh", {{0.1}, {0.2}, {0.3}, {0.4}}}};
  auto lm = model_from_json(l);
  EXPECT_EQ(lm->kind(), "lstm");
  EXPECT_EQ(lm->dim(), 2);
  l["u"] = {1.0};
  EXPECT_THROW(model_from_json(l), InputError);
}

}  // namespace
}  // namespace rnndyn
