"""`rnndyn sweep` (issue 17): the executable hands over to `python -m rnndyn.sweep` (docs/sweeps.md);
its summary, its one-line errors (exit 2) and its own flag checks. The sweep itself is tested in
tests/python/test_sweep.py; these runs use --serial (xarray and zarr, no cluster)."""
import importlib.util
import json
import os
import sys

import pytest
from conftest import EXAMPLES

pytest.importorskip("xarray")
pytest.importorskip("zarr")
# `rnndyn sweep` runs `python -m rnndyn.sweep`: the interpreter next to the executable, else python3
# on PATH; a build tree's executable (make test-sanitize) has none beside it, so these runs use the
# interpreter running the tests, and skip where it lacks the package (CI's sanitizer stage runs
# before the wheel is installed).
# (A mark, not a module-level skip: pytest exits 5, "no tests collected", after one of those.)
pytestmark = pytest.mark.skipif(
    "RNNDYN_PYTHON" not in os.environ and importlib.util.find_spec("rnndyn") is None,
    reason="rnndyn sweep runs the Python package, which this interpreter lacks (make test-sanitize)")
os.environ.setdefault("RNNDYN_PYTHON", sys.executable)

SPEC = {"model": str(EXAMPLES / "line_attractor_bounded.json"),
        "grid": {"W[0,1]": {"from": -1.2, "to": -0.8, "steps": 3}, "b[0]": [0.5, 1.0]}}


def test_sweep_runs_the_python_command_and_resumes(rnndyn, tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))
    r = rnndyn("-q", "sweep", spec, "-o", tmp_path / "out.zarr", "--serial")
    assert r.returncode == 0, r.stderr
    assert r.json()["dims"] == {"W[0,1]": 3, "b[0]": 2} and r.json()["tasks_computed"] == 1
    assert rnndyn("-q", "sweep", spec, "-o", tmp_path / "out.zarr", "--serial").json()["tasks_reused"] == 1
    # another spec into the same store is refused; --overwrite replaces the store
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**SPEC, "grid": {**SPEC["grid"], "b[0]": [0.5, 1.5, 2.0]}}))
    refused = rnndyn("-q", "sweep", other, "-o", tmp_path / "out.zarr", "--serial")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "holds a different sweep" in refused.stderr and "--overwrite" in refused.stderr
    replaced = rnndyn("-q", "sweep", other, "-o", tmp_path / "out.zarr", "--serial", "--overwrite").json()
    assert replaced["dims"] == {"W[0,1]": 3, "b[0]": 3}
    assert replaced["tasks_computed"] == 1 and replaced["tasks_reused"] == 0


def test_sweep_errors_are_one_line(rnndyn, tmp_path):
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps({**SPEC, "analysis": "lyapunov"}))
    r = rnndyn("sweep", spec, "-o", tmp_path / "out.zarr")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines() == ["rnndyn: error: analysis: expected one of fixed_points, cycles, perturb, "
                                             "got 'lyapunov'"]
    r = rnndyn("sweep", spec, "-o", tmp_path / "out.zarr", "--workers", "0")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "--workers" in r.stderr
    assert not (tmp_path / "out.zarr").exists()
