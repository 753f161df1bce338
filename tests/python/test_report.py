"""HTML reports: every figure decodes in headless Chromium; the CLI entry point and its errors."""
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np
import pytest

import rnndyn
import rnndyn.report
from conftest import EXAMPLES

CLI = os.environ.get("RNNDYN_CLI")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def rendered_figures(path, screenshot=None):
    """(total, rendered) image counts that the page's onload script wrote into <body>, the number of
    layout faults (the page runs off its width; a figure drawn out of its aspect ratio), and the
    messages the page wrote to the console (errors included). ``screenshot``: write a PNG of the
    page's top there instead."""
    profile = tempfile.mkdtemp()
    try:
        proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                               "--disable-background-networking", "--disable-component-update", "--disable-sync",
                               "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}",
                               "--virtual-time-budget=10000", "--window-size=1000,1400", "--hide-scrollbars",
                               *([f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]), f"file://{path}"],
                              capture_output=True, text=True, timeout=120)
        if screenshot:
            return None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    import re
    m = re.search(r'data-figures-total="(\d+)" data-figures-rendered="(\d+)" data-page-overflow="(\d)" '
                  r'data-figures-distorted="(\d+)"', proc.stdout)
    assert m, proc.stdout[:500]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return int(m.group(1)), int(m.group(2)), int(m.group(3)) + int(m.group(4)), console


def _ei(name="ei_network.json"):
    return rnndyn.load_model(str(EXAMPLES / name))


def _gru():
    states = np.array(json.loads((EXAMPLES / "gru_flipflop_states.json").read_text())["states"])
    return rnndyn.find_fixed_points(_gru_model(), data=states)


def _gru_model():
    return rnndyn.load_model(str(EXAMPLES / "gru_flipflop.json"))


def _fps():
    lin = rnndyn.linearize(_ei(), [80 / 3, 50 / 3])
    return {"fixed_points": [{"x": [80 / 3, 50 / 3], "stability": "stable focus",
                              "eigenvalues": lin.to_dict()["eigenvalues"]}], "continua": [], "time": "continuous"}


def _two_cycle():
    return rnndyn.model_from_dict({"model": "plrnn", "A": [0.0, 0.5], "W": [[-2.0, 0], [0.3, 0]], "h": [1.0, 0.2]})


# name: (result, model) makers and the number of figures the page must show.
RESULTS = {
    "continuation": (lambda: (rnndyn.continuation(_ei(), "tau[1]", 30.0, 50.0, starts=[[80 / 3, 50 / 3]]), None), 1),
    "cycle_branches": (lambda: (rnndyn.continue_limit_cycles(_ei(), "tau[1]", 30.0, 50.0), None), 1),
    "linearize": (lambda: (rnndyn.linearize(_ei(), [80 / 3, 50 / 3]), None), 1),
    "linear": (lambda: (rnndyn.analyze_linear(rnndyn.load_model(str(EXAMPLES / "linear_integrator.json"))), None), 1),
    "trajectory": (lambda: (dict(zip("tx", (a.tolist() for a in rnndyn.simulate(_ei(), [30, 10], t_end=200, dt=1)))),
                            None), 1),
    # 2-D: the phase portrait and the spectrum of every point
    "fixed_points": (lambda: (_fps(), _ei()), 2),
    "line_attractor": (lambda: (rnndyn.find_fixed_points(_ei("line_attractor_bounded.json")),
                                _ei("line_attractor_bounded.json")), 2),
    # 16-D: the state space in principal components and the per-point spectra
    "gru_fixed_points": (lambda: (_gru(), _gru_model()), 2),
    # the cycle in the phase plane and its Floquet multipliers
    "limit_cycle": (lambda: (rnndyn.limit_cycle(_ei("ei_network_limit_cycle.json")),
                             _ei("ei_network_limit_cycle.json")), 2),
    "lyapunov": (lambda: (rnndyn.lyapunov(_ei("ei_network_limit_cycle.json"), t_total=500), None), 1),
    # the Nyquist plot of every target and the closed-loop poles
    "mft": (lambda: (rnndyn.mean_field(g=0.9, targets=[0.5, 1.0, 1.5], n_omega=60), None), 2),
    # Nyquist; spectrum with the bulk disk and outliers; the transient after a kick
    # the 2-cycle of z' = 1 - 2 relu(z_0) in the phase plane
    "cycles": (lambda: (rnndyn.find_cycles(_two_cycle(), 2), _two_cycle()), 1),
    "perturb": (lambda: (rnndyn.perturb(_ei("line_attractor_bounded.json"), samples=50), None), 1),
    "reservoir": (lambda: (rnndyn.reservoir(N=120, g=1.5, targets=[1.0], n_omega=40, transient=20, spectrum=True),
                           None), 3),
    # the stable and the total count per cell
    "scan": (lambda: (rnndyn.scan_parameters(_ei(), "W[0,0]", (1.1, 1.6), "tau[1]", (12, 72), steps=(6, 7)), None), 2),
    # a map: stable points, all points, cycles and stable attractors per cell
    "scan_map": (lambda: (rnndyn.scan_parameters(rnndyn.model_from_dict(
        {"model": "plrnn", "A": [0.0], "W": [[-1.0]], "h": [1.0]}), "A[0,0]", (-0.9, 0.9), "W[0,0]", (-3, 0),
        steps=(9, 11)), None), 4),
    # the 2-cycle of a map followed in h: its two points per parameter value
    "map_cycle_branches": (lambda: (rnndyn.continue_limit_cycles(_ei("pl_map_two_kink.json"), "h1[0]", 0.2, 2.0),
                                    None), 1),
    "hopf_curve": (lambda: (rnndyn.continue_hopf_curve(_ei(), "W[0,0]", (1.1, 1.6), "tau[1]", (12, 72), (1.25, 30)),
                            None), 1),
    # the measured gain with its band (a linear network driven through W_in, read out by W_out)
    "response": (lambda: (rnndyn.response(rnndyn.model_from_dict(
        {"model": "linear", "M": [[0.5, -1.0], [1.0, 0.5]], "W_in": [[1.0], [0.0]], "W_out": [[0.0, 1.0]]}),
        t_end=40, dt=0.01, amplitude=1, n_omega=20, omega_max=2), None), 1),
}


@pytest.mark.parametrize("name", list(RESULTS))
def test_report_figures_render(tmp_path, name):
    make, figures = RESULTS[name]
    result, model = make()
    out = tmp_path / f"{name}.html"
    rnndyn.report.report(result, str(out), model=model)
    page = out.read_text()
    assert page.count('<img class="figure"') == figures
    if CHROMIUM is None:
        pytest.skip("chromium not installed (scripts/setup.sh installs it)")
    total, rendered, faults, console = rendered_figures(out)
    assert (total, rendered) == (figures, figures)
    assert console == [] and faults == 0  # no errors, nothing runs off a 1000-pixel-wide page or is stretched


def test_report_screenshot_shows_the_figures(tmp_path):
    """A screenshot of the fixed-points page of the flip-flop GRU: the browser paints the figures."""
    if CHROMIUM is None:
        pytest.skip("chromium not installed (scripts/setup.sh installs it)")
    import matplotlib.image
    out = tmp_path / "gru.html"
    rnndyn.report.report(_gru(), str(out), model=_gru_model())
    shot = tmp_path / "gru.png"
    rendered_figures(out, screenshot=shot)
    pixels = matplotlib.image.imread(str(shot))[..., :3]
    assert pixels.shape[:2] == (1400, 1000)
    assert (pixels.min(axis=2) < 0.9).mean() > 0.02  # not a blank page: text, tables and figures
    chroma = pixels.max(axis=2) - pixels.min(axis=2)
    assert (chroma > 0.3).mean() > 0.001  # coloured pixels: the stability colours of the figures


def test_report_tables_print_vectors_as_vectors():
    """A 2-vector is not a complex number; an eigenvalue is; a long vector is folded, not cut."""
    page = rnndyn.report.render_html(_fps())
    assert "[26.6667, 16.6667]" in page and "26.67+16.67i" not in page
    assert "-0.004167+0.04983i" in page  # the eigenvalues of the stable focus
    gru = rnndyn.report.render_html(_gru())
    first = gru.index("<tbody>", gru.index("<h2>Fixed points"))
    row = gru[first:gru.index("</tr>", first)]
    assert "(16 entries)</summary>" in row and row.count(", ") > 16  # all 16 coordinates behind the fold
    assert '<div class="scroll"><table>' in gru  # wide tables scroll inside the page
    line = rnndyn.report.render_html(rnndyn.find_fixed_points(_ei("line_attractor_bounded.json")))
    assert "0.7071-0.7071i" not in line and "[-0.707107, 0.707107]" in line  # the continuum's basis


@pytest.mark.skipif(CLI is None, reason="RNNDYN_CLI not set")
def test_cli_report_and_its_errors(tmp_path):
    res = tmp_path / "lin.json"
    subprocess.run([CLI, "linear", str(EXAMPLES / "linear_amplifier.json"), "-o", str(res)], check=True)
    out = tmp_path / "r.html"
    p = subprocess.run([CLI, "report", str(res), "-o", str(out)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "<html>" in out.read_text()
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    for args, needle in [([str(bad)], "not valid JSON"), ([str(tmp_path / "none.json")], "cannot open")]:
        p = subprocess.run([CLI, "report", *args, "-o", str(tmp_path / "x.html")], capture_output=True, text=True)
        assert p.returncode == 2 and p.stderr.strip().startswith("rnndyn: error: result:") and needle in p.stderr
        assert len(p.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "x.html").exists()
