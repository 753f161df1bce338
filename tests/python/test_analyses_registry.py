"""The registry of analyses (issue 32, include/rnndyn/analyses.hpp) against the Python package: every
registered analysis is a function of rnndyn and every public function of rnndyn is an analysis or a
listed helper; every typed result says its analysis (`.analysis`, `to_dict()["analysis"]`); the report
has a page for each; and the report and the plots dispatch on "analysis", with old files (written
before results carried it) still read by their keys."""
import inspect
import json

import pytest
from conftest import EXAMPLES
from test_explain import results

import rnndyn
from rnndyn import _core, plot, report

# Public functions of rnndyn that are not analyses: they load models, build inputs, read configs or
# run many analyses (sweeps), or list the registry itself.
HELPERS = {"analyses", "load_model", "model_from_dict", "input_signal", "linear_closed_form", "reservoir_config",
           "sweep", "open_sweep"}
# test_explain.results() keys -> the analysis each ran
RAN = {"exact": "fixed-points", "numeric": "fixed-points", "interval": "fixed-points", "cycles": "cycles",
       "continuation": "continue", "cycle_continuation": "continue-cycles", "scan": "scan", "hopf_curve": "hopf-curve",
       "perturb": "perturb", "linearize": "linearize", "linear": "linear", "simulate": "simulate",
       "response": "response", "lyapunov": "lyapunov", "limit_cycle": "limit-cycle", "mean_field": "mft",
       "reservoir": "reservoir", "basins": "basins"}


@pytest.fixture(scope="module")
def every_result():
    return results()


def test_every_registered_analysis_is_a_public_function():
    rows = rnndyn.analyses()
    assert len(rows) == 18 and len({r["name"] for r in rows}) == 18
    for row in rows:
        assert row["python"] in rnndyn.__all__, row
        assert callable(getattr(rnndyn, row["python"])), row


def test_every_public_function_is_a_registered_analysis_or_a_helper():
    functions = {name for name in rnndyn.__all__ if inspect.isfunction(getattr(rnndyn, name))}
    assert functions - HELPERS == {row["python"] for row in rnndyn.analyses()}
    assert HELPERS <= functions  # a helper renamed or removed is noticed here too


def test_the_cli_tools_are_listed():
    assert _core.cli_tools() == ["report", "sweep"]


def test_every_typed_result_says_its_analysis(every_result):
    assert set(RAN.values()) == {r["name"] for r in rnndyn.analyses()} - {"fold-curve", "border-curve"}
    for key, result in every_result.items():
        assert result.analysis == RAN[key], key
        assert result.to_dict()["analysis"] == RAN[key], key


def test_curves_say_which_curve_they_are():
    # the three curve analyses share HopfCurveResult: its kind picks the registry row
    tanh = rnndyn.model_from_dict({"model": "rate", "form": "current", "activation": "tanh", "tau": [1.0],
                                   "W": [[2.0]], "b": [0.0]})
    fold = rnndyn.continue_fold_curve(tanh, "W[0,0]", (0.5, 3), "b[0]", (-1.5, 1.5), (2, 0.1), max_points=5)
    assert fold.kind == "fold" and fold.analysis == "fold-curve" and fold.to_dict()["analysis"] == "fold-curve"
    ei = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    border = rnndyn.continue_border_curve(ei, "W[0,0]", (0, 0.9), "b[1]", (-120, -5), (0.5, -15), max_points=5)
    assert border.analysis == "border-curve"


def test_the_report_has_a_page_for_every_analysis():
    # Today every analysis has sections of its own; a new one without them still gets a page (below).
    assert set(report._PAGES) == {row["name"] for row in rnndyn.analyses()}


def test_an_analysis_without_sections_of_its_own_gets_its_summary(monkeypatch):
    ei = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    data = rnndyn.lyapunov(ei, t_total=5, warmup=1, blocks=2).to_dict()
    monkeypatch.delitem(report._PAGES, "lyapunov")
    page = report.render_html(data)
    assert "Summary" in page and "lyapunov" in page
    with pytest.raises(ValueError, match="unknown analysis 'frobnicate'"):
        report.render_html(dict(data, analysis="frobnicate"))


def test_plain_analyses_are_made_from_their_rows():
    # lyapunov and limit_cycle have no wrapper of their own (_registry.py): the row's front door, its
    # options from keywords with "did you mean", a docstring listing every option field.
    for name, options in (("lyapunov", rnndyn.LyapunovOptions), ("limit_cycle", rnndyn.LimitCycleOptions)):
        fn = getattr(rnndyn, name)
        assert fn.__module__ == "rnndyn" and fn.__name__ == name
        fields = [k for k, v in vars(options).items() if isinstance(v, property) and not k.startswith("_")]
        assert fields and all(f"    {f}: " in fn.__doc__ for f in fields), fn.__doc__
    ei = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    with pytest.raises(ValueError, match="did you mean 't_total'"):
        rnndyn.lyapunov(ei, t_totl=5)
    spectrum = rnndyn.lyapunov(ei, rnndyn.LyapunovOptions(), t_total=5, warmup=1, blocks=2)
    assert spectrum.analysis == "lyapunov" and spectrum.options.t_total == 5


def test_report_and_plots_dispatch_on_analysis_not_on_keys(every_result):
    # A fixed-points result that happens to hold a key named "shares" is not a perturbation result.
    data = json.loads(json.dumps(every_result["numeric"].to_dict()))
    data["shares"] = [{"type": "x", "share": 1.0}]
    titles = [t for t, _, _ in report._sections(data, None)]
    assert titles[1].startswith("Fixed points") and "Perturbation types" not in titles
    with pytest.raises(ValueError, match="expected a perturb result.*got a fixed-points result"):
        plot.perturbation_shares(data)
    with pytest.raises(ValueError, match="unknown analysis 'frobnicate'"):
        report.render_html(dict(data, analysis="frobnicate"))


def test_old_files_without_analysis_are_read_by_their_keys(every_result):
    # LEGACY: a result written before results carried "analysis" renders the same page and plots.
    import matplotlib.pyplot as plt
    for key in ("perturb", "reservoir", "cycle_continuation", "limit_cycle"):
        new = json.loads(json.dumps(every_result[key].to_dict()))
        old = {k: v for k, v in new.items() if k != "analysis"}
        assert [t for t, _, _ in report._sections(old, None)] == [t for t, _, _ in report._sections(new, None)], key
        plt.close("all")
    old_perturb = {k: v for k, v in every_result["perturb"].to_dict().items() if k != "analysis"}
    plot.perturbation_shares(old_perturb)
    plt.close("all")
