"""Matplotlib figures of rnndyn results. Every function returns a ``matplotlib.figure.Figure``
(pass ``ax=`` to draw into an existing axes instead) and never calls ``plt.show()``."""
import numpy as np

from ._validate import as_array, as_numpy, check_model, describe

__all__ = ["phase_portrait", "state_space", "spectrum", "bifurcation_diagram", "nyquist", "perturbation_shares",
           "STABILITY_COLORS"]

STABILITY_COLORS = {
    "stable node": "#1a9641", "stable focus": "#66bd63", "saddle": "#fdae61",
    "unstable node": "#d7191c", "unstable focus": "#f46d43", "non-hyperbolic": "#2b83ba",
}


def _axes(ax, figsize=(5, 4.5)):
    import matplotlib.pyplot as plt
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


# The field that tells each analysis's result apart, and the CLI command that writes it.
_RESULT_KINDS = (("fixed_points", "fixed-points"), ("cycles", "cycles"), ("branches", "continue"),
                 ("types", "perturb"), ("shares", "perturb"), ("floquet_multipliers", "limit-cycle"),
                 ("exponents", "lyapunov"), ("modes", "linear"), ("levels", "mft"), ("finite", "reservoir"),
                 ("jacobian", "linearize"))


def _describe_result(data):
    """'a fixed-points result', 'a dict with keys a, b', 'a list', ... for messages."""
    if isinstance(data, dict):
        for key, kind in _RESULT_KINDS:
            if key in data:
                return f"a {kind} result"
        if "t" in data and "x" in data:
            return "a simulate result"
        keys = ", ".join(sorted(map(str, data))[:6]) + (", ..." if len(data) > 6 else "")
        return f"a dict with keys {keys}" if data else "an empty dict"
    return describe(data)


def _document(result, expected, keys):
    """The JSON document of a result (typed result, Result or dict) that must hold one of ``keys``;
    otherwise ValueError naming what was expected (``expected``, e.g. 'a perturb result')."""
    data = result.to_dict() if hasattr(result, "to_dict") else result
    if not isinstance(data, dict) or not any(k in data for k in keys):
        with_keys = " or ".join(f"'{k}'" for k in keys)
        raise ValueError(f"result: expected {expected} (with {with_keys}), got {_describe_result(data)}")
    return data


def _values(value, field, what):
    """A 1-D array of real or complex numbers (``[re, im]`` pairs become complex); a result or other
    non-array raises ValueError naming ``field``."""
    value = as_numpy(value)
    if hasattr(value, "to_dict") or isinstance(value, dict):
        data = value.to_dict() if hasattr(value, "to_dict") else value
        raise ValueError(f"{field}: expected {what}, got {_describe_result(data)}"
                         + (f" (pass result.{field})" if isinstance(data, dict) and field in data else ""))
    if value is None or isinstance(value, (str, bytes)):
        raise ValueError(f"{field}: expected {what}, got {describe(value)}")
    try:
        arr = np.asarray(value)
    except ValueError:
        raise ValueError(f"{field}: expected {what}, got a ragged list") from None
    if arr.dtype.kind not in "biufc":
        raise ValueError(f"{field}: expected {what}, got entries that are not numbers")
    if arr.ndim == 2 and arr.shape[1] == 2 and not np.iscomplexobj(arr):
        arr = arr[:, 0] + 1j * arr[:, 1]
    arr = np.atleast_1d(arr)
    if arr.ndim != 1:
        raise ValueError(f"{field}: expected {what}, got shape {arr.shape}")
    return arr


def _field(obj, name, default=None):
    if obj is None:
        return default
    if hasattr(obj, "to_dict"):  # a typed result: read its JSON document
        obj = obj.to_dict()
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default) if name in getattr(obj, "keys", lambda: [])() else default


def _points(fixed_points):
    """(x, stability) pairs from a result with fixed_points[], a list of such dicts, or arrays."""
    if fixed_points is None:
        return []
    items = _field(fixed_points, "fixed_points", fixed_points)
    if isinstance(items, dict) or hasattr(items, "to_dict"):  # a result without fixed_points[]
        raise ValueError(f"fixed_points: expected a fixed-points result, a list of points or arrays, got "
                         f"{_describe_result(items.to_dict() if hasattr(items, 'to_dict') else items)}")
    if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
        raise ValueError(f"fixed_points: expected a fixed-points result, a list of points or arrays, got "
                         f"{describe(items)}")
    out = []
    for i, p in enumerate(items):
        if isinstance(p, dict) or hasattr(p, "to_dict"):
            d = p.to_dict() if hasattr(p, "to_dict") else p
            if "x" not in d:
                raise ValueError(f"fixed_points[{i}]: expected a point with 'x', got {_describe_result(d)}")
            out.append((as_array(d["x"], f"fixed_points[{i}].x", 1), d.get("stability", "")))
        else:
            out.append((as_array(p, f"fixed_points[{i}]", 1), ""))
    return out


def _trajectory(t, field, dim):
    """A trajectory (Trajectory result or (samples, dim) array) as its state array."""
    if hasattr(t, "x") and hasattr(t, "t") and not isinstance(t, np.ndarray):
        t = t.x  # a Trajectory from rnndyn.simulate
    arr = as_array(t, field, 2, what=f"an array of shape (samples, {dim})")
    if arr.shape[1] != dim or not len(arr):
        raise ValueError(f"{field}: expected an array of shape (samples, {dim}), got shape {arr.shape}")
    return arr


def phase_portrait(model, xlim=None, ylim=None, fixed_points=None, trajectories=(), n=25, nullclines=True,
                   ax=None):
    """Phase portrait of a 2-D model: vector field (streamlines), nullclines F_0 = 0 and F_1 = 0
    (flows; F(x) = x for maps), trajectories (arrays of shape (samples, 2)) and fixed points
    coloured by stability. Models of higher dimension are shown in the plane of the first two
    principal components of the trajectories, without field or nullclines."""
    check_model(model)
    if trajectories is None:
        trajectories = ()
    if hasattr(trajectories, "to_dict") or isinstance(trajectories, np.ndarray) or hasattr(trajectories, "detach"):
        trajectories = [trajectories]  # one trajectory: a Trajectory or a (samples, dim) array
    pts = _points(fixed_points)
    trajectories = [_trajectory(t, f"trajectories[{i}]", model.dim) for i, t in enumerate(trajectories)]
    for i, (x, _) in enumerate(pts):
        if x.shape != (model.dim,):
            raise ValueError(f"fixed_points[{i}]: expected a point of dimension {model.dim}, got shape {x.shape}")
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        if lim is not None and (np.ndim(lim) != 1 or len(lim) != 2):
            raise ValueError(f"{name}: expected a pair (lo, hi), got {describe(lim)}")
    if model.dim != 2 and not trajectories and not pts:
        raise ValueError(f"trajectories: a model of dimension {model.dim} is drawn in the plane of its "
                         "trajectories or fixed points; give at least one")
    fig, ax = _axes(ax)
    if model.dim == 2:
        project = lambda a: a  # noqa: E731
        cloud = np.vstack([t for t in trajectories] + [p for p, _ in pts] + [np.zeros((0, 2))])
        if xlim is None or ylim is None:
            lo, hi = (cloud.min(0), cloud.max(0)) if len(cloud) else (np.array([-1, -1]), np.array([1, 1]))
            pad = 0.15 * np.maximum(hi - lo, 1e-3) + 1e-3
            xlim = xlim or (lo[0] - pad[0], hi[0] + pad[0])
            ylim = ylim or (lo[1] - pad[1], hi[1] + pad[1])
        xs, ys = np.linspace(*xlim, n), np.linspace(*ylim, n)
        X, Y = np.meshgrid(xs, ys)
        F = np.array([model.fixed_point_residual(np.array([x, y])) for x, y in zip(X.ravel(), Y.ravel())])
        U, V = F[:, 0].reshape(X.shape), F[:, 1].reshape(X.shape)
        ax.streamplot(X, Y, U, V, color="0.75", density=1.0, linewidth=0.7, arrowsize=0.8)
        if nullclines:
            ax.contour(X, Y, U, levels=[0], colors="#7b3294", linewidths=1.2)
            ax.contour(X, Y, V, levels=[0], colors="#008837", linewidths=1.2, linestyles="--")
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_xlabel("$x_0$")
        ax.set_ylabel("$x_1$")
    else:
        data = np.vstack(trajectories) if trajectories else np.vstack([p for p, _ in pts])
        mean = data.mean(0)
        _, _, vt = np.linalg.svd(data - mean, full_matrices=False)
        basis = vt[:2].T
        if basis.shape[1] < 2:  # one point (or a line of points) spans fewer than two directions
            basis = np.hstack([basis, np.zeros((basis.shape[0], 2 - basis.shape[1]))])
        project = lambda a: (np.atleast_2d(a) - mean) @ basis  # noqa: E731
        ax.set_xlabel("PC 1")
        ax.set_ylabel("PC 2")
    for t in trajectories:
        p = project(t)
        ax.plot(p[:, 0], p[:, 1], lw=1.0, color="#404040")
        ax.plot(p[0, 0], p[0, 1], "o", ms=3, color="#404040")
    for x, stability in pts:
        p = np.atleast_2d(project(x))[0]
        filled = stability.startswith("stable")
        color = STABILITY_COLORS.get(stability, "k")
        ax.plot(p[0], p[1], "o", ms=8, mfc=color if filled else "white", mec=color, mew=2,
                label=stability or "fixed point", zorder=5)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        unique = dict(zip(labels, handles))
        ax.legend(unique.values(), unique.keys(), fontsize=8, loc="best")
    return fig


def state_space(result, data=None, components=(0, 1), ax=None, cmap="viridis"):
    """FixedPointFinder's view in principal components: the states the network visits (``data``,
    samples x dim, grey), its fixed points coloured by stability (filled: stable; open: unstable,
    the number of unstable directions written beside saddles with more than one) and its slow
    points as diamonds coloured by their memory time (log scale; the colour bar says the unit:
    steps for maps, time for flows). The principal axes are those of ``data`` when given, else of
    the points themselves. ``result``: a fixed-points result (typed or its dict)."""
    data_doc = _document(result, "a fixed-points result", ("fixed_points",))
    fixed = data_doc.get("fixed_points", [])
    slow = data_doc.get("slow_points", []) or []
    points = [np.asarray(p["x"], float) for p in fixed] + [np.asarray(p["x"], float) for p in slow]
    states = None if data is None else as_array(data, "data", 2, what="an array of shape (samples, dim)")
    basis_from = states if states is not None and len(states) > 1 else np.array(points)
    if basis_from.ndim != 2 or len(basis_from) == 0:
        raise ValueError("result: has no fixed or slow points to draw, and no data were given")
    dim = basis_from.shape[1]
    centre = basis_from.mean(0)
    _, sv, vt = np.linalg.svd(basis_from - centre, full_matrices=False) if len(basis_from) > 1 else (
        None, np.ones(1), np.eye(dim))
    comps = [c for c in components if c < vt.shape[0]] or [0]
    axes = vt[comps]
    share = (sv ** 2 / max((sv ** 2).sum(), 1e-300))[comps] if len(sv) >= len(comps) else np.ones(len(comps))
    project = (lambda x: (np.atleast_2d(x) - centre) @ axes.T)
    created = ax is None
    fig, ax = _axes(ax)
    if states is not None:
        ys = project(states)
        ax.plot(ys[:, 0], ys[:, 1] if ys.shape[1] > 1 else np.zeros(len(ys)), ".", color="0.75", ms=2,
                zorder=1, label="visited states")
    for p in fixed:
        y = project(np.asarray(p["x"], float))[0]
        stab = p.get("stability", "")
        colour = STABILITY_COLORS.get(stab, "0.3")
        stable = stab.startswith("stable")
        ax.plot(y[0], y[1] if len(y) > 1 else 0.0, "o", ms=8, zorder=3, mec=colour,
                mfc=colour if stable else "white", mew=1.8)
        if p.get("n_unstable", 0) > 1:
            ax.annotate(str(p["n_unstable"]), (y[0], y[1] if len(y) > 1 else 0.0), textcoords="offset points",
                        xytext=(5, 5), fontsize=7, color=colour)
    if slow:
        import matplotlib.colors as mcolors
        times = np.array([p.get("memory_time") if p.get("memory_time") is not None else np.inf for p in slow],
                         float)
        finite = times[np.isfinite(times) & (times > 0)]
        lo, hi = (finite.min(), finite.max()) if len(finite) else (1.0, 10.0)
        if hi < 10.0 * lo:  # one decade at least, so that a single point does not span the whole map
            lo, hi = np.sqrt(lo * hi) / np.sqrt(10.0), np.sqrt(lo * hi) * np.sqrt(10.0)
        norm = mcolors.LogNorm(vmin=lo, vmax=hi)
        ys = project(np.array([p["x"] for p in slow], float))
        shown = np.where(np.isfinite(times), times, hi)
        sc = ax.scatter(ys[:, 0], ys[:, 1] if ys.shape[1] > 1 else np.zeros(len(ys)), c=shown, cmap=cmap,
                        norm=norm, marker="D", s=45, edgecolors="k", linewidths=0.6, zorder=4)
        unit = "steps" if data_doc.get("time") == "discrete" else "time"
        fig.colorbar(sc, ax=ax, label=f"slow points: memory time [{unit}]", format="%g")
    handles = [ax.plot([], [], "o", color=c, label=k)[0] for k, c in STABILITY_COLORS.items()
               if any(p.get("stability") == k for p in fixed)]
    if slow:
        handles.append(ax.plot([], [], "D", mfc="white", mec="k", label="slow point")[0])
    if handles:
        ax.legend(handles=handles, fontsize=7, loc="best", frameon=False)
    ax.set_xlabel(f"PC{comps[0] + 1} ({100 * share[0]:.0f} %)")
    if len(comps) > 1:
        ax.set_ylabel(f"PC{comps[1] + 1} ({100 * share[1]:.0f} %)")
    n_fixed, n_slow = len(fixed), len(slow)
    ax.set_title(f"{n_fixed} fixed point{'s' * (n_fixed != 1)}, {n_slow} slow point{'s' * (n_slow != 1)} "
                 f"({data_doc.get('status', '')})", fontsize=9)
    if created:
        fig.tight_layout()
    return fig


def spectrum(eigenvalues, time="continuous", ax=None, outliers=None, disk_radius=None, disk_center=-1.0,
             title=None):
    """Eigenvalues in the complex plane with the stability boundary (imaginary axis for flows,
    unit circle for maps). For reservoirs, ``disk_radius``/``disk_center`` draw the bulk disk
    (radius rho around -1 for the closed-loop Jacobian) and ``outliers`` the mean-field
    prediction (red crosses)."""
    what = "an array of eigenvalues (complex, or [re, im] pairs)"
    ev = _values(eigenvalues, "eigenvalues", what)
    if time not in ("continuous", "discrete"):
        raise ValueError(f"time: expected 'continuous' or 'discrete', got {describe(time)}")
    if outliers is not None:
        outliers = _values(outliers, "outliers", what)
    fig, ax = _axes(ax)
    ax.plot(ev.real, ev.imag, ".", color="#2166ac", ms=4, label="eigenvalues")
    if time == "continuous":
        ax.axvline(0.0, color="k", lw=0.8)
    else:
        th = np.linspace(0, 2 * np.pi, 400)
        ax.plot(np.cos(th), np.sin(th), "k", lw=0.8)
    if disk_radius is not None:
        th = np.linspace(0, 2 * np.pi, 400)
        ax.plot(disk_center + disk_radius * np.cos(th), disk_radius * np.sin(th), color="0.5", ls="--", lw=0.8,
                label=f"bulk, radius {disk_radius:.3g}")
    if outliers is not None:
        o = outliers
        ax.plot(o.real, o.imag, "x", color="#b2182b", ms=10, mew=2, label="mean-field")
    ax.axhline(0.0, color="0.8", lw=0.5)
    ax.set_xlabel(r"Re $\lambda$")
    ax.set_ylabel(r"Im $\lambda$")
    ax.set_aspect("equal", adjustable="datalim")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="best")
    return fig


def _cycle_envelopes(ax, data, component):
    """Limit-cycle branches (points with ``x_min``/``x_max``) as min and max of one coordinate,
    solid where the cycle is stable and dashed where not, with their bifurcations marked."""
    for branch in data["branches"]:
        points = branch.get("points", [])
        p = np.array([pt["p"] for pt in points], dtype=float)
        stable = np.array([bool(pt["stable"]) for pt in points], dtype=bool)
        for key in ("x_min", "x_max"):
            x = np.array([pt[key][component] for pt in points], dtype=float)
            for mask, style in ((stable, "-"), (~stable, "--")):
                ax.plot(p, np.where(mask, x, np.nan), style, color="#1a9641", lw=1.4)
    markers = {"fold": ("s", "#d7191c"), "hopf": ("o", "#2b83ba"), "period_doubling": ("D", "#7b3294"),
               "neimark_sacker": ("v", "#e66101")}
    for b in data.get("bifurcations", []):
        points = data["branches"][b["branch"]]["points"]
        pt = points[min(b["point_index"], len(points) - 1)]
        m, c = markers.get(b["type"], ("*", "k"))
        for key in ("x_min", "x_max"):
            ax.plot(b["parameter"], pt[key][component], m, color=c, ms=7, label=f"cycle {b['type']}", zorder=5)


def bifurcation_diagram(result, component=0, ax=None, cycles=None):
    """Fixed-point branches from a continuation result (``branches[]`` of ``points`` with
    ``p`` (or ``parameter``), ``x`` and ``stability``) against the parameter, solid where stable and dashed
    where not, with ``bifurcations[]`` marked by type. ``cycles``: a limit-cycle continuation result
    (``rnndyn.continue_limit_cycles``) drawn on the same axes as min/max envelopes of the cycles
    (green; solid stable, dashed unstable); ``result`` may be such a result too."""
    data = _document(result, "a continuation result", ("branches",))
    if any("x_min" in pt for b in data["branches"] for pt in (b.get("points", []) if isinstance(b, dict) else [])
           if isinstance(pt, dict)):
        cycles, data = data, {"parameter": data.get("parameter"), "branches": []}
    if cycles is not None:
        cycles = _document(cycles, "a limit-cycle continuation result", ("branches",))
    dim = next((len(pt["x"]) for b in data["branches"] + (cycles or {}).get("branches", [])
                for pt in (b.get("points", []) if isinstance(b, dict) else b) if isinstance(pt, dict) and "x" in pt),
               None)
    if not isinstance(component, (int, np.integer)) or isinstance(component, bool) or \
            (dim is not None and not 0 <= component < dim):
        raise ValueError(f"component: expected an index in [0, {dim}) (the state's dimension), got "
                         f"{describe(component)}" if dim is not None else
                         f"component: expected an integer index, got {describe(component)}")
    fig, ax = _axes(ax, figsize=(6, 4))
    for branch in data["branches"]:
        points = branch.get("points", branch) if isinstance(branch, dict) else branch
        p = np.array([pt["p"] if "p" in pt else pt["parameter"] for pt in points], dtype=float)
        x = np.array([pt["x"][component] for pt in points], dtype=float)
        stable = np.array([str(pt.get("stability", "")).startswith("stable") for pt in points])
        for mask, style in ((stable, "-"), (~stable, "--")):
            seg = np.where(mask, x, np.nan)
            ax.plot(p, seg, style, color="k", lw=1.4)
    markers = {"fold": ("s", "#d7191c"), "hopf": ("o", "#2b83ba"), "border_collision": ("^", "#fdae61")}
    for b in data.get("bifurcations", []):
        m, c = markers.get(b["type"], ("*", "k"))
        ax.plot(b["parameter"], b["x"][component], m, color=c, ms=8, label=b["type"], zorder=5)
    if cycles is not None:
        _cycle_envelopes(ax, cycles, component)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        unique = dict(zip(labels, handles))
        ax.legend(unique.values(), unique.keys(), fontsize=8)
    ax.set_xlabel(data.get("parameter", "parameter") if isinstance(data.get("parameter"), str) else "parameter")
    ax.set_ylabel(f"$x_{component}$")
    return fig


def nyquist(omega, G, G_theory=None, ax=None):
    """Nyquist plot of an open-loop gain G(omega) (finite network) and optionally the mean-field
    G_theory, both over omega and mirrored for -omega (G(-omega) = conj G(omega)). The closed loop
    is stable iff the curve does not encircle 1 + 0i (marked)."""
    what = "a 1-D array of complex gains, one per frequency"
    omega = _values(omega, "omega", "a 1-D array of frequencies")
    G = _values(G, "G", what)
    if len(G) != len(omega):
        raise ValueError(f"G: expected one value per frequency ({len(omega)}), got {len(G)}")
    if G_theory is not None:
        G_theory = _values(G_theory, "G_theory", what)
    fig, ax = _axes(ax)
    ax.plot(G.real, G.imag, color="#2166ac", lw=1.2, label="finite network")
    ax.plot(G.real, -G.imag, color="#2166ac", lw=0.8, ls=":")
    if G_theory is not None:
        Gt = np.asarray(G_theory)
        ax.plot(Gt.real, Gt.imag, color="#b2182b", lw=1.2, label="mean-field")
        ax.plot(Gt.real, -Gt.imag, color="#b2182b", lw=0.8, ls=":")
    ax.plot([1.0], [0.0], "k+", ms=12, mew=2)
    ax.set_xlabel("Re $G_{OL}$")
    ax.set_ylabel("Im $G_{OL}$")
    ax.legend(fontsize=8)
    return fig


def perturbation_shares(result, ax=None):
    """Bar chart of the share of each invariant-set type among sampled perturbations, with the
    binomial confidence intervals of a ``perturb`` result (``types``: {name: {share, ci_low,
    ci_high}}, or ``shares`` as a list of {type, share, ci_low, ci_high})."""
    data = _document(result, "a perturb result", ("types", "shares"))
    shares = data["shares"] if "shares" in data else data["types"]
    if isinstance(shares, dict):
        shares = [dict(type=k, **v) if isinstance(v, dict) else {"type": k, "share": v} for k, v in shares.items()]
    if not isinstance(shares, list) or not all(isinstance(s, dict) and "type" in s and "share" in s for s in shares):
        raise ValueError("result: expected 'shares' as a list of {type, share, ci_low, ci_high} (or 'types' as "
                         "{name: {share, ci_low, ci_high}})")
    fig, ax = _axes(ax, figsize=(6, 3.5))
    names = [s["type"] for s in shares]
    values = np.array([s["share"] for s in shares], dtype=float)
    lo = np.array([s.get("ci_low", s["share"]) for s in shares], dtype=float)
    hi = np.array([s.get("ci_high", s["share"]) for s in shares], dtype=float)
    ax.bar(range(len(names)), values, yerr=[values - lo, hi - values], capsize=3, color="#4393c3")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("share of perturbations")
    ax.set_ylim(0, 1)
    fig.tight_layout()
    return fig
