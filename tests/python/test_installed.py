"""The tests exercise the installed package, not the source tree: rnndyn and rnndyn._core come from
the interpreter's environment, with the version pip recorded."""
import importlib.metadata
import json
import sys
from pathlib import Path

import rnndyn
from conftest import SOURCE_DIR


def test_the_package_under_test_is_the_installed_one():
    core = Path(rnndyn._core.__file__).resolve()
    assert Path(sys.prefix).resolve() in core.parents, core
    dist = importlib.metadata.distribution("rnndyn")
    editable = json.loads(dist.read_text("direct_url.json") or "{}").get("dir_info", {}).get("editable", False)
    if not editable:  # `pip install -e .` maps the pure-Python files to the source tree on purpose
        assert Path(rnndyn.__file__).resolve().parent != (SOURCE_DIR / "python" / "rnndyn").resolve()
    assert rnndyn.__version__ == importlib.metadata.version("rnndyn")
