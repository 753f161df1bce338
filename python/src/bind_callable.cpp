// A Python function as a Model (rnndyn.torch.from_callable): every analysis runs on it through
// the Model interface. The edge only copies: the Python side computes F(x) and DF(x) (torch,
// autograd) and hands back float64 arrays.
//
// Why it lives here and not in the library: it is the one model that calls back into Python,
// so it needs the GIL (taken for every call: the bindings release it around library calls and
// the numeric finder evaluates on OpenMP threads) and a way to carry a Python error out of an
// OpenMP parallel region, where a thrown exception would terminate the process.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>

#include <omp.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "bindings.hpp"
#include "rnndyn/core/enums.hpp"
#include "rnndyn/core/errors.hpp"

namespace rnndyn::python {

namespace {

/// fun(x, want_jacobian) -> (f, J or None), x a fresh float64 array of dim entries. An error of
/// fun propagates at once where it can; inside a parallel region (omp_get_level() > 0, even a
/// one-thread team, whose body GCC also marks must-not-throw) the first one is held for
/// raise_callable_error and F, DF are NaN from then on without calling Python again, which ends
/// the numeric finder's starts as "non-finite".
class CallableModel final : public Model {
 public:
  CallableModel(py::object fun, Index dim, TimeKind time, std::string name)
      : shared_(new Shared{std::move(fun), nullptr},
                [](Shared* s) {
                  py::gil_scoped_acquire gil;  // the last copy may die in a GIL-free library call
                  delete s;
                }),
        dim_(dim),
        time_(time),
        name_(std::move(name)) {}

  std::string kind() const override { return name_; }
  Index dim() const override { return dim_; }
  TimeKind time_kind() const override { return time_; }
  std::vector<ParameterBlock> parameter_blocks() const override { return {}; }
  // Clones share the function and the held error (a library call may run on a clone).
  std::unique_ptr<Model> clone() const override { return std::make_unique<CallableModel>(*this); }

  void evaluate(const Vector& x, Vector& f, Matrix* jacobian) const override {
    py::gil_scoped_acquire gil;  // also guards shared_->error
    const bool parallel = omp_get_level() > 0;
    if (shared_->error) {
      if (!parallel) std::rethrow_exception(shared_->error);
      not_a_number(f, jacobian);
      return;
    }
    try {
      call(x, f, jacobian);
    } catch (...) {
      if (!parallel) throw;
      // The first error wins: torch may release the GIL inside the call, so other threads can
      // be in (and fail in) the function at the same time.
      if (!shared_->error) shared_->error = std::current_exception();
      not_a_number(f, jacobian);
    }
  }

  /// The held error, cleared (nullptr when there is none).
  std::exception_ptr take_error() const { return std::exchange(shared_->error, nullptr); }

 protected:
  double* parameter_slot(const std::string&, Index, Index) override { return nullptr; }

 private:
  struct Shared {
    py::object fun;
    std::exception_ptr error;
  };

  void call(const Vector& x, Vector& f, Matrix* jacobian) const {
    const py::array_t<double> xa(x.size(), x.data());  // a copy: Python may keep it
    const py::tuple out = shared_->fun(xa, jacobian != nullptr);
    f = out[0].cast<Vector>();
    if (f.size() != dim_)
      throw InputError("step", "returned " + std::to_string(f.size()) + " values, expected " + std::to_string(dim_));
    if (!jacobian) return;
    *jacobian = out[1].cast<Matrix>();
    if (jacobian->rows() != dim_ || jacobian->cols() != dim_)
      throw InputError("jacobian", "expected a " + std::to_string(dim_) + "x" + std::to_string(dim_) + " matrix");
  }

  void not_a_number(Vector& f, Matrix* jacobian) const {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    f.setConstant(dim_, nan);
    if (jacobian) jacobian->setConstant(dim_, dim_, nan);
  }

  std::shared_ptr<Shared> shared_;
  Index dim_;
  TimeKind time_;
  std::string name_;
};

/// The edge's own class, found behind a Model only to carry its error (no analysis sees it).
const CallableModel* as_callable(const Model& model) { return dynamic_cast<const CallableModel*>(&model); }

}  // namespace

void forget_callable_error(const Model& model) {
  if (const auto* c = as_callable(model)) c->take_error();
}

void raise_callable_error(const Model& model) {
  if (const auto* c = as_callable(model))
    if (auto e = c->take_error()) std::rethrow_exception(e);
}

void bind_callable(py::module_& m) {
  m.def(
      "_callable_model",
      [](py::object fun, Index dim, const std::string& time, const std::string& name) -> std::shared_ptr<Model> {
        if (!PyCallable_Check(fun.ptr())) throw InputError("step", "expected a callable");
        if (dim < 1) throw InputError("dim", "must be >= 1, got " + std::to_string(dim));
        return std::make_shared<CallableModel>(std::move(fun), dim, parse_time_kind(time, "time"), name);
      },
      py::arg("fun"), py::arg("dim"), py::arg("time"), py::arg("name"),
      "Model whose F and DF come from fun(x, want_jacobian) -> (f, J or None); see rnndyn.torch.from_callable.");
}

const bool registered = register_binding("callable", &bind_callable);

}  // namespace rnndyn::python
