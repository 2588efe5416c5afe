"""Opening the app: only what the first screen needs is imported, and it is laid out once."""

import subprocess
import sys

import pytest

from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.panes import CostPane
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
