"""Every CLI command's JSON says which analysis wrote it (issue 32): `"analysis": "<name>"`, a name of the
registry include/rnndyn/analyses.hpp, which the report and the plots dispatch on. One small run per
analysis on the bundled examples; and the commands `rnndyn --help` lists are exactly the registry's."""
import re

import pytest
from conftest import EXAMPLES, SOURCE_DIR

EI = EXAMPLES / "ei_network.json"
PLANE = ["--param-x", "W[0,0]", "--x-from", 0, "--x-to", 0.9, "--param-y", "b[1]", "--y-from", -120, "--y-to", -5,
         "--start-x", 0.5, "--start-y", -15]
RUNS = {  # analysis -> a short run of its command
    "fixed-points": ["fixed-points", EXAMPLES / "line_attractor_bounded.json"],
    "cycles": ["fixed-points", EXAMPLES / "pl_map_two_kink.json", "--cycles", 2],
    "continue": ["continue", EI, "--param", "tau[1]", "--from", 10, "--to", 11],
    "continue-cycles": ["continue-cycles", EI, "--param", "tau[1]", "--from", 41, "--to", 43, "--max-points", 10],
    "scan": ["scan", EI, "--param-x", "W[0,0]", "--x-from", 1.1, "--x-to", 1.6, "--x-steps", 2, "--param-y", "W[1,1]",
             "--y-from", -1, "--y-to", 1, "--y-steps", 2],
    "hopf-curve": ["hopf-curve", EI, "--param-x", "W[0,1]", "--x-from", -1.5, "--x-to", -0.5, "--param-y", "W[1,1]",
                   "--y-from", -1, "--y-to", 1, "--start-x", -1, "--start-y", 0.5],
    "fold-curve": ["fold-curve", EXAMPLES / "tanh_cusp.json", "--param-x", "W[0,0]", "--x-from", 0.5, "--x-to", 3,
                   "--param-y", "b[0]", "--y-from", -1.5, "--y-to", 1.5, "--start-x", 2, "--start-y", 0.1],
    "border-curve": ["border-curve", EI, *PLANE],
    "limit-cycle": ["limit-cycle", EXAMPLES / "ei_network_limit_cycle.json", "--transient", 10, "--window", 10,
                    "--max-time", 50],
    "lyapunov": ["lyapunov", EI, "--t", 20, "--warmup", 1, "--blocks", 4],
    "perturb": ["perturb", EXAMPLES / "line_attractor_bounded.json", "--samples", 20],
    "basins": ["basins", EXAMPLES / "line_attractor_bounded_three_points.json", "--starts", 30, "--box", "0,2"],
    "mft": ["mft", "--n-omega", 4],
    "reservoir": ["reservoir", "--N", 40, "--n-omega", 4],
    "simulate": ["simulate", EI, "--t-end", 5],
    "response": ["response", EXAMPLES / "line_attractor_bounded_clicks.json", "--t-end", 5, "--n-omega", 4],
    "linearize": ["linearize", EI],
    "linear": ["linear", EXAMPLES / "linear_integrator.json"],
}


def registry():
    """(name, command) of every row of include/rnndyn/analyses.hpp, read from its text (this test runs
    the CLI alone, without the Python package)."""
    text = (SOURCE_DIR / "include" / "rnndyn" / "analyses.hpp").read_text()
    return re.findall(r'^\s*\{"([\w-]+)", "([\w -]+)", "\w+"', text, re.M)


def test_the_registry_is_read():
    rows = registry()
    assert len(rows) == 18 and ("cycles", "fixed-points --cycles") in rows


def test_every_registered_analysis_has_a_run_here():
    assert sorted(RUNS) == sorted(name for name, _ in registry())


@pytest.mark.parametrize("name", sorted(RUNS))
def test_every_command_writes_its_analysis(rnndyn, name):
    r = rnndyn("-q", *RUNS[name], timeout=600)
    assert r.returncode == 0, r.stderr
    assert r.json()["analysis"] == name


def test_help_lists_exactly_the_registered_commands_and_tools(rnndyn):
    text = rnndyn("--help").stdout
    listed = set(re.findall(r"^\s{2}([a-z][\w-]*)\s{2,}\S", text.split("Subcommands:")[-1], re.M))
    expected = {command.split()[0] for _, command in registry()} | {"report", "sweep"}
    assert listed == expected
    # the help line of each command is its row's summary
    header = (SOURCE_DIR / "include" / "rnndyn" / "analyses.hpp").read_text()
    assert "Integrate a flow (Dormand-Prince 5(4)) or iterate a map from x0" in header
    assert re.search(r"simulate\s+Integrate a flow \(Dormand-Prince 5\(4\)\)", text)
