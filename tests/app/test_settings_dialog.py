"""Values typed in: the settings dialog (i) and the comparison's rates (i there)."""

import re

from textual.widgets import Input, Static

from gdtui.app.screens.settings import FieldsScreen
from tests.conftest import app_for


async def type_into(pilot, field_id: str, text: str) -> None:
    field = pilot.app.screen.query_one(f"#{field_id}", Input)
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*text)


def message(app, key: str) -> Static:
    return app.screen.query_one(f"#message-{key}", Static)


async def test_typed_values_apply_from_the_next_step_and_are_recorded():
    app = app_for("--optimizer", "momentum", "--synthetic", "n=50", "--lr", "0.05",
                  "--standardize")
    async with app.run_test(size=(80, 24)) as pilot:
        engine = app.main_screen.engine
        await pilot.press("s", "s", "i")
        assert isinstance(app.screen, FieldsScreen)
        await type_into(pilot, "field-learning_rate", "0.02")
        await type_into(pilot, "field-optimizer-beta", "0.5")
        await pilot.press("enter")
        assert not isinstance(app.screen, FieldsScreen)
        assert engine.learning_rate == 0.02
        assert engine.optimizer_params["beta"] == 0.5
        assert engine.iteration == 2  # the run goes on from where it was
        assert [text for _, text in engine.events] == ["learning rate 0.05 → 0.02",
                                                       "β 0.9 → 0.5"]
        await pilot.press("s")
        assert engine.snapshot().learning_rate == 0.02
        readouts = app.main_screen.query_one("#parameters").text
        assert re.search(r"^Optimizer +momentum β 0\.5$", readouts, re.M), readouts


async def test_an_invalid_value_says_what_is_wrong_and_changes_nothing():
    app = app_for("--optimizer", "adam", "--synthetic", "n=50", "--lr", "0.05")
    async with app.run_test(size=(80, 24)) as pilot:
        engine = app.main_screen.engine
        await pilot.press("i")
        await type_into(pilot, "field-optimizer-beta2", "1.5")
        shown = message(app, "optimizer-beta2")
        assert shown.display
        assert "beta2 must be at least 0 and under 1, got '1.5'" in str(shown.render())
        await type_into(pilot, "field-learning_rate", "0.01")
        await pilot.press("enter")
        assert isinstance(app.screen, FieldsScreen)  # still open: nothing applied
        assert engine.learning_rate == 0.05 and engine.optimizer_params["beta2"] == 0.999
        assert engine.events == []
        await type_into(pilot, "field-batch_size", "x")
        assert "batch size must be a whole number, got 'x'" in str(
            message(app, "batch_size").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, FieldsScreen)
        assert engine.learning_rate == 0.05


async def test_start_point_typed_in_resets_the_run_there():
    app = app_for("--synthetic", "n=50")
    async with app.run_test(size=(80, 24)) as pilot:
        engine = app.main_screen.engine
        await pilot.press("s", "i")
        await type_into(pilot, "field-start_m", "1.5")
        await type_into(pilot, "field-start_b", "-2")
        await pilot.press("enter")
        assert engine.start == (1.5, -2.0)
        assert engine.iteration == 0
        snap = engine.snapshot()
        assert (snap.m, snap.b) == (1.5, -2.0)


async def test_comparison_rates_typed_in_are_labelled_by_the_rule_and_restart_it():
    from gdtui.app.screens.lockstep import CompareScreen
    from gdtui.rates import classify_rate

    app = app_for("--standardize", mode="compare", rates=(0.9, 0.5, 0.1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.controller.step()
        titles = {title: call for title, _, call in app.screen.system_commands()}
        titles["Type the rates"]()  # what the palette calls, as i does
        await pilot.pause()
        assert isinstance(app.screen, FieldsScreen)
        await type_into(pilot, "field-rate0", "-3")
        assert "learning rate must be a positive finite number" in str(
            message(app, "rate0").render())
        await pilot.press("enter")
        assert isinstance(app.screen, FieldsScreen)  # refused: nothing restarts
        await type_into(pilot, "field-rate0", "0.05")
        await type_into(pilot, "field-rate2", "1.5")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        engines = screen.controller.engines
        assert [e.learning_rate for e in engines] == [0.05, 0.5, 1.5]
        assert all(e.iteration == 0 for e in engines)  # restarted
        expected = [classify_rate(engines[0].stability(), r).kind for r in (0.05, 0.5, 1.5)]
        assert [rc.kind for rc in screen.rate_classes] == expected
        assert expected[0] == "too small" and expected[2] == "too large"


async def test_the_settings_dialog_is_in_the_command_palette():
    app = app_for("--synthetic", "n=30")
    async with app.run_test(size=(80, 24)) as pilot:
        titles = {title: call for title, _, call in app.main_screen.system_commands()}
        assert "Convergence view" in titles
        titles["Settings"]()
        await pilot.pause()
        assert isinstance(app.screen, FieldsScreen)


async def test_a_schedule_typed_in_applies_and_its_parameters_show_next_time():
    app = app_for("--synthetic", "n=50", "--lr", "0.1")
    async with app.run_test(size=(80, 24)) as pilot:
        engine = app.main_screen.engine
        await pilot.press("s", "i")
        await type_into(pilot, "field-schedule", "warp")
        assert "unknown schedule 'warp'" in str(message(app, "schedule").render())
        await type_into(pilot, "field-schedule", "1/t")
        await pilot.press("enter")
        assert engine.schedule == "inverse"
        assert engine.events[-1] == (1, "schedule constant → inverse")
        await pilot.press("i")
        await type_into(pilot, "field-schedule-decay", "0.5")
        await pilot.press("enter")
        await pilot.press("s")
        assert engine.snapshot().learning_rate == 0.1 / (1 + 0.5 * 1)
