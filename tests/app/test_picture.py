"""The picture at the reference size: 80×24 readouts that abbreviate instead of '…', the full
update of every optimizer, the tour's verdicts reachable, 60×20 and the too-small notice,
maximize and restore in every view."""

import pytest
from rich.cells import cell_len
from rich.text import Text

from gdtui.app.screens.lockstep import CompareScreen, RaceScreen
from gdtui.app.screens.run import TooSmall
from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.panes import CostPane, FramePane
from gdtui.app.widgets.pointer import plot_box
from gdtui.app.widgets.readout_panes import MathPane, ParametersPane
from gdtui.app.widgets.tour_pane import TourPane
from tests.conftest import app_for


def plain(markup) -> str:
    return Text.from_markup(str(markup)).plain if markup else ""


def cut_readouts(screen) -> list[str]:
    """Every readout on ``screen`` that is cut or would be: titles, subtitles, readout lines."""
    bad = []
    for pane in screen.query("*"):
        if not isinstance(pane, FramePane) or not pane.region.area:
            continue
        for attr in ("border_title", "border_subtitle"):
            text = plain(getattr(pane, attr))
            width = pane.outer_size.width
            if text.endswith("…") or cell_len(text) > width - 6:
                bad.append(f"{type(pane).__name__}.{attr}: {text!r} (width {width})")
    for pane in screen.query(ParametersPane):
        if not pane.region.area:
            continue
        lines = pane.text.split("\n")
        if len(lines) > pane.content_size.height:
            bad.append(f"Parameters: {len(lines)} lines in {pane.content_size.height} rows")
        for line in lines:
            if line.endswith("…") or cell_len(line) > pane.content_size.width:
                bad.append(f"Parameters: {line!r} (width {pane.content_size.width})")
    return bad


async def test_no_readout_is_cut_at_80x24_whatever_the_optimizer_and_batch():
    app = app_for("--synthetic", "n=1000,noise=2", "--lr", "1e-7", "--standardize", "on")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        text = app.query_one(ParametersPane).text
        assert "1.000e−07" in text and "…" not in text
        for _batch in range(3):
            for _optimizer in range(6):
                await pilot.press("s")
                assert cut_readouts(app.screen) == []
                math = app.query_one(MathPane)
                # The whole update of this optimizer is on screen (wrapped, never cut).
                assert math.lines <= math.content_size.height, (
                    app.main_screen.engine.optimizer, math.text)
                await pilot.press("o")
            await pilot.press("b")
        readouts = app.query_one(ParametersPane).text
        for label in ("α limit", "Best α", "κ", "Batch", "Rate α"):
            assert label in readouts
        for _view in range(2):  # the surface and the slice
            await pilot.press("c")
            assert cut_readouts(app.screen) == []


async def test_mini_batch_readout_abbreviates_at_80x24():
    app = app_for("--synthetic", "n=1000,noise=2", "--batch-size", "10")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        batch = [line for line in app.query_one(ParametersPane).text.split("\n")
                 if line.startswith("Batch")]
        assert batch and "10 of 1,000" in batch[0]
        assert cut_readouts(app.screen) == []


async def test_plots_keep_five_rows_at_80x24():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        # A pane's plot rows: its content height less plotext's frame and the x labels.
        for pane in (app.query_one(DataPane), app.query_one(CostPane)):
            assert pane.size.height - 3 >= 5, (type(pane).__name__, pane.size)
        await pilot.press("a")
        assert isinstance(app.screen, CompareScreen)
        await pilot.pause()
        assert cut_readouts(app.screen) == []
        overlay = app.screen.query_one("#compare-overlay")
        assert overlay.size.height - 3 >= 5
        for panel in app.screen.query(".compare-panel DataPane"):
            assert panel.size.height - 3 >= 5


async def test_the_race_at_80x24_is_readable():
    app = app_for("--lr", "0.1", mode="race")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RaceScreen)
        await pilot.press("s", "s")
        assert cut_readouts(app.screen) == []
        overlay = app.screen.query_one("#race-overlay")
        assert overlay.size.height - 3 >= 5
        assert "adam" in plain(overlay.border_subtitle)  # every runner in the legend


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_every_verdict_is_reachable_at_80x24(language):
    app = app_for(mode="tour", language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for lesson in app.main_screen.guide.tour.lessons:
            await pilot.press("enter")
            marks = [c.correct for c in lesson.choices]
            await pilot.press(str(marks.index(True) + 1 if True in marks else 1), "enter")
            if lesson.number == 8:
                await app.workers.wait_for_complete()  # the race's rates are tuned in a thread
                await pilot.pause()
            await pilot.press("s", "s", "enter")  # a short run: the verdict's text is as long
            assert app.main_screen.guide.tour.step == "verdict"
            pane = app.screen.query_one(TourPane)
            assert pane.region.width >= 38 and pane.region.height >= 8, pane.region
            for _ in range(40):  # the scroll key reaches the verdict's end
                if pane.scroll_y >= pane.max_scroll_y:
                    break
                await pilot.press("down")
            assert pane.scroll_y == pane.max_scroll_y
            # The lesson's plots keep their width beside the lesson.
            for plot in app.screen.query(".compare-panel DataPane"):
                assert plot.size.width >= 20
            await pilot.press("enter")
        assert not app.main_screen.guide.active


async def test_60x20_keeps_the_essentials():
    app = app_for()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        assert not app.screen.query_one(TooSmall).display
        for pane in (DataPane, ParametersPane, MathPane):
            assert app.query_one(pane).region.area > 0
        # The plot keeps five plot rows; the maths fits or scrolls (its end is reachable).
        assert plot_box(app.query_one(DataPane))[3] >= 5
        math = app.query_one(MathPane)
        assert math.lines <= math.scrollable_content_region.height or math.max_scroll_y > 0
        assert cut_readouts(app.screen) == []


@pytest.mark.parametrize("size", [(59, 24), (80, 19)])
async def test_below_60x20_a_notice_asks_for_a_larger_terminal(size):
    app = app_for()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        notice = app.screen.query_one(TooSmall)
        assert notice.display and notice.region.area > 0
        words = str(notice.render())
        assert "60×20" in words and f"{size[0]}×{size[1]}" in words


async def test_maximize_and_restore_in_every_view():
    app = app_for("--lr", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")  # nothing focused: the first pane, the plot
        assert app.screen.maximized is app.query_one(DataPane)
        assert app.query_one(DataPane).outer_size.width == 80
        await pilot.press("m")
        assert app.screen.maximized is None
        await pilot.press("tab", "tab", "m")  # the focused pane
        assert app.screen.maximized is app.screen.focused is not None
        await pilot.press("escape")
        assert app.screen.maximized is None
        app.screen.set_focus(None)
        await pilot.press("c", "m")  # the surface
        assert app.screen.maximized is app.query_one("#surface")
        await pilot.press("c")  # the next view stays maximized
        assert app.screen.maximized is app.query_one("#slice")
        await pilot.press("escape")
        for key, screen_type in (("a", CompareScreen), ("v", RaceScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type)
            await pilot.press("m")
            assert app.screen.maximized is not None
            assert app.screen.maximized.outer_size.width == 80
            await pilot.press("escape")  # restores first, then goes back
            assert app.screen.maximized is None and isinstance(app.screen, screen_type)
            await pilot.press("escape")
            assert not isinstance(app.screen, screen_type)


async def test_plots_follow_a_light_theme_chosen_from_the_palette():
    from gdtui.app.widgets.colors import DARK, LIGHT, rgb

    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert any("theme" in title.lower() for title in titles)
        assert any("maximize" in title.lower() for title in titles)
        data = app.query_one(DataPane)

        def drawn(color) -> bool:
            return "38;2;{};{};{}".format(*rgb(color)) in data.plt.build()

        assert drawn(DARK.points) and not drawn(LIGHT.points)
        draws = data.draws
        app.theme = "textual-light"
        await pilot.pause()
        assert data.draws > draws  # a new theme redraws the plots in its colours
        assert drawn(LIGHT.points) and not drawn(DARK.points)
        # Every colour a plot uses is one of Okabe & Ito's.
        from gdtui.app.widgets.colors import OKABE_ITO
        for palette in (DARK, LIGHT):
            for color in (palette.points, palette.line, palette.optimum, palette.marker,
                          *palette.runs):
                assert color in OKABE_ITO.values()


async def test_slow_speeds_are_said_in_the_comparison_and_the_race():
    app = app_for("--lr", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        overlay = app.screen.query_one("#compare-overlay")
        assert "1 step/frame" in plain(overlay.border_title)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert "5 steps/s" in plain(overlay.border_title)
        await pilot.press("escape", "v")
        await pilot.pause()
        await pilot.press(*["left_square_bracket"] * 4)
        board = app.screen.query_one("#race-board")
        assert "1 step/s" in board.text
