"""The update maths at the reference size: every optimizer's whole update on screen at 80×24
in every batch mode, with the data and cost plots keeping five plot rows; fuller at 120×36;
reachable by scrolling at 60×20."""

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Region
from textual.widgets import Static

from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.panes import CostPane
from gdtui.app.widgets.pointer import plot_box
from gdtui.app.widgets.readout_panes import SCROLL_HINT, MathPane, ParametersPane
from gdtui.engine import Status
from gdtui.engine.notation import num
from gdtui.engine.optimizers import OPTIMIZERS
from gdtui.engine.state import snapshot_at
from gdtui.formulas import update_lines
from tests.conftest import app_for

BATCHES = {"full": (), "mini-batch": ("--batch-size", "10"), "stochastic": ("--batch-size", "1")}

STATE_USED = {"gd": (), "momentum": (0, 1), "nesterov": (0, 1), "adagrad": (0, 1),
              "rmsprop": (0, 1), "adam": (0, 1, 2, 3)}
"""Which of the optimizer's four state numbers (v, G, s, u…) its update writes out."""


def rows_drawn(math: MathPane) -> list[str]:
    """The maths pane's text rows as drawn (all of them, scrolled into view or not)."""
    body = math.query_one(Static)
    width, height = body.size
    return [strip.text.rstrip() for strip in body.render_lines(Region(0, 0, width, height))]


def plain(markup) -> str:
    return Text.from_markup(str(markup)).plain if markup else ""


def words(text: str) -> str:
    return " ".join(text.split())


def plot_rows(pane) -> int:
    box = plot_box(pane)
    return box[3] if box else 0


async def settled(pilot, math: MathPane) -> None:
    """Wait (a bounded number of refreshes) until the maths pane's text has its new height."""
    for _ in range(50):
        if math.query_one(Static).size.height == math.lines:
            return
        await pilot.pause()


async def assert_whole(pilot, math: MathPane) -> list[str]:
    """Every row of the maths pane inside its window: none cut at the right or the bottom,
    none ending in "…", nothing scrolled out of view; returns the rows."""
    await settled(pilot, math)
    rows = rows_drawn(math)
    window = math.scrollable_content_region
    assert len(rows) <= window.height and math.max_scroll_y == 0, (
        len(rows), window, math.writing, math.room(), math.lines, math.content_size, rows)
    for row in rows:
        assert cell_len(row) <= window.width and not row.endswith("…"), row
    # The pane itself is inside its column and above the footer: nothing clipped.
    assert math.parent.region.contains_region(math.region)
    return rows


@pytest.mark.parametrize("batch", list(BATCHES))
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
async def test_the_whole_update_fits_at_80x24_and_the_plots_keep_five_rows(optimizer, batch):
    app = app_for("--optimizer", optimizer, "--seed", "3", *BATCHES[batch])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "s")
        await pilot.pause()
        engine = app.main_screen.engine
        assert engine.iteration == 2
        math = app.query_one(MathPane)
        shown = words("\n".join(await assert_whole(pilot, math)))
        assert not plain(math.border_subtitle)  # nothing to scroll to
        # Every line the pane means to show is on screen whole (folded rows joined again).
        for line in math.text.split("\n"):
            assert words(line) in shown, (line, shown)
        # ... and those are the update: every line of it but the notes in brackets.
        snap = engine.snapshot()
        for line in update_lines(snap, math.writing):
            if not line.startswith(("(", "In data units")):
                assert words(line) in shown, (line, shown)
        # The step's own numbers, from the engine's history, are all there.
        before, after = snapshot_at(engine, 1), snapshot_at(engine, 2)
        for value in (before.p, before.q, after.p, after.q, after.step_grad_p,
                      after.step_grad_q, *(after.state[i] for i in STATE_USED[optimizer])):
            assert num(value) in shown, (value, shown)
        for pane in (app.query_one(DataPane), app.query_one(CostPane)):
            assert plot_rows(pane) >= 5, (type(pane).__name__, plot_box(pane))


@pytest.mark.parametrize("optimizer, rate", [("gd", "5"), ("adam", "1e8")])
async def test_a_diverged_run_keeps_its_advice_and_the_whole_update_at_80x24(optimizer, rate):
    app = app_for("--optimizer", optimizer, "--lr", rate)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(10):
            await pilot.press("s")
            if app.main_screen.engine.status.finished:
                break
        await pilot.pause()
        assert app.main_screen.engine.status.finished
        math = app.query_one(MathPane)
        shown = words("\n".join(await assert_whole(pilot, math)))
        assert shown.startswith("⚠") and "lower α with -" in shown, shown
        snap = app.main_screen.engine.snapshot()
        assert num(snap.grad_q if snap.previous is None else snap.step_grad_q) in shown
        for pane in (app.query_one(DataPane), app.query_one(CostPane)):
            assert plot_rows(pane) >= 5


async def test_120x36_writes_adam_in_full_and_keeps_the_plots():
    app = app_for("--optimizer", "adam")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "s")
        await pilot.pause()
        math = app.query_one(MathPane)
        assert math.writing == "full"
        shown = words("\n".join(await assert_whole(pilot, math)))
        assert "u_m ← β₁·u_m + (1−β₁)·∂J/∂m" in shown and "b ← b − α·û/(√ŝ + ε)" in shown
        assert plot_rows(app.query_one(DataPane)) >= 7
        assert plot_rows(app.query_one(CostPane)) >= 5
        # Narrower: the same pane writes the update shorter, and the plots keep their rows.
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert math.writing != "full"
        await assert_whole(pilot, math)
        assert plot_rows(app.query_one(DataPane)) >= 5
        assert plot_rows(app.query_one(CostPane)) >= 5


async def test_60x20_keeps_five_plot_rows_and_scrolls_to_the_end_of_the_update():
    app = app_for("--optimizer", "adam")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s", "s")
        await pilot.pause()
        assert plot_rows(app.query_one(DataPane)) >= 5
        math = app.query_one(MathPane)
        await settled(pilot, math)
        rows = rows_drawn(math)
        window = math.scrollable_content_region.height
        assert len(rows) > window and math.max_scroll_y > 0  # too long for 60×20: it scrolls
        assert plain(math.border_subtitle) == SCROLL_HINT
        assert math.parent.region.contains_region(math.region)
        math.focus()
        for _ in range(len(rows)):
            await pilot.press("down")
        assert math.scroll_y == math.max_scroll_y
        seen = rows[int(math.scroll_y):int(math.scroll_y) + window]
        assert words("\n".join(seen)).endswith(num(app.main_screen.engine.snapshot().q))


async def test_a_converged_run_at_80x24_keeps_the_verdict_the_update_and_its_status():
    app = app_for("heights-weights", "--optimizer", "momentum")  # standardized (auto)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"]]]]]]", "space")
        for _ in range(200):
            if app.main_screen.engine.status.finished:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        assert app.main_screen.engine.status is Status.CONVERGED
        math = app.query_one(MathPane)
        shown = words("\n".join(await assert_whole(pilot, math)))
        assert shown.startswith("■ Converged after") and "m_z ←" in shown and "b_z ←" in shown
        readouts = app.query_one(ParametersPane)
        lines = readouts.text.split("\n")
        assert "Status      converged" in lines  # ‖∇J‖/σy < tol does not fit: the short form
        for line in lines:
            assert cell_len(line) <= readouts.content_size.width, line
        for pane in (app.query_one(DataPane), app.query_one(CostPane)):
            assert plot_rows(pane) >= 5
