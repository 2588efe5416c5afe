"""The picture (issue 12b): colour landscape, trails, residuals, off-plot markers, follow mode."""

import numpy as np
import pytest

from gdtui.app.widgets.compare import CompareLandscapePane
from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.landscape import ARROWS, Sketch, field, field_rows, nice_ticks
from gdtui.app.widgets.multi import RaceSurfacePane
from gdtui.app.widgets.panes import RESIDUAL_CAP, TRAIL_LINES, CostPane
from gdtui.app.widgets.surface import MARGIN, CostSurfacePane
from gdtui.engine import DescentEngine
from tests.conftest import app_for, wait_until


def field_segments(pane):
    """The segments of the field's rows (without the tick labels and the legend)."""
    cols, rows = pane.field_size()
    return [seg for strip in pane.strips[:rows] for seg in list(strip)[1:]]


def field_text(pane) -> str:
    _, rows = pane.field_size()
    return "\n".join(strip.text[MARGIN:] for strip in pane.strips[:rows])


def colours(segments) -> set:
    found = set()
    for seg in segments:
        if seg.style is not None:
            found |= {c for c in (seg.style.color, seg.style.bgcolor) if c is not None}
    return found


async def test_the_field_has_colours_and_none_with_no_color(monkeypatch):
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "c")
        surface = app.query_one(CostSurfacePane)
        assert len(colours(field_segments(surface))) >= 8
        assert "▀" in field_text(surface)
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "c")
        surface = app.query_one(CostSurfacePane)
        segments = [seg for strip in surface.strips for seg in strip]
        assert colours(segments) == set()
        text = field_text(surface)
        assert "▀" not in text and sum(text.count(ch) for ch in "░▒▓") > 20


def test_field_levels_follow_log_excess(line_data):
    # Independent of the drawing: the darkest colour is where J − J* is least, the brightest
    # where it is most, and levels grow with log(J − J*) along a ray from the optimum.
    engine = DescentEngine(*line_data)
    model = engine.model()
    p, q = model.optimum()
    window = (p - 3, p + 3, q - 3, q + 3)
    levels, contour, arrows, low, high = field(model, window, 30, 10)
    assert levels.shape == (20, 30) and contour.shape == (10, 30) and arrows.shape == (10, 30)
    assert 0 < low < high
    row = levels[9, 15:]  # from near the optimum to the right edge
    assert np.all(np.diff(row.astype(int)) >= 0) and row[-1] > row[0]
    assert contour.any()
    # −∇J points back towards the optimum: right of it, the arrows point left (←).
    assert ARROWS[arrows[5, 28]] in "↖←↙"
    assert field(model, window, 30, 10) is field(model, window, 30, 10)  # memoised


def test_the_memo_lets_go_of_a_model():
    import gc
    import weakref

    rng = np.random.default_rng(3)
    engine = DescentEngine(rng.normal(size=50), rng.normal(size=50), loss="mae")
    model = engine.model()
    field(model, (-1.0, 1.0, -1.0, 1.0), 8, 4)
    gone = weakref.ref(model)
    del engine, model
    gc.collect()
    assert gone() is None


def test_nice_ticks_are_round_and_evenly_spaced():
    ticks = nice_ticks(-213.7, 187.2, 4)
    assert ticks == [-200.0, -100.0, 0.0, 100.0]
    assert nice_ticks(0.013, 0.0581, 5) == pytest.approx([0.02, 0.03, 0.04, 0.05])
    assert nice_ticks(1.0, 1.0, 3) == []


async def test_point_at_round_trips_with_the_drawing():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "c")
        surface = app.query_one(CostSurfacePane)
        cols, rows = surface.field_size()
        sketch = Sketch(surface.drawing.window, cols, rows)
        gx, gy = surface.gutter.left, surface.gutter.top  # point_at counts the border too
        for x in (MARGIN, MARGIN + 3, MARGIN + cols // 2, MARGIN + cols - 1):
            for y in (0, rows // 2, rows - 1):
                p, q = surface.point_at(gx + x, gy + y)
                assert sketch.cell_of(p, q) == (y, x - MARGIN)
        assert surface.point_at(gx + MARGIN - 1, gy) is None
        assert surface.point_at(gx + MARGIN, gy + rows) is None
        # The optimum's marker is drawn in the cell whose point_at is nearest to it.
        p_star, q_star = app.main_screen.engine.model().optimum()
        r, c = sketch.cell_of(p_star, q_star)
        assert surface.strips[r].text[MARGIN + c] == "✚"
        p, q = surface.point_at(gx + MARGIN + c, gy + r)
        p0, p1, q0, q1 = surface.drawing.window
        assert abs(p - p_star) <= (p1 - p0) / cols and abs(q - q_star) <= (q1 - q0) / rows


async def test_g_toggles_the_gradient_field():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        surface = app.query_one(CostSurfacePane)
        assert not any(ch in field_text(surface) for ch in ARROWS)
        await pilot.press("g")
        text = field_text(surface)
        assert sum(text.count(ch) for ch in ARROWS) >= 10
        await pilot.press("g")
        assert not any(ch in field_text(surface) for ch in ARROWS)


async def test_a_frame_of_run_mode_reuses_the_field():
    app = app_for("--lr", "0.01")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c", "s")
        hits, misses = field_rows.hits, field_rows.misses
        await pilot.press("s", "s")
        assert field_rows.misses == misses and field_rows.hits > hits


async def test_trails_fade_on_the_surface_and_in_the_data_pane_and_t_toggles_them():
    app = app_for("--lr", "0.02")
    async with app.run_test(size=(120, 36)) as pilot:
        main = app.main_screen
        main.controller.engine.run(80)
        await pilot.press("s")
        data = app.query_one(DataPane)
        assert data.trail_drawn == TRAIL_LINES
        await pilot.press("c")
        surface = app.query_one(CostSurfacePane)
        faded = surface.sketch.faded_cells()
        assert faded > 0
        await pilot.press("T")
        assert surface.sketch.faded_cells() == 0
        await pilot.press("c", "c")
        assert data.trail_drawn == 0
        await pilot.press("T")
        assert data.trail_drawn == TRAIL_LINES


async def test_residuals_count_their_squares_and_the_cost_pane_says_j_is_their_mean():
    app = app_for("heights-weights", "--standardize", "on")
    async with app.run_test(size=(80, 24)) as pilot:
        data = app.query_one(DataPane)
        cost = app.query_one(CostPane)
        await pilot.press("s", "R")
        await pilot.pause()
        assert data.residuals_drawn == app.setup.dataset.n == 40
        assert data.squares_drawn == 0
        assert "mean of the residuals²" in cost.full_border("border_subtitle")
        await pilot.press("R")
        await pilot.pause()
        assert data.residuals_drawn == 40 and data.squares_drawn > 0
        await pilot.press("R")
        await pilot.pause()
        assert data.residuals_drawn == 0 and "residuals" not in cost.full_border("border_subtitle")
    app = app_for("--synthetic", "n=5000,noise=2")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("R")
        await pilot.pause()
        assert app.query_one(DataPane).residuals_drawn == RESIDUAL_CAP


async def test_mae_says_its_own_thing():
    app = app_for("--loss", "mae")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("R")
        subtitle = app.query_one(CostPane).full_border("border_subtitle")
        assert "|residual|" in subtitle and "²" not in subtitle


async def test_a_line_off_the_plot_gets_an_edge_marker_and_f_follows_it():
    app = app_for("--start", "1e3,1e3")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        data = app.query_one(DataPane)
        assert data.where.startswith("▲ line above: y = ")
        assert data.full_border().endswith("data range")
        assert "▲ line above" in data.plt.build()
        await pilot.press("f")
        assert data.where == "" and "follows the line" in data.full_border()
        m, b = app.main_screen.engine.snapshot().m, app.main_screen.engine.snapshot().b
        assert all(data.y_shown[0] <= m * x + b <= data.y_shown[1] for x in data.xlim)
        await pilot.press("f")
        assert data.where.startswith("▲")


async def test_a_diverging_run_is_shown_by_an_edge_marker_on_the_surface():
    app = app_for("--lr", "5")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", *["s"] * 10)
        surface = app.query_one(CostSurfacePane)
        text = field_text(surface)
        assert any(arrow in text for arrow in "▲▼◀▶") and "●" not in text
        data_pane = app.query_one(DataPane)
        await pilot.press("c", "c")
        assert data_pane.where[:1] in ("▲", "▼")


async def test_race_and_comparison_draw_the_same_landscape():
    app = app_for(mode="race", optimizers=("gd", "adam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: bool(app.screen.query(RaceSurfacePane)))
        await pilot.press("s", "s")
        race = app.screen.query_one(RaceSurfacePane)
        assert len(colours(field_segments(race))) >= 8
        assert "●" in field_text(race) or "■" in field_text(race)
        await pilot.press("g")
        assert sum(field_text(race).count(ch) for ch in ARROWS) >= 5
    app = app_for(mode="compare")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "c", "c")
        panes = list(app.screen.query(CompareLandscapePane))
        assert panes and all(p.display for p in panes)
        assert all(len(colours(field_segments(p))) >= 8 for p in panes)
        await pilot.press("c")
        assert not any(p.display for p in panes)
