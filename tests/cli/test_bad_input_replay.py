"""Replays the bad-input corpus tests/bad_inputs/cases.json (issue 15) against the CLI: every case
must exit with code 2 after exactly one line `rnndyn: error: <field>: <problem>` on stderr, write
no output file, and show no traceback or raw library text. See tests/bad_inputs/make_cases.py for
the format; cases marked pending wait for a C++ check and are xfail (not strict)."""
import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CLI, SOURCE_DIR

CASES = json.loads((SOURCE_DIR / "tests" / "bad_inputs" / "cases.json").read_text())

# Text that must never reach the user: raw library or runtime diagnostics.
FORBIDDEN = ("json.exception", "Traceback", "terminate called", "what():", "Could not convert", "std::",
             "Assertion", "Segmentation")


def materialise(case, tmp_path):
    """Write the case's model file and extra files into ``tmp_path``; the path of the model file."""
    model_path = tmp_path / "model.json"
    if case.get("model_dir"):
        model_path.mkdir()
    elif case["model"] is not None:
        text = case["model"] if isinstance(case["model"], str) else json.dumps(case["model"])
        model_path.write_bytes(text.encode("utf-8"))
    for name, spec in case.get("files", {}).items():
        path = tmp_path / name
        if spec.get("dir"):
            path.mkdir()
        elif "base64" in spec:
            path.write_bytes(base64.b64decode(spec["base64"]))
        else:
            path.write_text(spec["text"])
    return model_path


def substitute(text, tmp_path, model_path):
    return (text.replace("{model}", str(model_path)).replace("{out}", str(tmp_path / "out.json"))
            .replace("{tmp}", str(tmp_path)))


def params():
    out = []
    for case in CASES:
        marks = [pytest.mark.xfail(strict=False, reason=case.get("reason", "C++ check pending"))] \
            if case.get("pending") else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


@pytest.mark.parametrize("case", params())
def test_bad_input_gives_one_line_and_exit_code_2(case, tmp_path):
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
    prefix = f"rnndyn: error: {case['field']}: "
    assert line.startswith(prefix), (prefix, line)
    message = line[len("rnndyn: error: "):]
    if "message" in case:
        assert message == f"{case['field']}: " + substitute(case["message"], tmp_path, model_path)
    if "contains" in case:
        assert substitute(case["contains"], tmp_path, model_path) in message, message
    assert proc.stdout == ""
    assert not out.exists(), "no output file on bad input"
