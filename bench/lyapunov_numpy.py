#!/usr/bin/env python3
"""NumPy reference of the QR Lyapunov algorithm of rnndyn (fixed-step RK4), for bench_lyapunov.

dx/dt = -x + g W tanh(x),  dQ/dt = J Q,  J = -I + g W diag(1 - tanh(x)^2);
every `interval` time units Q R = Q (numpy.linalg.qr, diag R made positive), lambda_k = sum log R_kk / T.
Reads W, x0 and Q0 from .npy files so that both implementations start from the same state, times
only the loop (not the import or the loading), and prints {"seconds", "exponents"} as JSON.
"""
import argparse
import json
import time

import numpy as np


def lyapunov(W, x, Q, g, t_total, interval, dt):
    n, k = Q.shape
    steps = max(1, int(np.ceil(interval / dt - 1e-9)))
    h = interval / steps
    intervals = int(np.floor(t_total / interval + 1e-9))
    gW = g * W
    logs = np.zeros(k)

    def deriv(x, Q):
        th = np.tanh(x)
        dx = -x + gW @ th
        dQ = -Q + gW @ ((1.0 - th * th)[:, None] * Q)
        return dx, dQ

    for _ in range(intervals):
        for _ in range(steps):
            k1x, k1Q = deriv(x, Q)
            k2x, k2Q = deriv(x + 0.5 * h * k1x, Q + 0.5 * h * k1Q)
            k3x, k3Q = deriv(x + 0.5 * h * k2x, Q + 0.5 * h * k2Q)
            k4x, k4Q = deriv(x + h * k3x, Q + h * k3Q)
            x = x + (h / 6) * (k1x + 2 * k2x + 2 * k3x + k4x)
            Q = Q + (h / 6) * (k1Q + 2 * k2Q + 2 * k3Q + k4Q)
        Q, R = np.linalg.qr(Q)
        d = np.diag(R)
        logs += np.log(np.abs(d))
        Q = Q * np.sign(d)
    return logs / (intervals * interval)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--W", required=True)
    ap.add_argument("--x0", required=True)
    ap.add_argument("--Q0", required=True)
    ap.add_argument("--g", type=float, default=4.0)
    ap.add_argument("--t", type=float, default=1.0)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--dt", type=float, default=0.1)
    a = ap.parse_args()
    W = np.load(a.W)
    x0 = np.load(a.x0).reshape(-1)
    Q0, _ = np.linalg.qr(np.load(a.Q0))
    start = time.perf_counter()
    exps = lyapunov(W, x0, Q0, a.g, a.t, a.interval, a.dt)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "exponents": exps.tolist()}))


if __name__ == "__main__":
    main()
