"""Regenerate the gallery: one PNG per figure of rnndyn.plot, drawn from the bundled examples.

    PYTHONPATH=python python3 docs/gallery/make_gallery.py [OUTPUT_DIR]   (default: docs/gallery)

Each figure is small (dpi 100) so that the PNGs can live in the repository; the reservoirs are
drawn at N = 800 instead of the seed's 3000 to keep the run under a minute."""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

import rnndyn  # noqa: E402
import rnndyn.plot as rp  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def model(name):
    return rnndyn.load_model(EXAMPLES / f"{name}.json")


def ei_limit_cycle():
    m = model("ei_network_limit_cycle")
    x = rnndyn.simulate(m, [30.0, 10.0], t_end=400, dt=1.0).x
    return rp.phase_portrait(m, fixed_points=rnndyn.find_fixed_points(m), cycles=rnndyn.limit_cycle(m),
                             trajectories=[x])


def ei_stable_focus():
    m = model("ei_network")
    x = rnndyn.simulate(m, [45.0, 5.0], t_end=600, dt=1.0).x
    return rp.phase_portrait(m, fixed_points=rnndyn.find_fixed_points(m), trajectories=[x])


def line_attractor(name):
    m = model(name)
    starts = ([0.9, 0.9], [0.05, 0.4], [0.6, 0.0]) if "bounded" == name.split("_")[-1] else ([0.8, 0.2], [0.1, 0.5])
    trajs = [rnndyn.simulate(m, s, t_end=8, dt=0.05).x for s in starts]
    return rp.phase_portrait(m, fixed_points=rnndyn.find_fixed_points(m), trajectories=trajs)


def gru():
    states = np.array(json.loads((EXAMPLES / "gru_flipflop_states.json").read_text())["states"])
    m = model("gru_flipflop")
    return m, states, rnndyn.find_fixed_points(m, data=states)


def bifurcation_ei():
    m = model("ei_network")
    branches = rnndyn.continuation(m, "tau[1]", 30.0, 50.0)
    return rp.bifurcation_diagram(branches, cycles=rnndyn.continue_limit_cycles(m, "tau[1]", 30.0, 50.0))


def bifurcation_map_ei():
    m, box = model("ei_network"), {"x_range": (1.05, 1.8), "y_range": (10, 80)}
    scan = rnndyn.scan_parameters(m, "W[0,0]", box["x_range"], "tau[1]", box["y_range"], steps=(31, 29))
    curve = rnndyn.continue_hopf_curve(m, "W[0,0]", box["x_range"], "tau[1]", box["y_range"], (1.25, 30))
    return rp.bifurcation_map(scan, curves=[curve])


def bifurcation_map_cycles():
    # x' = alpha x + w relu(x) + 1: 2-cycles where (1 + beta) / (1 - alpha beta) < 0 < (1 + alpha) /
    # (1 - alpha beta), beta = alpha + w (docs/continuation.md), and longer cycles beside them.
    m = rnndyn.model_from_dict({"model": "plrnn", "A": [0.0], "W": [[-1.0]], "h": [1.0]})
    scan = rnndyn.scan_parameters(m, "A[0,0]", (-0.95, 0.95), "W[0,0]", (-3.5, 0.0), steps=(39, 36), max_period=4)
    return rp.bifurcation_map(scan, quantity="n_cycles")


def bifurcation_map_cycle_continuation():
    m = model("pl_map_two_kink")
    return rp.bifurcation_diagram(rnndyn.continuation(m, "h1[0]", 0.2, 2.0),
                                  cycles=rnndyn.continue_limit_cycles(m, "h1[0]", 0.2, 2.0))


def reservoir(name):
    return rnndyn.reservoir(rnndyn.reservoir_config(EXAMPLES / f"{name}.json"), N=800)


def figures():
    """(file name, caption, function drawing the figure), in the order of the gallery's index."""
    g = {}
    yield ("phase_portrait_limit_cycle.png", "E-I network at tau_I = 50 ms (ei_network_limit_cycle): unstable focus, "
           "limit cycle, a trajectory spiralling out to it, nullclines", ei_limit_cycle)
    yield ("phase_portrait_stable_focus.png", "E-I network at tau_I = 30 ms (ei_network): stable focus",
           ei_stable_focus)
    yield ("phase_portrait_line_attractor.png", "Bounded line attractor (seed 000): the continuum of fixed points "
           "and trajectories falling onto it", lambda: line_attractor("line_attractor_bounded"))
    yield ("phase_portrait_unbounded_line_attractor.png", "Unbounded line attractor: a ray of fixed points",
           lambda: line_attractor("line_attractor_unbounded"))
    g["m"], g["states"], g["fps"] = gru()
    yield ("state_space_gru_flipflop_2d.png", "3-bit flip-flop GRU (16 units): fixed points over the visited states "
           "in two principal components, unstable modes of the saddles as segments",
           lambda: rp.state_space(g["fps"], data=g["states"]))
    yield ("state_space_gru_flipflop_3d.png", "The same in three principal components: 8 stable points at the "
           "corners of a cube, saddles between them", lambda: rp.state_space(g["fps"], data=g["states"],
                                                                               components=(0, 1, 2)))
    yield ("fixed_point_spectra_gru_flipflop.png", "Spectra of the flip-flop's fixed points against the unit circle "
           "(a map)", lambda: rp.fixed_point_spectra(g["fps"], max_points=8))
    sh = model("shplrnn_r2_n12")
    yield ("spectrum_map_shplrnn.png", "Shallow PLRNN (a map): the spectrum of its fixed point, from the linearize "
           "result, against the unit circle",
           lambda: rp.spectrum(rnndyn.linearize(sh, rnndyn.find_fixed_points(sh).fixed_points[0].x)))
    yield ("spectrum_linear_modes.png", "Seed 002 linear integrator: eigenvalues of M against Re = 1 (the "
           "integrating mode is marginal)", lambda: rp.spectrum(
               [m["lambda"] for m in rnndyn.analyze_linear(model("linear_integrator")).to_dict()["modes"]],
               time="continuous", boundary=1.0, title=r"eigenvalues of M (stable: Re $\lambda$ < 1)"))
    cyc = model("ei_network_limit_cycle")
    yield ("floquet_multipliers_ei.png", "Floquet multipliers of the E-I limit cycle",
           lambda: rp.spectrum(rnndyn.limit_cycle(cyc)))
    yield ("lyapunov_ei_limit_cycle.png", "Lyapunov exponents of the E-I cycle with confidence intervals, and their "
           "convergence", lambda: rp.lyapunov_spectrum(rnndyn.lyapunov(cyc, t_total=3000)))
    yield ("bifurcation_diagram_ei_tau_i.png", "E-I network over tau_I: the Hopf point at 40 ms and the cycle's "
           "min/max", bifurcation_ei)
    yield ("bifurcation_map_ei.png", "E-I network over (M_EE, tau_I): stable fixed points per cell of a 31 x 29 grid "
           "and the Hopf curve followed through (1.25, 40 ms): tau_I = 10 / (M_EE - 1)", bifurcation_map_ei)
    yield ("bifurcation_diagram_map_cycles.png", "A scalar piecewise-linear map (pl_map_two_kink) over h: the fixed "
           "point and the 2-cycle's two points, which turn at two nonsmooth folds on the kinks (h = 7/6, 9/8)",
           bifurcation_map_cycle_continuation)
    yield ("bifurcation_map_cycles.png", "x' = alpha x + w relu(x) + 1 over (alpha, w): cycles of period 2 to 4 per "
           "cell (exact k-cycle search)", bifurcation_map_cycles)
    yield ("nyquist_mft_fig1d.png", "Mean-field open-loop gains of seed 003's Fig. 1D: A = 0.5 encircles 1 + 0i",
           lambda: rp.nyquist(rnndyn.mean_field(rnndyn.reservoir_config(EXAMPLES / "reservoir_fig1d.json").mean_field)))
    g["fig1a"] = reservoir("reservoir_fig1a")
    yield ("reservoir_spectrum_fig1a.png", "Trained reservoir (Fig. 1A, N = 800): closed-loop spectrum, bulk disk and "
           "outliers, theory and finite network", lambda: rp.reservoir_spectrum(g["fig1a"]))
    yield ("nyquist_reservoir_fig1a.png", "Its open-loop gain beside the mean-field one",
           lambda: rp.nyquist(g["fig1a"]))
    yield ("perturbation_shares_line_attractor.png", "Perturbed bounded line attractor: what it turns into, with "
           "binomial intervals", lambda: rp.perturbation_shares(rnndyn.perturb(model("line_attractor_bounded"),
                                                                               samples=400)))


def main(out=ROOT / "docs" / "gallery"):
    import matplotlib.pyplot as plt
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    index = ["# Gallery", "", "Drawn by `make_gallery.py` from the bundled examples (`PYTHONPATH=python python3 "
             "docs/gallery/make_gallery.py`).", ""]
    for name, caption, draw in figures():
        fig = draw()
        fig.savefig(out / name, dpi=100)
        plt.close(fig)
        index += [f"**{caption}** (`{name}`)", "", f"![{caption}]({name})", ""]
        print(f"{out / name}: {(out / name).stat().st_size // 1024} KB")
    (out / "README.md").write_text("\n".join(index))


if __name__ == "__main__":
    main(*sys.argv[1:])
