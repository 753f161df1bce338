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

from ._validate import as_path, check_model, describe

__all__ = ["report", "render_html"]


def _figure_png(fig):
    import matplotlib.pyplot as plt
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _fmt(v):
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list) and len(v) == 2 and all(isinstance(a, (int, float)) for a in v):
        re, im = v
        return f"{re:.4g}{'+' if im >= 0 else '-'}{abs(im):.4g}i" if im else f"{re:.4g}"
    if isinstance(v, list):
        if len(v) > 8:
            return f"[{', '.join(_fmt(a) for a in v[:8])}, ... ({len(v)} entries)]"
        return "[" + ", ".join(_fmt(a) for a in v) + "]"
    return html.escape(str(v))


def _table(rows, columns):
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_fmt(r.get(c, ''))}</td>" for c in columns) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _complex(pairs):
    a = np.asarray(pairs, dtype=float).reshape(-1, 2)
    return a[:, 0] + 1j * a[:, 1]


def _sections(data, model):
    """(title, html, figure) triples chosen by the fields the result has."""
    from . import plot
    out = []
    time = data.get("time", "continuous")
    scalars = {k: v for k, v in data.items() if not isinstance(v, (list, dict))}
    if scalars:
        out.append(("Summary", _table([scalars], list(scalars)), None))
    if "fixed_points" in data:
        pts = data["fixed_points"]
        cols = [c for c in ("x", "stability", "residual", "eigenvalues", "pattern", "q") if any(c in p for p in pts)]
        fig = None
        if model is not None and model.dim == 2:
            fig = plot.phase_portrait(model, fixed_points=data)
        elif pts:
            ev = np.concatenate([_complex(p["eigenvalues"]) for p in pts if p.get("eigenvalues")] or [np.zeros(0)])
            fig = plot.spectrum(ev, time=time, title="eigenvalues of all fixed points") if ev.size else None
        out.append((f"Fixed points ({len(pts)})", _table(pts, cols), fig))
        if data.get("continua"):
            out.append((f"Continua ({len(data['continua'])})", _table(data["continua"], list(data["continua"][0])), None))
    elif "eigenvalues" in data:
        ev = _complex(data["eigenvalues"])
        out.append(("Spectrum", _table([{"eigenvalue": [z.real, z.imag]} for z in ev], ["eigenvalue"]),
                    plot.spectrum(ev, time=time)))
        if model is not None and model.dim == 2 and "x" in data:
            point = {"x": data["x"], "stability": data.get("stability", "")}
            out.append(("Phase portrait", "", plot.phase_portrait(model, fixed_points=[point])))
    if "modes" in data:
        modes = data["modes"]
        ev = _complex([m["lambda"] for m in modes])
        out.append(("Modes of M", _table(modes, ["lambda", "kind", "amplification", "h_projection"]),
                    plot.spectrum(ev, time="continuous", title=r"eigenvalues of M (stable: Re $\lambda$ < 1)")))
    if "branches" in data and "hopf_points" in data:  # limit-cycle branches: min/max envelopes
        out.append(("Limit-cycle branches", _table(data.get("bifurcations", []), ["type", "parameter", "period"]),
                    plot.bifurcation_diagram(data)))
    elif "branches" in data:
        out.append(("Bifurcation diagram", _table(data.get("bifurcations", []), ["type", "parameter", "x"]),
                    plot.bifurcation_diagram(data)))
    if "shares" in data or "types" in data:
        shares = data["shares"] if "shares" in data else data["types"]
        rows = shares if isinstance(shares, list) else [dict(type=k, **(v if isinstance(v, dict) else {"share": v}))
                                                         for k, v in shares.items()]
        out.append(("Perturbation types", _table(rows, list(rows[0])), plot.perturbation_shares(data)))
    if "t" in data and "x" in data and isinstance(data["x"], list):
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(6, 3.5))
        x = np.asarray(data["x"], dtype=float)
        ax.plot(data["t"], x[:, : min(10, x.shape[1])], lw=1)
        ax.set_xlabel("t")
        ax.set_ylabel("state")
        out.append(("Trajectory", f"<p>{len(data['t'])} samples of {x.shape[1]} units (first 10 shown).</p>", fig))
    return out


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


# Keys results have and model files do not: every command's output carries elapsed_seconds (the
# run's wall time) and most a status; the others cover results assembled by hand from a Result's
# parts (a trajectory's t, a linearization's eigenvalues).
_RESULT_KEYS = ("elapsed_seconds", "status", "fixed_points", "continua", "cycles", "branches", "bifurcations",
                "exponents", "levels", "modes", "eigenvalues", "t", "types", "shares", "period", "mean_field")


def _check_is_result(data):
    """ValueError unless ``data`` is a result: a model file (or any other JSON) has no page."""
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
    for name, body, fig in _sections(data, model):
        img = f'<img class="figure" alt="{html.escape(name)}" src="data:image/png;base64,{_figure_png(fig)}">' if fig else ""
        parts.append(f"<section><h2>{html.escape(name)}</h2>{img}{body}</section>")
    raw = html.escape(json.dumps(data, indent=1)[:200000])
    # On load, count the figures that decoded; headless tests read data-figures-rendered.
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;font-size:13px;margin:0.5em 0}}td,th{{border:1px solid #ccc;padding:3px 6px}}
th{{background:#eee}}img.figure{{max-width:100%;display:block}}pre{{background:#f6f6f6;padding:1em;overflow:auto;max-height:30em}}</style>
<script>window.addEventListener('load',function(){{var imgs=document.querySelectorAll('img.figure');var ok=0;
imgs.forEach(function(i){{if(i.complete&&i.naturalWidth>0)ok++;}});
document.body.setAttribute('data-figures-total',imgs.length);document.body.setAttribute('data-figures-rendered',ok);}});</script>
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
