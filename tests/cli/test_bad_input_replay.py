"""Replays the bad-input corpus tests/bad_inputs/cases.json (issue 15) against the CLI: every case
must exit with code 2 after exactly one line `rnndyn: error: <field>: <problem>` on stderr, write
no output file, and show no traceback or raw library text. See tests/bad_inputs/make_cases.py for
the format; cases marked pending wait for a C++ check and are xfail (not strict)."""
import importlib.util
import os
import subprocess
import sys

import pytest

from conftest import CLI, SOURCE_DIR

sys.path.insert(0, str(SOURCE_DIR / "tests" / "bad_inputs"))
from corpus import check_message, materialise, params, substitute  # noqa: E402

# Text that must never reach the user: raw library or runtime diagnostics.
FORBIDDEN = ("json.exception", "Traceback", "terminate called", "what():", "Could not convert", "std::",
             "Assertion", "Segmentation")


@pytest.mark.parametrize("case", params())
def test_bad_input_gives_one_line_and_exit_code_2(case, tmp_path):
    if case["args"][0] == "report" and "RNNDYN_PYTHON" not in os.environ and importlib.util.find_spec("rnndyn") is None:
        pytest.skip("rnndyn report runs the Python package, which this interpreter lacks (make test-sanitize)")
    model_path = materialise(case, tmp_path)
    out = tmp_path / "out.json"
    # -o FILE goes last unless the case places it ({out}), e.g. before a flag left without its value.
    args = [substitute(a, tmp_path, model_path) for a in case["args"]]
    if not any("{out}" in a for a in case["args"]):
        args += ["-o", str(out)]
    # `rnndyn report` runs `python -m rnndyn.report`: the interpreter running the tests, unless set.
    env = dict(os.environ)
    env.setdefault("RNNDYN_PYTHON", sys.executable)
    proc = subprocess.run([CLI, "-q", *args], capture_output=True, text=True, timeout=60, env=env)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    for bad in FORBIDDEN:
        assert bad not in line, line
    assert line.startswith("rnndyn: error: "), line
    check_message(case, line[len("rnndyn: error: "):], tmp_path, model_path)
    assert proc.stdout == ""
    assert not out.exists(), "no output file on bad input"
