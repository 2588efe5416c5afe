"""Hands on: the mouse and the data mode's keys edit the data and move the start (Pilot)."""

import numpy as np
import pytest

from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.readout_panes import ParametersPane
from gdtui.app.widgets.surface import CostSurfacePane, SlicePane
from gdtui.plotdata import cell_value, plot_area
from tests.conftest import app_for, lstsq_line, wait_until

QUADRANTS = set("▖▗▘▙▚▛▜▝▞▟▀▄▌▐█")


def j_star(app) -> float:
    return app.screen.engine.closed_form.cost


def rendered_cell(pane, x: int, y: int) -> str:
    """The character the pane shows at its cell (x, y), border included."""
    strips = getattr(pane, "strips", None)  # a pane drawn line by line (the landscape)
    lines = [s.text for s in strips] if strips else pane.render().plain.split("\n")
    return lines[y - pane.gutter.top][x - pane.gutter.left]


def test_cell_value_puts_the_limits_on_the_first_and_last_marks():
    assert cell_value(0, 10, 0.0, 9.0) == 0.0 and cell_value(9, 10, 0.0, 9.0) == 9.0
    assert cell_value(0, 10, 0.0, 19.0, sub=2) == 0.5
    assert cell_value(9, 10, 0.0, 19.0, sub=2) == 18.5
    assert plot_area(["  ┌──┐", "1 ┤  │", "  └┬─┘"]) == (3, 1, 2, 1)
    assert plot_area(["no plot"]) is None


async def test_data_at_round_trips_through_what_is_drawn():
    app = app_for("--synthetic", "n=30,noise=0.5", "--seed", "1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.query_one(DataPane)
        left, top, width, height = pane.plot_box()
        for cell in [(left, top), (left + width - 1, top + height - 1),
                     (left + width // 2, top + height // 3)]:
            x, y = pane.data_at(*cell)
            assert pane.cell_at(x, y) == cell
        assert pane.data_at(0, 0) is None and pane.data_at(left - 1, top) is None
        # A point added at a corner cell is drawn in that very cell.
        corner = (left, top)  # top left: far from these points, which rise to the right
        assert rendered_cell(pane, *corner) not in QUADRANTS
        await pilot.click(pane, offset=corner)
        await pilot.pause()
        assert rendered_cell(pane, *corner) in QUADRANTS


async def test_click_adds_a_far_outlier_and_j_star_jumps():
    app = app_for("--synthetic", "n=30,noise=0.5", "--seed", "1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.query_one(DataPane)
        engine = app.screen.engine
        before_j, before_m = j_star(app), engine.closed_form.m
        await pilot.press("s", "s")
        m_now = engine.snapshot().m
        left, top, width, height = pane.plot_box()
        cell = (left + width - 1, top + height - 1)  # bottom right: far below the line
        x, y = pane.data_at(*cell)  # where the click lands (the box may grow to hold it)
        assert await pilot.click(pane, offset=cell)
        await pilot.pause()
        assert engine.n_points == 31
        assert (engine.x[-1], engine.y[-1]) == pytest.approx((x, y))
        assert j_star(app) > 3 * before_j and engine.closed_form.m < before_m
        m, b = lstsq_line(engine.x, engine.y)
        assert engine.closed_form.m == pytest.approx(m, rel=1e-9)
        # The run goes on from its line, at the same iteration; the readouts show the new J*.
        snap = engine.snapshot()
        assert snap.iteration == 2 and snap.m == pytest.approx(m_now)
        text = app.query_one(ParametersPane).text
        assert "31 points" in pane.full_border("border_subtitle") and f"{j_star(app):.4f}" in text
        # u undoes it.
        await pilot.press("u")
        assert engine.n_points == 30 and j_star(app) == pytest.approx(before_j, rel=1e-9)


async def test_drag_moves_the_nearest_point_and_right_click_removes():
    app = app_for("--synthetic", "n=12,noise=0.5", "--seed", "2")
    # A plot of more than five rows: each of the twelve points nearest to its own cell.
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        pane = app.query_one(DataPane)
        engine = app.screen.engine
        i = 3
        start = pane.cell_at(engine.x[i], engine.y[i])
        left, top, width, height = pane.plot_box()
        target = (left + 1, top + height - 2)
        await pilot.mouse_down(pane, offset=start)
        await pilot.hover(pane, offset=(start[0] + 1, start[1] + 1))
        await pilot.hover(pane, offset=target)
        await pilot.mouse_up(pane, offset=target)
        await pilot.pause()
        assert engine.n_points == 12
        assert (engine.x[i], engine.y[i]) == pytest.approx(pane.data_at(*target))
        await pilot.press("u")  # one drag is one edit
        assert engine.data_edited is False
        # Right button on a point removes it; ctrl+click too.
        await pilot.click(pane, offset=pane.cell_at(engine.x[5], engine.y[5]), button=3)
        assert engine.n_points == 11
        await pilot.click(pane, offset=pane.cell_at(engine.x[0], engine.y[0]), control=True)
        assert engine.n_points == 10
        m, b = lstsq_line(engine.x, engine.y)
        assert (engine.closed_form.m, engine.closed_form.b) == pytest.approx((m, b), rel=1e-9)


async def test_data_mode_keys_add_move_remove_without_a_mouse():
    app = app_for("--synthetic", "n=20,noise=0.5", "--seed", "3")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        engine = app.screen.engine
        await pilot.press("d")
        assert app.screen.frame.data_cursor is not None
        await pilot.press("right", "right", "up", "n")
        assert engine.n_points == 21
        added = (engine.x[-1], engine.y[-1])
        await pilot.press("enter", "up", "up", "up", "enter")  # carry it three cells up
        assert engine.x[-1] == pytest.approx(added[0]) and engine.y[-1] > added[1]
        await pilot.press("x")
        assert engine.n_points == 20
        iteration = engine.iteration
        await pilot.press("escape", "left")  # out of the mode, ← scrubs again
        assert app.screen.frame.data_cursor is None and engine.iteration == iteration
        await pilot.press("u", "u", "u")
        assert not engine.data_edited


async def test_press_and_drag_on_the_surface_set_the_start():
    app = app_for("--synthetic", "n=20,noise=0.5", "--seed", "3")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        surface = app.query_one(CostSurfacePane)
        await wait_until(pilot, lambda: surface.plot_box() is not None)
        left, top, width, height = surface.plot_box()
        cell = (left + width // 4, top + height // 4)
        await pilot.press("s", "s")
        await pilot.pause()
        p, q = surface.point_at(*cell)  # the window as drawn when the button goes down
        await pilot.mouse_down(surface, offset=cell)
        engine = app.screen.engine
        m, b = engine.model().to_data(p, q)
        assert engine.start == pytest.approx((m, b)) and engine.iteration == 0
        await pilot.pause()
        assert rendered_cell(surface, *cell) == "●"  # the start is drawn in the pressed cell
        assert engine.peek_next() is not None  # the first step is previewed on the surface
        cell2 = (cell[0] + 3, cell[1] + 2)
        await pilot.hover(surface, offset=cell2)
        await pilot.mouse_up(surface, offset=cell2)
        assert engine.start == pytest.approx(engine.model().to_data(*surface.point_at(*cell2)))
        # The slice sets m at the slice's b.
        await pilot.press("c")
        slice_pane = app.query_one(SlicePane)
        await wait_until(pilot, lambda: slice_pane.plot_box() is not None)
        left, top, width, height = slice_pane.plot_box()
        p, q = slice_pane.point_at(left + 2, top + 1)
        await pilot.click(slice_pane, offset=(left + 2, top + 1))
        assert engine.start == pytest.approx(engine.model().to_data(p, q))


async def test_save_and_reproduce_say_the_data_were_edited(in_tmp_path):
    app = app_for("--synthetic", "n=10,noise=0.5", "--seed", "3")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        engine = app.screen.engine
        assert "edited" not in app.screen.reproduce_command()
        engine_x = engine.x.copy()
        await pilot.press("d", "n", "escape")
        assert "not saved" in app.screen.reproduce_command()
        await pilot.press("D")
        await pilot.pause()
        saved = list(in_tmp_path.glob("*-edited.csv"))
        assert len(saved) == 1
        data = np.loadtxt(saved[0], delimiter=",", skiprows=1)
        assert data.shape == (11, 2) and np.array_equal(data[:10, 0], engine_x)
        command = app.screen.reproduce_command()
        assert "saved as" in command and saved[0].name in command
        # Saving again asks before replacing the file.
        await pilot.press("D")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")


async def test_noise_dialog_draws_the_synthetic_data_again():
    app = app_for("--synthetic", "n=10,noise=0.5", "--seed", "3")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "N")
        await pilot.pause()
        field = app.screen.query_one("#noise-input")
        field.value = "3,50,7"
        await pilot.press("enter")
        await pilot.pause()
        engine = app.screen.engine
        assert engine.n_points == 50 and engine.iteration == 0 and engine.seed == 7
        assert "noise=3.0" in app.screen.reproduce_command()
        assert "--seed 7" in app.screen.reproduce_command()
        assert app.query_one(DataPane).full_border("border_subtitle").startswith("50 points")
        assert "noise=3.0" in app.query_one(DataPane).full_border()


async def test_held_out_points_are_drawn_apart_and_their_cost_is_read_out():
    app = app_for("--synthetic", "n=40,noise=1", "--seed", "4", "--test-fraction", "0.25")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "s", "s")
        engine = app.screen.engine
        pane = app.query_one(DataPane)
        text = pane.render().plain
        assert "×" in text and any(c in QUADRANTS for c in text)
        subtitle = pane.full_border("border_subtitle")
        assert "30 fitted" in subtitle and "10 held out ×" in subtitle
        readout = app.query_one(ParametersPane).text
        snap = engine.snapshot()
        test = engine.test_set
        direct = float(np.mean((test.y - (snap.m * test.x + snap.b)) ** 2))
        assert f"Test J      {direct:.4f}" in readout
        from gdtui.app.widgets.panes import CostPane

        assert "× test J" in app.query_one(CostPane).full_border("border_subtitle")
        assert "--test-fraction=0.25" in app.screen.reproduce_command()


async def test_the_comparison_runs_on_the_edited_data():
    app = app_for("--synthetic", "n=20,noise=0.5", "--seed", "3")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "n", "n", "escape", "a")
        await pilot.pause()
        engines = app.screen.controller.engines
        assert all(e.n_points == 22 for e in engines)
        main = app.main_screen.engine.closed_form
        assert (engines[0].closed_form.m, engines[0].closed_form.cost) == \
            pytest.approx((main.m, main.cost), rel=1e-12)
