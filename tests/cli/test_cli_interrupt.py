"""Long runs (branch and bound, numeric starts, Lyapunov spectra): progress lines on stderr, Ctrl-C
(SIGINT) ends the run with exit code 130 and no output file, and the branch-and-bound budget ends
it honestly."""
import json
import os
import signal
import subprocess
import threading
import time

import numpy as np

from conftest import CLI


def dense_network(path, n=60, gain=4.0, seed=0):
    """A random relu rate network with 2^n patterns and no trapping box: a long search."""
    rng = np.random.default_rng(seed)
    spec = {"model": "rate", "form": "current", "activation": "relu",
            "W": (gain * rng.standard_normal((n, n)) / np.sqrt(n)).tolist(), "b": rng.standard_normal(n).tolist()}
    path.write_text(json.dumps(spec))
    return path


def interrupt_after(args, out, needle, at_least=1.0, wait_limit=120.0):
    """Runs the CLI until its progress on stderr names `needle` (and at least `at_least` s), sends
    SIGINT: exit 130 within 2 s, no output. Waiting for the progress line instead of a fixed time
    keeps the test meaningful on a slow (sanitizer) build and on a fast quiet machine alike."""
    proc = subprocess.Popen([CLI, *map(str, args), "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    chunks = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: os.read(proc.stderr.fileno(), 4096), b"")))
    reader.start()
    start = time.monotonic()
    while (needle not in b"".join(chunks).decode(errors="replace") or time.monotonic() - start < at_least) \
            and proc.poll() is None and time.monotonic() - start < wait_limit:
        time.sleep(0.05)
    assert proc.poll() is None, b"".join(chunks).decode(errors="replace")
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=20)
    elapsed = time.monotonic() - sent
    reader.join(timeout=20)
    proc.stdout.close()
    proc.stderr.close()
    err = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 130, err
    assert elapsed < 2.0
    assert "interrupted" in err
    assert needle in err, err
    assert not out.exists()


def test_sigint_stops_branch_and_bound_without_output(tmp_path):
    model = dense_network(tmp_path / "dense.json")
    interrupt_after(["fixed-points", model, "--time-limit", "600"], tmp_path / "out.json", "branch and bound")


def test_budget_ends_the_search_with_an_honest_status(tmp_path, rnndyn):
    model = dense_network(tmp_path / "dense.json", n=30)
    r = rnndyn("-q", "fixed-points", model, "--max-nodes", "20", "--starts", "8")
    assert r.returncode == 0, r.stderr
    d = r.json()
    assert d["method"] == "branch_bound" and d["status"] == "incomplete"
    assert d["branch_bound"]["budget_exhausted"] and d["branch_bound"]["nodes"] == 20
    assert 0 <= d["branch_bound"]["closed_share"] < 1
    assert "incomplete" in d["guarantee"] and "numeric finder" in d["guarantee"]
    assert all(p["found_by"] in ("exact", "numeric") for p in d["fixed_points"])
    assert d["options"]["exact"]["max_nodes"] == 20


def test_bad_budget_is_one_line_naming_the_option(tmp_path, rnndyn):
    model = dense_network(tmp_path / "dense.json", n=4)
    r = rnndyn("fixed-points", model, "--time-limit", "0")
    assert r.returncode == 2
    assert r.stderr.startswith("rnndyn: error: --time-limit") and r.stderr.count("\n") == 1, r.stderr


def tanh_network(path, n=150, seed=1):
    """A dense tanh rate network: numeric starts and Lyapunov spectra take a while."""
    rng = np.random.default_rng(seed)
    spec = {"model": "rate", "form": "current", "activation": "tanh",
            "W": (1.5 * rng.standard_normal((n, n)) / np.sqrt(n)).tolist(), "b": [0.0] * n,
            "x0": rng.standard_normal(n).tolist()}
    path.write_text(json.dumps(spec))
    return path


def test_sigint_stops_numeric_starts_and_lyapunov(tmp_path):
    model = tanh_network(tmp_path / "tanh.json")
    # 300 units: the 150-unit search can end in 2.5 s on a quiet machine.
    big = tanh_network(tmp_path / "tanh300.json", n=300)
    interrupt_after(["fixed-points", big, "--method", "numeric", "--starts", "2000"], tmp_path / "fp.json",
                    "numeric starts")
    interrupt_after(["lyapunov", model, "--t", "1e6"], tmp_path / "ly.json", "lyapunov")


def test_sigint_stops_a_parameter_scan_without_output(tmp_path):
    # 3600 cells, each a numeric search on a smooth 12-unit network: far longer than the wait.
    rng = np.random.default_rng(1)
    spec = {"model": "rate", "form": "current", "activation": "tanh",
            "W": (2.0 * rng.standard_normal((12, 12)) / np.sqrt(12)).tolist(), "b": [0.0] * 12}
    model = tmp_path / "tanh.json"
    model.write_text(json.dumps(spec))
    interrupt_after(["scan", model, "--param-x", "g", "--x-from", 0.5, "--x-to", 3, "--x-steps", 60,
                     "--param-y", "b[0]", "--y-from", -1, "--y-to", 1, "--y-steps", 60], tmp_path / "out.json", "scan")
