"""A run is a Screen: the one owner of time, the run keys, and the frame every pane draws from.

``RunScreen`` holds the ``running`` reactive, the single paused ``set_interval``
timer, the keys s / space / r / ] / [ and the tour's keys. Each subclass (the
main view, the comparison, the race) drives a controller through the same small
interface and says what its frame holds. Panes get the frame through
``data_bind`` and redraw in a watcher, on resize and when shown: no pane keeps
a cache key of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from gdtui.app.controller import FRAME_SECONDS
from gdtui.app.widgets.panes import FramePane
from gdtui.engine import DescentEngine, Snapshot
from gdtui.i18n import text

MIN_WIDTH, MIN_HEIGHT = 60, 20
"""The smallest terminal gdtui lays out (60 columns get the app's "-small" class, 20 rows "-short");
below it a run screen asks for a larger one."""
FRAME_INTERVAL = FRAME_SECONDS
"""Seconds between frames in run mode (the controller's one value)."""
ALWAYS_ALLOWED = frozenset({"app.quit", "quit", "help", "app.help", "back", "tour",
                            "app.command_palette", "app.screenshot_svg"})
"""Actions that stay open while the tour waits for an answer."""


@dataclass(frozen=True)
class Run:
    """One engine's part of a frame: the engine, the iteration on screen, its label."""

    engine: DescentEngine
    snap: Snapshot
    label: str = ""


@dataclass(frozen=True, eq=False)
class Frame:
    """What the panes of a run screen draw: every run at one moment, and the screen's modes.

    ``version`` moves on every change (a step, a scrub, a new start point, a
    setting, the run state), so two frames are never mistaken for one another.
    """

    version: int
    runs: tuple[Run, ...]
    running: bool = False
    steps_per_frame: float = 1
    steps_per_second: int = 0
    """A slow speed (10, 5, 2 or 1 steps a second), or 0."""
    log_scale: bool = False
    coach: str = ""
    data_cursor: tuple[float, float] | None = None
    """The data mode's cursor on the scatter (data units), None outside the mode."""
    data_holding: bool = False
    """True while the data mode carries a point."""
    # What the pictures add (keys of the main view): T trails, g −∇J arrows on the surface,
    # R residuals (0 off, 1 segments, 2 with their squares), f the data pane follows the line.
    trail: bool = True
    arrows: bool = False
    residuals: int = 0
    follow: bool = False
    slice_window: tuple[float, float, float, float] | None = None
    """A lesson's fixed axes for the slice (p from, p to, J from, J to), so that ● slides."""
    hide_next_step: bool = False
    """A lesson's prediction asks for the first step's result: the update pane keeps it back."""

    @property
    def run(self) -> Run:
        """The first (on the main screen, the only) run."""
        return self.runs[0]


class TooSmall(Static):
    """Below :data:`MIN_WIDTH` × :data:`MIN_HEIGHT`: what to do instead of a crushed layout."""


class RunScreen(Screen):
    """Base of every screen that runs descent: owns time and publishes frames."""

    BINDINGS = [
        Binding("s", "step", "Step"),
        Binding("space", "run", "Run"),
        Binding("space", "pause", "Pause"),
        Binding("r", "reset", "Reset"),
        Binding("right_square_bracket", "faster", "Faster", show=False, key_display="]"),
        Binding("left_square_bracket", "slower", "Slower", show=False, key_display="["),
        Binding("y", "reproduce", "Command", show=False),
        Binding("m", "maximize_pane", "Max", show=False),
    ]
    TOUR_BINDINGS = [
        Binding("enter", "tour_forward", "Next", key_display="⏎"),
        Binding("backspace", "tour_back", "Back", key_display="⌫"),
        Binding("1", "tour_answer(0)", "Answer", show=False),
        Binding("2", "tour_answer(1)", "Answer", show=False),
        Binding("3", "tour_answer(2)", "Answer", show=False),
        Binding("pagedown", "tour_skip(1)", "Skip lesson", show=False),
        Binding("pageup", "tour_skip(-1)", "Previous lesson", show=False),
        Binding("up", "tour_scroll(-3)", "Scroll tour", show=False),
        Binding("down", "tour_scroll(3)", "Scroll tour", show=False),
    ]
    """The tour's keys: each run screen lists them after its own (the footer's order)."""

    AUTO_FOCUS = ""
    """No pane has the focus until tab or a click gives it (``m`` maximizes that one)."""

    # Neither repaints the screen by itself: the panes that depend on a frame refresh themselves.
    running: reactive[bool] = reactive(False, bindings=True, repaint=False)
    frame: reactive[Frame | None] = reactive(None, repaint=False)

    def __init__(self, controller, guide=None, frame_interval: float = FRAME_INTERVAL) -> None:
        super().__init__()
        self.controller = controller
        self.guide = guide
        self.frame_interval = frame_interval
        self.frames_published = 0
        self.timer = None

    def compose(self):
        # The size's classes before the panes: the first layout is the last (and the footer
        # is built for this width).
        self.update_classes(self.app.breakpoint_classes(), animate=False)
        yield from self.compose_panes()

    def compose_panes(self):
        """The screen's widgets (what ``compose`` yields, once the size's classes are set)."""
        return iter(())

    def on_mount(self) -> None:
        self.mount(TooSmall())  # shown by the styles below the smallest size laid out
        # Textual's toast rack hides itself once the screen is first shown, which lays the
        # screen out and paints it whole again: hidden from the start, it changes nothing.
        for rack in self.query("#textual-toastrack"):
            rack.display = False
        self.timer = self.set_interval(self.frame_interval, self.tick, pause=True)
        self.controller.frame_seconds = self.frame_interval  # slow speeds count in seconds
        self.controller.listener = self.publish  # every change the controller makes is drawn
        self.publish()
        self.mounted()

    def mounted(self) -> None:
        """What a screen does once mounted, after the run's set-up above. (Textual calls the
        ``on_mount`` of every class of a screen: a subclass's own would run this set-up
        twice, with a second timer that never stops.)"""

    def on_resize(self) -> None:
        width, height = self.size
        for notice in self.query(TooSmall):  # (laid out again only when it is on show)
            notice.update(f"Make the terminal larger: gdtui needs at least "
                          f"{MIN_WIDTH}×{MIN_HEIGHT} (this one is {width}×{height}).\n\n"
                          "q quits.", layout=notice.display)
        # The palette hint costs a dozen columns that an 80-column footer needs for keys.
        wide = self.size.width >= 100
        for footer in self.query(Footer):
            if footer.show_command_palette != wide:
                footer.show_command_palette = wide
                footer.refresh(recompose=True)  # the footer reads it only when composing

    def on_unmount(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.controller.listener = None

    # -- time ----------------------------------------------------------------------
    def watch_running(self, running: bool) -> None:
        if self.timer is not None:
            self.timer.resume() if running else self.timer.pause()
        self.publish()

    def tick(self) -> None:
        """One frame of run mode."""
        self.controller.advance()
        if self.controller.finished:
            self.running = False
        self.after_advance()

    def after_advance(self) -> None:
        """Hook for what a screen checks after each frame of steps (the main view's coach)."""

    def publish(self) -> None:
        """Give the panes a new frame (the panes redraw from it)."""
        if self.timer is None:  # not mounted yet: on_mount publishes the first frame
            return
        self.frames_published += 1
        self.frame = Frame(version=self.frames_published, runs=self.runs(),
                           running=self.running,
                           steps_per_frame=self.controller.steps_per_frame,
                           steps_per_second=self.controller.steps_per_second,
                           **self.frame_modes())

    def runs(self) -> tuple[Run, ...]:
        """Every run this screen shows, at the iteration on screen."""
        labels = getattr(self.controller, "labels", None) or [""] * len(self.controller.engines)
        return tuple(Run(engine, engine.snapshot(), label)
                     for engine, label in zip(self.controller.engines, labels, strict=True))

    def frame_modes(self) -> dict:
        """The screen's own modes that go into its frames (log scale, coach line)."""
        return {}

    # -- the run keys ------------------------------------------------------------
    def on_screen_suspend(self) -> None:
        self.refresh_bindings()  # a dialog on top has the keys: the footer says only its own

    def on_screen_resume(self) -> None:
        self.refresh_bindings()
        # Panes do not draw while another screen hides this one: they catch up now.
        for pane in self.query("*"):  # (a mixin: not a type a query selects by)
            if isinstance(pane, FramePane):
                pane.redraw_if_stale()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.app.screen is not self:
            return False
        guide = self.guide
        touring = guide is not None and guide.active
        if action.startswith("tour_"):
            if not touring:
                return False
            if action == "tour_answer":
                return guide.tour.step == "predict" and \
                    int(parameters[0]) < len(guide.tour.lesson.choices)
            return True
        if touring and guide.tour.awaiting_answer and action not in ALWAYS_ALLOWED:
            return False  # answer the prediction first
        if action == "run":
            return not self.running
        if action == "pause":
            return self.running
        return True

    def action_step(self) -> None:
        """Take one step (pauses a run first)."""
        self.running = False
        self.controller.step()

    def action_run(self) -> None:
        """Run: several steps per frame until paused or the run stops by itself."""
        if not self.controller.finished:
            self.running = True

    def action_pause(self) -> None:
        """Pause a run."""
        self.running = False

    def action_reset(self) -> None:
        """Back to the start point."""
        self.running = False
        self.controller.reset()

    def action_faster(self) -> None:
        """Double the steps per frame of run mode."""
        self.controller.faster()

    def action_slower(self) -> None:
        """Halve the steps per frame of run mode; below one, 10, 5, 2, 1 steps a second."""
        self.controller.slower()

    # -- maximize ----------------------------------------------------------------------
    def panes(self) -> list[Widget]:
        """The panes on show that ``m`` can maximize, in screen order."""
        return [w for w in self.query("*") if w.allow_maximize and w.region.area]

    def pane_to_maximize(self) -> Widget | None:
        """The focused pane, else the pane under the mouse, else the first pane on show."""
        panes = self.panes()
        for widget in (self.focused, self.app.mouse_over):
            for node in (widget.ancestors_with_self if widget is not None else ()):
                if node in panes:
                    return node
        return panes[0] if panes else None

    def action_maximize_pane(self) -> None:
        """Maximize the focused pane (or the one under the mouse); again, or escape, restores."""
        if self.maximized is not None:
            self.minimize()
            return
        pane = self.pane_to_maximize()
        if pane is not None:
            self.maximize(pane, container=False)

    def action_reproduce(self) -> None:
        """Show the command line that reproduces what this screen runs."""
        from gdtui.app.screens.dialogs import ReproduceScreen

        self.running = False
        self.app.push_screen(ReproduceScreen(self.reproduce_command(), *self.reproduce_words()))

    def reproduce_command(self) -> str:
        """The command line that starts this screen's runs again."""
        raise NotImplementedError

    def reproduce_words(self) -> tuple[str, list[str]]:
        """What the command reproduces (the line before it) and what it cannot (after it)."""
        from gdtui.run import EXACT_INTRO

        return EXACT_INTRO, []

    # -- the tour's keys -------------------------------------------------------------
    def action_tour_forward(self) -> None:
        """Next step of the lesson (the next lesson at its end)."""
        outcome = self.guide.forward()
        if outcome == "blocked":
            self.notify(text("notice.answer_first", self.guide.language), timeout=3)
        elif outcome == "end":
            self.guide.leave()
            self.notify(text("notice.tour_done", self.guide.language), timeout=5)
        self.guide.refresh()

    def action_tour_back(self) -> None:
        """Previous step."""
        self.guide.back()
        self.guide.refresh()

    def action_tour_answer(self, index: int) -> None:
        """Answer the prediction."""
        self.guide.answer(int(index))
        self.guide.refresh()

    def action_tour_skip(self, delta: int) -> None:
        """Skip to the next lesson (1) or repeat from the previous one (−1)."""
        self.guide.skip(int(delta))
        self.guide.refresh()

    def action_tour_scroll(self, lines: int) -> None:
        """Scroll the lesson's text (what a short terminal cannot show at once)."""
        from gdtui.app.widgets.tour_pane import TourPane

        for pane in self.query(TourPane):
            if pane.display:
                pane.scroll_relative(y=int(lines), animate=False)

    def system_commands(self) -> list[tuple[str, str, object]]:
        """(title, help, callback) for the command palette."""
        return [
            ("Step", "Take one gradient-descent step (s)", self.action_step),
            ("Run / pause", "Run several steps per frame, or pause (space)",
             lambda: self.action_pause() if self.running else self.action_run()),
            ("Reset", "Back to the start point (r)", self.action_reset),
            ("Faster", "Double the steps per frame, or the next faster of 1, 2, 5, 10 steps/s (])",
             self.action_faster),
            ("Slower", "Halve the steps per frame; below one, 10, 5, 2, 1 steps/s ([)",
             self.action_slower),
            ("Reproduce", "The command line that starts this run again (y)",
             self.action_reproduce),
            ("Maximize pane", "The focused pane (tab or a click picks it) fills the screen; "
             "m or escape restores (m)", self.action_maximize_pane),
        ]
