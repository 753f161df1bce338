"""Every value option of the commands (those whose options come from a description, issue 32, and
others) names itself when given a bad value: one line, exit code 2, `rnndyn: error: <the flag as typed>: ...`.

The options are read from each command's --help, so a new flag is tested without editing this file.
Each gets a word (a type error, refused by the parser) and -2 (refused by the library's validation
for most fields); a value a command accepts must run to completion (exit 0)."""
import re

import pytest
from conftest import EXAMPLES

COMMANDS = {  # command -> a model it runs quickly on, and the extra arguments that make a run short
    "lyapunov": (EXAMPLES / "ei_network.json", ["--t", "20", "--warmup", "1", "--blocks", "4"]),
    "limit-cycle": (EXAMPLES / "ei_network_limit_cycle.json", ["--transient", "10", "--window", "10",
                                                               "--max-time", "50"]),
    "perturb": (EXAMPLES / "line_attractor_bounded.json", ["--samples", "20"]),
    "fixed-points": (EXAMPLES / "tanh_cusp.json", ["--starts", "8", "--batch", "8"]),
    "simulate": (EXAMPLES / "ei_network.json", ["--t-end", "5"]),
    "response": (EXAMPLES / "line_attractor_bounded_clicks.json", ["--t-end", "5", "--n-omega", "4"]),
    "linearize": (EXAMPLES / "ei_network.json", []),
    "linear": (EXAMPLES / "linear_integrator.json", []),
    "continue": (EXAMPLES / "ei_network.json", ["--param", "tau[1]", "--from", "10", "--to", "11"]),
    "continue-cycles": (EXAMPLES / "ei_network.json", ["--param", "tau[1]", "--from", "41", "--to", "43",
                                                       "--max-points", "10"]),
    # Parameters with no domain limit, so that -2 for a box edge or the start is a value, not an error.
    # The Hopf curve of this plane is W[1,1] = 0.25 (the trace of J vanishes, whatever W[0,1]).
    "hopf-curve": (EXAMPLES / "ei_network.json", ["--param-x", "W[0,1]", "--x-from", "-1.5", "--x-to", "-0.5",
                                                  "--param-y", "W[1,1]", "--y-from", "-1", "--y-to", "1",
                                                  "--start-x", "-1", "--start-y", "0.5"]),
    "mft": (None, ["--n-omega", "4"]),  # no model file
    "reservoir": (None, ["--N", "40", "--n-omega", "4"]),
    "scan": (EXAMPLES / "ei_network.json", ["--param-x", "W[0,0]", "--x-from", "1.1", "--x-to", "1.6", "--x-steps", "2",
                                            "--param-y", "W[1,1]", "--y-from", "-1", "--y-to", "1", "--y-steps", "2"]),
    "fold-curve": (EXAMPLES / "tanh_cusp.json", ["--param-x", "W[0,0]", "--x-from", "0.5", "--x-to", "3",
                                                 "--param-y", "b[0]", "--y-from", "-1.5", "--y-to", "1.5",
                                                 "--start-x", "2", "--start-y", "0.1", "--max-points", "20"]),
    # The border-collision line beta = -10 / (1 - w) of the E-I network.
    "border-curve": (EXAMPLES / "ei_network.json", ["--param-x", "W[0,0]", "--x-from", "0", "--x-to", "0.9",
                                                    "--param-y", "b[1]", "--y-from", "-120", "--y-to", "-5",
                                                    "--start-x", "0.5", "--start-y", "-15", "--max-points", "20"]),
    "basins": (EXAMPLES / "line_attractor_bounded_three_points.json", ["--starts", "30", "--box", "0,2"]),
    # The k-cycle search of a piecewise-linear map: fixed-points --cycles K, every flag of the command again.
    "cycles": (EXAMPLES / "pl_map_two_kink.json", ["--cycles", "2"]),
}
RUN_AS = {"cycles": "fixed-points"}  # an analysis of the registry that is an option of another command
# -2 where it leaves no curve in the box along the start line (fold: a tanh unit has no fold at
# W[0,0] = -2; border: at W[0,0] = 0.5 it lies at b[1] = -20, outside [-5, -2], and at W[0,0] = -2 at
# -10/3, outside [-120, -5]): the start search then says so under --start-y, a message about the start
# and the box together. The word is still refused under the flag itself.
JOINT = {("fold-curve", "--start-x"), ("border-curve", "--y-from"), ("border-curve", "--start-x")}
SKIP = {"-h", "--help", "-o", "--output", "--x0", "--epsilon", "--box", "--latent-box", "--from-trajectories",
        "--initial-states", "--at", "--input", "--param"}  # no value / a file or vector parser tested elsewhere


def value_options(rnndyn, command):
    text = rnndyn(command, "--help").stdout
    flags = []
    for line in text.splitlines():
        m = re.match(r"\s+((?:-{1,2}[\w-]+,)*--[\w-]+)\s+(\S+)", line)  # "-o,--output", "--n_omega,--n-omega"
        if m and m.group(2).split("=")[0].split(":")[0] in {"INT", "UINT", "FLOAT", "TEXT", "ENUM"}:
            flag = m.group(1).split(",")[-1]
            if flag not in SKIP:
                flags.append(flag)
    return flags


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_bad_value_names_its_flag(rnndyn, name):
    model, short = COMMANDS[name]
    command = RUN_AS.get(name, name)
    flags = value_options(rnndyn, command)
    assert len(flags) >= 1, flags
    refused = set()
    for flag in flags:
        for bad in ("notanumber",) if (name, flag) in JOINT else ("notanumber", "-2"):
            args = [a for i, a in enumerate(short) if a != flag and (i == 0 or short[i - 1] != flag)]
            r = rnndyn(command, *([model] if model else []), *args, flag, bad, timeout=120)
            if r.returncode == 0:
                continue
            assert r.returncode == 2, (flag, bad, r.stderr)
            lines = [x for x in r.stderr.splitlines() if x.strip()]
            assert len(lines) == 1 and lines[0].startswith(f"rnndyn: error: {flag}:"), (flag, bad, r.stderr)
            refused.add(flag)
    assert refused == set(flags)  # a word is no value of any of them


@pytest.mark.parametrize("flag", ["--n_omega", "--n-omega", "--feedback_scale", "--feedback-scale"])
def test_a_flag_with_two_spellings_is_named_as_typed(rnndyn, flag):
    for bad in ("notanumber", "-3"):
        r = rnndyn("mft", flag, bad)
        assert r.returncode == 2 and r.stderr.startswith(f"rnndyn: error: {flag}:"), r.stderr
