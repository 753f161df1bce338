"""A self-contained HTML page for an rnndyn result: its figures (PNG, inlined as base64) and
tables, so a user can look instead of reading JSON.

Command line: ``rnndyn report RESULT.json -o report.html [--model MODEL.json]`` or
``python3 -m rnndyn.report RESULT.json -o report.html``."""
import argparse
import base64
import html
import io
import json
import os
import sys

import numpy as np

from . import _core
from ._analysis import analysis_of
from ._validate import as_path, check_model, describe

__all__ = ["report", "render_html"]


def _figure_png(fig):
    import matplotlib.pyplot as plt
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


# Fields whose [re, im] pairs are complex numbers; everywhere else a pair is a 2-vector (a state,
# an activation pattern, a basis vector) and must print as one.
_COMPLEX = {"eigenvalues", "eigenvalue", "eigenvectors", "lambda", "amplification", "h_projection", "rate", "poles",
            "floquet_multipliers", "displaced", "outliers", "unstable_eigenvalues", "unstable_directions", "gain",
            "eigenvector", "multiplier"}
_SHOWN = 6  # entries of a long vector shown before it is folded


def _number(v):
    if v is None:
        return "–"  # JSON null: NaN or not applicable
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return html.escape(str(v))
    return f"{v:.6g}" if isinstance(v, float) else str(v)


def _is_pair(v):
    return isinstance(v, list) and len(v) == 2 and all(a is None or isinstance(a, (int, float)) for a in v)


def _fmt(v, complex_pairs=False):
    """A cell: numbers to 6 digits, [re, im] pairs as complex numbers only in complex fields, vectors
    longer than 8 entries folded (their first entries, then all on a click)."""
    if complex_pairs and _is_pair(v):
        re, im = v
        if re is None or im is None:
            return "–"
        return f"{re:.4g}{'+' if im >= 0 else '-'}{abs(im):.4g}i" if im else f"{re:.4g}"
    if isinstance(v, dict):
        return ", ".join(f"{html.escape(str(k))}: {_fmt(a, k in _COMPLEX)}" for k, a in v.items())
    if isinstance(v, list):
        items = [_fmt(a, complex_pairs) for a in v]
        if len(items) > 8:
            return (f"<details><summary>[{', '.join(items[:_SHOWN])}, ...] ({len(items)} entries)</summary>"
                    f"[{', '.join(items[:1000])}{', ...' if len(items) > 1000 else ''}]</details>")
        return "[" + ", ".join(items) + "]"
    return _number(v)


def _table(rows, columns):
    """A table of ``rows`` (dicts); a horizontal scroll bar, not the page, takes what is too wide."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_fmt(r.get(c, ''), c in _COMPLEX)}</td>" for c in columns) + "</tr>"
                   for r in rows)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _fields(data):
    """The scalar fields of ``data`` as a two-column table (one row each: it fits any page)."""
    scalars = {k: v for k, v in data.items() if not isinstance(v, (list, dict))}
    return _table([{"field": k, "value": v} for k, v in scalars.items()], ["field", "value"]) if scalars else ""


def _columns(rows, preferred):
    present = [c for c in preferred if any(c in r for r in rows)]
    return present or sorted({k for r in rows for k in r})


def _complex(pairs):
    a = np.asarray([p if p[0] is not None else [np.nan, np.nan] for p in pairs], dtype=float).reshape(-1, 2)
    return a[:, 0] + 1j * a[:, 1]


def _fixed_point_sections(data, model):
    from . import plot
    pts, continua = data["fixed_points"], data.get("continua") or []
    cols = _columns(pts, ("x", "stability", "n_unstable", "residual", "q", "eigenvalues", "pattern", "found_by"))
    figs = []
    if model is not None and model.dim == 2:
        figs.append(plot.phase_portrait(model, fixed_points=data))
    elif len(pts) + len(continua) > 1:
        figs.append(plot.state_space(data, model=model))
    if any(p.get("eigenvalues") for p in pts + continua):
        figs.append(plot.fixed_point_spectra(data))
    out = [(f"Fixed points ({len(pts)})", _table(pts, cols) if pts else "<p>no isolated fixed points</p>", figs)]
    if continua:
        cols = _columns(continua, ("shape", "dimension", "origin", "basis", "y_min", "y_max", "vertices",
                                   "eigenvalues"))
        out.append((f"Continua ({len(continua)})", _table(continua, cols), []))
    return out


def _floquet_sections(data, model):
    from . import plot
    figs = [plot.spectrum(data)]
    if model is not None and data.get("period"):
        figs.insert(0, plot.phase_portrait(model, cycles=data))
    rows = [{"multiplier": m, "|mu|": float(abs(z))} for m, z in zip(data["floquet_multipliers"],
                                                                      _complex(data["floquet_multipliers"]))]
    return [("Floquet multipliers", _table(rows, ["multiplier", "|mu|"]) +
             _table([data], _columns([data], ("x_min", "x_max", "amplitude", "section_point"))), figs)]


def _lyapunov_sections(data, model):
    from . import plot
    keys = ("exponents", "ci_low", "ci_high", "standard_error")
    rows = [{"i": i + 1, **{k: data[k][i] for k in keys if data.get(k)}} for i in range(len(data["exponents"]))]
    return [("Lyapunov exponents", _table(rows, ["i", *keys]), [plot.lyapunov_spectrum(data)])]


def _mean_field_sections(data, model):
    """The theory of an mft result, or of a reservoir result beside its finite network."""
    from . import plot
    finite = analysis_of(data) == "reservoir"
    theory = data["mean_field"] if finite else data
    cols = ("A", "stable", "nyquist_stable", "poles", "lambda_out", "rho", "sigma2", "beta0", "beta1", "tau_net",
            "tau_out")
    figs = [plot.nyquist(data)] + ([] if finite else [plot.mean_field_poles(data)])
    table = _table(theory["levels"], _columns(theory["levels"], cols))
    return [("Mean-field theory and open-loop gain", table, figs)]


def _reservoir_sections(data, model):
    from . import plot
    finite = data["finite"]
    levels = finite.get("levels", [])
    cols = ("A", "stable", "nyquist_stable", "max_real", "rho", "displaced", "outliers", "converged", "residual")
    figs = [plot.reservoir_spectrum(data, m) for m, lvl in enumerate(levels) if lvl.get("eigenvalues")]
    figs += [_transients(levels)] if any(lvl.get("transient") for lvl in levels) else []
    return _mean_field_sections(data, model) + [
        (f"Finite network (N = {finite.get('N')})", _fields(finite) + _table(levels, _columns(levels, cols)), figs)]


def _transients(levels):
    """The output after a kick along w_FB at every target: does it return to A?"""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    for lvl in levels:
        tr = lvl.get("transient") or {}
        if tr.get("t"):
            ax.plot(tr["t"], tr["z"], lw=1.2, label=f"A = {lvl.get('A'):g}")
    ax.axhline(0.0, color="k", lw=0.6)
    ax.set_xlabel("t")
    ax.set_ylabel("z(t) - A (after a kick)")
    ax.legend(fontsize=7)
    return fig


def _basins_sections(data):
    """A basins census: the attractors with their shares, the picture, and the saddle graph."""
    from . import plot
    rows = [dict(a, attractor=f"A{i}") for i, a in enumerate(data["attractors"])]
    cols = ["attractor", "kind", "found_by", "x", "count", "fraction", "ci_low", "ci_high", "mean_time", "lyapunov"]
    u = data.get("unsettled", {})
    text = (f"<p>{data.get('n_starts', 0)} starts from {html.escape(str(data.get('starts_from', '')))}; "
            f"unsettled {u.get('count', 0)}, diverged {u.get('diverged', 0)} (share {_number(u.get('fraction', 0))}, "
            f"interval {_number(u.get('ci_low', 0))} to {_number(u.get('ci_high', 0))}).</p>")
    out = [(f"Basins ({len(rows)} attractors)", text + _table(rows, cols), [plot.basins(data)])]
    if data.get("saddles"):
        srows = [dict(s, reaches=f"A{s['plus']} / A{s['minus']}") for s in data["saddles"]]
        pairs = len(data.get("graph", []))
        out.append((f"Saddle graph ({pairs} joined pair{'' if pairs == 1 else 's'})",
                    _table(srows, ["fixed_point", "x", "eigenvalue", "reaches"]), []))
    return out


def _spectrum_sections(data, model):
    from . import plot
    ev = _complex(data["eigenvalues"])
    figs = [plot.spectrum(ev, time=data.get("time", "continuous"))]
    if model is not None and model.dim == 2 and "x" in data:
        point = {"x": data["x"], "stability": data.get("stability", "")}
        figs.append(plot.phase_portrait(model, fixed_points=[point]))
    return [("Spectrum", _table([{"eigenvalue": [z.real, z.imag]} for z in ev], ["eigenvalue"]), figs)]


def _modes_sections(data, model):
    from . import plot
    modes = data["modes"]
    ev = _complex([m["lambda"] for m in modes])
    # tau dv/dt = -v + M v + h: a mode of M decays iff Re lambda < 1, so the boundary is Re = 1.
    figure = plot.spectrum(ev, time="continuous", boundary=1.0, title=r"eigenvalues of M (stable: Re $\lambda$ < 1)")
    return [("Modes of M", _table(modes, ["lambda", "kind", "amplification", "h_projection"]), [figure])]


def _cycle_branch_sections(data, model):
    from . import plot
    title = "Cycle branches of the map" if data.get("time") == "discrete" else "Limit-cycle branches"
    return [(title, _table(data.get("bifurcations", []), ["type", "parameter", "period"]),
             [plot.bifurcation_diagram(data)])]


def _branch_sections(data, model):
    from . import plot
    return [("Bifurcation diagram", _table(data.get("bifurcations", []), ["type", "parameter", "x"]),
             [plot.bifurcation_diagram(data)])]


def _cycles_sections(data, model):
    from . import plot
    if not data.get("cycles"):
        return []
    figs = [plot.phase_portrait(model, cycles=data)] if model is not None else []
    cols = _columns(data["cycles"], ("period", "points", "stability", "multipliers", "residual", "patterns"))
    return [(f"Cycles ({len(data['cycles'])})", _table(data["cycles"], cols), figs)]


def _perturb_sections(data, model):
    from . import plot
    shares = data["shares"] if "shares" in data else data["types"]
    rows = shares if isinstance(shares, list) else [dict(type=k, **(v if isinstance(v, dict) else {"share": v}))
                                                     for k, v in shares.items()]
    return [("Perturbation types", _table(rows, list(rows[0])), [plot.perturbation_shares(data)])]


def _scan_sections(data, model):
    from . import plot
    n = len(data["x_values"]) * len(data["y_values"])
    maps = [plot.bifurcation_map(data), plot.bifurcation_map(data, quantity="n_fixed_points")]
    counted = "fixed points counted by stability in each"
    if data.get("cycles_counted"):
        maps += [plot.bifurcation_map(data, quantity="n_cycles"),
                 plot.bifurcation_map(data, quantity="n_stable_attractors")]
        counted = (f"fixed points and cycles of period 2 to {data['options']['max_period']} counted by "
                   "stability in each")
    return [("Bifurcation map", f"<p>{n} cells; {counted}.</p>", maps)]


def _curve_sections(data, model):
    from . import plot
    rows = [{k: p[k] for k in ("px", "py", "omega")} for p in data["points"]]
    return [(f"Hopf curve ({len(rows)} points)", _table(rows, ["px", "py", "omega"]), [plot.hopf_curve(data)])]


def _response_sections(data, model):
    from . import plot
    return [("Response", f"<p>|G(omega)| measured by {data.get('method', 'simulation')}, with its band.</p>",
             [plot.response(data)])]


# The sections of each analysis's page, by the result's "analysis" (rnndyn.analyses()). An
# analysis without an entry gets the summary of its fields alone (a new analysis needs no page to
# be reported); tests/python/test_analyses_registry.py checks that today every one has its entry.
_PAGES = {
    "fixed-points": _fixed_point_sections, "cycles": _cycles_sections, "continue": _branch_sections,
    "continue-cycles": _cycle_branch_sections, "scan": _scan_sections, "hopf-curve": _curve_sections,
    "fold-curve": _curve_sections, "border-curve": _curve_sections, "limit-cycle": _floquet_sections,
    "lyapunov": _lyapunov_sections, "perturb": _perturb_sections, "basins": lambda data, model: _basins_sections(data),
    "mft": _mean_field_sections, "reservoir": _reservoir_sections,
    "simulate": lambda data, model: [_trajectory_section(data, model)], "response": _response_sections,
    "linearize": _spectrum_sections, "linear": _modes_sections,
}


def _sections(data, model):
    """(title, html, figures) triples: the summary, then the sections of the result's analysis
    (its "analysis"; LEGACY files without it: the analysis their keys tell, see _analysis.py)."""
    out = [("Summary", _fields(data), [])] if _fields(data) else []
    page = _PAGES.get(analysis_of(data))
    return out + (page(data, model) if page else [])


def _trajectory_section(data, model):
    import matplotlib.pyplot as plt
    from . import plot
    fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
    x = np.asarray(data["x"], dtype=float)
    ax.plot(data["t"], x[:, : min(10, x.shape[1])], lw=1)
    ax.set_xlabel("t" if data.get("time") != "discrete" else "step")
    ax.set_ylabel("state")
    figs = [fig]
    if model is not None and model.dim == x.shape[1]:
        figs.append(plot.phase_portrait(model, trajectories=[x]))
    return ("Trajectory", f"<p>{len(data['t'])} samples of {x.shape[1]} units (first 10 shown).</p>", figs)


def _read_result(path):
    """The JSON document in the result file ``path``; ValueError("result: ...") if it cannot be read."""
    try:
        with open(path) as f:
            return json.load(f)
    except IsADirectoryError:
        raise ValueError(f"result: '{path}' is a directory, not a file") from None
    except OSError:
        raise ValueError(f"result: cannot open '{path}'") from None
    except UnicodeDecodeError:
        raise ValueError(f"result: '{path}' is not valid JSON (not text)") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"result: '{path}' is not valid JSON ({e.msg}, line {e.lineno})") from None


# LEGACY (results written before they carried "analysis"): keys results have and model files do
# not: every command's output carries elapsed_seconds (the run's wall time) and most a status; the
# others cover results assembled by hand from a Result's parts (a trajectory's t, a linearization's
# eigenvalues).
_RESULT_KEYS = ("elapsed_seconds", "status", "attractors", "n_stable", "end_forward", "G", "fixed_points", "continua", "cycles",
                "branches", "bifurcations",
                "exponents", "levels", "modes", "eigenvalues", "t", "types", "shares", "period", "mean_field")


def _check_is_result(data):
    """ValueError unless ``data`` is a result: a model file (or any other JSON) has no page."""
    if isinstance(data.get("analysis"), str):
        known = sorted(row["name"] for row in _core.analyses())
        if data["analysis"] not in known:
            raise ValueError(f"result: unknown analysis '{data['analysis']}' (known: {', '.join(known)})")
        return
    if any(key in data for key in _RESULT_KEYS):
        return
    if isinstance(data.get("model"), str):
        raise ValueError(f"result: this is a model file (model '{data['model']}'), not a result; report the output "
                         "of an analysis (e.g. rnndyn fixed-points MODEL -o result.json)")
    raise ValueError("result: expected a result written by an rnndyn command (it has none of the keys "
                     + ", ".join(_RESULT_KEYS[:6]) + ", ...)")


def render_html(result, model=None, title=None):
    """The report page as a string. ``result`` is a Result, a dict, a JSON string, or the path (str or
    os.PathLike) of a JSON file."""
    if isinstance(result, os.PathLike) or isinstance(result, str) and not result.lstrip().startswith("{"):
        result = _read_result(as_path(result, "result"))
    if isinstance(result, str):
        try:
            result = json.loads(result)
        except json.JSONDecodeError as e:
            raise ValueError(f"result: not valid JSON ({e.msg}, line {e.lineno})") from None
    data = result.to_dict() if hasattr(result, "to_dict") else result
    if not isinstance(data, dict):
        raise ValueError("result: expected a JSON object produced by rnndyn")
    _check_is_result(data)
    if model is not None:
        check_model(model)
    if title is not None and not isinstance(title, str):
        raise ValueError(f"title: expected a string, got {describe(title)}")
    title = title or f"rnndyn report: {data.get('model', 'result')}"
    parts = []
    for name, body, figs in _sections(data, model):
        imgs = "".join(f'<img class="figure" alt="{html.escape(name)}" src="data:image/png;base64,{_figure_png(f)}">'
                       for f in figs)
        parts.append(f"<section><h2>{html.escape(name)}</h2><div class=\"figures\">{imgs}</div>{body}</section>")
    raw = html.escape(json.dumps(data, indent=1)[:200000])
    # On load, count the figures that decoded and those drawn out of their aspect ratio, and say
    # whether anything runs off the page's width; headless tests read these attributes of <body>.
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;font-size:13px;margin:0.5em 0}}td,th{{border:1px solid #ccc;padding:3px 6px}}
th{{background:#eee}}td{{vertical-align:top;max-width:40em;overflow-wrap:break-word}}.scroll{{overflow-x:auto;max-width:100%}}
.figures{{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start}}img.figure{{max-width:100%;height:auto}}summary{{cursor:pointer}}pre{{background:#f6f6f6;padding:1em;overflow:auto;max-height:30em}}</style>
<script>window.addEventListener('load',function(){{var imgs=document.querySelectorAll('img.figure');var ok=0;
imgs.forEach(function(i){{if(i.complete&&i.naturalWidth>0)ok++;}});
document.body.setAttribute('data-figures-total',imgs.length);document.body.setAttribute('data-figures-rendered',ok);
var d=document.documentElement;document.body.setAttribute('data-page-overflow',d.scrollWidth>d.clientWidth?1:0);
var bent=0;imgs.forEach(function(i){{var r=i.naturalHeight/i.naturalWidth;
if(i.naturalWidth>0&&Math.abs(i.clientHeight/i.clientWidth-r)>0.02*r)bent++;}});
document.body.setAttribute('data-figures-distorted',bent);}});</script>
</head><body><h1>{html.escape(title)}</h1>{''.join(parts)}
<details><summary>Raw result (JSON)</summary><pre>{raw}</pre></details></body></html>
"""


def report(result, output, model=None, title=None):
    """Write the report page of ``result`` to ``output`` (written whole or not at all)."""
    import tempfile
    output = as_path(output, "output")
    page = render_html(result, model=model, title=title)
    if os.path.isdir(output):
        raise ValueError(f"output: '{output}' is a directory")
    directory = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(directory):
        raise ValueError(f"output: directory '{directory}' does not exist")
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        f.write(page)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the page the usual permissions
    os.replace(tmp, output)
    return output


def main(argv=None):
    import matplotlib
    matplotlib.use("Agg")
    parser = argparse.ArgumentParser(prog="rnndyn report", description=__doc__)
    parser.add_argument("result", help="result JSON written by an rnndyn command")
    parser.add_argument("-o", "--output", required=True, help="HTML file to write")
    parser.add_argument("--model", help="model file, for phase portraits of 2-D models")
    parser.add_argument("--title")
    args = parser.parse_args(argv)
    try:
        data = _read_result(args.result)
        model = None
        if args.model:
            from . import load_model
            model = load_model(args.model)
        report(data, args.output, model=model, title=args.title)
    except ValueError as e:
        print(f"rnndyn: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 - a result this page cannot draw still gets one line
        print(f"rnndyn: error: result: cannot render '{args.result}': {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
