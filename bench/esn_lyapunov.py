#!/usr/bin/env python3
"""Lyapunov spectrum of a trained closed-loop ESN (issue 31): rnndyn against the same QR algorithm in
NumPy on ReservoirPy's own states, in one run.

A ReservoirPy ESN(feedback=True) of N tanh units (lr = 0.3, sr 1.2, no input) is taught a sine by
teacher forcing and run closed loop. From a state on its attractor both sides measure the leading
k exponents over T steps, re-orthonormalising every step (Q R = J Q, lambda_k = sum log R_kk / T)
from the same orthonormal frame:

- rnndyn: ``rnndyn.lyapunov(rnndyn.reservoirpy.from_model(esn), x0=..., k=k, warmup=0, t_total=T)``
  (its own trajectory, the analytic Jacobian, BLAS products, Householder QR);
- NumPy: the trajectory from ReservoirPy's ``run`` (return_reservoir_activity), the Jacobian
  J_t = diag(1 - lr) + diag(lr tanh'(a_t)) (W + W_fb W_out) at each ReservoirPy state, numpy.linalg.qr.

Times cover the measurement only (not training, not the model conversion); prints one JSON line.

    nice -n 19 .venv/bin/python bench/esn_lyapunov.py --N 1000 --k 10 --T 1000
"""
import argparse
import json
import time

import numpy as np
from reservoirpy import ESN
from reservoirpy.nodes import Reservoir, Ridge

import rnndyn
import rnndyn.reservoirpy as rr


def trained_esn(n, seed):
    res = Reservoir(n, lr=0.3, sr=1.2, input_connectivity=1.0, input_scaling=0.5, seed=seed)
    esn = ESN(reservoir=res, readout=Ridge(ridge=1e-4, name="readout"), feedback=True,
              return_reservoir_activity=True)
    t = np.arange(2000)
    y = 0.8 * np.sin(2 * np.pi * t / 40)[:, None]
    esn.fit(np.zeros((len(t), 0)), y, warmup=100)
    return esn


def reservoirpy_states(esn, spec, x0, steps):
    """x_0 .. x_steps of ReservoirPy's closed loop from x0 (feedback buffer: the readout of x0)."""
    esn.reservoir.state = {"out": x0.copy()}
    y0 = spec["W_out"] @ x0 + spec["b_out"]
    esn.feedback_buffers = {edge: y0[None, :].copy() for edge in esn.feedback_buffers}
    states = esn.run(iters=steps)["reservoir"]
    return np.vstack([x0[None, :], states])


def numpy_lyapunov(spec, states, Q):
    """The QR algorithm on given states: Q <- qr(J(x_t) Q) every step."""
    M = spec["W"] + spec["W_fb"] @ spec["W_out"]
    d = spec["b"] + spec["W_fb"] @ spec["b_out"]
    lr = spec["lr"] * np.ones(M.shape[0])
    logs = np.zeros(Q.shape[1])
    steps = len(states) - 1
    for t in range(steps):
        a = M @ states[t] + d
        dphi = 1.0 - np.tanh(a) ** 2
        Q = (1.0 - lr)[:, None] * Q + (lr * dphi)[:, None] * (M @ Q)
        Q, R = np.linalg.qr(Q)
        diag = np.diag(R)
        logs += np.log(np.abs(diag))
        Q = Q * np.sign(diag)
    return logs / steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--N", type=int, default=1000)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--T", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    esn = trained_esn(a.N, a.seed)
    spec = rr.model_dict(esn)
    model = rr.from_model(esn)
    rng = np.random.default_rng(a.seed)
    x = rng.normal(scale=0.1, size=a.N)
    x0 = reservoirpy_states(esn, spec, x, 500)[-1]  # onto the attractor
    Q0, _ = np.linalg.qr(rng.standard_normal((a.N, a.k)))

    start = time.perf_counter()
    spectrum = rnndyn.lyapunov(model, x0=x0, k=a.k, warmup=0, t_total=a.T, initial_tangents=Q0)
    t_rnndyn = time.perf_counter() - start

    start = time.perf_counter()
    states = reservoirpy_states(esn, spec, x0, a.T)
    t_states = time.perf_counter() - start
    start = time.perf_counter()
    ref = numpy_lyapunov(spec, states, Q0)
    t_numpy = time.perf_counter() - start

    print(json.dumps({
        "N": a.N, "k": a.k, "T": a.T,
        "rnndyn_seconds": round(t_rnndyn, 3),
        "reservoirpy_run_seconds": round(t_states, 3),
        "numpy_qr_seconds": round(t_numpy, 3),
        "ratio_numpy_total_over_rnndyn": round((t_states + t_numpy) / t_rnndyn, 2),
        "rnndyn": [round(float(v), 5) for v in spectrum.exponents],
        "ci_low_1": round(float(spectrum.ci_low[0]), 5), "ci_high_1": round(float(spectrum.ci_high[0]), 5),
        "numpy": [round(float(v), 5) for v in ref],
        "max_abs_difference": float(np.abs(np.sort(ref)[::-1] - spectrum.exponents).max()),
        "trajectory_gap": float(np.abs(states[-1] - spectrum.final_state).max()),
    }))


if __name__ == "__main__":
    main()
