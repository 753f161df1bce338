"""rnndyn.sweep: one analysis over a parameter grid, a random sample of parameters or a list of
model files, run as chunked tasks on a dask.distributed cluster and stored as Zarr (docs/sweeps.md).

The sweep is a flat list of *items*: one per cell (a grid point, a parameter sample, a model) for
``fixed_points``; one per cell and block of ``block`` perturbations for ``perturb``. A task runs a
contiguous range of ``chunk`` items. Every random number of an item comes from a seed derived from
the spec's ``seed`` and the item's own index (numpy's SeedSequence), never from the task, so the
result is the same bit for bit whatever the chunking, the number of workers or the order in which
the tasks finish. The client writes each finished task into the Zarr store and then marks it done;
a sweep started again on the same store skips the tasks marked done.

dask.distributed, xarray and zarr are optional (``pip install rnndyn[sweep]``); without them
``import rnndyn`` works and the sweep functions raise an ImportError naming the package."""
import hashlib
import importlib
import json
import math
import os
import time

import numpy as np

from ._validate import describe, is_number

__all__ = ["sweep", "open_sweep", "validate_spec", "decode", "ANALYSES"]

# The categorical variables are int8 codes with CF attributes flag_values / flag_meanings.
STATUSES = ("complete", "incomplete", "sampled")
TYPES = ("line", "no_fixed_point", "one_fixed_point", "single_boundary_point", "two_fixed_points",
         "two_boundary_fixed_points", "three_fixed_points", "other")
MEMORIES = ("kept", "decays", "none")

# What each analysis can keep: name -> (per "cell" or per "sample", dtype, fill, doc, codes or None).
ANALYSES = {
    "fixed_points": {
        "n_fixed_points": ("cell", "int32", -1, "isolated fixed points found", None),
        "n_stable": ("cell", "int32", -1, "stable fixed points (no unstable, no marginal direction)", None),
        "n_unstable": ("cell", "int32", -1, "fixed points with an unstable direction", None),
        "n_marginal": ("cell", "int32", -1, "fixed points with a marginal direction and no unstable one", None),
        "n_continua": ("cell", "int32", -1, "continua of fixed points (exact methods)", None),
        "status": ("cell", "int8", -1, "the search's status", STATUSES),
    },
    "cycles": {
        "n_cycles": ("cell", "int32", -1, "cycles of minimal period k found", None),
        "n_stable_cycles": ("cell", "int32", -1, "stable cycles (no unstable, no marginal multiplier)", None),
        "n_unstable_cycles": ("cell", "int32", -1, "cycles with an unstable multiplier", None),
        "n_marginal_cycles": ("cell", "int32", -1, "cycles with a marginal multiplier and no unstable one", None),
        "n_cycle_continua": ("cell", "int32", -1, "continua of k-cycles", None),
        "status": ("cell", "int8", -1, "the search's status", STATUSES),
    },
    "perturb": {
        "type": ("sample", "int8", -1, "the perturbed network's type (docs/perturbation.md)", TYPES),
        "half_life": ("sample", "float64", np.nan, "ln 2 / slowest decay rate at a stable fixed point", None),
        "memory": ("sample", "int8", -1, "kept, decays or none", MEMORIES),
        "n_fixed_points": ("sample", "int32", -1, "isolated fixed points of the perturbed network", None),
    },
}
DEFAULT_KEEP = {"fixed_points": ("n_fixed_points", "n_stable", "n_unstable", "n_marginal", "n_continua", "status"),
                "cycles": ("n_cycles", "n_stable_cycles", "n_unstable_cycles", "n_marginal_cycles", "n_cycle_continua",
                           "status"),
                "perturb": ("type", "half_life")}
_OPTIONS = {"fixed_points": "FixedPointOptions", "cycles": "CycleOptions", "perturb": "PerturbOptions"}
_SPEC_KEYS = ("model", "grid", "sample", "analysis", "options", "keep", "seed", "samples", "block", "chunk")
DEFAULT_CHUNK = {"fixed_points": 100, "cycles": 100, "perturb": 10}
DEFAULT_BLOCK = 1000


def _need(name):
    """Import an optional dependency, or raise one line naming the package to install."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(f"rnndyn.sweep needs the package '{name.split('.')[0]}' (pip install 'rnndyn[sweep]')") \
            from None


# ---------------------------------------------------------------------------------------------
# The spec: validated on the client into a plan (plain JSON data) that every task receives.

def _fail(field, problem):
    raise ValueError(f"{field}: {problem}")


def _int(value, field, low):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        _fail(field, f"expected an integer >= {low}, got {describe(value)}")
    return int(value)


def _number(value, field):
    if isinstance(value, bool) or not is_number(value) or not math.isfinite(float(value)):
        _fail(field, f"expected a finite number, got {describe(value)}")
    return float(value)


def _axis(value, field):
    """Grid values: a list of numbers, or {"from", "to", "steps"} (both ends included, spaced as
    ``rnndyn scan`` spaces them, so that the values equal the scan's bit for bit)."""
    if isinstance(value, dict):
        unknown = set(value) - {"from", "to", "steps"}
        if unknown:
            _fail(f"{field}.{sorted(unknown)[0]}", "unknown key (expected from, to, steps)")
        for key in ("from", "to", "steps"):
            if key not in value:
                _fail(f"{field}.{key}", "missing")
        lo, hi = _number(value["from"], f"{field}.from"), _number(value["to"], f"{field}.to")
        steps = _int(value["steps"], f"{field}.steps", 1)
        if steps == 1:
            return [lo]
        out = [lo + (hi - lo) * i / (steps - 1) for i in range(steps)]
        out[-1] = hi
        return out
    if isinstance(value, (list, tuple)) and value:
        return [_number(v, f"{field}[{i}]") for i, v in enumerate(value)]
    if is_number(value) and not isinstance(value, bool):
        return [_number(value, field)]
    _fail(field, f"expected a list of numbers or {{\"from\", \"to\", \"steps\"}}, got {describe(value)}")


_DISTRIBUTIONS = {"uniform": "[low, high]", "loguniform": "[low, high], both > 0", "normal": "[mean, sd]"}


def _distribution(value, field):
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in _DISTRIBUTIONS:
        _fail(field, "expected one of {\"uniform\": [low, high]}, {\"loguniform\": [low, high]}, "
                     f"{{\"normal\": [mean, sd]}}, got {describe(value)}")
    kind, args = next(iter(value.items()))
    if not isinstance(args, (list, tuple)) or len(args) != 2:
        _fail(f"{field}.{kind}", f"expected {_DISTRIBUTIONS[kind]}, got {describe(args)}")
    a, b = (_number(v, f"{field}.{kind}[{i}]") for i, v in enumerate(args))
    if kind in ("uniform", "loguniform") and not a < b:
        _fail(f"{field}.{kind}", f"expected low < high, got [{a}, {b}]")
    if kind == "loguniform" and a <= 0:
        _fail(f"{field}.{kind}", f"expected low > 0, got {a}")
    if kind == "normal" and b < 0:
        _fail(f"{field}.{kind}[1]", f"expected sd >= 0, got {b}")
    return {kind: [a, b]}


def _model_entry(value, field, base_dir):
    """A model as the plan carries it: {"path": absolute path} or {"dict": ..., "base_dir": ...}."""
    if isinstance(value, (str, os.PathLike)):
        path = os.path.abspath(os.path.join(base_dir, os.fspath(value)))
        if not os.path.isfile(path):
            _fail(field, f"no such model file: {os.fspath(value)}")
        return {"path": path}
    if isinstance(value, dict):
        from . import _jsonable
        return {"dict": _jsonable(value, ""), "base_dir": os.path.abspath(base_dir)}
    _fail(field, f"expected a model file path or a dict with the keys of a model file, got {describe(value)}")


_MODELS = {}


def _load(entry):
    """The model of a plan entry, read once per process (workers keep it between tasks)."""
    from . import load_model, model_from_dict
    key = json.dumps(entry, sort_keys=True)
    if key not in _MODELS:
        _MODELS[key] = load_model(entry["path"]) if "path" in entry else model_from_dict(entry["dict"],
                                                                                         entry["base_dir"])
    return _MODELS[key]


def _option_fields(analysis):
    from . import _core
    from ._options import _fields
    return set(_fields(getattr(_core, _OPTIONS[analysis])()))


def _check_options(analysis, options):
    """The analysis' keywords, checked as the analysis checks them; errors as ``options.<field>``."""
    from . import _core
    from ._options import make_options
    if not isinstance(options, dict):
        _fail("options", f"expected a dict of the analysis' keywords, got {describe(options)}")
    for path in ("seed", "starts.seed", "exact.seed"):
        head, _, tail = path.partition(".")
        if (tail and isinstance(options.get(head), dict) and tail in options[head]) or (not tail and path in options):
            _fail(f"options.{path}", "set by the sweep from its seed and each cell's index (use the spec's seed)")
    if analysis == "perturb":
        for key in ("samples", "keep_samples", "keep", "epsilon"):
            if key in options:
                _fail(f"options.{key}", "set by the sweep (use the spec's samples and block)" if key != "epsilon"
                      else "a sweep draws its perturbations; perturb one epsilon with rnndyn.perturb")
    if analysis == "cycles":
        if "period" not in options:
            _fail("options.period", "missing (the minimal period k of the cycles, >= 1)")
        _int(options["period"], "options.period", 1)
    try:
        opts = make_options(getattr(_core, _OPTIONS[analysis]), None, **options)
        if hasattr(opts, "validate"):  # CycleOptions has no bound validate(): the search checks them
            opts.validate()
    except (TypeError, ValueError) as e:
        raise ValueError(f"options.{e}") from None


def validate_spec(spec, base_dir="."):
    """The plan of a sweep spec (a dict, see docs/sweeps.md), with model paths made absolute
    against ``base_dir``; ValueError("<field>: <problem>") for the first problem found."""
    if not isinstance(spec, dict):
        _fail("spec", f"expected a dict (a JSON object), got {describe(spec)}")
    for key in spec:
        if key not in _SPEC_KEYS:
            import difflib
            close = difflib.get_close_matches(str(key), _SPEC_KEYS, n=1)
            _fail(str(key), "unknown key" + (f"; did you mean '{close[0]}'?" if close else "")
                  + f" (known: {', '.join(_SPEC_KEYS)})")
    if "model" not in spec:
        _fail("model", "missing (a model file, a dict with its keys, or a list of model files)")
    analysis = spec.get("analysis", "fixed_points")
    if analysis not in ANALYSES:
        _fail("analysis", f"expected one of {', '.join(ANALYSES)}, got {describe(analysis)}")
    models = spec["model"]
    listed = isinstance(models, (list, tuple))
    if listed and not models:
        _fail("model", "an empty list")
    entries = [_model_entry(m, f"model[{i}]" if listed else "model", base_dir)
               for i, m in enumerate(models if listed else [models])]
    labels = [os.fspath(m) if isinstance(m, (str, os.PathLike)) else f"model {i}"
              for i, m in enumerate(models if listed else [models])]
    loaded = []
    for i, e in enumerate(entries):
        try:
            loaded.append(_load(e))
        except ValueError as err:
            _fail(f"model[{i}]" if listed else "model", str(err))
    if analysis == "cycles":
        for i, model in enumerate(loaded):
            if not model.is_piecewise_linear or model.time != "discrete":
                _fail(f"model[{i}]" if listed else "model", f"analysis 'cycles' needs a piecewise-linear map, got a "
                      f"{'piecewise-linear' if model.is_piecewise_linear else 'smooth'} {model.time} {model.kind}")
    seed = _int(spec.get("seed", 0), "seed", 0)
    options = spec.get("options", {})
    _check_options(analysis, options)
    option_fields = _option_fields(analysis)
    grid = spec.get("grid", {})
    sample = spec.get("sample")
    if not isinstance(grid, dict):
        _fail("grid", f"expected a dict of parameter name -> values, got {describe(grid)}")
    if grid and sample is not None:
        _fail("sample", "give a grid or a sample, not both")
    dims, coords, params, draws, count = [], {}, [], {}, 0
    if listed:
        dims.append("model")
    for name, values in grid.items():
        coords[name] = _axis(values, f"grid.{name}")
        dims.append(name)
        params.append(name)
    if sample is not None:
        if not isinstance(sample, dict) or set(sample) - {"count", "parameters"}:
            _fail("sample", "expected {\"count\": N, \"parameters\": {name: distribution}}, got "
                  + describe(sample))
        count = _int(sample.get("count"), "sample.count", 1)
        if not isinstance(sample.get("parameters"), dict) or not sample["parameters"]:
            _fail("sample.parameters", "expected a non-empty dict of parameter name -> distribution")
        for name, dist in sample["parameters"].items():
            draws[name] = _distribution(dist, f"sample.parameters.{name}")
            params.append(name)
        dims.append("sample")
    for name in params:  # an option of the analysis (e.g. perturb's scale), else a model parameter
        field = f"grid.{name}" if name in grid else f"sample.parameters.{name}"
        if name in option_fields:
            for i, v in enumerate(coords.get(name, [])):
                try:
                    _check_options(analysis, {**options, name: v})
                except ValueError as err:
                    _fail(f"{field}[{i}]", str(err).split(": ", 1)[-1])
            continue
        for model in loaded:
            try:
                model.parameter(name)
                for v in coords.get(name, []):
                    model.clone().set_parameter(name, v)
            except ValueError as err:
                _fail(field, str(err).removeprefix("parameter: "))
    keep = spec.get("keep", list(DEFAULT_KEEP[analysis]))
    if not isinstance(keep, (list, tuple)) or not keep:
        _fail("keep", f"expected a non-empty list of names ({', '.join(ANALYSES[analysis])}), got {describe(keep)}")
    for k in keep:
        if k not in ANALYSES[analysis]:
            _fail("keep", f"unknown name {describe(k)} for {analysis} (known: {', '.join(ANALYSES[analysis])})")
    keep = list(dict.fromkeys(["type", *keep] if analysis == "perturb" else keep))
    samples = block = 0
    if analysis == "perturb":
        samples = _int(spec.get("samples", 10000), "samples", 1)
        block = min(_int(spec.get("block", DEFAULT_BLOCK), "block", 1), samples)
        dims.append("perturbation")
    else:
        for key in ("samples", "block"):
            if key in spec:
                _fail(key, "only for analysis 'perturb'")
    chunk = _int(spec.get("chunk", DEFAULT_CHUNK[analysis]), "chunk", 1)
    shape = [len(entries)] if listed else []
    shape += [len(coords[d]) for d in grid] + ([count] if sample is not None else [])
    n_cells = int(np.prod(shape, dtype=np.int64)) if shape else 1
    blocks = -(-samples // block) if analysis == "perturb" else 1
    plan = {"analysis": analysis, "models": entries, "labels": labels, "listed": listed, "grid": coords,
            "grid_names": list(grid), "draws": draws, "count": count, "options": options, "keep": keep,
            "seed": seed, "samples": samples, "block": block, "dims": dims, "cell_shape": shape,
            "n_cells": n_cells, "blocks": blocks, "n_items": n_cells * blocks}
    plan["identity"] = hashlib.sha256(json.dumps(plan, sort_keys=True).encode()).hexdigest()
    plan["chunk"] = chunk
    return plan


# ---------------------------------------------------------------------------------------------
# One task: a contiguous range of items, on a worker (or in the calling process when serial).

def _seed(plan, *path):
    """A 64-bit seed for (purpose, cell, block) under the sweep's seed; the same on every machine."""
    return int(np.random.SeedSequence([plan["seed"], *path]).generate_state(1, np.uint64)[0])


def _draw(plan, cell):
    """The sampled parameter values of one cell (a sample index), from its own seed."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([plan["seed"], 1, cell])))
    out = {}
    for name, dist in plan["draws"].items():
        (kind, (a, b)), = dist.items()
        u = rng.random()
        out[name] = a + (b - a) * u if kind == "uniform" else (
            math.exp(math.log(a) + (math.log(b) - math.log(a)) * u) if kind == "loguniform" else
            a + b * float(rng.standard_normal()))
    return out


def _cell(plan, cell):
    """(model entry, parameter values by name) of one cell."""
    index = np.unravel_index(cell, plan["cell_shape"]) if plan["cell_shape"] else ()
    k = 0
    model = plan["models"][0]
    if plan["listed"]:
        model, k = plan["models"][index[0]], 1
    values = {}
    for name in plan["grid_names"]:
        values[name] = plan["grid"][name][index[k]]
        k += 1
    if plan["draws"]:  # by the sample's index: every model of a list gets the same draws
        values.update(_draw(plan, int(index[-1])))
    return model, values


def _setup(plan, cell):
    """The cell's model (a clone with its parameters set) and the analysis keywords."""
    entry, values = _cell(plan, cell)
    fields = _option_fields(plan["analysis"])
    model = _load(entry).clone()
    options = dict(plan["options"])
    for name, v in values.items():
        if name in fields:
            options[name] = v
        else:
            model.set_parameter(name, v)
    return model, options, values


def _count(res):
    """Counts by stability, the rule of rnndyn scan (parameter_scan.cpp): unstable if any direction
    is unstable, else marginal if any is marginal, else stable."""
    c = dict(n_fixed_points=0, n_stable=0, n_unstable=0, n_marginal=0)
    for p in res.fixed_points:
        s = p.stability
        c["n_fixed_points"] += 1
        c["n_unstable" if s.n_unstable > 0 else "n_marginal" if s.n_marginal > 0 else "n_stable"] += 1
    c["n_continua"] = len(res.continua)
    c["status"] = STATUSES.index(res.status) if res.status in STATUSES else -1
    return c


def _count_cycles(res):
    """Counts of k-cycles by stability, the rule of rnndyn scan (parameter_scan.cpp's count_cycles)."""
    c = dict(n_cycles=0, n_stable_cycles=0, n_unstable_cycles=0, n_marginal_cycles=0)
    for cycle in res.cycles:
        s = cycle.stability
        c["n_cycles"] += 1
        c["n_unstable_cycles" if s.n_unstable > 0 else "n_marginal_cycles" if s.n_marginal > 0
          else "n_stable_cycles"] += 1
    c["n_cycle_continua"] = len(res.continua)
    c["status"] = STATUSES.index(res.status) if res.status in STATUSES else -1
    return c


def run_task(plan, task):
    """The arrays of one task (items task*chunk .. ): {name: flat array} in the order of the items
    (per cell for fixed_points, per perturbation for perturb), plus the sampled parameters."""
    import rnndyn
    start = task * plan["chunk"]
    stop = min(start + plan["chunk"], plan["n_items"])
    out = {k: [] for k in plan["keep"]}
    sampled = {name: [] for name in plan["draws"]}
    for item in range(start, stop):
        cell, blk = divmod(item, plan["blocks"])
        model, options, values = _setup(plan, cell)
        if plan["analysis"] in ("fixed_points", "cycles"):
            seed = _seed(plan, 0, cell)
            if plan["analysis"] == "fixed_points":
                options["exact"] = {**options.get("exact", {}), "seed": seed}
                counts = _count(rnndyn.find_fixed_points(model, seed=seed, **options))
            else:
                counts = _count_cycles(rnndyn.find_cycles(model, options.pop("period"), seed=seed, **options))
            for k in plan["keep"]:
                out[k].append(counts[k])
            if blk == 0:
                for name in plan["draws"]:
                    sampled[name].append(values[name])
        else:
            n = min(plan["block"], plan["samples"] - blk * plan["block"])
            res = rnndyn.perturb(model, samples=n, keep=n, seed=_seed(plan, 2, cell, blk), **options)
            for s in res.sample_list:
                for k in plan["keep"]:
                    out[k].append(TYPES.index(s.type) if k == "type" else MEMORIES.index(s.memory) if k == "memory"
                                  else len(s.fixed_points) if k == "n_fixed_points" else s.half_life)
            if blk == 0:
                for name in plan["draws"]:
                    sampled[name].append(values[name])
    spec = ANALYSES[plan["analysis"]]
    arrays = {k: np.asarray(v, dtype=spec[k][1]) for k, v in out.items()}
    arrays.update({f"param:{name}": np.asarray(v, float) for name, v in sampled.items()})
    if plan["draws"]:
        first = -(-start // plan["blocks"])  # the cells whose first block is in the task
        arrays["param_index"] = np.arange(first, first + len(next(iter(sampled.values())))) % plan["count"]
    return arrays


# ---------------------------------------------------------------------------------------------
# The store: an xarray Dataset in Zarr, filled task by task; _sweep/done marks finished tasks.

def _coords(plan):
    coords = {}
    if plan["listed"]:
        coords["model"] = np.array(plan["labels"], dtype=object).astype(str)
    for name in plan["grid_names"]:
        coords[name] = np.asarray(plan["grid"][name], float)
    if plan["draws"]:
        coords["sample"] = np.arange(plan["count"])
    if plan["analysis"] == "perturb":
        coords["perturbation"] = np.arange(plan["samples"])
    return coords


def _full_shape(plan, where):
    return list(plan["cell_shape"]) + ([plan["samples"]] if where == "sample" else [])


def _zarr_chunks(shape, size):
    """Zarr chunks holding about ``size`` elements, split along the leading axes (C order), so that
    one task's contiguous range touches few of them. Tasks may share a chunk: the client writes
    them one at a time, and zarr replaces a chunk file atomically."""
    chunks, rest = [], max(1, size)
    for n in reversed(shape):
        take = max(1, min(n, rest))
        chunks.append(take)
        rest = max(1, rest // n) if take == n else 1
    return tuple(reversed(chunks)) if shape else ()


def _template(plan):
    """The lazy Dataset whose metadata starts a store (no data is written)."""
    xr = _need("xarray")
    da = _need("dask.array")
    spec = ANALYSES[plan["analysis"]]
    coords = _coords(plan)
    variables = {}
    for k in plan["keep"]:
        where, dtype, fill, doc, codes = spec[k]
        shape = _full_shape(plan, where)
        per_item = plan["block"] if where == "sample" else 1
        dims = plan["dims"] if where == "sample" else plan["dims"][:len(plan["cell_shape"])]
        task = plan["chunk"] * per_item  # elements one task writes; zarr chunks of a few tasks (>= 2^15
        chunks = _zarr_chunks(shape, task * max(1, 32768 // task))  # elements): few files to read back
        attrs = {"long_name": doc, "fill": fill}  # "fill": the zarr fill value, where no task has run
        if codes:
            attrs.update(flag_values=list(range(len(codes))), flag_meanings=" ".join(codes))
        variables[k] = (dims, da.full(shape, fill, dtype=dtype, chunks=chunks or -1), attrs)
    for name in plan["draws"]:
        variables[name] = (("sample",), da.full((plan["count"],), np.nan, chunks=max(32768, plan["chunk"])),
                           {"long_name": f"sampled value of the parameter {name}", "fill": np.nan})
    attrs = {"rnndyn_sweep": json.dumps({k: v for k, v in plan.items() if k not in ("identity", "chunk")}),
             "rnndyn_sweep_identity": plan["identity"], "analysis": plan["analysis"], "seed": plan["seed"]}
    return xr.Dataset(variables, coords=coords, attrs=attrs)


def _open_store(plan, store, overwrite):
    """The Zarr group of ``store`` for this plan (created if new) and its done markers."""
    zarr = _need("zarr")
    n_tasks = -(-plan["n_items"] // plan["chunk"])
    if os.path.exists(store) and not overwrite:
        try:
            group = zarr.open_group(store, mode="r+")
            held = group.attrs.get("rnndyn_sweep_identity")
            if held is not None:
                done = group["_sweep/done"]
        except Exception:  # not a Zarr group, or one whose creation was cut short
            held = None
        if held is None:
            _fail("store", f"{store} exists and holds no rnndyn sweep (overwrite=True, or --overwrite, replaces it)")
        if held != plan["identity"]:
            _fail("store", f"{store} holds a different sweep (another spec); overwrite=True (--overwrite) "
                           "replaces it, or use another path")
        # the tasks already stored keep their boundaries
        return {**plan, "chunk": int(done.attrs["chunk"])}, group, done
    template = _template(plan)
    encoding = {k: {"_FillValue": v.attrs.pop("fill")} for k, v in template.data_vars.items()}
    template.to_zarr(store, mode="w", compute=False, consolidated=False, encoding=encoding, zarr_format=2)
    group = zarr.open_group(store, mode="r+")
    done = group.create_group("_sweep").create_array("done", shape=(n_tasks,), chunks=(1,), dtype="bool",
                                                     fill_value=False)
    done.attrs["chunk"] = plan["chunk"]  # items per task
    return plan, group, done


def _write(plan, group, task, arrays):
    """One task's arrays into their places: a contiguous range of the flattened variables."""
    start = task * plan["chunk"]
    stop = min(start + plan["chunk"], plan["n_items"])
    spec = ANALYSES[plan["analysis"]]
    for k, values in arrays.items():
        if k == "param_index":
            continue
        if k.startswith("param:"):
            if values.size:
                group[k[6:]].set_coordinate_selection(arrays["param_index"], values)
            continue
        shape = _full_shape(plan, spec[k][0])
        if spec[k][0] == "sample":  # the items' perturbations are one contiguous run
            cell, blk = divmod(start, plan["blocks"])
            lo = cell * plan["samples"] + blk * plan["block"]
            flat = np.arange(lo, lo + values.size)
        else:
            flat = np.arange(start, stop)
        if not shape:
            group[k][...] = values.reshape(())
            continue
        _write_flat(group[k], shape, flat, values)


def _write_flat(array, shape, flat, values):
    """values at the C-order flat indices ``flat`` (one contiguous run) of an array of ``shape``."""
    if len(shape) == 1:
        array[int(flat[0]):int(flat[-1]) + 1] = values
        return
    row = shape[-1]
    lead = np.unravel_index(flat // row, shape[:-1])
    # rows: whole or partial runs along the last axis, written as slices
    i = 0
    while i < flat.size:  # one slice per (partial) row
        j = min(flat.size, i + (row - flat[i] % row))
        idx = tuple(int(a[i]) for a in lead) + (slice(int(flat[i] % row), int(flat[j - 1] % row) + 1),)
        array[idx] = values[i:j]
        i = j


class _Store:
    """Writes one task and marks it done with Ctrl-C held back until both are complete (a
    KeyboardInterrupt inside zarr's event loop would leave its writes pending at exit)."""

    def __init__(self, plan, group, done):
        self.plan, self.group, self.done = plan, group, done

    def put(self, task, arrays):
        import signal
        import threading
        held = []
        main = threading.current_thread() is threading.main_thread()
        old = signal.signal(signal.SIGINT, lambda *_: held.append(True)) if main else None
        try:
            _write(self.plan, self.group, task, arrays)
            self.done[task] = True
        finally:
            if main:
                signal.signal(signal.SIGINT, old)
        if held:
            raise KeyboardInterrupt


# ---------------------------------------------------------------------------------------------
# The front door.

def _client(client, scheduler, workers):
    """(client, whether we made it): the caller's, one on ``scheduler``, else a LocalCluster of
    ``workers`` processes (default: every core) with one thread each."""
    if client is not None:
        return client, False
    distributed = _need("distributed")
    if scheduler:
        return distributed.Client(scheduler), True
    cluster = distributed.LocalCluster(n_workers=workers or os.cpu_count(), threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    return distributed.Client(cluster), True


def _bar(progress, total, done):
    """(report(n_done), close()) behind ``progress``: True (tqdm), a callable(done, total) that
    returns False to stop, or None."""
    if progress is True:
        from tqdm.auto import tqdm
        bar = tqdm(total=total, initial=done, unit="task", desc="sweep")

        def report(n):
            bar.update(n - bar.n)
            return True
        return report, bar.close
    if progress is None:
        return (lambda n: True), (lambda: None)
    if not callable(progress):
        raise ValueError(f"progress: expected True, None or a callable(done, total), got {describe(progress)}")
    return (lambda n: progress(n, total) is not False), (lambda: None)


class SweepStopped(KeyboardInterrupt):
    """A sweep stopped by its progress callable (or Ctrl-C); the tasks finished so far are stored."""


def sweep(spec=None, *, store=None, client=None, scheduler=None, workers=None, progress=None, overwrite=False,
          base_dir=".", **kwargs):
    """Run one analysis over a parameter grid, a random sample of parameters or a list of models
    (docs/sweeps.md) and return an xarray Dataset.

    ``spec``: a dict (or the path of a JSON file) with ``model`` (a model file, a dict with its keys,
    or a list of model files: dimension ``model``), ``grid`` ({name: [values] or {"from", "to",
    "steps"}}: one dimension per name, in order; a name is a model parameter such as ``W[0,1]``,
    ``b[0]``, ``tau[1]``, ``g``, or a numeric option of the analysis such as perturb's ``scale``)
    or ``sample`` ({"count": N, "parameters": {name: {"uniform": [lo, hi]} | {"loguniform": [lo,
    hi]} | {"normal": [mean, sd]}}}: dimension ``sample``), ``analysis`` ('fixed_points' (default),
    'cycles' (piecewise-linear maps; ``options`` must give the ``period``) or 'perturb'),
    ``options`` (keywords of rnndyn.find_fixed_points / find_cycles / perturb), ``keep``
    (the variables to store; ``rnndyn._sweep.ANALYSES`` lists them), ``seed`` (every random number
    derives from it and the cell's index), perturb's ``samples`` per cell (dimension
    ``perturbation``) drawn in seeded ``block``s, and ``chunk`` (items per task). Keywords update
    the spec.

    ``store``: a Zarr directory; a sweep started again on it reuses every task stored there (the
    spec must be the same; ``overwrite=True`` starts afresh). ``client``: a dask.distributed Client;
    else ``scheduler`` (an address such as 'tcp://host:8786'), else a LocalCluster of ``workers``
    processes (default: every core), closed at the end; ``client='serial'`` runs the tasks in this
    process, one after the other (no dask needed). ``progress``: True for a tqdm bar of tasks, or a
    callable(done, total) that returns False to stop (SweepStopped, a KeyboardInterrupt, is then
    raised; Ctrl-C does the same), the stored tasks kept. The Dataset's attrs ``tasks_reused`` and
    ``tasks_computed`` count the tasks taken from the store and run now."""
    _need("xarray")
    _need("zarr")
    if isinstance(spec, (str, os.PathLike)):
        base_dir = os.path.dirname(os.path.abspath(spec))
        spec = read_spec(spec)
    spec = {**(spec or {}), **kwargs}
    plan = validate_spec(spec, base_dir)
    tmp = None
    if store is None:
        import tempfile
        tmp = tempfile.TemporaryDirectory(prefix="rnndyn-sweep-")
        store = os.path.join(tmp.name, "sweep.zarr")
    store = os.fspath(store)
    plan, group, done = _open_store(plan, store, overwrite)
    n_tasks = done.shape[0]
    todo = [t for t, d in enumerate(done[:]) if not d]
    reused = n_tasks - len(todo)
    report, close = _bar(progress, n_tasks, reused)
    finished = reused
    try:
        if client == "serial":
            writer = _Store(plan, group, done)
            for t in todo:
                writer.put(t, run_task(plan, t))
                finished += 1
                if not report(finished):
                    raise SweepStopped(f"sweep stopped: {finished} of {n_tasks} tasks stored in {store}")
        elif todo:
            _run_distributed(plan, group, done, todo, client, scheduler, workers, report, store, n_tasks, finished)
    finally:
        close()
    ds = open_sweep(store)
    if tmp is not None:
        ds = ds.load()
        tmp.cleanup()
    ds.attrs.update(tasks_reused=reused, tasks_computed=len(todo))
    return ds


def _run_distributed(plan, group, done, todo, client, scheduler, workers, report, store, n_tasks, finished):
    distributed = _need("distributed")
    client, owned = _client(client, scheduler, workers)
    futures = []
    try:
        futures = [client.submit(run_task, plan, t, key=f"rnndyn-sweep-{plan['identity'][:12]}-{t}",
                                 pure=False, retries=2) for t in todo]
        index = {f.key: t for f, t in zip(futures, todo)}
        writer = _Store(plan, group, done)
        for future in distributed.as_completed(futures):
            writer.put(index[future.key], future.result())
            future.release()
            finished += 1
            if not report(finished):
                raise SweepStopped(f"sweep stopped: {finished} of {n_tasks} tasks stored in {store}")
    finally:
        for f in futures:
            f.cancel()
        if owned:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None and not scheduler:
                cluster.close()


def open_sweep(store):
    """The Dataset of a sweep's Zarr store (lazy; ``.load()`` reads it). Tasks not yet run hold the
    fill values (-1, NaN); ``attrs['tasks_done']`` / ``attrs['tasks']`` say how many are stored.
    For perturb, ``count`` (cells x type) and ``share`` are computed from ``type``."""
    xr = _need("xarray")
    zarr = _need("zarr")
    group = zarr.open_group(os.fspath(store), mode="r")
    done = group["_sweep/done"][:]
    ds = xr.open_zarr(os.fspath(store), consolidated=False, mask_and_scale=False)  # codes stay int8
    ds.attrs.update(tasks=int(done.size), tasks_done=int(done.sum()))
    plan = json.loads(ds.attrs["rnndyn_sweep"])
    ds = ds.set_coords([name for name in plan["draws"] if name in ds])  # sampled values: coordinates of sample
    ds = ds[[k for k in plan["keep"] if k in ds]]
    if ds.attrs.get("analysis") == "perturb" and "type" in ds:
        codes = ds["type"].values
        counts = np.stack([(codes == i).sum(axis=-1) for i in range(len(TYPES))], axis=-1)
        cell_dims = [d for d in ds["type"].dims if d != "perturbation"]
        ds = ds.assign_coords(type_name=("type_name", list(TYPES)))
        ds["count"] = (cell_dims + ["type_name"], counts.astype("int64"),
                       {"long_name": "perturbations of each type"})
        total = (codes >= 0).sum(axis=-1)[..., None]
        with np.errstate(invalid="ignore", divide="ignore"):
            ds["share"] = (cell_dims + ["type_name"], counts / total, {"long_name": "share of each type"})
    return ds


def decode(variable):
    """A coded variable (``status``, ``type``, ``memory``) as an array of its names ('' where not run)."""
    names = np.array([""] + variable.attrs["flag_meanings"].split(), dtype=object)
    return variable.copy(data=names[np.asarray(variable.values, int) + 1])


def read_spec(path):
    """A sweep spec file (JSON); errors as ``spec: ...``."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        _fail("spec", f"cannot read {os.fspath(path)}: {e.strerror}")
    except json.JSONDecodeError as e:
        _fail("spec", f"{os.fspath(path)} is not valid JSON (line {e.lineno}: {e.msg})")


# ---------------------------------------------------------------------------------------------
# python -m rnndyn.sweep SPEC -o OUT.zarr [--scheduler ADDRESS] [--workers N] [-q]

def main(argv=None):
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="rnndyn sweep", description="Run a sweep spec (docs/sweeps.md) on "
                                     "dask.distributed and store it as Zarr; a second run on the same store "
                                     "resumes it.")
    parser.add_argument("spec", help="the sweep spec (JSON)")
    parser.add_argument("-o", "--output", required=True, help="the Zarr store to write (or resume)")
    parser.add_argument("--scheduler", help="a dask scheduler address (default: a LocalCluster)")
    parser.add_argument("--workers", type=int, help="LocalCluster worker processes (default: every core)")
    parser.add_argument("--serial", action="store_true", help="run the tasks in this process, without dask")
    parser.add_argument("--overwrite", action="store_true", help="replace a store that holds another sweep")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        if args.workers is not None and args.workers < 1:
            _fail("--workers", f"must be >= 1, got {args.workers}")
        spec = read_spec(args.spec)
        plan = validate_spec(spec, os.path.dirname(os.path.abspath(args.spec)))
        for name in ("xarray", "zarr") + (() if args.serial else ("distributed",)):
            _need(name)
        t0 = time.perf_counter()
        ds = sweep(spec, store=args.output, client="serial" if args.serial else None, scheduler=args.scheduler,
                   workers=args.workers, progress=None if args.quiet else True, overwrite=args.overwrite,
                   base_dir=os.path.dirname(os.path.abspath(args.spec)))
    except KeyboardInterrupt:
        print("rnndyn: interrupted (the tasks finished so far are stored; run again to resume)", file=sys.stderr)
        return 130
    except (ValueError, ImportError) as e:
        print(f"rnndyn: error: {str(e).splitlines()[0] if str(e) else type(e).__name__}", file=sys.stderr)
        return 2
    summary = {"output": os.path.abspath(args.output), "analysis": plan["analysis"], "dims": dict(ds.sizes),
               "tasks": ds.attrs["tasks"], "tasks_reused": ds.attrs["tasks_reused"],
               "tasks_computed": ds.attrs["tasks_computed"], "elapsed_seconds": time.perf_counter() - t0}
    print(json.dumps(summary, indent=2))
    return 0
