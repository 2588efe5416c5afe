"""The run screens' frames: every change redraws what depends on it, nothing is left stale."""

import re
from pathlib import Path

import pytest

from gdtui.app.screens.lockstep import CompareScreen, RaceScreen
from gdtui.app.screens.main import MainScreen
from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.panes import CostPane
from gdtui.app.widgets.readout_panes import MathPane, ParametersPane
from gdtui.engine import Status
from gdtui.formulas import num
from tests.conftest import app_for


async def test_placing_a_start_point_redraws_the_cost_pane():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        cost = app.query_one(CostPane)
        before_cost = cost.frame.run.snap.cost
        before_draws = cost.draws
        await pilot.press("p", "right", "right", "up", "enter")
        engine = app.main_screen.engine
        assert engine.start != (0.0, 0.0) and engine.iteration == 0
        # The cost pane drew the new start's J, before any step.
        assert cost.draws > before_draws
        assert cost.frame.run.snap.cost == engine.snapshot().cost != before_cost
        assert cost.frame.run.snap.iteration == 0


async def test_the_start_point_preview_redraws_as_the_arrows_move():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        data = app.query_one(DataPane)
        await pilot.press("p", "right")
        assert data.frame.run.snap.m == app.main_screen.engine.start[0] > 0
        await pilot.press("escape")
        assert app.main_screen.engine.start == (0.0, 0.0)
        assert data.frame.run.snap.m == 0.0


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_resize_redraws_every_visible_pane(size):
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        panes = [app.query_one(kind) for kind in (DataPane, CostPane, ParametersPane, MathPane)]
        draws = [pane.draws for pane in panes]
        await pilot.resize_terminal(*size)
        await pilot.pause()
        await pilot.pause()
        for pane, before in zip(panes, draws, strict=True):
            if pane.display and pane.size.area:
                assert pane.draws > before, type(pane).__name__
        data = app.query_one(DataPane)
        if data.size.area:
            # The scatter is binned for the new size, not the old one.
            assert data.binned_for[:2] == (data.size.width, data.size.height)


async def test_learning_rate_change_at_iteration_zero_updates_the_first_step_line():
    app = app_for("heights-weights", "--standardize")
    async with app.run_test(size=(120, 36)) as pilot:
        math = app.query_one(MathPane)
        assert "(α = 0.1000)" in math.text
        await pilot.press("plus")
        assert app.main_screen.engine.learning_rate == 0.2
        assert "(α = 0.2000)" in math.text and "(α = 0.1000)" not in math.text
        snap = app.main_screen.engine.snapshot()
        assert num(-0.2 * snap.grad_p) in math.text


async def test_every_pane_of_a_screen_draws_the_same_frame():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "s", "left")
        frames = {id(pane.frame) for pane in app.query(".-frame-pane")} or {
            id(app.query_one(kind).frame) for kind in (DataPane, CostPane, ParametersPane,
                                                         MathPane)}
        assert len(frames) == 1
        frame = app.query_one(DataPane).frame
        assert frame is app.main_screen.frame and frame.run.snap.iteration == 1


async def test_the_race_honours_schedule_and_batch_size():
    app = app_for("--schedule", "cosine", "--batch-size", "8", "--seed", "4", mode="race")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the race opens once its rates are tuned
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RaceScreen)
        for engine in screen.controller.engines:
            assert (engine.schedule, engine.batch_size, engine.seed) == ("cosine", 8, 4)
        await pilot.press("y")
        command = app.screen.command
        assert "--schedule cosine" in command and "--batch-size 8" in command
        assert "--optimizers gd,momentum,adagrad,adam" in command and "--lr" not in command


async def test_the_comparison_runs_what_the_main_view_runs():
    app = app_for("--batch-size", "4")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert {e.batch_size for e in screen.controller.engines} == {4}
        assert "mini-batch 4" in str(screen.query_one("#compare-info").render())


async def test_one_timer_per_run_screen_and_keys_move_with_the_screen():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        main = app.main_screen
        assert isinstance(app.screen, MainScreen)
        await pilot.press("a")
        compare = app.screen
        await pilot.press("space")
        assert compare.running and not main.running
        await pilot.pause(0.2)
        assert main.engine.iteration == 0  # the main run does not move behind the comparison
        await pilot.press("escape")
        assert app.screen is main and main.engine.iteration == 0
        await pilot.press("space")
        assert main.running


async def test_a_diverged_run_says_the_advice_with_keys():
    app = app_for("--lr", "5")
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(60):
            if app.main_screen.engine.status is Status.DIVERGED:
                break
            await pilot.press("s")
        assert app.main_screen.engine.status is Status.DIVERGED
        text = app.query_one(MathPane).text
        assert "lower α with -" in text and "reset with r" in text


def test_no_textual_private_attribute_in_the_package():
    root = Path(__file__).resolve().parents[2] / "gdtui"
    for path in root.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            code = code.replace("self._", "").replace("os._exit", "")  # (not Textual's)
            assert not re.search(r"\.\_[a-z]", code) or \
                path.parent.name == "engine" or path.name in ("atomic.py", "history_io.py",
                                                               "data.py", "tour.py"), \
                f"{path.name}:{number}: {line.strip()}"
