"""The wheel that `make build` left in RNNDYN_WHEEL_DIR, installed offline into a fresh virtual
environment (its dependencies from the wheelhouse scripts/venv.sh prepared; nothing is built or
downloaded here), then used from a folder outside the source tree: the installed `rnndyn`
executable, `import rnndyn`, and `rnndyn report`, which must find the environment's Python by itself.
"""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

WHEEL_DIR = Path(os.environ["RNNDYN_WHEEL_DIR"])
WHEELHOUSE = Path(os.environ["RNNDYN_WHEELHOUSE"])
VERSION = os.environ["RNNDYN_VERSION"]
SOURCE_DIR = Path(os.environ.get("RNNDYN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
EXAMPLES = SOURCE_DIR / "examples"


def the_wheel():
    wheels = sorted(WHEEL_DIR.glob(f"rnndyn-{VERSION}-*.whl"))
    assert len(wheels) == 1, f"expected one rnndyn {VERSION} wheel in {WHEEL_DIR} (run `make build`): {wheels}"
    return wheels[0]


def clean_env(**extra):
    """No pip configuration (the machine's index mirrors, find-links), no PYTHONPATH, no venv of
    the caller's, and a PATH without any Python environment: only the system's folders."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "PYTHON", "RNNDYN_")) and k not in ("VIRTUAL_ENV", "PATH")}
    env.update(PATH="/usr/bin:/bin", PIP_CONFIG_FILE=os.devnull, PYTHONNOUSERSITE="1", MPLBACKEND="Agg")
    env.update(extra)
    return env


def run(args, cwd, **kw):
    p = subprocess.run([str(a) for a in args], cwd=cwd, env=clean_env(), capture_output=True, text=True,
                       timeout=600, **kw)
    assert p.returncode == 0, f"{args}: exit {p.returncode}\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}"
    return p


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv folder, work folder): the wheel and its dependencies installed with --no-index."""
    root = tmp_path_factory.mktemp("wheel")
    venv, work = root / "venv", root / "work"
    work.mkdir()
    run([sys.executable, "-m", "venv", venv], cwd=root)
    run([venv / "bin/python", "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index",
         "--find-links", WHEELHOUSE, the_wheel()], cwd=work)
    return venv, work


def test_the_wheel_holds_the_package_and_the_executable_only():
    names = zipfile.ZipFile(the_wheel()).namelist()
    assert "rnndyn/__init__.py" in names and "rnndyn/report.py" in names
    assert any(n.startswith("rnndyn/_core.") and n.endswith(".so") for n in names), names
    assert f"rnndyn-{VERSION}.data/scripts/rnndyn" in names, names
    # The library is linked in statically; no headers, archives or CMake files in site-packages.
    stray = [n for n in names if n.endswith((".a", ".hpp", ".cmake")) or "librnndyn" in n]
    assert not stray, stray
    assert not [n for n in names if n.startswith(("include/", "lib/", "bin/"))]


def test_installed_cli_finds_the_exact_fixed_points(installed):
    venv, work = installed
    p = run([venv / "bin/rnndyn", "fixed-points", EXAMPLES / "line_attractor_bounded.json"], cwd=work)
    r = json.loads(p.stdout)
    assert r["fixed_points"] == [] and len(r["continua"]) == 1
    assert r["continua"][0]["shape"] == "segment"
    assert run([venv / "bin/rnndyn", "--version"], cwd=work).stdout.split() == ["rnndyn", VERSION]


def test_installed_package_imports_and_computes(installed):
    venv, work = installed
    code = """if True:
        import importlib.metadata, json, sys
        import numpy as np
        import rnndyn
        m = rnndyn.load_model(sys.argv[1])
        lin = rnndyn.linearize(m, [80 / 3, 50 / 3])
        print(json.dumps({"file": rnndyn.__file__, "core": rnndyn._core.__file__, "version": rnndyn.__version__,
                          "dist": importlib.metadata.version("rnndyn"), "stability": str(lin.stability),
                          "eig": [[complex(e).real, complex(e).imag] for e in lin.eigenvalues]}))
    """
    out = json.loads(run([venv / "bin/python", "-c", code, EXAMPLES / "ei_network.json"], cwd=work).stdout)
    site = (venv / "lib").resolve()
    assert Path(out["file"]).resolve().is_relative_to(site) and Path(out["core"]).resolve().is_relative_to(site)
    assert out["version"] == out["dist"] == VERSION
    assert out["stability"] == "stable focus"
    # E-I network at its fixed point: J = diag(1/tau) (-I + W), trace 0.025 - 1/30, det 1/300 + ...
    a, d = 0.025, -1 / 30
    re, im = 0.5 * (a + d), 0.5 * (4 / 300 - (a - d) ** 2) ** 0.5
    got = [x for e in sorted(out["eig"]) for x in e]
    assert got == pytest.approx([re, -im, re, im], abs=1e-12)


def test_installed_report_finds_the_environments_python(installed, tmp_path):
    venv, work = installed
    cli = venv / "bin/rnndyn"
    res = work / "continue.json"
    run([cli, "-q", "continue", EXAMPLES / "ei_network.json", "--param", "tau[1]", "--from", "30", "--to", "50",
         "--start", "26.666666666666668,16.666666666666668", "-o", res], cwd=work)
    # PATH has no python3 with rnndyn: the executable must take the python3 beside it.
    run([cli, "report", res, "-o", work / "report.html"], cwd=work)
    page = (work / "report.html").read_text()
    assert "<html>" in page and page.count('<img class="figure"') >= 1
