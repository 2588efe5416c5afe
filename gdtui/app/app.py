"""The gdtui App: only what is global. Runs live on screens (``gdtui.app.screens``)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from gdtui.app.screens.main import MainScreen
from gdtui.app.screens.run import FRAME_INTERVAL, MIN_HEIGHT, MIN_WIDTH, RunScreen
from gdtui.atomic import shown, write_unique
from gdtui.errors import GdtuiError
from gdtui.policy import WRITES_OFF, write_dir, writes_allowed
from gdtui.run import RunSetup
from gdtui.startup import resume_collections


class GdtuiApp(App[int]):
    """Gradient descent on linear regression, live."""

    CSS_PATH = "gdtui.tcss"
    TITLE = "gdtui"
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (MIN_WIDTH, "-small"), (80, "-narrow"),
                              (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-low"), (MIN_HEIGHT, "-short"), (30, "-tall")]

    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+s", "screenshot_svg", "Screenshot", show=False),
    ]

    def __init__(self, setup: RunSetup, engine=None, frame_interval: float = FRAME_INTERVAL,
                 mode: str = "main", rates=None, optimizers=None, lesson: int = 1,
                 driver_class=None, language: str = "en") -> None:
        super().__init__(driver_class=driver_class)
        self.setup = setup
        self.language = language
        self.main_screen = MainScreen(setup, engine, frame_interval, rates, optimizers,
                                      opening=mode, lesson=lesson, language=language)

    def get_default_screen(self) -> Screen:
        return self.main_screen

    def on_ready(self) -> None:
        resume_collections()  # the first screen is laid out (see gdtui.startup)

    def breakpoint_classes(self) -> dict[str, bool]:
        """The breakpoint classes (``HORIZONTAL_BREAKPOINTS``, ``VERTICAL_BREAKPOINTS``) of the
        terminal's size, each on or off: for each axis the class of the largest breakpoint
        the size reaches.

        Textual sets them on a screen when the screen first hears of its size, which is after
        its first layout: a screen that sets them as it mounts is laid out (and its plots
        drawn) once at the right size, not twice.
        """
        classes = {}
        for breakpoints, extent in ((self.HORIZONTAL_BREAKPOINTS, self.size.width),
                                    (self.VERTICAL_BREAKPOINTS, self.size.height)):
            reached = [(start, name) for start, name in breakpoints if extent >= start]
            chosen = max(reached)[1] if reached else None
            classes.update((name, name == chosen) for _, name in breakpoints)
        return classes

    def action_help(self) -> None:
        """Open the help screen."""
        from gdtui.app.screens.dialogs import HelpScreen  # (Markdown: imported when asked)

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.language))

    def action_screenshot_svg(self) -> None:
        """Save an SVG of the screen in the current folder, under a name no other file has."""
        if not writes_allowed():
            self.notify(f"Screenshot not saved: {WRITES_OFF}.", severity="warning")
            return
        try:
            path = write_unique(write_dir(), self.export_screenshot(), "gdtui", ".svg")
        except (OSError, GdtuiError) as exc:
            self.notify(f"Screenshot not saved: {exc}", severity="error")
            return
        self.notify(f"Screenshot saved to {shown(path)}")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, RunScreen):
            for title, help_text, callback in screen.system_commands():
                yield SystemCommand(title, help_text, callback)
        yield SystemCommand("Help", "Keys and the mathematics (?)", self.action_help)
        yield SystemCommand("Screenshot", "Save an SVG of the screen (ctrl+s)",
                            self.action_screenshot_svg)
