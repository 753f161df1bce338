"""Matplotlib figures of rnndyn results. Every function returns a ``matplotlib.figure.Figure``
(pass ``ax=`` to draw into an existing axes instead; ``axes=``, two of them, for
``lyapunov_spectrum``; ``fixed_point_spectra`` makes its own grid), never calls ``plt.show()``,
and refuses a result it cannot draw with a one-line ValueError. Figures it creates use the
constrained layout engine, so no label is clipped. docs/gallery/ shows one of each."""
import json

import numpy as np

from . import _core
from ._analysis import analysis_of, is_analysis
from ._validate import as_array, as_numpy, check_model, describe

__all__ = ["phase_portrait", "state_space", "spectrum", "fixed_point_spectra", "reservoir_spectrum",
           "bifurcation_diagram", "bifurcation_map", "hopf_curve", "nyquist", "mean_field_poles", "lyapunov_spectrum",
           "perturbation_shares", "driven_trajectory", "response", "basins", "sweep_map", "STABILITY_COLORS"]

STABILITY_COLORS = {
    "stable node": "#1a9641", "stable focus": "#66bd63", "saddle": "#fdae61",
    "unstable node": "#d7191c", "unstable focus": "#f46d43", "non-hyperbolic": "#2b83ba",
}
CONTINUUM_COLOR = "#2b83ba"  # continua are non-hyperbolic: zero eigenvalues along them
CYCLE_COLOR = "#e66101"


def _axes(ax, figsize=(5, 4.5), projection=None):
    import matplotlib.pyplot as plt
    if ax is not None:
        return ax.figure, ax
    # Constrained layout: axis labels, legends and colour bars are never clipped.
    fig = plt.figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot(projection=projection)


# The analyses whose results are curves in a parameter plane (one result struct, three kinds).
_CURVES = ("hopf-curve", "fold-curve", "border-curve")


def _describe_result(data):
    """'a fixed-points result', 'a dict with keys a, b', 'a list', ... for messages."""
    if isinstance(data, dict):
        kind = analysis_of(data)
        if kind is not None:
            return f"{'an' if kind == 'mft' else 'a'} {kind} result"
        keys = ", ".join(sorted(map(str, data))[:6]) + (", ..." if len(data) > 6 else "")
        return f"a dict with keys {keys}" if data else "an empty dict"
    return describe(data)


def _document(result, expected, analyses, keys):
    """The JSON document of a result (typed result, Result or dict) of one of ``analyses`` (its
    "analysis"; LEGACY, for files written before results carried it: one of ``keys`` present);
    otherwise ValueError naming what was expected (``expected``, e.g. 'a perturb result')."""
    data = result.to_dict() if hasattr(result, "to_dict") else result
    if not isinstance(data, dict) or not is_analysis(data, analyses, any(k in data for k in keys)):
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


def _class_name(stability):
    """The class of a stability ('saddle'), from its JSON text or from a Stability object, whose
    str() also carries the counts ('saddle (1 unstable)')."""
    return stability.type if isinstance(stability, _core.Stability) else str(stability)


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
            out.append((as_array(d["x"], f"fixed_points[{i}].x", 1), _class_name(d.get("stability", ""))))
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


def _trajectory_list(trajectories, dim):
    """Trajectories (Trajectory results, (samples, dim) arrays, or one (n, samples, dim) array) as
    a list of state arrays."""
    if trajectories is None:
        return []
    trajectories = as_numpy(trajectories)
    if hasattr(trajectories, "to_dict") or (isinstance(trajectories, np.ndarray) and trajectories.ndim == 2):
        trajectories = [trajectories]  # one trajectory: a Trajectory or a (samples, dim) array
    return [_trajectory(t, f"trajectories[{i}]", dim) for i, t in enumerate(trajectories)]


def _trajectory_dim(trajectories):
    """The state dimension of the first trajectory, or None when there is none."""
    t = as_numpy(trajectories)
    if t is None or not hasattr(t, "__len__") and not hasattr(t, "to_dict"):
        return None
    first = t if hasattr(t, "to_dict") or (isinstance(t, np.ndarray) and t.ndim == 2) else (t[0] if len(t) else None)
    shape = np.shape(getattr(first, "x", first)) if first is not None else ()
    return shape[-1] if len(shape) == 2 else None


def _continua(fixed_points):
    """The continua (line and plane attractors) of a fixed-points result; none for a list of points."""
    if isinstance(fixed_points, dict) or hasattr(fixed_points, "to_dict"):
        return list(_field(fixed_points, "continua", []) or [])
    return []


_FAR = 1e5  # the library writes the far vertices of unbounded polygons at 1e6


def _continuum_geometry(c, reach):
    """A continuum as (kind, points): 'line' with its two ends, 'polygon' with its vertices in order,
    or 'point'. Unbounded ends and far vertices are brought in to ``reach`` from its origin."""
    origin = np.asarray(c["origin"], float)
    if c.get("dimension") == 1:
        lo, hi = c.get("y_min"), c.get("y_max")  # x = origin + y basis[0], y in [y_min, y_max]
        ends = [-reach if lo is None else lo, reach if hi is None else hi]
        return "line", origin + np.outer(ends, np.asarray(c["basis"][0], float))
    verts = np.asarray(c.get("vertices") or [origin], float)
    if c.get("dimension", 0) == 0 or len(verts) < 3:
        return "point", verts
    off = verts - origin
    norm = np.linalg.norm(off, axis=1)
    far = norm > _FAR
    verts[far] = origin + off[far] * (reach / norm[far])[:, None]
    return "polygon", verts


def _draw_continuum(ax, c, reach, project, labels):
    kind, pts = _continuum_geometry(c, reach)
    ys = project(pts)
    name = {"line": "line of fixed points", "polygon": "plane of fixed points"}.get(kind, "fixed point")
    if kind == "polygon" and ys.shape[1] == 2:
        art = ax.fill(*ys.T, color=CONTINUUM_COLOR, alpha=0.3, lw=0, zorder=2)[0]
    else:
        closed = np.vstack([ys, ys[:1]]) if kind == "polygon" else ys
        art = ax.plot(*closed.T, "-o" if kind == "point" else "-", color=CONTINUUM_COLOR, lw=3, ms=8,
                      solid_capstyle="round", zorder=4)[0]
    labels.setdefault(name, art)


def _orbits(model, cycles):
    """(states, name, stability) of every cycle in ``cycles`` (a result or a list of results): one
    period of a flow's limit cycle, traced from its section point, or the k points of each k-cycle
    of a map (a cycles result)."""
    if cycles is None:
        return []
    if isinstance(cycles, dict) or hasattr(cycles, "to_dict"):
        cycles = [cycles]
    out = []
    for i, c in enumerate(cycles):
        doc = _document(c, "a limit-cycle or cycles result", ("limit-cycle", "cycles"),
                        ("floquet_multipliers", "cycles"))
        if is_analysis(doc, ("cycles",), "cycles" in doc):
            out += [(np.asarray(k["points"], float), f"{k.get('period', len(k['points']))}-cycle",
                     str(k.get("stability", ""))) for k in doc["cycles"]]
        elif not doc.get("period") or not doc.get("section_point"):
            raise ValueError(f"cycles[{i}]: the limit-cycle result has no cycle (status '{doc.get('status')}')")
        elif model is None:
            raise ValueError("model: needed to trace the cycles (a limit-cycle result holds no samples)")
        else:
            out.append((_orbit(model, doc), "limit cycle", ""))
    return out


def _draw_orbits(ax, orbits, project, labels):
    """Limit cycles as thick closed curves; k-cycles of maps as their points (squares coloured by
    stability, filled when stable) joined in the order they are visited."""
    for x, name, stability in orbits:
        ys = project(x)
        if name == "limit cycle":
            labels.setdefault(name, ax.plot(*ys.T, color=CYCLE_COLOR, lw=2, zorder=3)[0])
            continue
        colour = STABILITY_COLORS.get(stability, CYCLE_COLOR)
        ax.plot(*np.vstack([ys, ys[:1]]).T, ":", color=colour, lw=1, zorder=3)
        art = ax.plot(*ys.T, "s", ls="", ms=7, mec=colour, mew=1.8, zorder=5,
                      mfc=colour if stability.startswith("stable") else "white")[0]
        labels.setdefault(f"{name} ({stability})" if stability else name, art)


def _orbit(model, cycle, samples=400):
    """One period of the cycle from its section point (a limit-cycle result holds no samples)."""
    from ._analyses import simulate
    period = float(cycle["period"])
    return np.asarray(simulate(model, cycle["section_point"], t_end=period, dt=period / samples).x)


def _limits(lim, lo, hi, scale):
    """(lo, hi) of one axis around what is drawn: 15 % margins, and at least a fifth of ``scale``
    (the coordinates' magnitude), so that a single point is not zoomed to +-0.001."""
    if lim is not None:
        return tuple(lim)
    centre, half = 0.5 * (lo + hi), max(0.575 * (hi - lo), 0.2 * scale)
    return centre - half, centre + half


def _legend(ax, labels, **kw):
    if labels:
        ax.legend(list(labels.values()), list(labels.keys()), fontsize=7, framealpha=0.85, **kw)


def phase_portrait(model, xlim=None, ylim=None, fixed_points=None, trajectories=(), n=25, nullclines=True,
                   ax=None, cycles=None):
    """Phase portrait of a 2-D model: vector field (streamlines of F for flows, F(x) - x for maps),
    nullclines (in the legend), trajectories (Trajectory results or arrays of shape (samples, 2)),
    fixed points coloured by stability (filled: stable), the continua of a fixed-points result
    (line attractors as thick lines, planes of fixed points as shaded polygons) and cycles
    (``cycles``: limit-cycle results, drawn as the closed orbit through their section point, or a
    cycles result of a map, whose k-cycles are drawn as squares coloured by stability).
    Models of higher dimension are drawn by :func:`state_space` in the principal components of
    the trajectories, with the unstable modes of saddles."""
    check_model(model)
    trajectories = _trajectory_list(trajectories, model.dim)
    pts = _points(fixed_points)
    continua = _continua(fixed_points)
    for i, (x, _) in enumerate(pts):
        if x.shape != (model.dim,):
            raise ValueError(f"fixed_points[{i}]: expected a point of dimension {model.dim}, got shape {x.shape}")
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        if lim is not None and (np.ndim(lim) != 1 or len(lim) != 2):
            raise ValueError(f"{name}: expected a pair (lo, hi), got {describe(lim)}")
    if model.dim != 2:
        if not trajectories and not pts and not continua and cycles is None:
            raise ValueError(f"trajectories: a model of dimension {model.dim} is drawn in the plane of its "
                             "trajectories or fixed points; give at least one")
        doc = {"fixed_points": [{"x": x.tolist(), "stability": s} for x, s in pts], "continua": continua,
               "time": model.time}
        return state_space(doc, trajectories=trajectories or None, ax=ax, model=model, cycles=cycles)
    orbits = _orbits(model, cycles)
    fig, ax = _axes(ax)
    cloud = np.vstack(trajectories + [x for x, _, _ in orbits] + [x[None] for x, _ in pts] + [np.zeros((0, 2))] +
                      [_continuum_geometry(c, max(1.0, np.abs(c["origin"]).max()))[1] for c in continua])
    if not len(cloud):
        cloud = np.array([[-1.0, -1.0], [1.0, 1.0]])
    lo, hi, scale = cloud.min(0), cloud.max(0), np.abs(cloud).max()
    if np.max(hi - lo) <= 1e-12 * max(scale, 1.0):  # one point: its magnitude, else 1, sets the scale
        scale = max(scale, 1.0)
    xlim, ylim = _limits(xlim, lo[0], hi[0], scale), _limits(ylim, lo[1], hi[1], scale)
    X, Y = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    F = np.array([model.fixed_point_residual(np.array([x, y])) for x, y in zip(X.ravel(), Y.ravel())])
    U, V = F[:, 0].reshape(X.shape), F[:, 1].reshape(X.shape)
    ax.streamplot(X, Y, U, V, color="0.75", density=1.0, linewidth=0.7, arrowsize=0.8)
    labels = {}
    for x, stability in pts:
        filled = stability.startswith("stable")
        color = STABILITY_COLORS.get(stability, "k")
        art = ax.plot(x[0], x[1], "o", ms=8, mfc=color if filled else "white", mec=color, mew=2, zorder=5)[0]
        labels.setdefault(stability or "fixed point", art)
    for c in continua:
        _draw_continuum(ax, c, 1e6, lambda a: np.atleast_2d(a), labels)  # the axes clip unbounded ends
    _draw_orbits(ax, orbits, np.atleast_2d, labels)
    for t in trajectories:
        ax.plot(t[:, 0], t[:, 1], lw=1.0, color="#404040")
        ax.plot(t[0, 0], t[0, 1], "o", ms=3, color="#404040")
    if nullclines:
        _nullclines(ax, X, Y, U, V, model.time == "discrete", labels)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.ticklabel_format(useOffset=False)
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    _legend(ax, labels, loc="best")
    return fig


def _nullclines(ax, X, Y, U, V, discrete, labels):
    from matplotlib.lines import Line2D
    for k, (Z, color, style) in enumerate(((U, "#7b3294", "-"), (V, "#008837", "--"))):
        if Z.min() < 0 < Z.max():  # contour warns when there is no zero level to draw
            ax.contour(X, Y, Z, levels=[0], colors=color, linewidths=1.2, linestyles=style)
        name = f"$x_{k}' = x_{k}$" if discrete else rf"$\dot x_{k} = 0$"
        labels[f"nullcline {name}"] = Line2D([], [], color=color, lw=1.2, ls=style)


def _unstable_modes(point, model, time):
    """Real unit vectors spanning the unstable subspace of a fixed point (the real and imaginary
    parts of a complex mode, once per conjugate pair): its ``unstable_directions`` (numeric
    results), else rnndyn.linearize at the point when a model is given."""
    dirs = point.get("unstable_directions")
    if dirs is None:
        if model is None or str(point.get("stability", "")).startswith("stable"):
            return []
        from ._analyses import linearize
        lin = linearize(model, point["x"])
        ev, vec = np.asarray(lin.eigenvalues), np.asarray(lin.eigenvectors)
        unstable = np.abs(ev) > 1 if time == "discrete" else ev.real > 0
        dirs = vec[:, unstable].T
    out = []
    for d in dirs:
        d = np.asarray(d)
        z = d[:, 0] + 1j * d[:, 1] if d.ndim == 2 else d.astype(complex)  # [re, im] pairs or complex
        for v in (z.real, z.imag):
            n = np.linalg.norm(v)
            if n > 1e-12 * np.linalg.norm(z) and all(abs(u @ v) < 0.999 * n for u in out):
                out.append(v / n)
    return out


def _pca(fit, k):
    """Centre, the first ``k`` principal axes (rows; zero rows where the data span fewer) and their
    shares of the variance."""
    centre = fit.mean(0)
    if len(fit) > 1:
        _, sv, vt = np.linalg.svd(fit - centre, full_matrices=False)
    else:
        sv, vt = np.zeros(1), np.eye(fit.shape[1])[:1]
    share = sv ** 2 / max((sv ** 2).sum(), 1e-300)
    pad = max(0, k - len(vt))
    return centre, np.vstack([vt[:k], np.zeros((pad, fit.shape[1]))]), np.concatenate([share[:k], np.zeros(pad)])


def state_space(result, data=None, components=(0, 1), ax=None, cmap="viridis", trajectories=None, model=None,
                mode_scale=None, cycles=None):
    """FixedPointFinder's view (its ``plot_fps``) in principal components, 2-D or, with three
    ``components``, 3-D: the states the network visits (``data``, samples x dim, grey dots), its
    trajectories (``trajectories``: Trajectory results or (samples, dim) arrays, grey lines), fixed
    points coloured by stability (filled: stable; open: unstable, the number of unstable directions
    written beside saddles with more than one), the unstable modes of unstable points as segments
    x* +- s v (``unstable_directions`` of numeric results; else, with ``model``, from
    rnndyn.linearize; s = ``mode_scale``, default a quarter of the data's spread), continua as
    lines / polygons, cycles (``cycles``: limit-cycle results, with ``model`` to trace one period,
    as closed orbits; a cycles result's k-cycles as squares), slow points as diamonds coloured by their memory
    time (log scale; the colour bar says the unit: steps for maps, time for flows), slow manifolds as purple
    lines through their points (closed for rings), and memories found from simulation as orange discs whose
    area grows with the share of time the orbits spent there. The principal axes are fitted on
    ``data``, the trajectories and the cycles when given (as FPF does), else on the points.
    ``result``: a fixed-points result (typed or its dict)."""
    doc = _document(result, "a fixed-points result", ("fixed-points", "basins"), ("fixed_points",))
    fixed, slow, continua = doc.get("fixed_points", []), doc.get("slow_points") or [], doc.get("continua") or []
    manifolds = doc.get("slow_manifolds") or []
    memories = doc.get("memories") or []
    points = [np.asarray(p["x"], float) for p in fixed + slow + memories] + [np.asarray(c["origin"], float) for c in continua]
    points += [row for m in manifolds for row in np.asarray(m["points"], float)]
    states = None if data is None else as_array(data, "data", 2, what="an array of shape (samples, dim)")
    dim = len(points[0]) if points else states.shape[1] if states is not None else _trajectory_dim(trajectories)
    dim = dim if dim is not None or model is None else model.dim
    if dim is None:
        raise ValueError("result: has no fixed or slow points to draw, and no data were given")
    trajs = _trajectory_list(trajectories, dim)
    orbits = _orbits(model, cycles)
    if not (isinstance(components, (tuple, list)) and len(components) in (2, 3) and
            all(isinstance(c, (int, np.integer)) and 0 <= c < dim for c in components)):
        raise ValueError(f"components: expected 2 or 3 principal-component indices in [0, {dim}), got "
                         f"{describe(components)}")
    fit = np.vstack(([states] if states is not None else []) + trajs + [x for x, _, _ in orbits] +
                    [np.zeros((0, dim))])
    if len(fit) < 2:
        fit = np.array(points)
    centre, axes, share = _pca(fit, max(components) + 1)
    axes, share = axes[list(components)], share[list(components)]
    project = lambda x: (np.atleast_2d(x) - centre) @ axes.T  # noqa: E731
    spread = np.sqrt(((fit - fit.mean(0)) ** 2).sum(1).mean()) if len(fit) > 1 else 1.0
    s = mode_scale if mode_scale is not None else 0.25 * (spread or 1.0)
    fig, ax = _axes(ax, projection="3d" if len(components) == 3 else None)
    if states is not None:
        ax.plot(*project(states).T, ".", color="0.75", ms=2, zorder=1)
    for t in trajs:
        ax.plot(*project(t).T, "-", color="0.55", lw=0.6, zorder=1)
    labels = {}
    _draw_orbits(ax, orbits, project, labels)
    for c in continua:
        _draw_continuum(ax, c, 2 * (spread or 1.0), project, labels)
    _draw_slow_manifolds(ax, manifolds, project, labels)
    _draw_fixed_points(ax, fixed, project, model, doc.get("time"), s, labels)
    if slow:
        _draw_slow_points(fig, ax, slow, project, cmap, doc.get("time"), labels)
    _draw_memories(ax, memories, project, labels)
    _legend(ax, labels, loc="best", frameon=False)
    names = [f"PC{c + 1} ({100 * f:.0f} %)" for c, f in zip(components, share)]
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    if len(names) == 3:
        ax.set_zlabel(names[2])
    counts = [f"{n} {what}{'s' * (n != 1)}" for n, what in ((len(fixed), "fixed point"), (len(slow), "slow point"),
                                                          (len(continua), "continuum"),
                                                          (len(manifolds), "slow manifold"))
              if n or what in ("fixed point", "slow point")]
    status = doc.get("status")
    if memories:
        counts.append(f"{len(memories)} memor{'ies' if len(memories) != 1 else 'y'}")
    ax.set_title(", ".join(counts).replace("continuums", "continua") + (f" ({status})" if status else ""), fontsize=9)
    return fig


def _draw_memories(ax, memories, project, labels):
    """Each memory found from simulation as a translucent disc behind its point, its area
    proportional to the share of time the orbits spent there."""
    from matplotlib.lines import Line2D
    for m in memories:
        ms = 10 + 40 * np.sqrt(max(float(m.get("share", 0.0)), 0.0))
        ax.plot(*project(np.asarray(m["x"], float))[0][:, None], "8", ms=ms, color="tab:cyan", alpha=0.35, mew=0,
                zorder=1.5)
    if memories:
        labels.setdefault("memory (area: dwell)", Line2D([], [], marker="8", ls="", ms=10, color="tab:cyan",
                                                         alpha=0.3, mew=0))


def _draw_slow_manifolds(ax, manifolds, project, labels):
    """Each slow manifold as a line through its points, closed for a ring."""
    from matplotlib.lines import Line2D
    for m in manifolds:
        pts = np.asarray(m["points"], float)
        if m.get("closed"):
            pts = np.vstack([pts, pts[:1]])
        ax.plot(*project(pts).T, "-", color="tab:purple", lw=2, alpha=0.8, zorder=2)
        labels.setdefault("slow manifold", Line2D([], [], color="tab:purple", lw=2, alpha=0.8))


def _draw_fixed_points(ax, fixed, project, model, time, scale, labels):
    from matplotlib.lines import Line2D
    three_d = hasattr(ax, "set_zlabel")
    for p in fixed:
        x = np.asarray(p["x"], float)
        y = project(x)[0]
        stab = p.get("stability", "")
        colour = STABILITY_COLORS.get(stab, "0.3")
        stable = stab.startswith("stable")
        for v in _unstable_modes(p, model, time):
            ax.plot(*project(np.array([x - scale * v, x + scale * v])).T, "-", color=colour, lw=1.5, zorder=2)
        ax.plot(*y[:, None], "o", ms=8, zorder=3, mec=colour, mfc=colour if stable else "white", mew=1.8)
        if p.get("n_unstable", 0) > 1:
            if three_d:
                ax.text(*y, f" {p['n_unstable']}", fontsize=7, color=colour)
            else:
                ax.annotate(str(p["n_unstable"]), tuple(y), textcoords="offset points", xytext=(5, 5), fontsize=7,
                            color=colour)
        if stab:
            labels.setdefault(stab, Line2D([], [], ls="", marker="o", mec=colour, mfc=colour if stable else "white",
                                           mew=1.8))


def _draw_slow_points(fig, ax, slow, project, cmap, time, labels):
    import matplotlib.colors as mcolors
    from matplotlib.lines import Line2D
    # memory_time: null = inf (never left within the horizon); absent = not computed (grey).
    times = np.array([np.nan if "memory_time" not in p else np.inf if p["memory_time"] is None else p["memory_time"]
                      for p in slow], float)
    finite = times[np.isfinite(times) & (times > 0)]
    lo, hi = (finite.min(), finite.max()) if len(finite) else (1.0, 10.0)
    if hi < 10.0 * lo:  # one decade at least, so that a single point does not span the whole map
        lo, hi = np.sqrt(lo * hi) / np.sqrt(10.0), np.sqrt(lo * hi) * np.sqrt(10.0)
    ys = project(np.array([p["x"] for p in slow], float))
    import matplotlib

    cmap = (matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap).copy()
    cmap.set_bad("0.75")
    sc = ax.scatter(*ys.T, c=np.where(np.isinf(times), hi, times), cmap=cmap, plotnonfinite=True,
                    norm=mcolors.LogNorm(vmin=lo, vmax=hi), marker="D", s=45, edgecolors="k", linewidths=0.6, zorder=4)
    if np.isnan(times).any():
        labels["slow point, memory time not computed"] = Line2D([], [], ls="", marker="D", mfc="0.75", mec="k")
    unit = "steps" if time == "discrete" else "time"
    # A 3-D axes draws its z label outside the box: the bar moves right so that it does not cover it.
    three_d = hasattr(ax, "set_zlabel")
    fig.colorbar(sc, ax=ax, label=f"slow points: memory time [{unit}]", format="%g", pad=0.1 if three_d else 0.05,
                 shrink=0.8 if three_d else 1.0)
    labels["slow point"] = Line2D([], [], ls="", marker="D", mfc="white", mec="k")


_EIGEN_WHAT = "an array of eigenvalues (complex, or [re, im] pairs)"


def _spectrum_source(eigenvalues, time, title):
    """(eigenvalues, time, title, tolerance of 'marginal') of an array or of a result that carries
    both: a linearize result (its ``time``) or a limit-cycle result (Floquet multipliers: the
    cycle's return map, so the unit circle; the trivial multiplier 1 is known only to the
    accuracy the result states)."""
    data = as_numpy(eigenvalues)
    data = data.to_dict() if hasattr(data, "to_dict") else data
    if isinstance(data, dict) and is_analysis(data, ("limit-cycle",), "floquet_multipliers" in data):
        period, error = data.get("period"), data.get("trivial_multiplier_error") or 0.0
        return (_values(data["floquet_multipliers"], "floquet_multipliers", _EIGEN_WHAT), time or "discrete",
                title or "Floquet multipliers" + (f" (period {period:.4g})" if period else ""), max(1e-9, 10 * error))
    if isinstance(data, dict) and is_analysis(data, ("linearize",),
                                              "eigenvalues" in data and "fixed_points" not in data):
        if (time or data.get("time")) is None:
            raise ValueError("time: this result does not say whether the model is a flow or a map; pass "
                             "time='continuous' or 'discrete'")
        return _values(data["eigenvalues"], "eigenvalues", _EIGEN_WHAT), time or data["time"], \
            title or data.get("stability"), 1e-9
    if isinstance(data, dict):
        hint = " (fixed_point_spectra draws one per point)" if "fixed_points" in data else ""
        raise ValueError(f"eigenvalues: expected {_EIGEN_WHAT} or a linearize or limit-cycle result, got "
                         f"{_describe_result(data)}{hint}")
    ev = _values(eigenvalues, "eigenvalues", _EIGEN_WHAT)
    if time is None:
        raise ValueError("time: expected 'continuous' (flows: the imaginary axis) or 'discrete' (maps: the unit "
                         "circle) with an array of eigenvalues")
    return ev, time, title, 1e-9


def spectrum(eigenvalues, time=None, ax=None, outliers=None, disk_radius=None, disk_center=-1.0, title=None,
             boundary=0.0):
    """Eigenvalues in the complex plane against the stability boundary of the time kind: the line
    Re lambda = ``boundary`` (default 0: the imaginary axis) for flows (``time='continuous'``), the
    unit circle for maps (``'discrete'``); stable ones green, marginal blue, unstable red.
    ``eigenvalues``: an array with ``time``, or a result that knows its time kind: a linearize
    result, a limit-cycle result (its Floquet multipliers, against the unit circle). For
    reservoirs, ``disk_radius``/``disk_center`` draw the bulk disk (radius rho around -1 for the
    closed-loop Jacobian) and ``outliers`` the mean-field prediction (crosses)."""
    ev, time, title, tol = _spectrum_source(eigenvalues, time, title)
    if time not in ("continuous", "discrete"):
        raise ValueError(f"time: expected 'continuous' or 'discrete', got {describe(time)}")
    if outliers is not None:
        outliers = _values(outliers, "outliers", _EIGEN_WHAT)
    fig, ax = _axes(ax)
    growth = np.abs(ev) - 1 if time == "discrete" else ev.real - boundary
    marginal = np.abs(growth) <= tol * max(1.0, abs(boundary))
    th = np.linspace(0, 2 * np.pi, 400)
    if time == "continuous":
        ax.axvline(boundary, color="k", lw=0.8)
        ax.update_datalim([[boundary, 0.0]])  # keep the boundary inside the axes
    else:
        ax.plot(np.cos(th), np.sin(th), "k", lw=0.8)
    for mask, colour, name in ((~marginal & (growth < 0), "#1a9641", "stable"), (marginal, "#2b83ba", "marginal"),
                               (~marginal & (growth > 0), "#d7191c", "unstable")):
        if mask.any() or name == "stable":
            ax.plot(ev.real[mask], ev.imag[mask], "o", color=colour, ms=4 if len(ev) <= 100 else 2, label=name)
    if disk_radius is not None:
        ax.plot(disk_center + disk_radius * np.cos(th), disk_radius * np.sin(th), color="0.5", ls="--", lw=0.8,
                label=f"bulk, radius {disk_radius:.3g}")
    if outliers is not None:
        ax.plot(outliers.real, outliers.imag, "x", color="#b2182b", ms=10, mew=2, label="mean-field outliers")
    ax.axhline(0.0, color="0.8", lw=0.5)
    symbol = r"\mu" if title and title.startswith("Floquet") else r"\lambda"
    ax.set_xlabel(rf"Re ${symbol}$")
    ax.set_ylabel(rf"Im ${symbol}$")
    ax.set_aspect("equal", adjustable="datalim")
    ax.ticklabel_format(useOffset=False)
    if title:
        ax.set_title(title, fontsize=9)
    if disk_radius is not None or outliers is not None:  # colours say stable / marginal / unstable
        ax.legend(fontsize=7, loc="best")
    return fig


def fixed_point_spectra(result, max_points=12):
    """One spectrum per fixed point and continuum of a fixed-points result (the first
    ``max_points``), titled with its stability, against the boundary of the model's time kind."""
    import matplotlib.pyplot as plt
    doc = _document(result, "a fixed-points result", ("fixed-points", "basins"), ("fixed_points",))
    items = [(f"#{i} {p.get('stability', '')}", p) for i, p in enumerate(doc["fixed_points"])] + \
            [(f"continuum {i} ({c.get('shape', '')})", c) for i, c in enumerate(doc.get("continua") or [])]
    items = [(name, p) for name, p in items if p.get("eigenvalues")]
    if not items:
        raise ValueError("result: none of its fixed points carries eigenvalues")
    if not isinstance(max_points, (int, np.integer)) or max_points < 1:
        raise ValueError(f"max_points: expected a count >= 1, got {describe(max_points)}")
    total, items = len(items), items[:max_points]
    cols = min(len(items), 4)
    rows = -(-len(items) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.6 * cols, 2.5 * rows), layout="constrained", squeeze=False)
    for ax, (name, p) in zip(axes.flat, items):
        spectrum(p["eigenvalues"], time=doc.get("time", "continuous"), ax=ax, title=name)
    for ax in axes.flat[len(items):]:
        ax.set_visible(False)
    if total > len(items):
        fig.suptitle(f"the first {len(items)} of {total}", fontsize=9)
    return fig


def reservoir_spectrum(result, level=0, ax=None):
    """The closed-loop spectrum of a finite reservoir at target ``level`` (a reservoir result) beside
    the mean-field theory: the bulk disk of radius rho around -1 and the predicted outliers."""
    doc = _document(result, "a reservoir result", ("reservoir",), ("finite",))
    levels = doc["finite"].get("levels", [])
    if not isinstance(level, (int, np.integer)) or not 0 <= level < len(levels):
        raise ValueError(f"level: expected an index in [0, {len(levels)}), got {describe(level)}")
    fin, mf = levels[level], doc["mean_field"]["levels"][level]
    if not fin.get("eigenvalues"):
        raise ValueError("result: the reservoir result has no spectrum (run it with spectrum on)")
    verdict = "stable" if fin.get("stable") else "unstable"
    fig = spectrum(fin["eigenvalues"], time="continuous", ax=ax, outliers=mf.get("poles"), disk_radius=mf.get("rho"),
                   title=f"A = {fin.get('A', mf.get('A')):g}: {verdict} (N = {doc['finite'].get('N')})")
    if fin.get("displaced"):  # the finite network's own outliers, found without the theory
        ax = fig.axes[0] if ax is None else ax
        d = _values([z for z in fin["displaced"] if None not in z] or np.zeros(0), "displaced", _EIGEN_WHAT)
        ax.plot(d.real, d.imag, "o", mfc="none", mec="k", ms=9, mew=1.2, label="finite-N outliers")
        ax.legend(fontsize=7, loc="best")
    return fig


def _by_stability(ax, p, x, stable, colour):
    """One branch, solid where stable and dashed where not; the dashed part reaches the neighbouring
    stable points so that no gap opens where stability changes."""
    unstable = ~stable | np.r_[~stable[1:], False] | np.r_[False, ~stable[:-1]]
    ax.plot(p, np.where(stable, x, np.nan), "-", color=colour, lw=1.4)
    ax.plot(p, np.where(unstable, x, np.nan), "--", color=colour, lw=1.4)


def _cycle_envelopes(ax, data, component):
    """Limit-cycle branches (points with ``x_min``/``x_max``) as min and max of one coordinate,
    solid where the cycle is stable and dashed where not, with their bifurcations marked. k-cycles
    of maps (points with ``points``) are drawn as their k points per parameter value, one curve per
    point z_j, instead of the envelope."""
    for branch in data["branches"]:
        points = branch.get("points", [])
        p = np.array([pt["p"] for pt in points], dtype=float)
        stable = np.array([bool(pt["stable"]) for pt in points], dtype=bool)
        if points and "points" in points[0]:
            for j in range(len(points[0]["points"])):
                x = np.array([pt["points"][j][component] for pt in points], dtype=float)
                _by_stability(ax, p, x, stable, "#1a9641")
            continue
        for key in ("x_min", "x_max"):
            x = np.array([pt[key][component] for pt in points], dtype=float)
            _by_stability(ax, p, x, stable, "#1a9641")
    markers = {"fold": ("s", "#d7191c"), "hopf": ("o", "#2b83ba"), "period_doubling": ("D", "#7b3294"),
               "neimark_sacker": ("v", "#e66101"), "border_collision": ("^", "#fdae61")}
    for b in data.get("bifurcations", []):
        m, c = markers.get(b["type"], ("*", "k"))
        if "points" in b:  # a map's cycle: mark each of its k points
            big = b["type"] == "border_collision"  # drawn larger: a nonsmooth fold sits on the same spot
            for z in b["points"]:
                ax.plot(b["parameter"], z[component], m, color=c, ms=11 if big else 6, label=f"cycle {b['type']}",
                        zorder=4 if big else 5)
            continue
        points = data["branches"][b["branch"]]["points"]
        pt = points[min(b["point_index"], len(points) - 1)]
        for key in ("x_min", "x_max"):
            ax.plot(b["parameter"], pt[key][component], m, color=c, ms=7, label=f"cycle {b['type']}", zorder=5)


_SCAN_QUANTITIES = {"n_stable": "stable fixed points", "n_fixed_points": "fixed points",
                    "n_unstable": "unstable fixed points", "n_marginal": "marginal fixed points",
                    "n_continua": "continua of fixed points", "n_cycles": "cycles (period 2..K)",
                    "n_stable_cycles": "stable cycles (period 2..K)", "n_unstable_cycles": "unstable cycles",
                    "n_marginal_cycles": "marginal cycles", "n_cycle_continua": "continua of cycles",
                    "n_stable_attractors": "stable fixed points + stable cycles"}


def _scan_counts(data, quantity):
    """The grid of one quantity: a JSON field, ``n_cycles_<k>`` (cycles of minimal period k) or
    ``n_stable_attractors`` (stable fixed points plus stable cycles, SCYFI's map of attractors)."""
    if quantity.startswith("n_cycles_") and quantity[9:].isdigit():
        by_period = data.get("n_cycles_by_period") or {}
        if quantity[9:] not in by_period:
            raise ValueError(f"quantity: no cycles of period {quantity[9:]} in this scan (periods counted: "
                             f"{', '.join(by_period) or 'none'})")
        return np.asarray(by_period[quantity[9:]], int), f"cycles of period {quantity[9:]}"
    if quantity not in _SCAN_QUANTITIES:
        raise ValueError(f"quantity: expected one of {', '.join(_SCAN_QUANTITIES)} or n_cycles_<k>, got "
                         f"{describe(quantity)}")
    if ("cycles" in quantity or quantity == "n_stable_attractors") and not data.get("cycles_counted"):
        if quantity != "n_stable_attractors":
            raise ValueError(f"quantity: {quantity} needs a scan that counted cycles; this one did not "
                             f"({data.get('cycles_note') or 'no cycle counts'})")
        return np.asarray(data["n_stable"], int), _SCAN_QUANTITIES["n_stable"]
    what = _SCAN_QUANTITIES[quantity].replace("2..K", f"2..{(data.get('options') or {}).get('max_period', 'K')}")
    if quantity == "n_stable_attractors":
        return np.asarray(data["n_stable"], int) + np.asarray(data["n_stable_cycles"], int), what
    return np.asarray(data[quantity], int), what


def bifurcation_map(result, quantity="n_stable", ax=None, cmap="viridis", curves=()):
    """A two-parameter bifurcation map from a scan result (``rnndyn.scan_parameters`` or ``rnndyn
    scan``): every grid cell coloured by ``quantity`` (``n_stable`` (default), ``n_fixed_points``,
    ``n_unstable``, ``n_marginal``, ``n_continua``; for scans of piecewise-linear maps also
    ``n_cycles``, ``n_stable_cycles``, ``n_unstable_cycles``, ``n_marginal_cycles``,
    ``n_cycle_continua``, ``n_cycles_<k>`` (period k only) and ``n_stable_attractors`` (stable
    fixed points plus stable cycles)), one colour per count; the boundaries between
    colours are the bifurcation curves, located to the grid spacing. Cells whose search was not
    complete are marked with a white x (their count is a lower bound). ``curves``: Hopf curves (red,
    ``rnndyn.continue_hopf_curve``) and fold curves (blue dashed, ``rnndyn.continue_fold_curve``)
    drawn over the map."""
    data = _document(result, "a scan result", ("scan",), ("n_stable",))
    z, what = _scan_counts(data, quantity)
    import matplotlib
    import matplotlib.colors as mcolors
    x, y = np.asarray(data["x_values"], float), np.asarray(data["y_values"], float)
    fig, ax = _axes(ax, figsize=(6, 4.5))
    levels = np.arange(z.min(), z.max() + 2) - 0.5
    colours = matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap
    norm = mcolors.BoundaryNorm(levels, colours.N)  # one colour per count, spread over the map
    mesh = ax.pcolormesh(_cell_edges(x), _cell_edges(y), z, cmap=colours, norm=norm, shading="flat")
    bar = fig.colorbar(mesh, ax=ax, ticks=np.arange(z.min(), z.max() + 1))
    bar.set_label(what)
    incomplete = ~np.asarray(data.get("complete", np.ones_like(z, bool)), bool)
    if incomplete.any():  # a count there is a lower bound
        jj, ii = np.nonzero(incomplete)
        ax.plot(x[ii], y[jj], "x", color="w", ms=4, label="search not complete")
        ax.legend(loc="best", fontsize="small")
    labelled = set()
    for k, curve in enumerate(curves):
        c = _document(curve, "a Hopf or fold curve result", _CURVES, ("points",))
        if c.get("parameter_x") != data["parameter_x"] or c.get("parameter_y") != data["parameter_y"]:
            raise ValueError(f"curves[{k}]: its parameters ({c.get('parameter_x')}, {c.get('parameter_y')}) are not "
                             f"the map's ({data['parameter_x']}, {data['parameter_y']})")
        kind = c.get("kind", "hopf")
        style, colour = {"hopf": ("-", "#d7191c"), "fold": ("--", "#2c7bb6")}.get(kind, (":", "#fdae61"))
        ax.plot([p["px"] for p in c["points"]], [p["py"] for p in c["points"]], style, color=colour, lw=1.5,
                label=None if kind in labelled else f"{kind.replace('_', '-').capitalize()} curve")
        labelled.add(kind)
    if len(curves):
        ax.legend(loc="best", fontsize="small")
        ax.set_xlim(_cell_edges(x)[[0, -1]])
        ax.set_ylim(_cell_edges(y)[[0, -1]])
    ax.set_xlabel(data["parameter_x"])
    ax.set_ylabel(data["parameter_y"])
    ax.set_title(f"{what} per cell ({data.get('status', '')})")
    return fig


def sweep_map(dataset, quantity="n_stable", ax=None, cmap="viridis"):
    """A two-parameter sweep (``rnndyn.sweep`` over a 2-D grid) as a map: the first grid dimension
    on x, the second on y. Counts of a fixed-point sweep (``n_stable`` (default), ``n_fixed_points``,
    ``n_unstable``, ``n_marginal``, ``n_continua``) are drawn as ``bifurcation_map`` draws a scan,
    one colour per count, cells whose search was not complete marked with a white x (so are the
    cycle counts of a ``cycles`` sweep: ``n_cycles``, ``n_stable_cycles``, ...); any other
    variable with the two grid dimensions (``half_life`` averaged over perturbations, or
    ``share:<type>`` of a perturb sweep, e.g. ``share:three_fixed_points``) on a continuous scale.
    Returns the Figure."""
    if not hasattr(dataset, "data_vars") or "rnndyn_sweep" not in getattr(dataset, "attrs", {}):
        raise ValueError(f"dataset: expected the Dataset of rnndyn.sweep, got {describe(dataset)}")
    if not isinstance(quantity, str):
        raise ValueError(f"quantity: expected a variable name, got {describe(quantity)}")
    if quantity.startswith("share:"):
        if "share" not in dataset:
            raise ValueError("quantity: share:<type> needs a perturb sweep")
        kind = quantity[6:]
        if kind not in list(dataset["type_name"].values):
            raise ValueError(f"quantity: unknown type {kind!r} (types: {', '.join(dataset['type_name'].values)})")
        field, what = dataset["share"].sel(type_name=kind), f"share of {kind}"
    elif quantity in dataset:
        field, what = dataset[quantity], _SCAN_QUANTITIES.get(quantity, quantity)
        if "perturbation" in field.dims:
            field, what = field.mean("perturbation"), f"mean {quantity}"
    else:
        raise ValueError(f"quantity: {quantity!r} is not in this sweep (variables: {', '.join(dataset.data_vars)})")
    dims = [d for d in field.dims]
    if len(dims) != 2 or any(d in ("model", "sample") for d in dims):
        raise ValueError(f"dataset: expected a sweep over a 2-D parameter grid, got dimensions {tuple(dims)}")
    px, py = dims
    x, y = np.asarray(dataset[px].values, float), np.asarray(dataset[py].values, float)
    z = np.asarray(field.transpose(py, px).values)
    if quantity in _SCAN_QUANTITIES and quantity in dataset:
        complete = (np.asarray(dataset["status"].transpose(py, px).values) == 0) if "status" in dataset else None
        cycles = dataset.attrs.get("analysis") == "cycles"
        doc = {"x_values": x, "y_values": y, "parameter_x": px, "parameter_y": py, quantity: z,
               "n_stable": z, "cycles_counted": cycles,
               "status": "complete" if complete is None or complete.all() else "incomplete"}
        if complete is not None:
            doc["complete"] = complete
        fig = bifurcation_map(doc, quantity, ax=ax, cmap=cmap)
        if cycles:  # one period k, not scan's 2..K
            period = json.loads(dataset.attrs["rnndyn_sweep"])["options"]["period"]
            what = f"{quantity[2:].replace('_', ' ')} (period {period})"
            fig.axes[-1].set_ylabel(what)
            fig.axes[0].set_title(f"{what} per cell ({doc['status']})")
        return fig
    fig, ax = _axes(ax, figsize=(6, 4.5))
    mesh = ax.pcolormesh(_cell_edges(x), _cell_edges(y), z.astype(float), cmap=cmap, shading="flat")
    fig.colorbar(mesh, ax=ax).set_label(what)
    ax.set_xlabel(px)
    ax.set_ylabel(py)
    ax.set_title(f"{what} per cell")
    return fig


def hopf_curve(result, ax=None):
    """A Hopf curve (``rnndyn.continue_hopf_curve`` or ``rnndyn hopf-curve``) in its parameter plane,
    coloured by the frequency omega of the cycle born there, with its start and the box; a fold
    curve (``rnndyn.continue_fold_curve``, ``rnndyn fold-curve``) as a line. Returns the Figure."""
    data = _document(result, "a hopf-curve result", _CURVES, ("end_forward",))
    kind = data.get("kind", "hopf")
    px = np.array([p["px"] for p in data["points"]], dtype=float)
    py = np.array([p["py"] for p in data["points"]], dtype=float)
    fig, ax = _axes(ax, figsize=(6, 4.5))
    if kind == "hopf":
        omega = np.array([p["omega"] for p in data["points"]], dtype=float)
        sc = ax.scatter(px, py, c=omega, s=12, cmap="viridis", zorder=3)
        fig.colorbar(sc, ax=ax).set_label(r"$\omega$ (frequency at the Hopf point)")
    else:
        ax.scatter(px, py, s=8, color="#2c7bb6", zorder=3)
    ax.plot(px, py, "-", color="0.6", lw=1, zorder=2)
    o = data.get("options", {})
    if "start_x" in o:
        ax.plot(o["start_x"], o["start_y"], "k+", ms=10,
                label=f"start (moved along {data['parameter_y']} onto the curve)")
        ax.set_xlim(sorted((o["x_from"], o["x_to"])))
        ax.set_ylim(sorted((o["y_from"], o["y_to"])))
        ax.legend(loc="best", fontsize="small")
    ax.set_xlabel(data["parameter_x"])
    ax.set_ylabel(data["parameter_y"])
    ax.set_title(f"{kind.replace('_', '-').capitalize()} curve ({data.get('status', '')}: ends {data.get('end_backward')} / "
                 f"{data.get('end_forward')})")
    return fig


def _cell_edges(v):
    """Edges of the cells centred on the grid values (half a spacing beyond the ends)."""
    mid = 0.5 * (v[1:] + v[:-1])
    return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])


def bifurcation_diagram(result, component=0, ax=None, cycles=None):
    """Fixed-point branches from a continuation result (``branches[]`` of ``points`` with
    ``p`` (or ``parameter``), ``x`` and ``stability``) against the parameter, solid where stable and dashed
    where not, with ``bifurcations[]`` marked by type. ``cycles``: a limit-cycle continuation result
    (``rnndyn.continue_limit_cycles``) drawn on the same axes as min/max envelopes of the cycles
    (green; solid stable, dashed unstable); ``result`` may be such a result too."""
    data = _document(result, "a continuation result", ("continue", "continue-cycles"), ("branches",))
    if is_analysis(data, ("continue-cycles",),
                   any("x_min" in pt for b in data["branches"] for pt in (b.get("points", []) if isinstance(b, dict)
                                                                          else []) if isinstance(pt, dict))):
        cycles, data = data, {"parameter": data.get("parameter"), "branches": []}
    if cycles is not None:
        cycles = _document(cycles, "a limit-cycle continuation result", ("continue-cycles",), ("branches",))
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
        _by_stability(ax, p, x, stable, "k")
    markers = {"fold": ("s", "#d7191c"), "hopf": ("o", "#2b83ba"), "border_collision": ("^", "#fdae61")}
    for b in data.get("bifurcations", []):
        m, c = markers.get(b["type"], ("*", "k"))
        ax.plot(b["parameter"], b["x"][component], m, color=c, ms=8, label=b["type"], zorder=5)
    if cycles is not None:
        _cycle_envelopes(ax, cycles, component)
    from matplotlib.lines import Line2D
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    if data["branches"]:
        unique.update({"stable fixed point": Line2D([], [], color="k"), "unstable": Line2D([], [], color="k", ls="--")})
    if cycles is not None:
        is_map = any("points" in pt for b in cycles["branches"] for pt in b.get("points", []))
        unique["k-cycle: its k points" if is_map else "limit cycle: min and max"] = Line2D([], [], color="#1a9641")
    ax.legend(unique.values(), unique.keys(), fontsize=7)
    ax.set_xlabel(data.get("parameter", "parameter") if isinstance(data.get("parameter"), str) else "parameter")
    ax.set_ylabel(f"$x_{component}$")
    return fig


def _gain_curves(result):
    """(label, gains, style) of every target of an mft or reservoir result."""
    doc = _document(result, "an mft or reservoir result (or omega and G)", ("mft", "reservoir"), ("levels", "finite"))
    of_reservoir = is_analysis(doc, ("reservoir",), "finite" in doc)
    theory = doc["mean_field"]["levels"] if of_reservoir else doc["levels"]
    finite = doc["finite"]["levels"] if of_reservoir else []
    curves = []
    for m, lvl in enumerate(theory):
        name = f"A = {lvl.get('A', m):g}"
        verdict = lambda level: "stable" if level.get("nyquist_stable", level.get("stable")) else "unstable"  # noqa
        if m < len(finite) and finite[m].get("gain"):
            curves.append((f"{name}, N = {doc['finite'].get('N')}: {verdict(finite[m])}", finite[m]["gain"], "-", m))
        curves.append((f"{name}, mean field: {verdict(lvl)}", lvl["gain"], "--" if finite else "-", m))
    return [(label, _values(g, "gain", "complex gains"), style, m) for label, g, style, m in curves]


def nyquist(omega, G=None, G_theory=None, ax=None):
    """Nyquist plot of open-loop gains G(omega), each mirrored for -omega (G(-omega) = conj
    G(omega), dotted): the closed loop is stable iff the curve does not encircle the critical
    point 1 + 0i (marked). Either ``omega`` and ``G`` (finite network) with optionally the
    mean-field ``G_theory`` (complex arrays or [re, im] pairs), or ``omega`` alone as an mft or
    reservoir result: the gain at every target (finite network solid, mean field dashed)."""
    import matplotlib.pyplot as plt
    what = "a 1-D array of complex gains, one per frequency"
    if G is None:
        curves = _gain_curves(omega)
        colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
        curves = [(label, g, style, colours[m % len(colours)]) for label, g, style, m in curves]
    else:
        omega = _values(omega, "omega", "a 1-D array of frequencies")
        G = _values(G, "G", what)
        if len(G) != len(omega):
            raise ValueError(f"G: expected one value per frequency ({len(omega)}), got {len(G)}")
        curves = [("finite network", G, "-", "#2166ac")]
        if G_theory is not None:
            curves.append(("mean-field", _values(G_theory, "G_theory", what), "-", "#b2182b"))
    fig, ax = _axes(ax)
    for label, g, style, colour in curves:
        ax.plot(g.real, g.imag, style, color=colour, lw=1.2, label=label)
        ax.plot(g.real, -g.imag, color=colour, lw=0.8, ls=":")
    ax.plot([1.0], [0.0], "k+", ms=12, mew=2, label="critical point 1 + 0i")
    ax.set_xlabel("Re $G_{OL}$")
    ax.set_ylabel("Im $G_{OL}$")
    ax.legend(fontsize=7, loc="best")
    return fig


def mean_field_poles(result, ax=None):
    """The closed-loop poles the mean-field theory predicts at every target of an mft or reservoir
    result (one colour per target, as in :func:`nyquist`), against the imaginary axis."""
    import matplotlib.pyplot as plt
    doc = _document(result, "an mft or reservoir result", ("mft", "reservoir"), ("levels", "finite"))
    levels = doc["mean_field"]["levels"] if is_analysis(doc, ("reservoir",), "finite" in doc) else doc["levels"]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    fig, ax = _axes(ax)
    ax.axvline(0.0, color="k", lw=0.8)
    ax.axhline(0.0, color="0.8", lw=0.5)
    for m, lvl in enumerate(levels):
        p = _values(lvl.get("poles") or np.zeros(0), "poles", _EIGEN_WHAT)
        verdict = "stable" if lvl.get("stable") else "unstable"
        ax.plot(p.real, p.imag, "x", ms=9, mew=2, color=colours[m % len(colours)],
                label=f"A = {lvl.get('A', m):g}: {verdict}")
    ax.set_xlabel(r"Re $\lambda$")
    ax.set_ylabel(r"Im $\lambda$")
    ax.set_title("closed-loop poles (mean field)", fontsize=9)
    ax.legend(fontsize=7, loc="best")
    return fig


def lyapunov_spectrum(result, axes=None):
    """The Lyapunov exponents of a lyapunov result with their confidence intervals (left; above the
    line at 0 nearby states separate) and their running estimates over the run (right: have they
    converged?). ``axes``: two axes to draw into."""
    import matplotlib.pyplot as plt
    doc = _document(result, "a lyapunov result", ("lyapunov",), ("exponents",))
    ex = np.asarray(doc["exponents"], float)
    lo = np.asarray(doc.get("ci_low") or ex, float)
    hi = np.asarray(doc.get("ci_high") or ex, float)
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
    fig = axes[0].figure
    unit = "1/step" if doc.get("time") == "discrete" else "1/time"
    i = np.arange(1, len(ex) + 1)
    axes[0].errorbar(i, ex, yerr=[ex - lo, hi - ex], fmt="o", capsize=3, color="#2166ac")
    axes[0].axhline(0.0, color="k", lw=0.8)
    axes[0].set_xticks(i)
    axes[0].set_xlabel("i")
    axes[0].set_ylabel(rf"$\lambda_i$ [{unit}]")
    confidence = (doc.get("options") or {}).get("confidence")
    axes[0].set_title(f"sum {ex.sum():.3g}" + (f", {100 * confidence:.0f} % intervals" if confidence else ""),
                      fontsize=9)
    running = np.atleast_2d(np.asarray(doc.get("running") or np.zeros((0, 0)), float))
    if running.size:
        t = doc.get("measured_time", running.shape[1]) * np.arange(1, running.shape[1] + 1) / running.shape[1]
        for k, r in enumerate(running):
            axes[1].plot(t, r, "-o", ms=3, lw=1, label=rf"$\lambda_{k + 1}$")
        axes[1].axhline(0.0, color="k", lw=0.8)
        axes[1].set_xlabel("steps" if doc.get("time") == "discrete" else "time")
        axes[1].set_ylabel(f"running estimate [{unit}]")
        if len(running) <= 8:
            axes[1].legend(fontsize=7, loc="best")
    return fig


def perturbation_shares(result, ax=None):
    """Bar chart of the share of each invariant-set type among sampled perturbations, with the
    binomial confidence intervals of a ``perturb`` result (``types``: {name: {share, ci_low,
    ci_high}}, or ``shares`` as a list of {type, share, ci_low, ci_high})."""
    data = _document(result, "a perturb result", ("perturb",), ("types", "shares"))
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
    return fig


def driven_trajectory(trajectory, units=8):
    """A simulate result as stacked panels sharing the time axis: the input u(t) (when input
    signals drove it), the states x(t) (the first ``units`` of them) and the readout z(t) (when
    the model has one). Returns a new Figure."""
    data = _document(trajectory, "a simulate result", ("simulate",), ("t",))
    if "x" not in data:
        raise ValueError(f"trajectory: expected a simulate result (with 't' and 'x'), got {_describe_result(data)}")
    t = np.asarray(data["t"], dtype=float)
    panels = [(key, label) for key, label in (("u", "input u"), ("x", "state x"), ("z", "readout z")) if key in data]
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(len(panels), 1, sharex=True, figsize=(6, 1.8 + 1.6 * len(panels)), layout="constrained",
                             squeeze=False)
    for ax, (key, label) in zip(axes[:, 0], panels):
        values = np.asarray(data[key], dtype=float).reshape(len(t), -1)
        shown = values.shape[1] if key != "x" else min(values.shape[1], int(units))
        # An input is piecewise constant between its breaks: steps, not slopes, between samples.
        draw = ax.step if key == "u" else ax.plot
        for i in range(shown):
            draw(t, values[:, i], label=f"{key}{i}", **({"where": "post"} if key == "u" else {}))
        ax.set_ylabel(label)
        if shown <= 8:
            ax.legend(fontsize="small", loc="upper right")
    axes[-1, 0].set_xlabel("t" if data.get("time") != "discrete" else "step")
    return fig


def response(result, G_theory=None, ax=None):
    """The gain |G(omega)| of a response result (``rnndyn.response``) with its band shaded, beside
    ``G_theory`` (complex values at the same omegas, e.g. a closed form or the mean-field G) when
    given; log scale. Returns the Figure."""
    data = _document(result, "a response result", ("response",), ("G",))
    omega = np.asarray(data["omega"], dtype=float)
    G = np.asarray(data["G"], dtype=float)
    gain = np.hypot(G[:, 0], G[:, 1])
    band = np.asarray(data["band"], dtype=float)
    fig, ax = _axes(ax)
    ax.plot(omega, gain, color="C0", label=f"measured ({data.get('method', '')})")
    ax.fill_between(omega, np.maximum(gain - band, gain * 1e-3), gain + band, color="C0", alpha=0.25, label="band")
    if G_theory is not None:
        theory = np.asarray(G_theory)
        if theory.shape != omega.shape:
            raise ValueError(f"G_theory: expected {omega.size} values (one per omega), got shape {theory.shape}")
        ax.plot(omega, np.abs(theory), "k--", label="theory")
    ax.set(xlabel="omega", ylabel="|G(omega)|", yscale="log")
    ax.legend()
    return fig


UNSETTLED_COLOR = "#bdbdbd"


def _basin_colors(n):
    """One colour per attractor (tab10, then tab20), for basins and their attractors alike."""
    import matplotlib
    cmap = matplotlib.colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


def _outlined():
    from matplotlib import patheffects
    return [patheffects.Stroke(linewidth=6, foreground="k"), patheffects.Normal()]


def _basin_names(attractors):
    """'A0 fixed point 48%' per attractor (share of the starts)."""
    return [f"A{i} {a['kind'].replace('_', ' ')} {100 * a['fraction']:.0f}%" for i, a in enumerate(attractors)]


def _draw_basin_map(ax, m, colors):
    """The 2-D basin map as coloured cells (unsettled: grey) with the label boundaries in black."""
    from matplotlib.colors import ListedColormap
    labels = np.asarray(m["labels"], dtype=int)
    x, y = np.asarray(m["x"], float), np.asarray(m["y"], float)
    labels = labels.reshape(len(y), len(x))
    idx = np.where(labels >= 0, labels + 1, 0)
    ax.pcolormesh(x, y, idx, cmap=ListedColormap([UNSETTLED_COLOR] + colors), vmin=-0.5,
                  vmax=len(colors) + 0.5, shading="nearest", alpha=0.55)
    for k in np.unique(idx):  # boundaries: where a basin's indicator crosses 1/2
        if 0.0 < (idx == k).mean() < 1.0:
            ax.contour(x, y, (idx == k).astype(float), levels=[0.5], colors="k", linewidths=0.8)


def basins(result, ax=None, components=(0, 1), max_starts=3000):
    """Basins of a ``basins`` result. 2-D models: the basin map (with ``map_resolution``; else the
    starts) coloured by attractor, the boundaries between basins drawn in black, the attractors as
    large markers and the index-1 saddles, whose stable manifolds are those boundaries, as orange
    crosses with their unstable directions. Higher dimensions: the starts in the principal
    components (``components``) of the starts, coloured by the attractor they reach (grey:
    unsettled), with the saddle graph on top: each saddle joined to the two attractors its
    unstable branches reach. At most ``max_starts`` starts are drawn."""
    data = _document(result, "a basins result", ("basins",), ("attractors",))
    if "labels" not in data or "starts" not in data:
        raise ValueError(f"result: expected a basins result (with 'labels' and 'starts'), got {_describe_result(data)}")
    starts = np.asarray(data["starts"], dtype=float).reshape(len(data["labels"]), -1)
    labels = np.asarray(data["labels"], dtype=int)
    attractors = data["attractors"]
    colors = _basin_colors(len(attractors))
    dim = starts.shape[1]
    fig, ax = _axes(ax, figsize=(6, 5))
    if dim == 2:
        def project(x):
            return np.atleast_2d(np.asarray(x, float))[:, :2]
        axis_names = ("$x_1$", "$x_2$")
    else:
        components = tuple(int(c) for c in components)
        if len(components) != 2 or min(components) < 0 or max(components) >= dim:
            raise ValueError(f"components: expected two principal components in [0, {dim - 1}], got {components}")
        centre, axes, share = _pca(starts, max(components) + 1)
        basis = axes[list(components)]

        def project(x):
            return (np.atleast_2d(np.asarray(x, float)) - centre) @ basis.T
        axis_names = tuple(f"PC{c + 1} ({100 * share[c]:.0f}%)" for c in components)
    if dim == 2 and data.get("map"):
        _draw_basin_map(ax, data["map"], colors)
    else:
        keep = np.linspace(0, len(starts) - 1, min(len(starts), max_starts)).astype(int) if len(starts) else []
        p = project(starts[keep]) if len(starts) else np.zeros((0, 2))
        c = [colors[l] if l >= 0 else UNSETTLED_COLOR for l in labels[keep]]
        ax.scatter(p[:, 0], p[:, 1], s=6, c=c, alpha=0.5, linewidths=0, zorder=1)
    names = _basin_names(attractors)
    handles = {}
    for i, a in enumerate(attractors):
        pts = project(np.asarray(a["points"], float).reshape(-1, dim))
        if a["kind"] == "continuum":  # a line (segment) of fixed points: its ends joined
            handles[names[i]], = ax.plot(pts[:, 0], pts[:, 1], color=colors[i], lw=4, solid_capstyle="round",
                                         path_effects=_outlined(), zorder=4)
            continue
        marker = "o" if a["kind"] == "fixed_point" else "s"
        handles[names[i]] = ax.scatter(pts[:, 0], pts[:, 1], s=70, marker=marker, color=colors[i],
                                       edgecolors="k", linewidths=1.0, zorder=4)
    saddles = data.get("saddles", [])
    for s in saddles:
        xs = project(s["x"])[0]
        for end in (s["plus"], s["minus"]):  # the saddle graph: saddle to the attractor each branch reaches
            if end >= 0:
                xa = project(attractors[end]["x"])[0]
                ax.plot([xs[0], xa[0]], [xs[1], xa[1]], color="k", lw=1.0, alpha=0.7, zorder=2)
        if dim == 2:  # the unstable direction, across the stable manifold (the boundary)
            v = np.asarray(s["direction"], float)
            span = 0.08 * (np.ptp(starts, axis=0).max() if len(starts) else 1.0)
            ax.annotate("", xy=xs + span * v, xytext=xs - span * v,
                        arrowprops=dict(arrowstyle="<->", color="#d95f02", lw=1.2), zorder=3)
    if saddles:
        sp = project(np.array([s["x"] for s in saddles], float))
        handles["index-1 saddle"] = ax.scatter(sp[:, 0], sp[:, 1], marker="X", s=60, color=STABILITY_COLORS["saddle"],
                                               edgecolors="k", linewidths=0.6, zorder=5)
    unsettled = data.get("unsettled", {})
    if unsettled.get("count", 0) or unsettled.get("diverged", 0):
        handles[f"unsettled {100 * unsettled.get('fraction', 0):.0f}%"] = ax.scatter([], [], s=20,
                                                                                    color=UNSETTLED_COLOR)
    ax.set_xlabel(axis_names[0])
    ax.set_ylabel(axis_names[1])
    n_edges = len(data.get("graph", []))
    def count(n, word):
        return f"{n} {word}{'' if n == 1 else 's'}"
    ax.set_title(f"{count(len(attractors), 'attractor')}, {count(len(saddles), 'index-1 saddle')}, "
                 f"{count(n_edges, 'joined pair')} ({count(data.get('n_starts', len(labels)), 'start')})", fontsize=9)
    _legend(ax, handles, loc="best")
    return fig
