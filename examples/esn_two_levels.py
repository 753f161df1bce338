"""An echo state network trained in ReservoirPy to hold two output levels, and rnndyn's verdict on each.

ReservoirPy's ESN(feedback=True) (150 tanh units, lr = 0.3, spectral radius 0.8, no input) is taught
by teacher forcing to output y = -0.5 and y = 0.8 and then runs closed loop: its readout is fed back.
Whether a level is *held* is a question about the closed loop, x' = (1 - lr) x + lr tanh((W + W_fb
W_out) x + ...): is there a fixed point whose readout is the level, and is it stable? rnndyn answers it
from the weights (rnndyn.reservoirpy.from_model, then rnndyn.find_fixed_points), and a long ReservoirPy
run from next to each fixed point confirms it. Trained twice: with a little teacher noise (both
levels hold) and without it, with stronger feedback (a level is lost).

    .venv/bin/python examples/esn_two_levels.py
"""
import numpy as np
from reservoirpy import ESN
from reservoirpy.nodes import Reservoir, Ridge

import rnndyn
import rnndyn.reservoirpy

LEVELS = (-0.5, 0.8)


def train(noise, feedback_scaling):
    res = Reservoir(150, lr=0.3, sr=0.8, input_connectivity=1.0, input_scaling=feedback_scaling, seed=1)
    esn = ESN(reservoir=res, readout=Ridge(ridge=1e-6, name="readout"), feedback=True,
              return_reservoir_activity=True)
    target = np.concatenate([np.full((200, 1), level) for level in LEVELS * 2])
    teacher = target + noise * np.random.default_rng(0).standard_normal(target.shape)
    esn.fit(np.zeros((len(target), 0)), teacher, warmup=50)
    return esn


def reservoirpy_run(esn, spec, x, steps=3000):
    """ReservoirPy's own closed loop from x (feedback buffer holding the readout of x)."""
    esn.reservoir.state = {"out": x.copy()}
    y = spec["W_out"] @ x + spec["b_out"]
    esn.feedback_buffers = {edge: y[None, :].copy() for edge in esn.feedback_buffers}
    return esn.run(iters=steps)["readout"][:, 0]


for noise, scaling in [(0.05, 0.5), (0.0, 2.0)]:
    esn = train(noise, scaling)
    spec = rnndyn.reservoirpy.model_dict(esn, levels=LEVELS)
    model = rnndyn.reservoirpy.from_model(esn, levels=LEVELS)
    result = rnndyn.find_fixed_points(model, method="numeric", starts=4, slow_manifolds={"enabled": False})
    print(f"teacher noise {noise}, feedback scaling {scaling}: {len(result.numeric.fixed_points)} fixed points")
    for m, (level, x_m) in enumerate(model.trained_states):
        # Ridge's readout is not exact: the fixed point that holds the level sits next to the
        # open-loop state x_m (seed 003's trained state), not on it; rnndyn labels it trained_state m
        # and says how far it is (trained_distance).
        labelled = [q for q in result.numeric.fixed_points if q.trained_state == m]
        if not labelled:
            print(f"  level {level:+.2f}: no fixed point next to its trained state: the closed loop lost it")
            continue
        p = labelled[0]
        y = (spec["W_out"] @ p.x + spec["b_out"])[0]
        modulus = np.abs(p.eigenvalues).max()
        kick = p.x + 1e-4 * np.random.default_rng(1).standard_normal(p.x.size)
        late = reservoirpy_run(esn, spec, kick)[-200:]
        held = np.abs(late - y).max() < 1e-6
        print(f"  level {level:+.2f}: fixed point {p.trained_distance:.1e} from x_m reads y = {y:+.4f}, "
              f"max |eigenvalue| = {modulus:.4f} "
              f"-> rnndyn: {p.stability.type}; ReservoirPy from 1e-4 away: "
              f"{'returns' if held else f'leaves (y ends at {late[-1]:+.3f})'}")
    lyap = rnndyn.lyapunov(model, k=1, warmup=500, t_total=2000)
    print(f"  largest Lyapunov exponent from the first level: {lyap.exponents[0]:+.4f} per step "
          f"[{lyap.ci_low[0]:+.4f}, {lyap.ci_high[0]:+.4f}]")
