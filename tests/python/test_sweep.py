"""Issue 17: rnndyn.sweep on dask.distributed (docs/sweeps.md). ctest sets RNNDYN_REQUIRE_DASK so that
a missing dask, distributed, xarray or zarr fails there instead of skipping.

A LocalCluster of 2 worker processes gives the serial Dataset bit for bit; so does any chunking; a
worker killed mid-sweep loses nothing; a stopped sweep started again reuses the tasks it stored."""
import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

import rnndyn
from conftest import EXAMPLES

if os.environ.get("RNNDYN_REQUIRE_DASK"):
    import distributed  # noqa: F401 (must be installed where ctest runs)
    import xarray  # noqa: F401
    import zarr  # noqa: F401
else:
    for name in ("distributed", "xarray", "zarr"):
        pytest.importorskip(name)

import xarray as xr  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from rnndyn._sweep import SweepStopped, decode, validate_spec  # noqa: E402

LINE = str(EXAMPLES / "line_attractor_bounded.json")
GRID = {"model": LINE, "grid": {"W[0,1]": {"from": -1.2, "to": -0.8, "steps": 7},
                                "b[0]": {"from": 0.5, "to": 1.5, "steps": 5}}, "chunk": 4}
# 3 scales x 2400 perturbations in blocks of 400: 18 items, 9 tasks of 2.
PERTURB = {"model": LINE, "analysis": "perturb", "grid": {"scale": [0.1, 0.5, 1.0]}, "samples": 2400,
           "block": 400, "chunk": 2, "seed": 7, "keep": ["type", "half_life", "n_fixed_points", "memory"]}


def same(a, b, attrs=True):
    """Bit for bit: every variable, coordinate and dimension (the run counters aside; ``attrs``
    False: no attributes of the Dataset, which name the model files as the spec spelt them)."""
    drop = ("tasks_reused", "tasks_computed", "tasks", "tasks_done")
    a, b = a.load().copy(), b.load().copy()  # the attrs below go from the copies only
    for ds in (a, b):
        for k in list(ds.attrs) if not attrs else drop:
            ds.attrs.pop(k, None)
    xr.testing.assert_identical(a, b)
    for name in a.variables:
        assert a[name].values.tobytes() == b[name].values.tobytes(), name


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def serial_grid():
    return rnndyn.sweep(GRID, client="serial").load()


@pytest.fixture(scope="module")
def serial_perturb():
    return rnndyn.sweep(PERTURB, client="serial").load()


def test_grid_counts_equal_the_scan_of_the_library(serial_grid):
    ds = serial_grid
    scan = rnndyn.scan_parameters(rnndyn.load_model(LINE), "W[0,1]", (-1.2, -0.8), "b[0]", (0.5, 1.5),
                                  steps=(7, 5)).to_dict()
    assert ds["W[0,1]"].values.tolist() == scan["x_values"]  # the scan's grid, bit for bit
    assert ds["b[0]"].values.tolist() == scan["y_values"]
    for name in ("n_fixed_points", "n_stable", "n_unstable", "n_marginal", "n_continua"):
        assert np.array_equal(ds[name].values.T, np.array(scan[name])), name
    assert set(decode(ds["status"]).values.ravel()) == {"complete"}
    assert ds.attrs["tasks_computed"] == 9 and ds.attrs["tasks_reused"] == 0


def test_any_chunking_gives_the_same_dataset(serial_grid, serial_perturb):
    same(serial_grid, rnndyn.sweep({**GRID, "chunk": 35}, client="serial"))
    same(serial_grid, rnndyn.sweep({**GRID, "chunk": 3}, client="serial"))
    same(serial_perturb, rnndyn.sweep({**PERTURB, "chunk": 5}, client="serial"))
    shares = serial_perturb["share"].sel(type_name="three_fixed_points").values
    assert 0.2 < shares[0] < 0.32  # docs/perturbation.md: a quarter at small scales
    assert (serial_perturb["count"].sum("type_name") == 2400).all()


def test_two_worker_processes_give_the_serial_dataset(client, serial_grid, serial_perturb, tmp_path):
    same(serial_grid, rnndyn.sweep(GRID, client=client))
    same(serial_grid, rnndyn.sweep(GRID, scheduler=client.scheduler.address))  # the CLI's --scheduler
    assert client.status == "running"  # the sweep closed only the client it made
    same(serial_perturb, rnndyn.sweep(PERTURB, client=client, store=tmp_path / "p.zarr"))
    same(serial_perturb, rnndyn.open_sweep(tmp_path / "p.zarr"))  # the store reads back the same


def test_a_worker_killed_mid_sweep_loses_nothing(client, serial_perturb):
    pids = list(client.run(os.getpid).values())
    killed = []

    def kill_one(done, total):
        if done == 2 and not killed:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(done)
        return True

    ds = rnndyn.sweep({**PERTURB, "chunk": 1}, client=client, progress=kill_one)
    assert killed and ds.attrs["tasks_computed"] == 18
    same(serial_perturb, ds)


def test_a_stopped_sweep_resumes_from_its_stored_tasks(client, serial_perturb, tmp_path):
    store = tmp_path / "s.zarr"
    with pytest.raises(SweepStopped):
        rnndyn.sweep(PERTURB, client="serial", store=store, progress=lambda done, total: done < 3)
    partial = rnndyn.open_sweep(store)
    assert partial.attrs["tasks_done"] == 3 and partial.attrs["tasks"] == 9
    assert (partial["type"].values == -1).sum() == 12 * 400  # 3 tasks of 2 blocks run, 12 blocks not
    ds = rnndyn.sweep(PERTURB, client=client, store=store)
    assert ds.attrs["tasks_reused"] == 3 and ds.attrs["tasks_computed"] == 6
    same(serial_perturb, ds)
    again = rnndyn.sweep({**PERTURB, "chunk": 3}, client="serial", store=store)  # the store keeps its chunking
    assert again.attrs["tasks_reused"] == 9 and again.attrs["tasks_computed"] == 0
    with pytest.raises(ValueError, match="store: .* holds a different sweep"):
        rnndyn.sweep({**PERTURB, "seed": 8}, client="serial", store=store)


def test_sampled_parameters_and_model_lists(tmp_path):
    spec = {"model": LINE, "seed": 3, "chunk": 3,
            "sample": {"count": 10, "parameters": {"W[0,1]": {"uniform": [-1.2, -0.8]},
                                                   "b[1]": {"normal": [1.0, 0.2]}}}}
    ds = rnndyn.sweep(spec, client="serial")
    assert ds.sizes == {"sample": 10} and "W[0,1]" in ds.coords
    assert ((ds["W[0,1]"] >= -1.2) & (ds["W[0,1]"] <= -0.8)).all()
    same(ds, rnndyn.sweep({**spec, "chunk": 7}, client="serial"))
    first = rnndyn.load_model(LINE).clone()
    first.set_parameter("W[0,1]", float(ds["W[0,1]"][0]))
    first.set_parameter("b[1]", float(ds["b[1]"][0]))
    assert len(rnndyn.find_fixed_points(first).fixed_points) == int(ds["n_fixed_points"][0])
    other = str(EXAMPLES / "line_attractor_bounded_three_points.json")
    pop = rnndyn.sweep({"model": [LINE, other], "keep": ["n_fixed_points", "n_continua"]}, client="serial")
    assert pop["model"].values.tolist() == [LINE, other]
    assert pop["n_continua"].values.tolist() == [1, 0]
    both = rnndyn.sweep({**spec, "model": [LINE, other], "chunk": 4}, client="serial")  # the same draws per model
    assert both.sizes == {"model": 2, "sample": 10} and np.array_equal(both["W[0,1]"], ds["W[0,1]"])
    assert np.array_equal(both["n_fixed_points"][0], ds["n_fixed_points"])


def test_cycle_counts_equal_the_scan_of_the_library():
    pl_map = str(EXAMPLES / "pl_map_two_kink.json")
    spec = {"model": pl_map, "analysis": "cycles", "options": {"period": 2}, "chunk": 4,
            "grid": {"A[0,0]": {"from": -0.9, "to": 0.9, "steps": 5}, "h1[0]": {"from": -0.5, "to": 0.5, "steps": 3}}}
    ds = rnndyn.sweep(spec, client="serial")
    scan = rnndyn.scan_parameters(rnndyn.load_model(pl_map), "A[0,0]", (-0.9, 0.9), "h1[0]", (-0.5, 0.5), steps=(5, 3),
                                  max_period=2).to_dict()
    for name in ("n_cycles", "n_stable_cycles", "n_unstable_cycles", "n_marginal_cycles", "n_cycle_continua"):
        assert np.array_equal(ds[name].values.T, np.array(scan[name])), name
    assert ds["n_cycles"].values.sum() > 0


@pytest.mark.parametrize("change, message", [
    ({"grdi": {}}, "grdi: unknown key; did you mean 'grid'?"),
    ({"grid": {"W[5,0]": [1, 2]}}, "grid.W[5,0]: "),
    ({"grid": {"W[0,1]": {"from": 0, "to": 1}}}, "grid.W[0,1].steps: missing"),
    ({"options": {"seed": 3}}, "options.seed: set by the sweep"),
    ({"options": {"methd": "numeric"}}, "options.methd: unknown option"),
    ({"analysis": "basins"}, "analysis: expected one of fixed_points, cycles, perturb"),
    ({"keep": ["n_saddles"]}, "keep: unknown name"),
    ({"samples": 10}, "samples: only for analysis 'perturb'"),
    ({"model": "missing.json"}, "model: no such model file"),
    ({"analysis": "cycles", "options": {"period": 2}}, "model: analysis 'cycles' needs a piecewise-linear map"),
    ({"analysis": "cycles", "model": str(EXAMPLES / "pl_map_two_kink.json"), "grid": {}}, "options.period: missing"),
])
def test_spec_errors_name_the_field(change, message):
    with pytest.raises(ValueError) as e:
        validate_spec({**GRID, **change})
    assert str(e.value).startswith(message), str(e.value)


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "rnndyn.sweep", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_command_line(serial_grid, tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({**GRID, "model": os.path.relpath(LINE, tmp_path)}))
    proc = run_cli(spec, "-o", tmp_path / "out.zarr", "--serial", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["tasks_computed"] == 9 and summary["dims"] == {"W[0,1]": 7, "b[0]": 5}
    same(rnndyn.open_sweep(tmp_path / "out.zarr"), serial_grid, attrs=False)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**GRID, "grid": {"W[0,1]": [1, "x"]}}))
    proc = run_cli(bad, "-o", tmp_path / "bad.zarr", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == ["rnndyn: error: grid.W[0,1][1]: expected a finite number, got 'x'"]
    assert not (tmp_path / "bad.zarr").exists()


def test_rnndyn_imports_without_dask_and_sweep_names_the_missing_package():
    code = ("import sys\nfor m in ('dask', 'distributed', 'xarray', 'zarr'): sys.modules[m] = None\n"
            "import rnndyn\ntry:\n    rnndyn.sweep({'model': 'x.json'})\nexcept ImportError as e:\n    print(e)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "rnndyn.sweep needs the package 'xarray' (pip install 'rnndyn[sweep]')"


def test_sweep_map_draws_a_two_parameter_sweep(serial_grid, serial_perturb):
    import matplotlib.pyplot as plt

    import rnndyn.plot

    fig = rnndyn.plot.sweep_map(serial_grid)
    assert fig.axes[0].get_xlabel() == "W[0,1]" and fig.axes[0].get_ylabel() == "b[0]"
    plt.close(fig)
    with pytest.raises(ValueError, match="expected a sweep over a 2-D parameter grid"):
        rnndyn.plot.sweep_map(serial_perturb, "share:three_fixed_points")


def test_ctrl_c_exits_130_with_nothing_on_stdout_and_keeps_the_stored_tasks(tmp_path):
    import time
    spec = tmp_path / "mc.json"
    spec.write_text(json.dumps({**PERTURB, "samples": 400000, "block": 200, "chunk": 1}))
    store = tmp_path / "mc.zarr"
    proc = subprocess.Popen([sys.executable, "-m", "rnndyn.sweep", str(spec), "-o", str(store), "--serial", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = store / "_sweep" / "done"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.name != "zarr.json" and not p.name.startswith(".")
                                                  for p in (done.iterdir() if done.exists() else [])):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and out == "", err
    assert err.strip().splitlines()[-1].startswith("rnndyn: interrupted"), err
    stored = rnndyn.open_sweep(store).attrs
    assert 1 <= stored["tasks_done"] < stored["tasks"], stored
