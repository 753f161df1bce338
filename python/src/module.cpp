// rnndyn._core: the compiled half of the rnndyn Python package. InputError (bad input) arrives
// in Python as ValueError with the CLI's message; other std::runtime_error as RuntimeError.
#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "Compiled core of rnndyn; import the rnndyn package instead.";
  rnndyn::python::bind_core(m);
  rnndyn::python::bind_models(m);
  rnndyn::python::bind_simulate(m);
  rnndyn::python::bind_linearize(m);
  rnndyn::python::bind_fixed_points(m);
  rnndyn::python::bind_continuation(m);
  rnndyn::python::bind_lyapunov(m);
  rnndyn::python::bind_periodic(m);
  rnndyn::python::bind_cycle_continuation(m);  // after bind_periodic: its options hold LimitCycleOptions
  rnndyn::python::bind_perturbation(m);
  rnndyn::python::bind_reservoir(m);
  rnndyn::python::bind_callable(m);
  rnndyn::python::bind_parameter_scan(m);  // after bind_fixed_points: its options hold FixedPointOptions
  rnndyn::python::bind_basins(m);          // after bind_fixed_points: its options hold FixedPointOptions
}
