"""`y` and the history file say what the command replays, and what it cannot after a change."""

import shlex

import numpy as np

from gdtui.app.screens.dialogs import ReproduceScreen
from gdtui.app.screens.settings import FieldsScreen
from gdtui.cli import build_parser, setup_from_args
from gdtui.history_io import export_history, read_history
from gdtui.run import make_engine
from tests.conftest import app_for


def replay(command: str, steps: int):
    words = shlex.split(command)
    engine = make_engine(setup_from_args(build_parser().parse_args(words[1:])))
    engine.run(steps)
    return engine


async def test_after_a_mid_run_change_y_says_what_it_cannot_replay():
    # The keys: two steps, α doubled, another optimizer, one more step.
    app = app_for("--synthetic", "n=60", "--lr", "0.1", "--standardize")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "s", "plus", "o", "s", "y")
        screen = app.screen
        assert isinstance(screen, ReproduceScreen)
        assert "bit for bit" not in screen.intro
        assert "settings this one has now, from its start point" in screen.intro
        words = " ".join(screen.caveats)
        assert "It cannot replay this run: steps 1–2 ran with other settings" in words
        assert "after step 2: learning rate 0.1 → 0.2" in words
        assert "after step 2: optimizer gd → momentum" in words
        assert "No single command replays it" in words
        assert screen.caveats[-1] == "An export (e) lists every change."
        # What it does reproduce: the current settings from the start.
        engine = app.main_screen.engine
        again = replay(screen.command, 3)
        assert again.optimizer == "momentum" and again.learning_rate == 0.2
        assert not np.array_equal(again.history.rows, engine.history.rows)


async def test_without_a_change_the_command_replays_every_row_including_typed_values():
    app = app_for("--synthetic", "n=60", "--optimizer", "adam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, FieldsScreen)
        field = app.screen.query_one("#field-optimizer-beta1")
        field.value = "0.7"
        await pilot.press("enter", "r")  # typed, then a fresh start with it
        await pilot.press(*"s" * 8, "y")
        screen = app.screen
        assert screen.intro == "This command starts the same run again, bit for bit:"
        assert screen.caveats == []
        assert "--beta1 0.7" in screen.command
        again = replay(screen.command, 8)
        assert np.array_equal(again.history.rows, app.main_screen.engine.history.rows)


def test_history_file_records_every_change_and_says_it_cannot_be_replayed(tmp_path):
    setup = setup_from_args(build_parser().parse_args(
        ["--synthetic", "n=40", "--lr", "0.1", "--standardize"]))
    engine = make_engine(setup)
    engine.run(3)
    engine.set_learning_rate(0.05)
    engine.run(2)
    engine.set_standardize(False)
    engine.set_optimizer_parameter("beta", 0.5)  # not used by gd: no event
    engine.set_optimizer("momentum")
    engine.run(2)
    for name in ("h.csv", "h.json"):
        path = export_history(tmp_path / name, engine, "gdtui x")
        settings, rows, optimizers = read_history(path)
        assert len(rows) == 8 and optimizers[-1] == "momentum"
        if name.endswith(".json"):
            assert settings["replayable"] is False
            assert settings["changes"] == [
                {"iteration": 3, "change": "learning rate 0.1 → 0.05"},
                {"iteration": 5, "change": "standardization off"},
                {"iteration": 5, "change": "optimizer gd → momentum"}]
            assert "cannot replay" in settings["note"]
        else:
            head = path.read_text().splitlines()[:5]
            assert head[0] == "# gdtui x"
            assert head[1:4] == ["# changed at iteration 3: learning rate 0.1 → 0.05",
                                 "# changed at iteration 5: standardization off",
                                 "# changed at iteration 5: optimizer gd → momentum"]
            assert "No single command replays it" in head[4]
    engine.reset()
    path = export_history(tmp_path / "fresh.json", engine, "gdtui x")
    settings, _, _ = read_history(path)
    assert settings["replayable"] is True and settings["changes"] == []


def test_a_change_before_the_first_step_is_said_as_such():
    from gdtui.run import reproduction

    setup = setup_from_args(build_parser().parse_args(["--synthetic", "n=40", "--lr", "0.1"]))
    engine = make_engine(setup)
    engine.set_learning_rate(0.2)
    engine.run(4)
    exact, _, caveats = reproduction(engine)
    assert not exact
    assert caveats == ["Settings changed before the first step (before step 1: learning rate "
                       "0.1 → 0.2): the command runs them from the start, but this run's "
                       "first row (iteration 0) was recorded with the old ones."]


def test_a_change_kept_across_a_rewind_is_still_said():
    # s s s + ← ← s: α was doubled after step 3, the run rewound to iteration 1 and went on
    # with the doubled α. Step 1 used the old α, so the command cannot replay this run.
    from gdtui.run import reproduction

    setup = setup_from_args(build_parser().parse_args(["--synthetic", "n=40", "--lr", "0.1"]))
    engine = make_engine(setup)
    engine.run(3)
    engine.set_learning_rate(0.2)
    engine.rewind(1)
    engine.step()
    assert engine.events == [(1, "learning rate 0.1 → 0.2")]
    exact, _, caveats = reproduction(engine)
    assert not exact and "step 1 ran with other settings" in caveats[0]
    # The command's run indeed differs from this one.
    again = make_engine(setup, learning_rate=0.2)
    again.run(2)
    assert not np.array_equal(again.history.rows, engine.history.rows)


def test_many_changes_are_summed_up_and_the_export_lists_them_all(tmp_path):
    from gdtui.run import reproduction

    setup = setup_from_args(build_parser().parse_args(["--synthetic", "n=40", "--lr", "0.1"]))
    engine = make_engine(setup)
    for _ in range(6):
        engine.step()
        engine.set_learning_rate(engine.learning_rate * 1.1)
    _, _, caveats = reproduction(engine)
    assert "; 3 more)" in caveats[0] and caveats[0].count("learning rate") == 3
    settings, _, _ = read_history(export_history(tmp_path / "h.json", engine, "gdtui x"))
    assert len(settings["changes"]) == 6
