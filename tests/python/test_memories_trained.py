"""A flip-flop GRU trained here (issue 33): its memories, found from simulation, hold its bits.

A GRU of 8 units is trained with torch (CPU, fixed seeds, one thread: about 8 s) on a 2-bit
flip-flop: each output holds the sign of its input channel's last pulse. A trained network must
store 2^2 = 4 states. The test does not assume how: the memories from simulation (orbits from the
network's own hidden states at zero input) must be 4 places where the readout, trained with the
network and applied here by torch, gives the 4 different sign patterns, each the pattern the
network outputs after the orbits settle there. Whether those places are fixed or slow points is
the result's business; it must say which (here: the stable fixed points, as the slow-point test of
the GRU(16) example shows for a larger network)."""
import numpy as np
import pytest

import rnndyn

torch = pytest.importorskip("torch")

B, T, H, K = 64, 40, 8, 2


def _batch(gen):
    pulses = (torch.rand(B, T, K, generator=gen) < 0.08).float()
    signs = 2 * (torch.rand(B, T, K, generator=gen) < 0.5).float() - 1
    u = pulses * signs
    y = torch.zeros(B, T, K)
    held = torch.zeros(B, K)
    for t in range(T):
        held = torch.where(u[:, t] != 0, u[:, t], held)
        y[:, t] = held
    return u, y


@pytest.fixture(scope="module")
def trained():
    torch.manual_seed(0)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        gru, readout = torch.nn.GRU(K, H, batch_first=True), torch.nn.Linear(H, K)
        opt = torch.optim.Adam(list(gru.parameters()) + list(readout.parameters()), lr=1e-2)
        gen = torch.Generator().manual_seed(1)
        for _ in range(600):
            u, y = _batch(gen)
            h, _ = gru(u)
            loss = ((readout(h) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            u, y = _batch(gen)
            h, _ = gru(u)
            held_out = ((readout(h) - y) ** 2).mean().item()
    finally:
        torch.set_num_threads(threads)
    sd = {k: v.detach().double().numpy() for k, v in gru.state_dict().items()}
    spec = {"model": "gru", "W_ih": sd["weight_ih_l0"].tolist(), "W_hh": sd["weight_hh_l0"].tolist(),
            "b_ih": sd["bias_ih_l0"].tolist(), "b_hh": sd["bias_hh_l0"].tolist(), "u": [0.0] * K}
    return rnndyn.model_from_dict(spec), gru, readout, h.reshape(-1, H).double().numpy(), held_out


def test_trained_flipflop_memories_hold_the_four_bit_patterns(trained):
    model, gru, readout, states, held_out = trained
    assert held_out < 0.02, f"training failed (held-out loss {held_out:.3g}): the test says nothing"
    res = rnndyn.find_fixed_points(model, method="numeric", data=states)
    memories = res.memories
    assert len(memories) == 4, memories
    with torch.no_grad():
        patterns = {tuple(np.sign(readout(torch.tensor(np.array(m.x), dtype=torch.float32)).numpy()).astype(int))
                    for m in memories}
    assert patterns == {(-1, -1), (-1, 1), (1, -1), (1, 1)}
    # Each memory says what it is; here each is at a stable fixed point of rnndyn's GRU step, and
    # torch's own cell (float32) stays there: one step moves it by at most float32 rounding.
    for m in memories:
        assert m.fixed_point is not None or m.slow_point is not None
        if m.fixed_point is not None:
            assert res.fixed_points[m.fixed_point].stability.n_unstable == 0
        x = torch.tensor(np.array(m.x), dtype=torch.float32).reshape(1, 1, H)
        with torch.no_grad():
            _, x1 = gru(torch.zeros(1, 1, K), x)
        assert np.linalg.norm(x1.numpy().ravel() - np.array(m.x)) <= max(m.speed, 0.0) + 1e-5
