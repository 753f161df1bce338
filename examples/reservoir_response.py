"""Seed 003, Fig. 2: a trained reservoir responds to input through w_in with a resonance at one
fixed point and none at the other.

A reservoir (tanh, g = 0.9, N = 1000, seed 1) is trained to hold z = 0.5, 1 and 1.5; 0.5 (A_1)
and 1.5 (A_3) are stable. Around each, `rnndyn.response` measures the transfer function of z
over the input u (through w_in) from an impulse, set beside the mean-field closed-loop poles, and
`rnndyn.simulate` drives both with the same white noise (the figure's inset).

    .venv/bin/python examples/reservoir_response.py [figure.png]
"""
import sys

import numpy as np

import rnndyn

N, TARGETS = 1000, [0.5, 1.0, 1.5]
model = rnndyn.model_from_dict({"model": "reservoir", "N": N, "g": 0.9, "seed": 1, "targets": TARGETS})

# The trained fixed points are the open-loop ones, x = W tanh(x) + w_FB A (eq. 3): iterate it
# (it contracts: rho < 1) with the model's own weights.
W = np.array([[model.parameter(f"W[{i},{j}]") for j in range(N)] for i in range(N)])
w_fb = np.array([model.parameter(f"w_FB[{i}]") for i in range(N)])
theory = rnndyn.mean_field(activation="tanh", g=0.9, targets=TARGETS).to_dict()["levels"]

responses, noise_runs = {}, {}
for m in (0, 2):
    A = TARGETS[m]
    x = w_fb * A
    for _ in range(2000):
        x = W @ np.tanh(x) + w_fb * A
    res = rnndyn.response(model, x0=x, t_end=800, dt=0.05, amplitude=1e-3, omega_max=1.0, n_omega=50)
    poles = [complex(*p) for p in theory[m]["poles"]]
    print(f"A = {A}: |G| peaks at omega = {res.peak_omega:.2f} (|G| = {res.peak_gain:.3g}; "
          f"{res.gain[0]:.3g} at omega = {res.omega[0]:.2f}); mean-field poles "
          + ", ".join(f"{p.real:.3f}{p.imag:+.3f}i" for p in poles))
    responses[A] = res
    noise = {"kind": "noise", "sigma": 0.05, "dt": 0.1, "seed": 7}
    noise_runs[A] = rnndyn.simulate(model, x, t_end=150, dt=0.5, inputs=[noise])

if len(sys.argv) > 1:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    for A, res in responses.items():
        ax.plot(res.omega, res.gain, label=f"A = {A}")
        ax.fill_between(res.omega, np.maximum(res.gain - res.band, 0), res.gain + res.band, alpha=0.3)
        run = noise_runs[A]
        bx.plot(run.t, run.z[:, 0] - A, label=f"z - {A}")
    ax.set(xlabel="omega", ylabel="|G(omega)|", yscale="log", title="response through w_in")
    bx.set(xlabel="t", ylabel="z - A", title="same white noise through w_in")
    ax.legend()
    bx.legend()
    fig.savefig(sys.argv[1], dpi=120)
