#!/usr/bin/env python3
"""Basins of a 3-bit flip-flop GRU (issue 29): from the network's own states (plus noise), which of
its 8 memories does each reach, what share goes to each, and which memories are neighbours?

The census finds the fixed points first (27: 8 stable memories, 12 index-1 saddles, ...), runs
every start until it enters a memory's error ball, and follows both branches of every index-1
saddle's unstable manifold: the saddles join the memories that differ in one bit, so the saddle
graph is the cube's edge graph. The picture (basins_flipflop.png) shows the starts in their first
two principal components coloured by the memory they reach, with that graph on top.

    .venv/bin/python examples/basins_flipflop.py
"""
import itertools
import json
from pathlib import Path

import numpy as np

import rnndyn
import rnndyn.plot

HERE = Path(__file__).resolve().parent

model = rnndyn.load_model(HERE / "gru_flipflop.json")
states = np.array(json.loads((HERE / "gru_flipflop_states.json").read_text())["states"])
result = rnndyn.basins(model, data=states, noise=0.1, starts=1000, seed=0)
print(result)
for i, a in enumerate(result.attractors):
    print(f"  A{i}: {a.kind:11s} share {a.fraction:6.1%}  [{a.ci_low:.3f}, {a.ci_high:.3f}]  "
          f"mean time {a.mean_time:5.0f} steps")
print(f"  unsettled {result.n_unsettled}, diverged {result.n_diverged} of {result.n_starts}")

edges = sorted((e.a, e.b) for e in result.graph)
print(f"saddle graph: {len(result.saddles)} index-1 saddles join {len(edges)} pairs: {edges}")
cube = any(all(bin(bits[a] ^ bits[b]).count("1") == 1 for a, b in edges) for bits in itertools.permutations(range(8)))
print("the memories are joined as the edges of a cube:", cube and len(edges) == 12)

rnndyn.plot.basins(result).savefig(HERE / "basins_flipflop.png", dpi=120)
print("wrote", HERE / "basins_flipflop.png")
