"""The footer: its keys are in a run screen's first paint, and rebuilt only when they change."""

import pytest

from gdtui.app.widgets.footer import KeyFooter
from tests.conftest import app_for, wait_until


def footer(app) -> KeyFooter:
    return app.main_screen.query_one(KeyFooter)


def descriptions(app) -> list[str]:
    return [key.description for key in footer(app).query("FooterKey")]


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_footer_is_built_once_as_the_screen_opens(size):
    app = app_for()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert footer(app).builds == 1  # Textual's own footer: three builds, one after the paint
        assert {"Step", "Run", "Reset", "Quit"} <= set(descriptions(app))
        palette = footer(app).query(".-command-palette")
        assert len(palette) == (1 if size[0] >= 100 else 0)  # no room for it at 80 columns


async def test_the_footer_follows_run_and_pause_and_the_width():
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        assert await wait_until(pilot, lambda: "Pause" in descriptions(app))
        assert "Run" not in descriptions(app)
        await pilot.press("space")
        assert await wait_until(pilot, lambda: "Run" in descriptions(app))
        assert "Pause" not in descriptions(app)
        builds = footer(app).builds
        await pilot.resize_terminal(80, 24)
        assert await wait_until(pilot, lambda: not footer(app).query(".-command-palette"))
        assert footer(app).builds == builds + 1



async def test_a_rebuild_asked_for_once_its_screen_is_gone_does_nothing():
    # Textual may call it after the footer's screen closed (it did, under load, in
    # test_settings_dialog): a footer out of the DOM has no screen to read keys from.
    app = app_for()
    async with app.run_test(size=(80, 24)):
        gone = KeyFooter()
        assert not gone.is_attached
        await gone.recompose()
        assert gone.builds == 0
