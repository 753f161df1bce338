"""Finite reservoirs for tests/python/test_independent_mean_field.py, in NumPy/SciPy only: this module
does not import rnndyn, and the tests run it in a separate single-threaded process (see
``run_isolated``), so the reference shares neither code nor process with the code under test."""
import json
import os
import subprocess
import sys

import numpy as np
from scipy.sparse.linalg import eigs


def run_isolated(function, *args):
    """``function(*args)`` of this module in a fresh interpreter with one BLAS/OpenMP thread (the
    2-core test machine is shared; oversubscribed BLAS pools made these solves 3-5 times slower);
    complex results come back as [re, im] pairs."""
    code = ("import json, sys; sys.path.insert(0, %r); import _independent_reservoir as m; "
            "r = m.%s(*json.loads(sys.argv[1])); print(json.dumps(m.to_jsonable(r)))"
            % (os.path.dirname(os.path.abspath(__file__)), function))
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(args)], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    return from_jsonable(json.loads(proc.stdout))


def to_jsonable(value):
    if isinstance(value, tuple):
        return [to_jsonable(v) for v in value]
    arr = np.atleast_1d(np.asarray(value, complex))
    return {"re": arr.real.tolist(), "im": arr.imag.tolist()}


def from_jsonable(value):
    if isinstance(value, list):
        return tuple(from_jsonable(v) for v in value)
    return np.asarray(value["re"]) + 1j * np.asarray(value["im"])


def finite_network(N, seed, g, A, w_scale=1.0):
    """A tanh reservoir drawn with NumPy (W ~ N(0, g^2 / N), w_FB ~ U[-1, 1]), trained to the single
    level A with the least-squares readout; returns the closed-loop eigenvalue nearest 0 and
    G_OL at a few frequencies."""
    rng = np.random.default_rng(seed)
    W = rng.normal(0.0, g / np.sqrt(N), (N, N))
    w = rng.uniform(-w_scale, w_scale, N)
    x = w * A
    for _ in range(500):  # a contraction: the open loop's spectral radius is ~0.39 < 1
        x_new = W @ np.tanh(x) + w * A
        done = np.max(np.abs(x_new - x)) < 1e-14
        x = x_new
        if done:
            break
    assert np.max(np.abs(x - W @ np.tanh(x) - w * A)) < 1e-12
    r, d = np.tanh(x), 1.0 - np.tanh(x) ** 2
    w_out = A * r / (r @ r)
    J = -np.eye(N) + (W + np.outer(w, w_out)) * d[None, :]
    lam = eigs(J, k=1, sigma=0.0, return_eigenvectors=False)[0]
    K = W * d[None, :]
    gains = [w_out @ (d * np.linalg.solve((1.0 + 1j * om) * np.eye(N) - K, w)) for om in (0.0, 0.3, 1.0)]
    return lam, np.array(gains)



def finite_network_m3(N, seed, g, targets):
    """A tanh reservoir drawn with NumPy, trained to several levels by the minimum-norm exact readout
    w_out = R (R^T R)^{-1} A (R = [r_1 .. r_M]); returns, per level, the rightmost of the three
    closed-loop eigenvalues nearest 0.3 (ARPACK shift-invert; the bulk lies left of Re = rho - 1 ~
    -0.25, so these are the outliers)."""
    rng = np.random.default_rng(seed)
    W = rng.normal(0.0, g / np.sqrt(N), (N, N))
    w = rng.uniform(-1.0, 1.0, N)
    xs = []
    for A in targets:
        x = w * A
        for _ in range(3000):
            x_new = W @ np.tanh(x) + w * A
            done = np.max(np.abs(x_new - x)) < 1e-13
            x = x_new
            if done:
                break
        assert np.max(np.abs(x - W @ np.tanh(x) - w * A)) < 1e-11
        xs.append(x)
    R = np.tanh(np.array(xs)).T
    w_out = R @ np.linalg.solve(R.T @ R, np.asarray(targets, float))
    lead = []
    for x in xs:
        d = 1.0 - np.tanh(x) ** 2
        J = -np.eye(N) + (W + np.outer(w, w_out)) * d[None, :]
        lam = eigs(J, k=3, sigma=0.3, return_eigenvectors=False)
        lead.append(lam[np.argmax(lam.real)])
    return np.array(lead)


def finite_networks(N, seeds, g, A):
    """``finite_network`` for several seeds (one process for all)."""
    return tuple(finite_network(N, seed, g, A) for seed in seeds)


def finite_networks_m3(N, seeds, g, targets):
    """``finite_network_m3`` for several seeds (one process for all)."""
    return tuple(finite_network_m3(N, seed, g, targets) for seed in seeds)
