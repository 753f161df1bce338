"""The tests exercise the installed package, not the source tree: rnndyn and rnndyn._core come from
the interpreter's environment, with the version pip recorded."""
import importlib.metadata
import sys
from pathlib import Path

import rnndyn
from conftest import SOURCE_DIR


def test_the_package_under_test_is_the_installed_one():
    core = Path(rnndyn._core.__file__).resolve()
    assert Path(sys.prefix).resolve() in core.parents, core
    assert Path(rnndyn.__file__).resolve().parent != (SOURCE_DIR / "python" / "rnndyn").resolve()
    assert rnndyn.__version__ == importlib.metadata.version("rnndyn")
