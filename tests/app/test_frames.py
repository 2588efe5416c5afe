"""Frames (issue 13): the data pane draws its line over a kept scatter exactly as plotext
would draw the whole plot; a frame repaints only the cells it changes."""

from __future__ import annotations

import pytest

from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.lines import cells
from gdtui.app.widgets.panes import CostPane, FramePane
from tests.conftest import app_for


def colour(c):
    """A colour as the terminal gets it (magenta and color(5) are one)."""
    return None if c is None else (c.type, c.number, c.triplet)


def visible(lines):
    """Every cell's character and colours (not Textual's bookkeeping in the style's meta)."""
    return [[(c[0], colour(c[1].color), colour(c[1].bgcolor), c[1].bold) if c else None
             for c in cells(line)] for line in lines]


def plotext_whole(pane):
    """The same frame drawn by plotext alone: the kept layer's figure plus the series."""
    for xs, ys, colour, marker in pane.series:
        if marker == "braille" and len(xs) > 1:
            pane.plt.plot(xs, ys, marker=marker, color=colour)
        else:
            pane.plt.scatter(xs, ys, marker=marker, color=colour)
    return pane.rendered_lines()


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (100, 30)])
async def test_the_line_over_the_kept_scatter_is_what_plotext_draws(size):
    # A large rate: the line swings across the plot and its edges, the trail behind it.
    app = app_for("noisy-linear", "--lr", "0.19", "--optimizer", "momentum")
    async with app.run_test(size=size) as pilot:
        pane = app.screen.query_one(DataPane)
        compared = 0
        for _ in range(12):
            await pilot.press("s")
            await pilot.pause()
            if pane.layer_key is None or pane.layer_area is None:
                continue  # plotext drew the whole frame (a line off the plot, no plot area)
            assert pane.series
            assert visible(pane.content_lines()) == visible(plotext_whole(pane))
            pane.layer_key = None  # the figure now holds the lines: the next draw starts anew
            compared += 1
        assert compared >= 6


async def test_the_scatter_layer_is_drawn_again_only_when_what_it_shows_changes():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.screen.query_one(DataPane)
        await pilot.press("s")
        await pilot.pause()
        pane.content_lines()
        kept = pane.layer_lines
        await pilot.press("s", "s")
        await pilot.pause()
        assert pane.layer_lines is kept  # two steps: the same scatter
        await pilot.press("R")  # residuals: plotext draws the whole frame
        await pilot.pause()
        assert pane.layer_key is None
        await pilot.press("R", "R")
        await pilot.pause()
        assert pane.layer_key is not None
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert pane.layer_lines is not kept
        # What is on screen is what the pane draws afresh in the new theme's colours.
        shown = visible([pane.render_line(y) for y in range(pane.size.height)])
        pane.layer_key = None
        pane.redraw()
        assert shown == visible(pane.content_lines())


async def test_a_step_repaints_a_few_spans_not_the_panes():
    app = app_for("--tol", "0")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        panes = [p for p in app.screen.query("*") if isinstance(p, FramePane) and p.display]
        before = {p: p.spans_refreshed for p in panes}
        await pilot.press("s")
        await pilot.pause()
        sent = {p: p.spans_refreshed - before[p] for p in panes}
        # The cost pane's curve and the readouts change; far from every row is sent.
        assert sum(sent.values()) < sum(p.size.height for p in panes) / 2
        assert sent[app.screen.query_one(CostPane)] > 0
        # The maths (its text a widget of its own) sends its changed rows too, not all of them.
        from gdtui.app.widgets.readout_panes import MathText

        body = app.screen.query_one(MathText)
        rows = body.spans_refreshed
        await pilot.press("s")
        await pilot.pause()
        assert 0 < body.spans_refreshed - rows < body.size.height


async def test_the_comparison_draws_its_lines_as_plotext_would():
    from gdtui.app.widgets.compare import ComparePane

    app = app_for("noisy-linear", mode="compare")
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(4):
            await pilot.press("s")
            await pilot.pause()
            for pane in app.screen.query(ComparePane):
                assert pane.layer_key is not None and pane.series
                assert visible(pane.content_lines()) == visible(plotext_whole(pane))
                pane.layer_key = None


@pytest.mark.parametrize("keys", [[], ["l"]], ids=["linear", "log"])
async def test_the_cost_curve_over_its_kept_axes_is_what_plotext_draws(keys):
    app = app_for("noisy-linear", "--test-fraction", "0.3", "--lr", "0.05")
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.screen.query_one(CostPane)
        await pilot.press(*keys)
        compared = 0
        for _ in range(8):
            await pilot.press("s", "s", "s")
            await pilot.pause()
            assert pane.layer_key is not None and len(pane.series) == 3  # curve, test, marker
            assert visible(pane.content_lines()) == visible(plotext_whole(pane))
            pane.layer_key = None
            compared += 1
        assert compared == 8


@pytest.mark.parametrize("mode", ["race", "compare"])
async def test_several_cost_curves_over_kept_axes_are_what_plotext_draws(mode):
    from gdtui.app.widgets.compare import SharedCostPane
    from gdtui.app.widgets.multi import OverlayCostPane

    app = app_for("noisy-linear", mode=mode)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(5):
            await pilot.press("s", "s")
            await pilot.pause()
            panes = [p for p in app.screen.query("*")
                     if isinstance(p, (OverlayCostPane, SharedCostPane)) and p.display]
            assert panes
            for pane in panes:
                assert pane.layer_key is not None and pane.series
                assert visible(pane.content_lines()) == visible(plotext_whole(pane))
                pane.layer_key = None


async def test_every_line_on_screen_is_as_wide_as_its_pane():
    # A line that got shorter must be sent up to its old end, or that end stays on screen.
    from gdtui.app.widgets.lines import LineDiff

    app = app_for("--tol", "0")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "space")
        await pilot.pause(0.4)
        await pilot.press("space", "s")
        await pilot.pause()
        widgets = [w for w in app.screen.query("*") if isinstance(w, LineDiff) and w.display]
        assert len(widgets) >= 4
        for widget in widgets:
            for y in range(widget.size.height):
                assert widget.render_line(y).cell_length == widget.size.width, (widget, y)


async def test_panes_under_another_screen_do_not_draw_and_catch_up_when_it_closes():
    app = app_for("--tol", "0")
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.screen
        await pilot.press("s")
        await pilot.pause()
        panes = [p for p in main.query("*") if isinstance(p, FramePane) and p.display]
        await pilot.press("a")  # the comparison covers the main view
        await pilot.pause()
        assert app.screen is not main
        drawn = {p: p.draws for p in panes}
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert {p: p.draws for p in panes} == drawn  # nothing drawn out of sight
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        for pane in panes:  # drawn again on return, as a fresh draw in the new theme draws
            assert pane.draws > drawn[pane]
            shown = visible([pane.render_line(y) for y in range(pane.size.height)])
            pane.forget_lines()
            assert shown == visible(pane.content_lines()), type(pane).__name__


async def test_a_whole_repaint_at_the_same_size_and_style_keeps_the_lines_on_screen():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.screen.query_one(CostPane)
        await pilot.press("s")
        await pilot.pause()
        lines = pane.shown_lines
        assert lines is not None
        pane.focus()  # the border changes colour; the plot's cells do not
        await pilot.pause()
        pane.refresh()
        await pilot.pause()
        assert pane.shown_lines is lines
        await pilot.resize_terminal(90, 24)
        await pilot.pause()
        assert pane.shown_lines is not lines


@pytest.mark.parametrize("mode, args", [("compare", ()), ("race", ("--lr", "0.01"))])
async def test_the_main_view_under_an_opening_comparison_is_composed_when_first_seen(mode,
                                                                                   args):
    from gdtui.app.screens.main import MainScreen
    from gdtui.app.widgets.readout_panes import ParametersPane

    app = app_for(*args, mode=mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, MainScreen)
        main = app.screen_stack[0]
        assert not main.query(DataPane)  # nothing composed out of sight
        await pilot.press("s", "s")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is main
        pane = main.query_one(DataPane)
        assert pane.draws > 0 and pane.shown_lines is not None
        readouts = main.query_one(ParametersPane)
        assert "Iteration" in str(readouts.render())
        await pilot.press("s")  # the main view runs as ever
        await pilot.pause()
        assert main.engine.iteration == 1 and main.frame.run.snap.iteration == 1
        line = next(x for x in str(readouts.render()).splitlines() if x.startswith("Iteration"))
        assert line.split()[-1] == "1"
