"""Issue 31, item 3: seed 003's output pole in discrete time. A trained reservoir (tanh, g = 0.5,
A = 1) read as a leaky ESN on its rates r = tanh(x), r' = (1 - lr) r + lr tanh(W r + w_FB y),
y = w_out^T r, holds the same level at r_1 = tanh(x_1), and its closed-loop multipliers are
mu = 1 + lr lambda for every eigenvalue lambda of the continuous closed loop -I + (W + w_FB w_out^T) R'
(docs/reservoir.md, "ESNs from ReservoirPy"): the outlier is mu_out = 1 + lr lambda_out, the bulk the
disc |mu - (1 - lr)| <= lr rho. Checked exactly against the finite network, and against the mean-field
lambda_out within the finite-size band of docs/reservoir.md (N = 300: |lambda_CL - lambda_out| < 0.03)."""
import numpy as np

import rnndyn

N, G, A, LR = 300, 0.5, 1.0, 0.3


def reservoir_as_esn():
    res = rnndyn.model_from_dict({"model": "reservoir", "N": N, "g": G, "seed": 1, "targets": [A]})
    W = np.array([[res.parameter(f"W[{i},{j}]") for j in range(N)] for i in range(N)])
    w_fb = np.array([res.parameter(f"w_FB[{i}]") for i in range(N)])
    w_out = np.array([res.parameter(f"w_out[{i}]") for i in range(N)])
    esn = rnndyn.model_from_dict({"model": "esn", "W": W, "W_fb": w_fb[:, None], "W_out": w_out[None, :], "lr": LR,
                                  "loop": "closed", "trained_levels": [A]})
    return res, esn, W, w_out


def test_leaky_esn_outlier_is_one_plus_lr_times_the_continuous_pole():
    res, esn, W, w_out = reservoir_as_esn()
    x1 = res.trained_states[0][1]
    r1 = np.tanh(x1)
    assert abs(w_out @ r1 - A) < 1e-9
    assert np.abs(esn.rhs(r1) - r1).max() < 1e-9  # the same level, held by the ESN
    # The ESN's own trained state (trained_levels) is the open-loop state tanh(x_1).
    np.testing.assert_allclose(esn.trained_states[0][1], r1, atol=1e-9)
    mu = np.linalg.eigvals(esn.jacobian(r1))
    lam = np.linalg.eigvals(res.jacobian(x1))
    np.testing.assert_allclose(np.sort_complex(mu), np.sort_complex(1 + LR * lam), atol=1e-9)
    # The outlier: the multiplier outside the bulk disc around 1 - lr of radius lr rho.
    rho = np.abs(np.linalg.eigvals((1 - r1**2)[:, None] * W)).max()
    outside = mu[np.abs(mu - (1 - LR)) > LR * rho * 1.05]
    assert outside.size == 1 and abs(outside[0].imag) < 1e-12
    mf = rnndyn.mean_field(g=G, targets=[A])
    lambda_out = mf.levels[0].lambda_out
    assert abs(outside[0].real - (1 + LR * lambda_out)) < LR * 0.03
    assert abs(outside[0]) < 1  # stable, as the continuous theory says for tanh
