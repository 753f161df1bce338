"""Trains a 3-bit flip-flop ReLU RNN (nn.RNN(3, N, nonlinearity='relu')) with torch and writes it
as an rnndyn model file (model "rnn" at zero input, so the input weights are left out), for the branch-and-bound benchmark.

The task (Sussillo and Barak 2013, FixedPointFinder's example): three input channels carry sparse
+-1 pulses; each output channel must hold the sign of the last pulse on its channel. A trained
network holds its 2^3 memories as stable fixed points, with saddles between them.

    python bench/train_relu_flipflop.py --hidden 64 --out bench/models/flipflop_relu_64.json
"""
import argparse
import json

import numpy as np
import torch


def batch(rng, n, T, p=0.05):
    pulses = rng.random((n, T, 3)) < p
    signs = np.where(rng.random((n, T, 3)) < 0.5, -1.0, 1.0)
    u = pulses * signs
    y = np.zeros_like(u)
    state = np.zeros((n, 3))
    for t in range(T):
        state = np.where(u[:, t] != 0, u[:, t], state)
        y[:, t] = state
    return torch.tensor(u, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(1)
    rng = np.random.default_rng(a.seed)
    rnn = torch.nn.RNN(3, a.hidden, nonlinearity="relu", batch_first=True)
    with torch.no_grad():  # start near an identity recurrence (Le et al. 2015) so relu trains
        rnn.weight_hh_l0.copy_(0.5 * torch.eye(a.hidden) + 0.3 * torch.randn(a.hidden, a.hidden) / a.hidden**0.5)
        rnn.bias_hh_l0.zero_()
    readout = torch.nn.Linear(a.hidden, 3)
    opt = torch.optim.Adam(list(rnn.parameters()) + list(readout.parameters()), lr=3e-3)
    for step in range(a.steps):
        u, y = batch(rng, 64, 60)
        h, _ = rnn(u)
        loss = ((readout(h) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(rnn.parameters(), 1.0)
        opt.step()
        if step % 250 == 0 or step == a.steps - 1:
            print(f"step {step} loss {loss.item():.4f}", flush=True)
    sd = {k: v.detach().double().numpy().tolist() for k, v in rnn.state_dict().items()}
    spec = {
        "model": "rnn",
        "activation": "relu",
        "W_hh": sd["weight_hh_l0"],
        "b_ih": sd["bias_ih_l0"],
        "b_hh": sd["bias_hh_l0"],
    }
    with open(a.out, "w") as f:
        json.dump(spec, f)
    print(f"wrote {a.out} (final loss {loss.item():.2e})")


if __name__ == "__main__":
    main()
