"""Writes from the app: asked before an overwrite, never over the data, unique screenshots."""

import os
import stat

from gdtui.app.screens.dialogs import SCRIPT_NAME, ConfirmScreen, ExportScreen, ReproduceScreen
from tests.conftest import app_for


async def export_as(app, pilot, name):
    await pilot.press("e")
    assert isinstance(app.screen, ExportScreen)
    app.screen.query_one("#export-name").value = name
    await pilot.press("enter")
    await pilot.pause()


async def test_export_over_an_existing_file_asks_first(tmp_path):
    (tmp_path / "run.csv").write_text("keep me\n")
    os.chmod(tmp_path / "run.csv", 0o600)
    app = app_for("noisy-linear")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "s")
        await export_as(app, pilot, "run.csv")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert (tmp_path / "run.csv").read_text() == "keep me\n"
        await export_as(app, pilot, "run.csv")
        await pilot.press("y")
        await pilot.pause()
        text = (tmp_path / "run.csv").read_text()
        assert text.startswith("# gdtui") and len(text.splitlines()) == 2 + 3
        # The file kept its owner-only permissions.
        assert stat.S_IMODE(os.stat(tmp_path / "run.csv").st_mode) == 0o600
        assert not list(tmp_path.glob("*.part"))


async def test_export_never_writes_over_the_data(tmp_path):
    data = tmp_path / "points.csv"
    data.write_text("x,y\n1,2\n2,4.5\n3,5.5\n")
    before = data.read_text()
    app = app_for(str(data))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        await export_as(app, pilot, str(data))
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
            await pilot.pause()
        assert data.read_text() == before
        assert not isinstance(app.screen, ConfirmScreen)


async def test_second_script_write_asks_and_keeps_the_first_on_no(tmp_path):
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("y", "w")
        first = (tmp_path / SCRIPT_NAME).read_text()
        assert os.access(tmp_path / SCRIPT_NAME, os.X_OK)
        await pilot.press("plus", "y")
        assert isinstance(app.screen, ReproduceScreen)
        await pilot.press("w")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert (tmp_path / SCRIPT_NAME).read_text() == first
        await pilot.press("y", "w", "y")
        await pilot.pause()
        rate = app.main_screen.engine.learning_rate  # the default α doubled by +
        assert rate == 0.04 and f"--lr {rate!r}" in (tmp_path / SCRIPT_NAME).read_text()


async def test_two_screenshots_in_one_second_are_two_files(tmp_path):
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s", "ctrl+s")
        await pilot.pause()
    shots = sorted(tmp_path.glob("gdtui-*.svg"))
    assert len(shots) == 2
    assert all("<svg" in shot.read_text() and "Parameters" in shot.read_text() for shot in shots)


async def test_export_holds_every_iteration_of_a_long_run(tmp_path):
    from gdtui.history_io import read_history

    app = app_for("noisy-linear", "--tol", "0", "--iterations", "100000")
    async with app.run_test(size=(120, 36)) as pilot:
        main = app.main_screen
        # A few steps, a rewind (the later rows go), then a long run past the history's capacity.
        await pilot.press("s", "s", "s", "s", "left", "left", "s")
        assert main.engine.iteration == 3
        main.controller.steps_per_frame = 4096
        while main.engine.iteration < 90_000:
            main.controller.advance()
        assert main.engine.history.decimated  # the drawing history has thinned its rows
        await export_as(app, pilot, "long.csv")
    _, numeric, _ = read_history(tmp_path / "long.csv")
    iterations = numeric[:, 0]
    assert len(iterations) == main.engine.iteration + 1
    assert (iterations == range(len(iterations))).all()
    # The spool's rows are the rows of the run: check one against a fresh engine run.
    from gdtui.run import make_engine

    again = make_engine(app.setup, tol=0, max_iter=100_000)
    again.run(70_000)
    assert numeric[70_000, 1] == again.snapshot().m


async def test_reset_forgets_the_spooled_rows(tmp_path):
    app = app_for("noisy-linear")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "s", "s", "r", "s")
        assert app.main_screen.controller.spool.count == 2
