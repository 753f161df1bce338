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


def rendered_figures(path):
    """(total, rendered) image counts that the page's onload script wrote into <body>."""
    profile = tempfile.mkdtemp()
    try:
        dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                              "--disable-background-networking", "--disable-component-update", "--disable-sync",
                              f"--user-data-dir={profile}", "--virtual-time-budget=10000", "--dump-dom",
                              f"file://{path}"], capture_output=True, text=True, timeout=120).stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    import re
    m = re.search(r'data-figures-total="(\d+)" data-figures-rendered="(\d+)"', dom)
    assert m, dom[:500]
    return int(m.group(1)), int(m.group(2))


def results():
    ei = rnndyn.load_model(str(EXAMPLES / "ei_network.json"))
    lin = rnndyn.linearize(ei, [80 / 3, 50 / 3])
    linear = rnndyn.analyze_linear(rnndyn.load_model(str(EXAMPLES / "linear_integrator.json")))
    t, x = rnndyn.simulate(ei, [30, 10], t_end=200, dt=1)
    fps = {"fixed_points": [{"x": [80 / 3, 50 / 3], "stability": "stable focus",
                             "eigenvalues": lin.to_dict()["eigenvalues"]}], "continua": []}
    cont = rnndyn.continuation(ei, "tau[1]", 30.0, 50.0, starts=[[80 / 3, 50 / 3]])
    cycles = rnndyn.continue_limit_cycles(ei, "tau[1]", 30.0, 50.0)
    return {"continuation": (cont, None, 1), "cycle_branches": (cycles, None, 1), "linearize": (lin, None, 1),
            "linear": (linear, None, 1),
            "trajectory": ({"t": t.tolist(), "x": x.tolist()}, None, 1), "fixed_points": (fps, ei, 1)}


@pytest.mark.parametrize("name", ["continuation", "cycle_branches", "linearize", "linear", "trajectory",
                                  "fixed_points"])
def test_report_figures_render(tmp_path, name):
    result, model, figures = results()[name]
    out = tmp_path / f"{name}.html"
    rnndyn.report.report(result, str(out), model=model)
    page = out.read_text()
    assert page.count('<img class="figure"') == figures
    if CHROMIUM is None:
        pytest.skip("chromium not installed (scripts/setup.sh installs it)")
    assert rendered_figures(out) == (figures, figures)


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
