"""Opening the app: only what the first screen needs is imported, it is laid out once, and the
garbage collector paused for the start-up runs again after it."""

import gc
import subprocess
import sys

import pytest

from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.panes import CostPane
from gdtui.cli import main
from gdtui.startup import pause_collections
from tests.conftest import app_for

LATER = ("markdown_it", "pandas", "gdtui.app.screens.dialogs", "gdtui.app.screens.lockstep",
         "gdtui.app.screens.losses", "gdtui.app.screens.settings", "gdtui.serve",
         "gdtui.app.record", "gdtui.history_io")
"""Modules the main view's first screen does without (help, dialogs, the comparison, the race,
the tour's losses lesson, settings, serving, recording, exports; pandas for large files)."""


def imported_by(code: str) -> set[str]:
    code += "\nimport sys\nprint(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_app_imports_only_what_its_first_screen_needs():
    modules = imported_by("import gdtui.cli, gdtui.app")
    early = sorted(m for m in modules if m.startswith(LATER))
    assert not early, early
    assert "textual" in modules and "gdtui.app.screens.main" in modules  # (the check is live)


def test_the_command_line_imports_neither_textual_nor_pandas():
    modules = imported_by("import gdtui.cli")
    assert not {m for m in modules if m.split(".")[0] in ("textual", "pandas", "rich")}


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_plots_are_drawn_at_one_size_as_the_screen_opens(monkeypatch, size):
    # The update pane's height follows its text: known before it draws, the plots above it
    # are not drawn at one height and then again at another.
    sizes = {DataPane: set(), CostPane: set()}
    for kind in sizes:
        def draw(self, frame, kind=kind, original=kind.draw):
            sizes[kind].add(tuple(self.size))
            original(self, frame)
        monkeypatch.setattr(kind, "draw", draw)
    app = app_for()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert all(len(seen) == 1 for seen in sizes.values()), sizes


@pytest.fixture
def collector():
    """The collector as a test found it, whatever the test does to it."""
    gc.collect()
    yield
    gc.unfreeze()
    gc.enable()


async def test_the_app_resumes_the_collector_the_command_line_paused(collector):
    pause_collections()  # what `gdtui` does before it imports the app
    assert not gc.isenabled()
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()  # the first screen is up: collections again
        assert gc.get_freeze_count() > 0  # skipping what the start-up made


def test_the_command_line_leaves_the_collector_on_whatever_happens(collector, monkeypatch):
    monkeypatch.setattr("gdtui.cli._has_terminal", lambda: True)
    monkeypatch.setattr("gdtui.app.run_app", lambda *a, **options: 0)  # an app that never opens
    assert main([]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    monkeypatch.setattr("gdtui.app.run_app", lambda *a, **options: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        main([])
    assert gc.isenabled()


def test_the_gdtui_command_fits_with_the_collector_on():
    # `gdtui` imports the command line with the collector paused (gdtui.startup.main); a
    # headless fit, which may run for long, has it on again.
    code = ("import gc, sys\nimport gdtui.fit\nseen = []\nfit = gdtui.fit.fit\n"
            "def spy(*a):\n    seen.append(gc.isenabled())\n    return fit(*a)\n"
            "gdtui.fit.fit = spy\nsys.argv = ['gdtui', 'fit', '--json']\n"
            "from gdtui.startup import main\nassert main() == 0\n"
            "assert seen == [True] and gc.isenabled(), seen\n")
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
