"""Long runs from Python: Ctrl-C raises KeyboardInterrupt within a second, a progress callback
sees the run and can stop it (rnndyn.Interrupted, a KeyboardInterrupt), progress=True shows tqdm."""
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import rnndyn
from conftest import EXAMPLES


def dense(n=40, gain=4.0, seed=0):
    rng = np.random.default_rng(seed)
    return rnndyn.model_from_dict({"model": "rate", "form": "current", "activation": "relu",
                                   "W": (gain * rng.standard_normal((n, n)) / np.sqrt(n)).tolist(),
                                   "b": rng.standard_normal(n).tolist()})


def test_ctrl_c_raises_keyboard_interrupt_within_a_second():
    script = textwrap.dedent("""
        import sys, time, numpy as np, rnndyn
        rng = np.random.default_rng(0); n = 60
        m = rnndyn.model_from_dict({"model": "rate", "form": "current", "activation": "relu",
            "W": (4 * rng.standard_normal((n, n)) / np.sqrt(n)).tolist(), "b": rng.standard_normal(n).tolist()})
        print("started", flush=True)
        try:
            rnndyn.find_fixed_points(m, time_limit=600)
        except KeyboardInterrupt:
            print("KeyboardInterrupt", time.monotonic(), flush=True)
            sys.exit(7)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "started"
    time.sleep(2.0)
    assert proc.poll() is None
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 7, err
    caught = float(out.split()[-1])
    assert caught - sent < 1.0


def test_progress_callback_sees_the_run_and_can_stop_it():
    seen = []

    def report(p):
        seen.append((p.stage, p.fraction, p.done))
        return len(seen) < 2

    with pytest.raises(rnndyn.Interrupted):
        rnndyn.find_fixed_points(dense(), progress=report, time_limit=600)
    assert len(seen) == 2
    assert seen[0][0] == "branch and bound" and 0 <= seen[0][1] < 1 and seen[1][2] > seen[0][2]
    assert issubclass(rnndyn.Interrupted, KeyboardInterrupt)


def test_progress_true_shows_a_tqdm_bar(capsys):
    r = rnndyn.find_fixed_points(dense(n=30), progress=True, max_nodes=400, starts=4)
    assert r.status == "incomplete" and r.exact.branch_bound.nodes == 400
    assert r.to_dict()["branch_bound"]["budget_exhausted"] is True


def test_numeric_starts_and_lyapunov_report_progress_and_stop():
    # A 2-unit tanh network: quick runs, so the last (forced) report at 100 % is the one seen.
    m = rnndyn.model_from_dict({"model": "rate", "form": "current", "activation": "tanh",
                                "W": [[2.0, 0.0], [0.0, 0.5]], "b": [0.0, 0.0]})
    seen = []
    r = rnndyn.find_fixed_points(m, method="numeric", starts=32, progress=lambda p: seen.append(p) or True)
    assert len(r.fixed_points) == 3  # x1 = 0 or the two roots of x = 2 tanh(x); x2 = 0
    assert seen and seen[-1].stage == "numeric starts" and seen[-1].fraction == 1.0 and seen[-1].done == 32
    with pytest.raises(rnndyn.Interrupted):
        rnndyn.find_fixed_points(m, method="numeric", starts=32, progress=lambda p: False)
    seen.clear()
    s = rnndyn.lyapunov(m, x0=[0.1, 0.1], t_total=20, warmup=2, progress=lambda p: seen.append(p) or True)
    assert s.exponents.shape == (2,)
    assert seen[-1].stage == "lyapunov" and seen[-1].fraction == 1.0
    with pytest.raises(rnndyn.Interrupted):
        rnndyn.lyapunov(m, x0=[0.1, 0.1], t_total=20, progress=lambda p: False)


def test_simulate_continuation_and_perturb_report_progress_and_stop():
    ei = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    line = rnndyn.load_model(str(EXAMPLES / "line_attractor_bounded.json"))
    runs = {
        "simulate": lambda progress: rnndyn.simulate(ei, [30, 10], t_end=2000, dt=1, progress=progress),
        "continuation": lambda progress: rnndyn.continuation(ei, "tau[1]", 20.0, 60.0, starts=[[30, 10]],
                                                             progress=progress),
        "perturb": lambda progress: rnndyn.perturb(line, samples=50, progress=progress),
        "limit cycle": lambda progress: rnndyn.limit_cycle(ei, x0=[30, 10], transient=100, progress=progress),
        "cycle continuation": lambda progress: rnndyn.continue_limit_cycles(ei, "tau[1]", 50.0, 52.0, x0=[30, 10],
                                                                            progress=progress),
    }
    for stage, run in runs.items():
        seen = []
        run(lambda p: seen.append(p) or True)
        # Reports come at most every 0.2 s, and always once at the end (share 1).
        assert seen and seen[-1].fraction == 1.0, stage
        assert all(p.stage == stage and 0.0 <= p.fraction <= 1.0 for p in seen), (stage, seen)
        with pytest.raises(rnndyn.Interrupted):
            run(lambda p: False)
