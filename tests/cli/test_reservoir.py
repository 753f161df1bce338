"""`rnndyn mft` and `rnndyn reservoir` (seed 003): JSON contents and one-line errors on bad input."""
import json

import pytest

from conftest import EXAMPLES, assert_one_line_error


def test_mft_single_target_tanh(rnndyn):
    r = rnndyn("mft", "--activation", "tanh", "--g", "1.5", "--targets", "1.0", "--n-omega", "5")
    assert r.returncode == 0, r.stderr
    j = r.json()
    lvl = j["levels"][0]
    assert j["status"] == "converged"
    # lambda_out = -(1 - A beta0 - beta1) (eq. 14) and eq. 15 agree; tanh is always stable.
    assert lvl["lambda_out"] == pytest.approx(-(1 - lvl["beta0"] - lvl["beta1"]), abs=1e-12)
    assert lvl["lambda_out"] == pytest.approx(lvl["lambda_out_eq15"], abs=1e-9)
    assert lvl["lambda_out"] < 0 and lvl["stable"] and lvl["nyquist_stable"]
    assert 0 < lvl["rho"] < 1 and lvl["sigma2"] > 0
    assert len(lvl["gain"]) == 5 and len(j["omega"]) == 5
    # G_OL(0) = A beta0 / (1 - beta1) (eq. 13).
    assert lvl["gain"][0][0] == pytest.approx(lvl["beta0"] / (1 - lvl["beta1"]), rel=1e-10)


def test_mft_relu_unstable_and_multi_target(rnndyn):
    r = rnndyn("mft", "--activation", "relu", "--threshold", "0.1", "--g", "1.1", "--targets", "1.0")
    lvl = r.json()["levels"][0]
    assert lvl["lambda_out"] > 0 and not lvl["stable"] and not lvl["nyquist_stable"]
    assert lvl["nyquist"]["unstable_poles"] == 1
    r = rnndyn("mft", "--g", "1.0", "--targets", "0.5,1.0,1.5", "--n-omega", "0")
    levels = r.json()["levels"]
    assert len(levels) == 3 and all(len(l["poles"]) == 3 for l in levels)
    for l in levels:
        unstable = sum(p[0] > 0 for p in l["poles"])
        assert l["nyquist"]["unstable_poles"] == unstable
    assert abs(levels[0]["poles"][0][1]) > 0.1 and levels[0]["poles"][0][0] > 0  # Fig. 1D


def test_reservoir_small_network_and_output_file(rnndyn, tmp_path):
    out = tmp_path / "res.json"
    r = rnndyn("reservoir", "--N", "300", "--g", "0.5", "--targets", "1.0", "--seed", "3", "--n-omega", "4",
               "--transient", "2", "--spectrum", "-o", out)
    assert r.returncode == 0, r.stderr
    j = json.loads(out.read_text())
    fin = j["finite"]["levels"][0]
    mft = j["mean_field"]["levels"][0]
    assert j["finite"]["training_status"] == "converged"
    assert len(fin["eigenvalues"]) == 300
    assert fin["outliers"][0][0] == pytest.approx(mft["lambda_out"], abs=0.05)
    assert fin["rho"] == pytest.approx(mft["rho"], abs=0.1)
    assert fin["nyquist_stable"] == fin["stable"]
    assert len(fin["transient"]["z"]) == len(fin["transient"]["t"]) == 21
    assert abs(fin["transient"]["z"][-1]) < abs(fin["transient"]["z"][0])


def test_reservoir_config_file(rnndyn, tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"N": 200, "g": 1.1, "activation": "relu", "threshold": 0.1, "targets": [1.0],
                               "n_omega": 3}))
    r = rnndyn("reservoir", "--config", cfg, "--seed", "2")
    assert r.returncode == 0, r.stderr
    j = r.json()
    assert j["finite"]["N"] == 200 and j["finite"]["seed"] == 2 and j["options"]["mean_field"]["activation"] == "relu"


@pytest.mark.parametrize("args,needle", [
    (["mft", "--g", "-1"], "g"),
    (["mft", "--targets", "1.0,1.0"], "targets"),
    (["mft", "--activation", "cosine"], "activation"),
    (["mft", "--feedback", "cauchy"], "--feedback"),
    (["mft", "--hermite-order", "2"], "--hermite-order: "),
    (["mft", "--n-omega", "-3"], "--n-omega"),
    (["mft", "--omega-max", "0"], "--omega-max"),
    (["mft", "--feedback-scale", "0"], "--feedback-scale: "),
    (["reservoir", "--N", "1"], "--N"),
    (["reservoir", "--N", "50", "--seed", "-2"], "--seed"),
    (["reservoir", "--N", "50", "--ridge", "-1"], "--ridge: "),
    (["reservoir", "--N", "50", "--transient", "-1"], "--transient"),
    (["reservoir", "--N", "50", "--kick", "0", "--transient", "1"], "--kick"),
    (["mft", "--config", "/nonexistent/x.json"], "--config"),
])
def test_bad_input(rnndyn, args, needle):
    assert_one_line_error(rnndyn(*args), needle)


def test_bad_config(rnndyn, tmp_path):
    cfg = tmp_path / "bad.json"
    cfg.write_text(json.dumps({"gain": 1.0}))
    assert_one_line_error(rnndyn("mft", "--config", cfg), "gain")
    cfg.write_text("{not json")
    assert_one_line_error(rnndyn("mft", "--config", cfg), "--config")
    cfg.write_text(json.dumps({"g": "big"}))
    assert_one_line_error(rnndyn("mft", "--config", cfg), "g")


def test_reservoir_model_file(rnndyn, write_model):
    # Generator form of the model file: a trained closed loop that `simulate` accepts.
    path = write_model({"model": "reservoir", "N": 40, "g": 0.5, "seed": 1, "targets": [1.0]})
    r = rnndyn("simulate", path, "--t-end", "1", "--dt", "0.5")
    assert r.returncode == 0, r.stderr
    bad = write_model({"model": "reservoir", "N": 40.5, "g": 0.5}, name="bad.json")
    assert_one_line_error(rnndyn("simulate", bad, "--t-end", "1"), "N")


@pytest.mark.parametrize("name", ["reservoir_fig1a", "reservoir_fig1b", "reservoir_fig1c", "reservoir_fig1d",
                                  "reservoir_fig2"])
def test_examples_theory(rnndyn, name):
    # The bundled configs run instantly in theory-only mode and reproduce the figures' verdicts.
    path = EXAMPLES / f"{name}.json"
    r = rnndyn("mft", "--config", path, "--n-omega", "0")
    assert r.returncode == 0, r.stderr
    levels = r.json()["levels"]
    expected = {"reservoir_fig1a": [True], "reservoir_fig1b": [True], "reservoir_fig1c": [False],
                "reservoir_fig1d": [False, False, True], "reservoir_fig2": [True, False, True]}[name]
    assert [l["stable"] for l in levels] == expected
    assert [l["nyquist_stable"] for l in levels] == expected


# One out-of-range value per config key (those validate() checks): the error names the key as the
# file writes it, not the flag of the same field (the user typed no --n-omega).
OUT_OF_RANGE = {"g": -1, "targets": [1, 1], "feedback_scale": 0, "hermite_order": 2, "feedback_order": 1, "tol": 1,
                "max_iter": 0, "omegas": [-1], "n_omega": -3, "omega_max": 0, "nyquist.omega_min": 0,
                "nyquist.initial_points": 2, "nyquist.max_angle_step": 2, "nyquist.max_evaluations": -1, "N": 1,
                "ridge": -1, "transient": -1, "activation": "cosine", "threshold": 0.5}


def _config(key, value):
    if key.startswith("nyquist."):
        return {"nyquist": {key[len("nyquist."):]: value}}
    return {key: value}


def test_every_config_key_is_named_as_the_file_writes_it(rnndyn, tmp_path):
    # The keys come from the options a run writes (the descriptions the file is read through), so a
    # new field is covered without a line here.
    mft = rnndyn("mft", "--targets", "1", "--n-omega", "0").json()["options"]
    finite = rnndyn("reservoir", "--N", "10", "--targets", "1", "--n-omega", "0").json()["options"]
    keys = [k for k in mft if k != "nyquist"] + [f"nyquist.{k}" for k in mft["nyquist"]]
    keys += [k for k in finite if k != "mean_field"]
    assert {"g", "n_omega", "nyquist.omega_min", "N", "seed", "kick", "activation", "threshold"} <= set(keys)
    cfg = tmp_path / "c.json"
    for key in keys:
        # A word is wrong for every key: numbers, integers, booleans and lists refuse its type, the
        # enums and the activation its name.
        cfg.write_text(json.dumps(_config(key, "word")))
        assert_one_line_error(rnndyn("reservoir", "--config", cfg), f"rnndyn: error: {key}: ", "c.json")
    for key, value in OUT_OF_RANGE.items():
        cfg.write_text(json.dumps({"N": 10, **_config(key, value)}))
        assert_one_line_error(rnndyn("reservoir", "--config", cfg), f"rnndyn: error: {key}: ")
    cfg.write_text(json.dumps({"N": 10, "kick": 0, "transient": 1}))
    assert_one_line_error(rnndyn("reservoir", "--config", cfg), "rnndyn: error: kick: ")
    # Given on the command line too, the flag wins and is what the error names.
    cfg.write_text(json.dumps({"g": 1.0}))
    assert_one_line_error(rnndyn("mft", "--config", cfg, "--g", "-1"), "rnndyn: error: --g: ")


def test_config_typos_get_a_suggestion(rnndyn, tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"n_omgea": 3}))
    assert_one_line_error(rnndyn("mft", "--config", cfg), "rnndyn: error: n_omgea: unknown key; did you mean 'n_omega'?")
    cfg.write_text(json.dumps({"nyquist": {"omega_mn": 1}}))
    assert_one_line_error(rnndyn("mft", "--config", cfg), "nyquist.omega_mn: unknown key; did you mean 'omega_min'?")
    cfg.write_text(json.dumps({"N": 50.5}))
    assert_one_line_error(rnndyn("reservoir", "--config", cfg), "rnndyn: error: N: must be an integer")
