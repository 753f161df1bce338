import json
import os
import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

SOURCE_DIR = Path(os.environ.get("RNNDYN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
EXAMPLES = SOURCE_DIR / "examples"
CLI = os.environ.get("RNNDYN_CLI", "rnndyn")


def cli_json(*args):
    """The JSON the CLI prints for `rnndyn -q ARGS...` (which must succeed)."""
    proc = subprocess.run([CLI, "-q", *map(str, args)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def without_elapsed(value):
    """The document without its wall-time entries (they differ between two runs)."""
    if isinstance(value, dict):
        return {k: without_elapsed(v) for k, v in value.items() if k != "elapsed_seconds"}
    if isinstance(value, list):
        return [without_elapsed(v) for v in value]
    return value


def assert_same(cli, result):
    """The CLI's JSON and the Python result's to_dict() are one document (up to wall time); through a
    JSON round trip, since the CLI prints doubles with 17 significant digits."""
    py = json.loads(json.dumps(result.to_dict()))
    assert "elapsed_seconds" in cli and "elapsed_seconds" in py
    assert without_elapsed(cli) == without_elapsed(py)
