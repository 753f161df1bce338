"""Every name the documentation tells a user to call exists: each ``rnndyn.<name>`` (dotted, e.g.
``rnndyn.plot.state_space``) and each ``from rnndyn... import <name>`` in the README, docs/,
examples/ and the package's own docstrings resolves to an attribute of the imported package."""
import importlib
import re

import pytest

import rnndyn
from conftest import SOURCE_DIR

FILE_SUFFIXES = {"hpp", "cpp", "json", "md", "py", "npy", "whl", "so", "html", "png"}  # rnndyn.hpp is a file
DOTTED = re.compile(r"\brnndyn((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
FROM_IMPORT = re.compile(r"from (rnndyn(?:\.[A-Za-z_]\w*)*) import (?:\(([^)]*)\)|([\w, ]+))")


def documents():
    files = [SOURCE_DIR / "README.md", *sorted((SOURCE_DIR / "docs").rglob("*.md")),
             *sorted((SOURCE_DIR / "examples").glob("*.md")), *sorted((SOURCE_DIR / "python" / "rnndyn").glob("*.py"))]
    return [f for f in files if f.is_file()]


def named(text):
    """(module, attribute path) pairs a text names."""
    names = set()
    for m in DOTTED.finditer(text):
        parts = m.group(1).strip(".").split(".")
        if parts[-1] in FILE_SUFFIXES:
            continue
        names.add(("rnndyn", tuple(parts)))
    for m in FROM_IMPORT.finditer(text):
        for name in re.split(r"[,\s]+", m.group(2) or m.group(3)):
            if name and name != "as":
                names.add((m.group(1), (name,)))
    return names


def resolve(module, path):
    obj = importlib.import_module(module)
    for i, part in enumerate(path):
        if not hasattr(obj, part):  # a submodule not imported by the package (rnndyn.torch, rnndyn.report)
            obj = importlib.import_module(".".join((module,) + path[:i + 1]))
        else:
            obj = getattr(obj, part)
    return obj


def all_names():
    out = {}
    for f in documents():
        for name in named(f.read_text()):
            out.setdefault(name, str(f.relative_to(SOURCE_DIR)))
    return out


def test_the_scan_finds_the_names_it_should():
    text = "call `rnndyn.LyapunovOptions()` or rnndyn.plot.state_space(r); see include/rnndyn.hpp\n" \
           "from rnndyn.plot import (phase_portrait,\n    spectrum)"
    assert named(text + "\nx = 1") == {("rnndyn", ("LyapunovOptions",)), ("rnndyn", ("plot", "state_space")),
                                        ("rnndyn", ("plot",)),
                           ("rnndyn.plot", ("phase_portrait",)), ("rnndyn.plot", ("spectrum",))}
    assert len(all_names()) > 20  # the docs do name things


@pytest.mark.parametrize("module,path", sorted(all_names()))
def test_documented_name_exists(module, path):
    if path[0] == "torch" or module == "rnndyn.torch":
        pytest.importorskip("torch")
    try:
        resolve(module, path)
    except (AttributeError, ModuleNotFoundError) as e:
        pytest.fail(f"{all_names()[(module, path)]} names {module}.{'.'.join(path)}, which does not exist ({e})")
