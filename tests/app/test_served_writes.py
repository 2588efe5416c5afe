"""A served session's app consults the write policy itself: no dialog for a write it may not do."""

import os

from gdtui.app.screens.dialogs import ExportScreen, ReproduceScreen
from gdtui.policy import WRITE_DIR_ENV, WRITES_ENV
from tests.conftest import app_for


def toasts(app) -> str:
    return " ".join(str(toast.render()) for toast in app.screen.query("Toast"))


async def test_with_writes_off_no_write_is_offered_and_none_happens(monkeypatch, tmp_path):
    monkeypatch.setenv(WRITES_ENV, "off")
    monkeypatch.chdir(tmp_path)
    app = app_for("noisy-linear")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("s", "e")
        assert not isinstance(app.screen, ExportScreen)
        await pilot.press("ctrl+s", "y")
        assert isinstance(app.screen, ReproduceScreen)
        assert app.screen.check_action("write", ()) is False
        await pilot.press("w", "escape")
        await pilot.pause()
        said = toasts(app)
        assert "Nothing exported: file writes are off in this session" in said
        assert "Screenshot not saved: file writes are off" in said
    assert os.listdir(tmp_path) == []


async def test_a_write_dir_takes_names_inside_it_and_refuses_the_rest(monkeypatch, tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    monkeypatch.setenv(WRITE_DIR_ENV, str(allowed))
    monkeypatch.chdir(tmp_path)
    app = app_for("noisy-linear")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        for name in ("../outside.csv", "inside.csv"):
            await pilot.press("e")
            assert isinstance(app.screen, ExportScreen)
            app.screen.query_one("Input").value = name
            await pilot.press("enter")
            await pilot.pause()
        said = toasts(app)
        assert f"this session may write only in {allowed}" in said
    assert os.listdir(allowed) == ["inside.csv"]
    assert sorted(os.listdir(tmp_path)) == ["allowed"]


async def test_with_writes_off_the_edited_data_are_not_saved(monkeypatch, tmp_path):
    monkeypatch.setenv(WRITES_ENV, "off")
    monkeypatch.chdir(tmp_path)
    app = app_for("--synthetic", "n=10")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("d", "n", "escape", "D")
        await pilot.pause()
        assert app.main_screen.engine.n_points == 11
        assert "Data not saved: file writes are off in this session" in toasts(app)
    assert os.listdir(tmp_path) == []
