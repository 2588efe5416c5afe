"""The app as a person meets it: keys through Pilot, asserting on engine state and pane text."""

import re

import numpy as np
import pytest

from gdtui.app.screens.dialogs import HelpScreen
from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.panes import CostPane
from gdtui.app.widgets.readout_panes import MathPane, ParametersPane
from gdtui.engine import Status
from tests.conftest import app_for, wait_until


def readouts(app) -> str:
    return app.query_one(ParametersPane).text


def math_text(app) -> str:
    return app.query_one(MathPane).text


def value(app, label: str) -> str:
    match = re.search(rf"^{re.escape(label)} +(.+)$", readouts(app), re.M)
    assert match, readouts(app)
    return match.group(1)


async def test_step_key_steps_and_shows_the_update():
    app = app_for("heights-weights", "--standardize")
    async with app.run_test(size=(120, 36)) as pilot:
        assert value(app, "Iteration") == "0"
        assert "No step yet" in math_text(app)
        await pilot.press("s", "s")
        assert app.main_screen.engine.iteration == 2
        snap = app.main_screen.engine.snapshot()
        assert value(app, "Iteration") == "2"
        assert value(app, "m").startswith(f"{snap.m:.4f}".replace("-", "−"))
        assert "m_z ← m_z − α·∂J/∂m_z" in math_text(app)
        assert f"= {snap.p:.4f}" in math_text(app)


async def test_space_runs_and_pauses_and_run_stops_by_itself():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        assert app.main_screen.running
        await pilot.pause(0.2)
        await pilot.press("space")
        assert not app.main_screen.running
        paused_at = app.main_screen.engine.iteration
        assert paused_at > 0
        assert value(app, "Status") == "paused"
        await pilot.pause(0.1)
        assert app.main_screen.engine.iteration == paused_at
        # Faster: the run reaches convergence and stops by itself.
        for _ in range(6):
            await pilot.press("right_square_bracket")
        assert app.main_screen.controller.steps_per_frame == 64
        await pilot.press("space")
        await wait_until(pilot, lambda: not app.main_screen.running)
        assert not app.main_screen.running
        assert app.main_screen.engine.status is Status.CONVERGED
        assert value(app, "Status").startswith("converged")
        await pilot.press("left_square_bracket")
        assert app.main_screen.controller.steps_per_frame == 32


async def test_reset_returns_to_start():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "s", "s", "r")
        assert app.main_screen.engine.iteration == 0 and len(app.main_screen.engine.history) == 1
        assert value(app, "Iteration") == "0"
        assert value(app, "Status") == "ready"


async def test_learning_rate_keys_and_divergence_recovery():
    app = app_for("heights-weights", "--standardize")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("plus")
        assert app.main_screen.engine.learning_rate == pytest.approx(0.2)
        await pilot.press("minus", "minus")
        assert app.main_screen.engine.learning_rate == pytest.approx(0.05)
        for _ in range(5):
            await pilot.press("plus")
        assert app.main_screen.engine.learning_rate == pytest.approx(1.6)
        await pilot.press("space")
        await wait_until(pilot, lambda: not app.main_screen.running)
        assert app.main_screen.engine.status is Status.DIVERGED
        assert value(app, "Status").startswith("DIVERGED")
        assert "exceeds the stable limit" in math_text(app) and "lower α with -" in math_text(app)
        assert "nan" not in readouts(app).lower() and "inf" not in readouts(app).lower()
        await pilot.press("minus", "minus")
        assert app.main_screen.engine.status is not Status.DIVERGED
        await pilot.press("s")
        assert app.main_screen.engine.status is Status.RUNNING


async def test_optimizer_batch_standardize_and_log_keys():
    app = app_for("heights-weights", "--standardize")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "o")
        assert app.main_screen.engine.optimizer == "momentum"
        assert value(app, "Optimizer") == "momentum"
        await pilot.press("s")
        assert "v_m_z ← β·v_m_z + ∂J/∂m_z" in math_text(app)
        # The change applies from the next step and is recorded in the history.
        assert app.main_screen.engine.history.column("optimizer").tolist() == [0, 0, 1]
        await pilot.press("b")
        assert app.main_screen.engine.batch_size == 10
        assert value(app, "Batch").startswith("mini-batch 10")
        await pilot.press("b")
        assert app.main_screen.engine.batch_size == 1
        await pilot.press("b")
        assert app.main_screen.engine.batch_size == 0
        await pilot.press("z")
        assert not app.main_screen.engine.standardize
        assert value(app, "Standardize") == "off"
        await pilot.press("s")
        assert "m ← m − α·v_m" in math_text(app)
        cost = app.query_one(CostPane)
        await pilot.press("l")
        assert app.main_screen.log_scale and "log" in str(cost.border_title)
        await pilot.press("l")
        assert not app.main_screen.log_scale


async def test_scrub_shows_past_iteration_and_stepping_continues_from_there():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*"sssss")
        rows = app.main_screen.engine.history.rows.copy()
        await pilot.press("left", "left")
        assert app.main_screen.controller.view_index == 3
        assert value(app, "Iteration") == "3"
        assert value(app, "Status").startswith("viewing 3")
        assert "Update into iteration 3" in str(app.query_one(MathPane).border_title)
        data = app.query_one(DataPane)
        assert (data.frame.run.snap.m, data.frame.run.snap.b) == (rows[3, 6], rows[3, 7])
        await pilot.press("right")
        assert value(app, "Iteration") == "4"
        await pilot.press("right")
        assert app.main_screen.controller.view_index is None
        await pilot.press("shift+left", "s")
        # From iteration 0 one step: the run continues from there, later rows forgotten.
        assert app.main_screen.engine.iteration == 1 and len(app.main_screen.engine.history) == 2
        assert np.array_equal(app.main_screen.engine.history.rows[1], rows[1])


async def test_help_opens_on_question_mark_and_f1_and_closes():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert not isinstance(app.screen, HelpScreen)
        assert app.is_running


async def test_resizing_with_help_or_a_dialog_open():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("escape", "y")
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        await pilot.press("escape", "a")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.is_running


async def test_q_quits():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code in (0, None)


async def test_every_action_is_in_the_command_palette():
    app = app_for()
    async with app.run_test(size=(120, 36)):
        titles = {c.title for c in app.get_system_commands(app.screen)}
    for title in ("Step", "Run / pause", "Reset", "Learning rate up", "Learning rate down",
                  "Next optimizer", "Next batch mode", "Toggle standardization",
                  "Toggle log cost", "Scrub back", "Scrub forward", "Help", "Faster", "Slower"):
        assert title in titles


async def test_palette_command_steps():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        step = next(c for c in app.get_system_commands(app.screen) if c.title == "Step")
        step.callback()
        await pilot.pause()
        assert app.main_screen.engine.iteration == 1


async def test_resizes_to_80x24_and_40x12_keep_working():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.has_class("-narrow") and app.screen.has_class("-short")
        assert app.query_one(DataPane).display
        await pilot.press("s")
        assert value(app, "Iteration") == "2"
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert app.screen.has_class("-tiny")
        assert value(app, "Iteration") == "2"
        await pilot.press("s", "space")
        await pilot.pause(0.1)
        await pilot.press("space")
        assert app.main_screen.engine.iteration > 3


async def test_large_data_draws_bounded_marks():
    app = app_for("--synthetic", "n=200000,noise=3")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        data = app.query_one(DataPane)
        width, height = data.size
        assert 0 < data.marks() <= 4 * width * height
        assert data.marks() < 200_000
        assert "drawn as" in str(data.border_subtitle)


async def test_cost_pane_downsamples_long_history():
    app = app_for("--tol", "0", "--iterations", "100000")
    async with app.run_test(size=(120, 36)) as pilot:
        app.main_screen.controller.steps_per_frame = 4096
        app.main_screen.controller.advance()
        await pilot.pause()
        cost = app.query_one(CostPane)
        assert app.main_screen.engine.iteration == 4096
        built = cost.plt.build()
        assert "4,000" in built  # a round tick on an axis to 4,096


async def test_slow_speeds_step_every_few_frames():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        controller = app.main_screen.controller
        said = []
        for _ in range(5):
            await pilot.press("left_square_bracket")
            said.append(app.query_one(ParametersPane).border_subtitle)
        assert said == ["10 steps/s", "5 steps/s", "2 steps/s", "1 step/s", "1 step/s"]
        assert controller.steps_per_second == 1
        before, published = app.main_screen.engine.iteration, app.main_screen.frames_published
        frames = round(2 / app.main_screen.frame_interval)
        for _ in range(frames):  # two seconds of frames: two steps
            controller.advance()
        assert app.main_screen.engine.iteration - before == 2
        assert app.main_screen.frames_published - published == 2  # no redraw without a step
        await pilot.press("right_square_bracket")
        assert app.query_one(ParametersPane).border_subtitle == "2 steps/s"
        before = app.main_screen.engine.iteration
        for _ in range(frames // 2):  # one second
            controller.advance()
        assert app.main_screen.engine.iteration - before == 2
        for _ in range(3):
            await pilot.press("right_square_bracket")
        assert controller.steps_per_frame == 1 and controller.steps_per_second == 0
        assert app.query_one(ParametersPane).border_subtitle == "1 step/frame"
        await pilot.press("right_square_bracket")
        assert app.query_one(ParametersPane).border_subtitle == "2 steps/frame"


async def test_the_loaders_warnings_are_shown_when_the_app_starts(tmp_path):
    data = tmp_path / "gaps.csv"
    data.write_text("x,y\n1,2\n2,NA\n3,6.5\n4,8\n")
    app = app_for(str(data))
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause(0.5)
        warning = app.setup.dataset.warnings[0]
        toasts = " ".join(str(toast.render()) for toast in app.screen.query("Toast"))
        assert "dropped 1 row" in toasts and "dropped 1 row" in warning
