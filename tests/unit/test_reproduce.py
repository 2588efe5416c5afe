"""`y` shows a command that reproduces the run bit for bit; `p` places the start point."""

import shlex

import numpy as np

from gdtui.app.screens.dialogs import SCRIPT_NAME, ReproduceScreen, StartPointScreen
from gdtui.cli import build_parser, setup_from_args
from gdtui.run import make_engine
from tests.conftest import app_for


def engine_from_command(command: str):
    words = shlex.split(command)
    assert words[0] == "gdtui"
    return make_engine(setup_from_args(build_parser().parse_args(words[1:])))


async def test_command_reproduces_the_history_bit_for_bit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_for("noisy-linear", "--seed", "11")
    async with app.run_test(size=(120, 36)) as pilot:
        # Change settings the way a person would, then start over from the start point.
        await pilot.press("o", "o", "o", "o", "o", "b", "minus", "z", "z", "r")
        await pilot.press(*["s"] * 40)
        await pilot.press("y")
        screen = app.screen
        assert isinstance(screen, ReproduceScreen)
        command = screen.command
        assert "--optimizer adam" in command and "--batch-size 32" in command
        await pilot.press("w")
        assert not isinstance(app.screen, ReproduceScreen)
        script = (tmp_path / SCRIPT_NAME).read_text()
        assert command in script
        replay = engine_from_command(command)
        replay.run(40)
        assert np.array_equal(replay.history.rows, app.main_screen.engine.history.rows)


async def test_place_start_with_arrows_and_by_typing():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "p")
        assert isinstance(app.screen, StartPointScreen)
        await pilot.press("right", "right", "up", "enter")
        m, b = app.main_screen.engine.start
        assert m > 0 and b > 0
        assert app.main_screen.engine.iteration == 0
        snap = app.main_screen.engine.snapshot()
        assert (snap.m, snap.b) == (m, b) or np.allclose((snap.m, snap.b), (m, b))
        await pilot.press("p", "t")
        field = app.screen.query_one("#start-input")
        field.value = "0.5,-20"
        await pilot.press("enter")
        assert app.main_screen.engine.start == (0.5, -20.0)
        snap = app.main_screen.engine.snapshot()
        assert np.allclose((snap.m, snap.b), (0.5, -20.0))
        await pilot.press("p", "escape")
        assert app.main_screen.engine.start == (0.5, -20.0)


async def test_start_flag_is_in_the_command():
    app = app_for("--start", "0.25,-7")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("y")
        assert "--start=0.25,-7.0" in app.screen.command


async def test_y_in_the_comparison_and_race_views(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_for("noisy-linear")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a", "y")
        command = app.screen.command
        rates = [e.learning_rate for e in app.screen_stack[1].controller.engines]
        assert command.startswith("gdtui compare noisy-linear") and "--lr" not in command
        assert build_parser("compare").parse_args(shlex.split(command)[2:]).rates == tuple(rates)
        await pilot.press("escape", "escape", "v")
        await app.workers.wait_for_complete()  # the race's rates are tuned in a thread
        await pilot.pause()
        await pilot.press("y")
        command = app.screen.command
        assert command.startswith("gdtui race noisy-linear")
        assert "--optimizers gd,momentum,adagrad,adam" in command and "--lr" not in command
        words = shlex.split(command)
        args = build_parser("race").parse_args(words[2:])
        assert args.optimizers == ("gd", "momentum", "adagrad", "adam")


async def test_placing_the_start_moves_the_line_live_and_escape_undoes_it():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("p", "up", "up")
        assert app.main_screen.engine.start[1] > 0 and app.main_screen.engine.snapshot().b > 0
        await pilot.press("escape")
        assert app.main_screen.engine.start == (0.0, 0.0)
