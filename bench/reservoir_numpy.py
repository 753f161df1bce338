#!/usr/bin/env python3
"""NumPy/SciPy counterpart of bench/bench_reservoir.cpp (seed 003), timed in the same run.

Runs the C++ benchmark (which writes its matrices as .npy), then does the same work with NumPy:
  1. closed-loop spectrum: numpy.linalg.eigvals(J), J = -I + (W + w_FB w_out^T) R'   (N x N)
  2. G_OL on 200 frequencies: scipy.linalg.eig(K, left=True, right=True) once, then the modal sum
     (the algorithm rnndyn uses), and, for scale, one dense complex solve per frequency.
and prints times, ratios and the max deviation of G_OL from rnndyn's values.

usage: python3 bench/reservoir_numpy.py BUILD_DIR/bench/bench_reservoir [N]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.linalg as sla


def best_of(f, repeat=2):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    exe = sys.argv[1]
    n = sys.argv[2] if len(sys.argv) > 2 else "3000"
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, RNNDYN_BENCH_DUMP=d, RNNDYN_BENCH_N=n)
        proc = subprocess.run([exe, "--benchmark_format=json"], env=env, capture_output=True, text=True, check=True)
        cpp = {b["name"].split("/iterations")[0]: b["real_time"] / 1e3  # ms -> s
               for b in json.loads(proc.stdout)["benchmarks"]}
        K, J = np.load(f"{d}/K.npy"), np.load(f"{d}/J.npy")
        b, c = np.load(f"{d}/b.npy"), np.load(f"{d}/c.npy")
        G_ref = np.load(f"{d}/G_rnndyn.npy")
    omegas = G_ref[:, 0]
    g_cpp = G_ref[:, 1] + 1j * G_ref[:, 2]

    t_eig, _ = best_of(lambda: np.linalg.eigvals(J))

    def modal():
        lam, vl, vr = sla.eig(K, left=True, right=True)
        res = (c @ vr) * (vl.conj().T @ b) / np.einsum("ij,ij->j", vl.conj(), vr)
        return np.array([np.sum(res / (1 + 1j * w - lam)) for w in omegas])

    t_gain, g_np = best_of(modal)
    I = np.eye(K.shape[0])
    w10 = omegas[10]
    t_direct, g_direct = best_of(lambda: c @ np.linalg.solve((1 + 1j * w10) * I - K, b))

    rows = [
        ("closed-loop spectrum (eigvals)", cpp["BM_ClosedLoopSpectrum"], t_eig),
        ("G_OL, 200 frequencies (modal)", cpp["BM_OpenLoopGain200"], t_gain),
        ("G_OL, 1 frequency (dense solve)", cpp["BM_OpenLoopGainDirect1"], t_direct),
    ]
    print(f"N = {K.shape[0]}")
    print(f"{'task':36s} {'rnndyn [s]':>11s} {'numpy [s]':>10s} {'numpy/rnndyn':>13s}")
    for name, tc, tn in rows:
        print(f"{name:36s} {tc:11.3f} {tn:10.3f} {tn / tc:13.2f}")
    print(f"max |G_rnndyn - G_numpy| over 200 frequencies: {np.max(np.abs(g_cpp - g_np)):.2e}")
    print(f"|G_rnndyn - dense solve| at omega = {w10:.4f}: {abs(g_cpp[10] - g_direct):.2e}")
    print(f"mean field (C++ only): M=1 {cpp['BM_MeanField/1'] * 1e3:.2f} ms, M=3 {cpp['BM_MeanField/3'] * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
