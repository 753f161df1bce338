"""Shared fixtures for the CLI tests: the binary under test and a helper that runs it."""
import json
import os
import subprocess
from pathlib import Path

import pytest

CLI = os.environ.get("RNNDYN_CLI", str(Path(__file__).resolve().parents[2] / "build" / "rnndyn"))
SOURCE_DIR = Path(os.environ.get("RNNDYN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
EXAMPLES = SOURCE_DIR / "examples"

# `make test-sanitize` sets RNNDYN_SANITIZED=1: its binary is an -O0 ASan build, 20-150x slower. Tests
# at the scale users run (hundreds of units with every default) are marked `scale`; they run in
# Release under `make test`, and the code they reach runs under the sanitizers in the smaller tests.
scale = pytest.mark.skipif(os.environ.get("RNNDYN_SANITIZED") == "1",
                           reason="scale test: runs in Release under make test, not at -O0 under ASan")


class Result:
    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def rnndyn():
    def run(*args, timeout=300):
        proc = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout)
        return Result(proc)

    return run


@pytest.fixture
def write_model(tmp_path):
    def write(obj, name="model.json"):
        path = tmp_path / name
        path.write_text(obj if isinstance(obj, str) else json.dumps(obj))
        return path

    return write


def assert_one_line_error(result, *needles):
    """Bad input: exit code 2, nothing on stdout, exactly one line on stderr naming the problem."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rnndyn: error: "), lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
