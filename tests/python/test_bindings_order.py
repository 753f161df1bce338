"""The bindings register themselves (python/src/bindings.hpp, register_binding) and module.cpp runs
them in the order their `after` lists give. A binding run before the area whose classes it uses
still imports, but its signatures name the C++ type ("rnndyn::FixedPointOptions") instead of the
Python class: no docstring of the module may name one."""
import re

from rnndyn import _core

CXX_NAME = re.compile(r"\b(rnndyn|Eigen)::")  # not std::, which a doc line may name


def _docstrings():
    for name in dir(_core):
        obj = getattr(_core, name)
        yield name, getattr(obj, "__doc__", None) or ""
        if isinstance(obj, type):
            for member, value in vars(obj).items():
                yield f"{name}.{member}", getattr(value, "__doc__", None) or ""


def test_no_signature_names_a_cxx_type():
    docs = dict(_docstrings())
    assert len(docs) > 1000  # every area's classes and functions are there
    assert [name for name, doc in docs.items() if CXX_NAME.search(doc)] == []
