"""rnndyn.basins (issue 29): the typed result equals the CLI's JSON; a 3-bit flip-flop GRU started
from its own states (with noise) has 8 basins whose saddle graph is the cube's edge graph; the
picture and the report page draw them; bad keywords name the field."""
import itertools
import json

import numpy as np
import pytest

import rnndyn
import rnndyn.plot
import rnndyn.report
from conftest import EXAMPLES, assert_same, cli_json

THREE = EXAMPLES / "line_attractor_bounded_three_points.json"


@pytest.fixture(scope="module")
def flipflop():
    states = np.array(json.loads((EXAMPLES / "gru_flipflop_states.json").read_text())["states"])
    return rnndyn.basins(rnndyn.load_model(EXAMPLES / "gru_flipflop.json"), data=states, noise=0.1, starts=300,
                         seed=2)


def test_to_dict_equals_the_cli_json():
    result = rnndyn.basins(rnndyn.load_model(THREE), starts=60, box=(0, 2), seed=5, map_resolution=4)
    assert_same(cli_json("basins", THREE, "--starts", 60, "--box", "0,2", "--seed", 5, "--map-resolution", 4), result)
    assert result.map.labels.shape == (4, 4) and result.labels.shape == (60,)
    assert repr(result).startswith("BasinsResult(2 attractors (2 fixed points), shares")


def test_flipflop_memories_are_joined_as_a_cube(flipflop):
    r = flipflop
    assert len(r.attractors) == 8 and all(a.kind == "fixed_point" for a in r.attractors)
    assert abs(sum(a.fraction for a in r.attractors) + r.unsettled_fraction - 1) < 1e-12
    assert r.unsettled_fraction < 0.05
    edges = {(e.a, e.b) for e in r.graph}
    assert len(edges) == 12
    # Some numbering of the memories by 3 bits makes every edge a one-bit flip.
    assert any(all(bin(bits[a] ^ bits[b]).count("1") == 1 for a, b in edges)
               for bits in itertools.permutations(range(8)))


def test_pictures_and_report(flipflop, tmp_path):
    fig = rnndyn.plot.basins(flipflop)
    assert "8 attractors, 12 index-1 saddles" in fig.axes[0].get_title()
    two_d = rnndyn.basins(rnndyn.load_model(THREE), starts=50, box=(0, 2), map_resolution=12)
    fig = rnndyn.plot.basins(two_d)
    fig.savefig(tmp_path / "map.png")
    assert (tmp_path / "map.png").stat().st_size > 1000
    page = rnndyn.report.render_html(two_d)
    assert "Basins (2 attractors)" in page and "Saddle graph (1 joined pair)" in page
    with pytest.raises(ValueError, match="basins result"):
        rnndyn.plot.basins({"x": [1]})


def test_bad_keywords_name_the_field():
    model = rnndyn.load_model(THREE)
    with pytest.raises(ValueError, match=r"ball_fraction: must be in \(0, 0.5\]"):
        rnndyn.basins(model, ball_fraction=0.9)
    with pytest.raises(ValueError, match="map_resolution"):
        rnndyn.basins(rnndyn.load_model(EXAMPLES / "gru_flipflop.json"), map_resolution=3)
    with pytest.raises(TypeError, match="did you mean"):
        rnndyn.basins(model, ball_fractoin=0.1)


def test_a_progress_callback_stops_the_run():
    seen = []

    def stop(progress):
        seen.append(progress.stage)
        return False

    with pytest.raises(rnndyn.Interrupted):
        rnndyn.basins(rnndyn.load_model(THREE), starts=300, box=(0, 2), progress=stop)
    assert seen and seen[-1] == "basins"
