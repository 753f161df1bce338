// rnndyn._core: the compiled half of the rnndyn Python package. InputError (bad input) arrives
// in Python as ValueError with the CLI's message; other std::runtime_error as RuntimeError. Each
// python/src/bind_<area>.cpp registers its own binding (register_binding): a new area adds no line
// here.
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include "bindings.hpp"

namespace rnndyn::python {
namespace {

struct Registration {
  BindFn bind;
  std::vector<std::string> after;
};

/// Built on first use: the registrations run during static initialisation, in no fixed order.
std::map<std::string, Registration>& registrations() {
  static std::map<std::string, Registration> all;
  return all;
}

}  // namespace

bool register_binding(const char* name, BindFn bind, std::initializer_list<const char*> after) {
  auto [it, added] = registrations().emplace(name, Registration{bind, {}});
  if (!added) throw std::logic_error(std::string("rnndyn._core: binding '") + name + "' registered twice");
  for (const char* a : after)
    if (std::string(a) != name) it->second.after.emplace_back(a);
  return true;
}

void run_bindings(py::module_& m) {
  const auto& all = registrations();
  for (const auto& [name, r] : all)
    for (const auto& a : r.after)
      if (!all.count(a))
        throw std::logic_error("rnndyn._core: binding '" + name + "' runs after '" + a + "', which is not registered");
  std::set<std::string> done;
  while (done.size() < all.size()) {
    bool ran = false;
    for (const auto& [name, r] : all) {  // the first in name order whose predecessors have run
      if (done.count(name)) continue;
      bool ready = true;
      for (const auto& a : r.after) ready = ready && done.count(a);
      if (!ready) continue;
      r.bind(m);
      done.insert(name);
      ran = true;
      break;
    }
    if (!ran) throw std::logic_error("rnndyn._core: the bindings' 'after' lists form a cycle");
  }
}

}  // namespace rnndyn::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "Compiled core of rnndyn; import the rnndyn package instead.";
  rnndyn::python::run_bindings(m);
}
