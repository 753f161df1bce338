"""Library, CLI and Python agree by construction for Lyapunov spectra, limit cycles, the
mean-field theory and finite reservoirs: the CLI's JSON equals ``to_dict()`` of the same analysis
run from Python on the same input, up to elapsed_seconds. Python starts where the CLI does (the
model file's x0), and the result objects feed rnndyn.plot and rnndyn.report."""
import json

import numpy as np
import pytest

import rnndyn
import rnndyn.plot as rplot
import rnndyn.report
from conftest import EXAMPLES, assert_same, cli_json, without_elapsed

EI_CYCLE = EXAMPLES / "ei_network_limit_cycle.json"


@pytest.mark.parametrize("path,args,kwargs", [
    (EI_CYCLE, ["--t", 2000, "--warmup", 200, "--interval", 10, "--k", 1],
     dict(t_total=2000, warmup=200, interval=10, k=1)),
    (EXAMPLES / "line_attractor_unbounded.json", ["--x0", "1,0.5", "--t", 200, "--integrator", "rk4", "--dt", 0.05],
     dict(x0=[1.0, 0.5], t_total=200, integrator="rk4", dt=0.05)),
])
def test_lyapunov_cli_equals_python(path, args, kwargs):
    cli = cli_json("lyapunov", path, *args)
    result = rnndyn.lyapunov(rnndyn.load_model(str(path)), **kwargs)
    assert_same(cli, result)
    assert cli["model"] == "rate" and cli["time"] == "continuous" and cli["status"] == "ok"


def test_limit_cycle_cli_equals_python():
    cli = cli_json("limit-cycle", EI_CYCLE, "--transient", 1000)
    result = rnndyn.limit_cycle(rnndyn.load_model(str(EI_CYCLE)), transient=1000)
    assert_same(cli, result)
    assert result.status == rnndyn._core.LimitCycleStatus.found and str(result.status) == cli["status"] == "found"
    assert np.iscomplexobj(result.floquet_multipliers)


def test_mft_cli_equals_python():
    path = EXAMPLES / "reservoir_fig1d.json"
    cli = cli_json("mft", "--config", path, "--n-omega", 5)
    result = rnndyn.mean_field(options=rnndyn.reservoir_config(path).mean_field, n_omega=5)
    assert_same(cli, result)
    # The verdicts are in the result: Fig. 1D, oscillatory instability at A_1 only.
    assert [lvl.nyquist.stable for lvl in result.levels] == [False, False, True]
    assert len(result.omegas) == 5 and result.levels[0].gain.dtype == complex


def test_reservoir_cli_equals_python(tmp_path):
    cfg = tmp_path / "small.json"
    cfg.write_text(json.dumps({"N": 150, "g": 1.1, "activation": "relu", "threshold": 0.1, "targets": [1.0],
                               "n_omega": 4, "transient": 2, "spectrum": True, "seed": 2}))
    cli = cli_json("reservoir", "--config", cfg)
    options = rnndyn.reservoir_config(cfg)
    assert options.mean_field.activation.name == "relu" and options.mean_field.activation.threshold == 0.1
    result = rnndyn.reservoir(options=options)
    assert_same(cli, result)
    assert len(cli["finite"]["levels"][0]["eigenvalues"]) == 150
    # The same experiment from keywords, without a file.
    again = rnndyn.reservoir(N=150, g=1.1, activation=("relu", 0.1), targets=[1.0], n_omega=4, transient=2,
                             spectrum=True, seed=2)
    assert without_elapsed(again.to_dict()) == without_elapsed(cli)


def test_python_starts_at_the_model_files_x0():
    with open(EI_CYCLE) as f:
        x0 = json.load(f)["x0"]
    model = rnndyn.load_model(str(EI_CYCLE))
    lyap = rnndyn.lyapunov(model, t_total=200, warmup=0, interval=10)
    np.testing.assert_array_equal(lyap.x0, x0)
    assert lyap.options.x0.size == 0  # the options said nothing; the model's own start was used
    explicit = rnndyn.lyapunov(model, x0=x0, t_total=200, warmup=0, interval=10)
    np.testing.assert_array_equal(explicit.exponents, lyap.exponents)
    zeros = rnndyn.lyapunov(model, x0=[0.0, 0.0], t_total=200, warmup=0, interval=10)
    assert not np.array_equal(zeros.final_state, lyap.final_state)
    cycle = rnndyn.limit_cycle(model, transient=500)
    np.testing.assert_array_equal(cycle.x0, x0)
    # A model without x0 starts at zeros.
    bare = rnndyn.model_from_dict({"model": "rate", "form": "rate", "activation": "relu", "tau": [10, 50],
                                   "W": [[1.25, -1.0], [1.0, 0.0]], "b": [10, -10]})
    np.testing.assert_array_equal(rnndyn.limit_cycle(bare, transient=500).x0, [0.0, 0.0])


def test_options_carry_the_cpp_defaults_and_name_bad_fields():
    o = rnndyn._core.LyapunovOptions()
    assert o.t_total == 1000.0 and str(o.integrator) == "dopri5"
    o.integrator = "rk4"
    assert o.integrator == rnndyn._core.TangentStepper.rk4
    with pytest.raises(ValueError, match="integrator"):
        o.integrator = "euler"
    with pytest.raises(ValueError, match="k"):
        rnndyn.lyapunov(rnndyn.load_model(str(EI_CYCLE)), k=3)
    with pytest.raises(ValueError, match="unknown option"):
        rnndyn.limit_cycle(rnndyn.load_model(str(EI_CYCLE)), periodtol=1e-3)
    mf = rnndyn._core.MeanFieldOptions()
    assert mf.activation.name == "tanh" and mf.n_omega == 200 and str(mf.feedback) == "uniform"
    with pytest.raises(ValueError, match="feedback"):
        rnndyn.mean_field(feedback="cauchy")
    with pytest.raises(ValueError, match="n_omega"):
        rnndyn.mean_field(n_omega=-1)


def test_results_feed_plots_and_reports(tmp_path):
    mf = rnndyn.mean_field(g=0.9, targets=[0.5, 1.0, 1.5], n_omega=50)
    fig = rplot.nyquist(mf.omegas, mf.levels[0].gain)
    assert len(fig.axes[0].lines) == 3
    res = rnndyn.reservoir(N=80, g=0.5, targets=[1.0], n_omega=10)
    lvl = res.levels[0]
    fig = rplot.spectrum(lvl.closed_loop_eigenvalues, time="continuous", outliers=res.mean_field.levels[0].poles, disk_radius=lvl.rho)
    assert len(fig.axes[0].lines) >= 3
    model = rnndyn.load_model(str(EI_CYCLE))
    for result in (mf, res, rnndyn.lyapunov(model, t_total=100, warmup=0, interval=10),
                   rnndyn.limit_cycle(model, transient=500)):
        page = rnndyn.report.render_html(result)
        assert page.startswith("<!DOCTYPE html>") and "Summary" in page
