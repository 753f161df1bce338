#include "rnndyn/simulate/input_signal.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "../detail/checks.hpp"
#include "input_drive.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn {

std::string to_string(InputKind k) {
  switch (k) {
    case InputKind::Series:
      return "series";
    case InputKind::Clicks:
      return "clicks";
    case InputKind::PoissonClicks:
      return "poisson";
    case InputKind::Noise:
      return "noise";
    case InputKind::Step:
      return "step";
  }
  return "step";
}

InputKind parse_input_kind(const std::string& name, const std::string& field) {
  if (name == "series") return InputKind::Series;
  if (name == "clicks") return InputKind::Clicks;
  if (name == "poisson" || name == "poisson_clicks" || name == "poisson-clicks") return InputKind::PoissonClicks;
  if (name == "noise") return InputKind::Noise;
  if (name == "step") return InputKind::Step;
  throw InputError(field, "expected series, clicks, poisson, noise or step, got '" + name + "'");
}

std::string to_string(Interpolation i) { return i == Interpolation::Linear ? "linear" : "hold"; }

Interpolation parse_interpolation(const std::string& name, const std::string& field) {
  if (name == "hold") return Interpolation::Hold;
  if (name == "linear") return Interpolation::Linear;
  throw InputError(field, "expected hold or linear, got '" + name + "'");
}

void InputSignal::validate(Index input_dim, TimeKind time, const std::string& prefix) const {
  const auto fail = [&](const std::string& field, const std::string& why) { return InputError(prefix + field, why); };
  const bool flow = time == TimeKind::Flow;
  if (!(dt >= 0.0) || !std::isfinite(dt)) throw fail("dt", "must be a finite number >= 0 (0: the simulation's dt)");
  if (kind != InputKind::Series && (channel < 0 || channel >= input_dim))
    throw fail("channel", "must lie in [0, " + std::to_string(input_dim) + ") (the model has " +
                              std::to_string(input_dim) + " input channel" + (input_dim == 1 ? "" : "s") + "), got " +
                              std::to_string(channel));
  switch (kind) {
    case InputKind::Series:
      if (values.rows() < 1) throw fail("values", "needs at least one sample (row)");
      if (values.cols() != input_dim)
        throw fail("values", "expected " + std::to_string(input_dim) + " column" + (input_dim == 1 ? "" : "s") +
                                 " (one per input channel), got " + std::to_string(values.cols()));
      detail::require_finite(values, prefix + "values");
      if (flow && interpolation == Interpolation::Linear && values.rows() < 2)
        throw fail("values", "linear interpolation needs at least two samples");
      break;
    case InputKind::Clicks:
      for (size_t i = 0; i < times.size(); ++i) {
        const double t = times[i];
        const std::string at = "times[" + std::to_string(i) + "]";
        if (!(t >= 0.0) || !std::isfinite(t)) throw fail(at, "must be a finite time >= 0");
        if (!flow && t != std::floor(t)) throw fail(at, "must be a whole step for a map");
      }
      if (!signs.empty() && signs.size() != times.size())
        throw fail("signs", "expected one sign per click (" + std::to_string(times.size()) + "), got " +
                                std::to_string(signs.size()));
      for (size_t i = 0; i < signs.size(); ++i)
        if (!std::isfinite(signs[i])) throw fail("signs[" + std::to_string(i) + "]", "must be finite");
      [[fallthrough]];
    case InputKind::PoissonClicks:
      if (!std::isfinite(delta)) throw fail("delta", "must be finite");
      if (flow && (!(width > 0.0) || !std::isfinite(width))) throw fail("width", "must be a finite number > 0");
      if (kind == InputKind::PoissonClicks && (!(rate > 0.0) || !std::isfinite(rate)))
        throw fail("rate", "must be a finite number > 0");
      break;
    case InputKind::Noise:
      if (!(sigma >= 0.0) || !std::isfinite(sigma)) throw fail("sigma", "must be a finite number >= 0");
      if (!(correlation_time >= 0.0) || !std::isfinite(correlation_time))
        throw fail("correlation_time", "must be a finite number >= 0 (0: white)");
      break;
    case InputKind::Step:
      if (!std::isfinite(amplitude)) throw fail("amplitude", "must be finite");
      if (!(onset >= 0.0) || !std::isfinite(onset)) throw fail("onset", "must be a finite time >= 0");
      if (!(offset > onset)) throw fail("offset", "must be later than onset (default: never off)");
      break;
  }
}

}  // namespace rnndyn

namespace rnndyn::detail {

namespace {

/// One channel's contribution v + s (t - a) on [a, b).
struct Piece {
  double a, b;
  Index channel;
  double v, s;
};

constexpr double kMaxPieces = 2e7;

void add_piece(std::vector<Piece>& out, double a, double b, Index ch, double v, double s, double t_end) {
  if (b <= 0.0 || a >= t_end) return;
  const double a0 = std::max(a, 0.0);
  out.push_back({a0, std::min(b, t_end), ch, v + s * (a0 - a), s});
}

void check_count(double n, const std::string& field) {
  if (n > kMaxPieces)
    throw InputError(field, "the signal would need more than 2e7 pieces; increase dt or shorten t_end");
}

void flow_pieces(const InputSignal& s, double t_end, double dt, const std::string& prefix, std::vector<Piece>& out) {
  const double h = s.dt > 0.0 ? s.dt : dt;
  std::mt19937_64 rng(s.seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  const auto click = [&](double t, double weight) {
    add_piece(out, t, t + s.width, s.channel, s.delta * weight / s.width, 0.0, t_end);
  };
  switch (s.kind) {
    case InputKind::Series: {
      const Index T = s.values.rows();
      check_count(static_cast<double>(T) * static_cast<double>(s.values.cols()), prefix + "values");
      for (Index j = 0; j < T && static_cast<double>(j) * h < t_end; ++j)
        for (Index c = 0; c < s.values.cols(); ++c) {
          const double a = static_cast<double>(j) * h;
          if (s.interpolation == Interpolation::Hold)
            add_piece(out, a, a + h, c, s.values(j, c), 0.0, t_end);
          else if (j + 1 < T)
            add_piece(out, a, a + h, c, s.values(j, c), (s.values(j + 1, c) - s.values(j, c)) / h, t_end);
        }
      break;
    }
    case InputKind::Clicks:
      for (size_t i = 0; i < s.times.size(); ++i) click(s.times[i], s.signs.empty() ? 1.0 : s.signs[i]);
      break;
    case InputKind::PoissonClicks: {
      check_count(s.rate * t_end, prefix + "rate");
      std::exponential_distribution<double> wait(s.rate);
      for (double t = wait(rng); t < t_end; t += wait(rng)) click(t, 1.0);
      break;
    }
    case InputKind::Noise: {
      const auto n = static_cast<Index>(std::ceil(t_end / h - 1e-9));
      check_count(static_cast<double>(n), prefix + "dt");
      if (s.correlation_time == 0.0) {
        const double scale = s.sigma / std::sqrt(h);  // variance sigma^2/h: integral over a step has sigma^2 h
        for (Index j = 0; j < n; ++j) {
          const double a = static_cast<double>(j) * h;
          add_piece(out, a, a + h, s.channel, scale * normal(rng), 0.0, t_end);
        }
      } else {
        // Exact OU update on the grid from the stationary law N(0, sigma^2 / (2 tau_c)).
        const double sd = s.sigma / std::sqrt(2.0 * s.correlation_time);
        const double decay = std::exp(-h / s.correlation_time);
        const double kick = sd * std::sqrt(1.0 - decay * decay);
        double value = sd * normal(rng);
        for (Index j = 0; j < n; ++j) {
          const double next = decay * value + kick * normal(rng);
          const double a = static_cast<double>(j) * h;
          add_piece(out, a, a + h, s.channel, value, (next - value) / h, t_end);
          value = next;
        }
      }
      break;
    }
    case InputKind::Step:
      add_piece(out, s.onset, s.offset, s.channel, s.amplitude, 0.0, t_end);
      break;
  }
}

void map_steps(const InputSignal& s, Matrix& u) {
  const Index steps = u.cols() - 1;
  std::mt19937_64 rng(s.seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  switch (s.kind) {
    case InputKind::Series:
      for (Index n = 0; n <= steps && n < s.values.rows(); ++n) u.col(n) += s.values.row(n).transpose();
      break;
    case InputKind::Clicks:
      for (size_t i = 0; i < s.times.size(); ++i) {
        const auto n = static_cast<Index>(s.times[i]);
        if (n <= steps) u(s.channel, n) += s.delta * (s.signs.empty() ? 1.0 : s.signs[i]);
      }
      break;
    case InputKind::PoissonClicks: {
      std::poisson_distribution<long> count(s.rate);
      for (Index n = 0; n <= steps; ++n) u(s.channel, n) += s.delta * static_cast<double>(count(rng));
      break;
    }
    case InputKind::Noise: {
      // AR(1) with correlation exp(-1/tau_c) per step and stationary variance sigma^2 (white: 0).
      const double decay = s.correlation_time > 0.0 ? std::exp(-1.0 / s.correlation_time) : 0.0;
      const double kick = s.sigma * std::sqrt(1.0 - decay * decay);
      double value = s.sigma * normal(rng);
      for (Index n = 0; n <= steps; ++n) {
        u(s.channel, n) += value;
        value = decay * value + kick * normal(rng);
      }
      break;
    }
    case InputKind::Step:
      for (Index n = 0; n <= steps; ++n) {
        const auto t = static_cast<double>(n);
        if (t >= s.onset && t < s.offset) u(s.channel, n) += s.amplitude;
      }
      break;
  }
}

}  // namespace

InputDrive::InputDrive(const std::vector<InputSignal>& signals, const Vector& base, TimeKind time, double t_end,
                       double dt) {
  const Index k = base.size();
  if (time == TimeKind::Map) {
    const auto steps = static_cast<Index>(std::floor(t_end));
    steps_ = base.replicate(1, steps + 1);
    for (const auto& s : signals) map_steps(s, steps_);
    return;
  }
  std::vector<Piece> pieces;
  for (size_t i = 0; i < signals.size(); ++i)
    flow_pieces(signals[i], t_end, dt, "inputs[" + std::to_string(i) + "].", pieces);
  knots_ = {0.0, t_end};
  for (const auto& p : pieces) {
    knots_.push_back(p.a);
    knots_.push_back(p.b);
  }
  std::sort(knots_.begin(), knots_.end());
  // Knots closer than this are one knot: a grid step j h rounded differently from a click time
  // must not leave a piece of a few ulps that the stepper would restart for.
  const double tol = 1e-12 * std::max(1.0, t_end);
  std::vector<double> merged{knots_.front()};
  for (double t : knots_)
    if (t - merged.back() > tol) merged.push_back(t);
  merged.back() = t_end;
  knots_ = std::move(merged);
  const auto P = static_cast<Index>(knots_.size()) - 1;
  left_ = base.replicate(1, P);
  slope_ = Matrix::Zero(k, P);
  const auto index_of = [&](double t) {
    // The knot nearest to t (t is one of the knots up to tol).
    auto it = std::lower_bound(knots_.begin(), knots_.end(), t - tol);
    return static_cast<Index>(it - knots_.begin());
  };
  for (const auto& p : pieces) {
    const Index first = index_of(p.a), last = std::min(index_of(p.b), P);
    for (Index q = first; q < last; ++q) {
      left_(p.channel, q) += p.v + p.s * (knots_[static_cast<size_t>(q)] - p.a);
      slope_(p.channel, q) += p.s;
    }
  }
}

void InputDrive::on_piece(Index p, double t, Vector& u) const {
  const double a = knots_[static_cast<size_t>(p)], b = knots_[static_cast<size_t>(p) + 1];
  u = left_.col(p) + slope_.col(p) * (std::clamp(t, a, b) - a);
}

Vector InputDrive::at(double t) const {
  const auto it = std::upper_bound(knots_.begin(), knots_.end(), t);
  const Index p = std::clamp<Index>(static_cast<Index>(it - knots_.begin()) - 1, 0, pieces() - 1);
  Vector u;
  on_piece(p, t, u);
  return u;
}

}  // namespace rnndyn::detail
