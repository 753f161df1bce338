#!/usr/bin/env python3
"""Trains 3-bit flip-flop networks (GRU, LSTM, tanh RNN) with PyTorch and writes each as an rnndyn
model file plus the states it visits on held-out trials, into bench/models/:

  flipflop_<name>.json            the model (rnndyn's PyTorch state_dict layout, zero input u)
  flipflop_<name>_W_hh.npy, _W_ih.npy   its matrices (float32: the trained values, exactly)
  flipflop_<name>_states.npy      states visited on held-out trials (float32; 2000 rows, 1000 for
                                  state dim > 64; LSTM: [h; c])
  flipflop_trained.json           manifest: architecture, steps, time, held-out loss and bit error

The task (Sussillo and Barak 2013; FixedPointFinder's example): three inputs carry sparse +-1
pulses (probability 0.05 per bit and step), each output must hold the sign of the last pulse on its
channel (the generator of fpf_compare.py). Training: one-layer cell + linear readout, MSE, Adam
(lr 1e-2, the last third of the steps at 1e-3), gradient norm clipped at 1, batch 128 x 64 steps,
CPU, float32, one thread, seeded (torch.manual_seed, numpy default_rng). A network is trained when
its outputs hold the bits: the bit error is the fraction of (trial, step, bit) with a pulse so far
whose output sign differs from the target, on 512 held-out trials of 64 steps.

    PYTHONHASHSEED=0 /work/main/.venv/bin/python bench/train_flipflop.py            # all networks
    /work/main/.venv/bin/python bench/train_flipflop.py --only gru64 lstm32

The committed files make the benchmarks reproducible without retraining (torch results can differ
across versions and CPUs).
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flipflop_models import (MODELS_DIR, flipflop_batch, hidden_states, hidden_states_from, make_module,  # noqa: E402
                             read_spec, save_model, step64)

# name: (kind, hidden, training steps)
NETWORKS = {
    "gru16": ("gru", 16, 1500),
    "gru64": ("gru", 64, 1200),
    "lstm16": ("lstm", 16, 1500),
    "lstm32": ("lstm", 32, 1500),
    "tanh64": ("tanh", 64, 1500),
    "tanh128": ("tanh", 128, 1200),
    "gru128": ("gru", 128, 900),
}
N_BITS = 3


def evaluate(module, readout, kind, x, y):
    import torch

    with torch.no_grad():
        out, _ = module(torch.from_numpy(x))
        z = readout(out).numpy()
    loss = float(np.mean((z - y) ** 2))
    held = y != 0
    bit_error = float(np.mean(np.sign(z[held]) != y[held]))
    return loss, bit_error


def train_one(name, kind, hidden, steps, seed, lr, log_every=100):
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    module = make_module(kind, N_BITS, hidden)
    readout = torch.nn.Linear(hidden, N_BITS)
    params = list(module.parameters()) + list(readout.parameters())
    opt = torch.optim.Adam(params, lr=lr)
    t0 = time.perf_counter()
    loss = float("nan")
    for step in range(steps):
        if step == (2 * steps) // 3:
            for g in opt.param_groups:
                g["lr"] = lr / 10
        x, y = flipflop_batch(rng, 128, 64, N_BITS)
        out, _ = module(torch.from_numpy(x))
        loss_t = torch.mean((readout(out) - torch.from_numpy(y)) ** 2)
        opt.zero_grad()
        loss_t.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        loss = float(loss_t.item())
        if step % log_every == 0 or step == steps - 1:
            print(f"  {name} step {step}: loss {loss:.3g} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return module, readout, loss, time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", default=None, help=f"subset of {', '.join(NETWORKS)}")
    ap.add_argument("--steps", type=int, default=0, help="override the training steps (0: per network)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--n-states", type=int, default=0,
                    help="rows of the states file (held-out visited states); 0: 2000, 1000 for state dim > 64")
    ap.add_argument("--out-dir", default=str(MODELS_DIR))
    args = ap.parse_args()

    import torch

    torch.set_num_threads(1)
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    man_path = out_dir / "flipflop_trained.json"
    man = json.loads(man_path.read_text()) if man_path.exists() else {}
    for name in args.only or list(NETWORKS):
        kind, hidden, steps = NETWORKS[name]
        steps = args.steps or steps
        module, readout, train_loss, wall = train_one(name, kind, hidden, steps, args.seed, args.lr)
        # Held-out trials: a generator seeded apart from training.
        rng = np.random.default_rng(10_000 + args.seed)
        x, y = flipflop_batch(rng, 512, 64, N_BITS)
        loss, bit_error = evaluate(module, readout, kind, x, y)
        states = hidden_states(module, kind, x).reshape(-1, hidden * (2 if kind == "lstm" else 1))
        n_rows = args.n_states or (2000 if states.shape[1] <= 64 else 1000)
        rows = np.sort(rng.choice(len(states), size=min(n_rows, len(states)), replace=False))
        path = out_dir / f"flipflop_{name}.json"
        save_model(module, kind, path)
        np.save(out_dir / f"flipflop_{name}_states.npy", states[rows].astype(np.float32))
        # The file reproduces the module: one step of the float64 NumPy cell (at u = 0) from
        # states of a zero-input run matches torch's next state (float32) to ~1e-6.
        spec = read_spec(path)
        traj = hidden_states(module, kind, x[:8, :20])  # (8, 20, dim), then 20 steps at zero input:
        traj = np.concatenate([traj, hidden_states_from(module, kind, traj[:, -1], 20)], axis=1)[:, 19:]
        check = float(np.abs(step64(spec, traj[:, :-1].reshape(-1, traj.shape[2]))
                             - traj[:, 1:].reshape(-1, traj.shape[2])).max())
        man[name] = {"file": path.name, "states": f"flipflop_{name}_states.npy", "cell": kind, "hidden": hidden,
                     "state_dim": spec["W_hh"].shape[1] * (2 if kind == "lstm" else 1),
                     "train_steps": steps, "train_seconds": round(wall, 1), "seed": args.seed, "lr": args.lr,
                     "final_train_loss": train_loss, "heldout_loss": loss, "heldout_bit_error": bit_error,
                     "file_vs_torch_step": check, "torch": torch.__version__}
        print(f"{name}: {kind} H={hidden}, {steps} steps in {wall:.0f} s, train loss {train_loss:.3g}, "
              f"held-out loss {loss:.3g}, bit error {bit_error:.2e} (file vs torch {check:.1e})", file=sys.stderr)
        man_path.write_text(json.dumps(dict(sorted(man.items())), indent=2) + "\n")


if __name__ == "__main__":
    main()
