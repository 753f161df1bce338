#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "rnndyn/io/result_json.hpp"
#include "rnndyn/simulate/simulate.hpp"

namespace rnndyn::python {

void bind_simulate(py::module_& m) {
  m.def(
      "_simulate",
      [](const Model& model, const Vector& x0, double t_end, double dt, double rtol, double atol) {
        SimulateOptions o;
        o.t_end = t_end;
        o.dt = dt;
        o.rel_tol = rtol;
        o.abs_tol = atol;
        Trajectory traj;
        {
          py::gil_scoped_release release;
          traj = simulate(model, x0, o);
        }
        // The state matrix is moved into the returned array (dim x samples, no copy).
        return py::make_tuple(py::array_t<double>(static_cast<py::ssize_t>(traj.t.size()), traj.t.data()),
                              py::cast(std::move(traj.x), py::return_value_policy::move),
                              traj.status == SimulateStatus::Ok ? "ok" : "diverged");
      },
      py::arg("model"), py::arg("x0"), py::arg("t_end"), py::arg("dt"), py::arg("rtol"), py::arg("atol"));
}

}  // namespace rnndyn::python
