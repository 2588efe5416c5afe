"""Data edits under a live run: exact O(1) statistics, against numpy.linalg.lstsq."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gdtui.engine import COL, DescentEngine
from gdtui.errors import DataError

# Values of 1e-6 to 1e3 in size (and 0): the tolerances below are relative to the data's scale,
# which a point of 1e-249 removed from zeros would not have.
coord = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False).filter(
    lambda v: v == 0.0 or abs(v) >= 1e-6)
edit = st.one_of(
    st.tuples(st.just("add"), coord, coord),
    st.tuples(st.just("remove"), st.integers(0, 10_000), st.just(0.0)),
    st.tuples(st.just("move"), st.integers(0, 10_000), coord, coord),
    st.tuples(st.just("undo")),
)


def lstsq(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """(m*, b*, J*) by numpy.linalg.lstsq, J* from the residuals."""
    a = np.column_stack([x, np.ones_like(x)])
    (m, b), *_ = np.linalg.lstsq(a, y, rcond=None)
    r = y - (m * x + b)
    return float(m), float(b), float(np.mean(r * r))


def close(a: float, b: float, floor: float) -> bool:
    """Equal to 1e-9 relative, or within ``floor`` (rounding of the reference itself near 0)."""
    return abs(a - b) <= 1e-9 * abs(b) + floor


@settings(max_examples=150, deadline=None)
@given(start=st.lists(st.tuples(coord, coord), min_size=3, max_size=12),
       edits=st.lists(edit, max_size=25))
def test_edits_match_lstsq(start, edits):
    x = np.array([p[0] for p in start])
    y = np.array([p[1] for p in start])
    if np.ptp(x) < 1e-3:
        return
    engine = DescentEngine(x, y, standardize=True)
    ref_x, ref_y = list(x), list(y)  # the edited data, kept independently of the engine
    undo: list = []
    for e in edits:
        if e[0] == "add":
            engine.add_point(e[1], e[2])
            ref_x.append(e[1])
            ref_y.append(e[2])
            undo.append(("add",))
        elif e[0] == "remove":
            i = e[1] % len(ref_x)
            try:
                engine.remove_point(i)
            except DataError:
                continue
            # Documented order: the last point takes the removed one's place.
            undo.append(("remove", i, ref_x[i], ref_y[i]))
            ref_x[i], ref_y[i] = ref_x[-1], ref_y[-1]
            ref_x.pop()
            ref_y.pop()
        elif e[0] == "move":
            i = e[1] % len(ref_x)
            try:
                engine.move_point(i, e[2], e[3])
            except DataError:
                continue
            undo.append(("move", i, ref_x[i], ref_y[i]))
            ref_x[i], ref_y[i] = e[2], e[3]
        elif undo:
            engine.undo_edit()
            last = undo.pop()
            if last[0] == "add":
                ref_x.pop()
                ref_y.pop()
            elif last[1] == len(ref_x):  # the last point was removed: it goes back at the end
                ref_x.append(last[2])
                ref_y.append(last[3])
            elif last[0] == "remove":
                ref_x.append(ref_x[last[1]])
                ref_y.append(ref_y[last[1]])
                ref_x[last[1]], ref_y[last[1]] = last[2], last[3]
            else:
                ref_x[last[1]], ref_y[last[1]] = last[2], last[3]
        assert engine.x.tolist() == ref_x and engine.y.tolist() == ref_y
    rx, ry = np.array(ref_x), np.array(ref_y)
    # lstsq itself (rcond) calls x of a spread under ~1e-13 of its size rank-deficient.
    assume(np.ptp(rx) > 1e-6 * (np.abs(rx).max() + 1.0))
    m, b, j = lstsq(rx, ry)
    cf = engine.closed_form
    spread_y = float(np.var(ry)) + float(np.mean(ry)) ** 2
    assert close(cf.cost, j, 1e-12 * spread_y)
    assert close(cf.m, m, 1e-12 * np.abs(ry).max() / np.std(rx))
    assert close(cf.b, b, 1e-12 * (abs(m) * np.abs(rx).max() + np.abs(ry).max()))
    assert engine.stats.n == len(ref_x)


def test_run_continues_from_its_line_and_history_records_the_change():
    x = np.array([0.0, 1.0, 2.0, 3.0])
    engine = DescentEngine(x, 2 * x + 1, learning_rate=0.1)
    engine.run(5)
    before = engine.snapshot()
    engine.add_point(10.0, 100.0)
    after = engine.snapshot()
    assert (after.m, after.b) == pytest.approx((before.m, before.b), rel=1e-12)
    assert after.iteration == before.iteration == 5
    assert after.cost == pytest.approx(np.mean((np.append(2 * x + 1, 100.0)
                                                - (before.m * np.append(x, 10.0) + before.b)) ** 2))
    rows = engine.history.rows
    assert rows[-1, COL["data_version"]] == 1 and rows[-2, COL["data_version"]] == 0
    assert "point added" in engine.events[-1][1]
    engine.step()
    assert engine.snapshot().iteration == 6
    # Scrubbing back before the edit and stepping: the cost is recomputed on the new data.
    engine.rewind(2)
    snap = engine.snapshot()
    assert snap.iteration == 2 and engine.history.rows[-1, COL["data_version"]] == 1
    assert "undo: point" in engine.undo_edit()
    assert engine.stats.n == 4 and not engine.data_edited


def test_removal_guards():
    engine = DescentEngine([0.0, 1.0, 1.0], [0.0, 1.0, 2.0])
    with pytest.raises(DataError, match="same"):
        engine.remove_point(0)
    engine.remove_point(1)
    with pytest.raises(DataError, match="two points"):
        engine.remove_point(0)


def test_mini_batch_reads_the_edited_arrays():
    x = np.linspace(0.0, 1.0, 20)
    engine = DescentEngine(x, x, batch_size=4, seed=1)
    for _ in range(30):
        engine.add_point(5.0, -5.0)
    assert engine.x.size == 50 and engine.y[-1] == -5.0
    engine.run(10)
    assert engine.batch_indices(3).max() < 50


@pytest.mark.parametrize("loss", ["mae", "huber"])
def test_other_losses_recompute_their_optimum_on_the_edited_data(line_data, loss):
    x, y = line_data
    engine = DescentEngine(x, y, loss=loss, huber_delta=1.0 if loss == "huber" else None)
    engine.run(3)
    engine.add_point(20.0, -50.0)
    engine.remove_point(4)
    fresh = DescentEngine(engine.x.copy(), engine.y.copy(), loss=loss,
                          huber_delta=1.0 if loss == "huber" else None)
    assert engine.reference.cost == pytest.approx(fresh.reference.cost, rel=1e-9)
    assert engine.snapshot().cost == pytest.approx(
        fresh.model(engine.standardize).cost(*fresh.model(engine.standardize).to_coordinates(
            engine.snapshot().m, engine.snapshot().b)), rel=1e-9)


def test_logistic_labels_are_kept_and_a_first_edit_restarts_the_start_row():
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    engine = DescentEngine(x, np.array([0.0, 0.0, 1.0, 0.0, 1.0, 1.0]), model_name="logistic")
    with pytest.raises(DataError, match="0 or 1"):
        engine.add_point(2.5, 0.5)
    assert engine.n_points == 6
    engine.add_point(2.5, 1.0)
    assert len(engine.history) == 1 and engine.history.rows[0, COL["data_version"]] == 1
