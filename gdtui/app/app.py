"""The gdtui terminal app: panes on one screen, driven by keys through one controller."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import ContentSwitcher, Footer, Markdown

from gdtui.app.controller import LEARNING_RATE_FACTOR, DescentController, comparison_rates
from gdtui.app.dialogs import ExportScreen, ReproduceScreen, StartPointScreen
from gdtui.app.multi import CompareScreen, RaceScreen
from gdtui.app.panes import CostPane, DataPane, MathPane, ParametersPane
from gdtui.app.surface import CostSurfacePane, SlicePane
from gdtui.app.tour import TourGuide, TourPane
from gdtui.coach import is_stalled, verdict
from gdtui.engine import DescentEngine, batch_label
from gdtui.errors import GdtuiError

RACE_OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")
FRAME_INTERVAL = 1 / 30
"""Seconds between frames in run mode."""
VIEWS = ("data", "surface", "slice")
"""What the top-left pane shows, in the order ``c`` cycles them."""


class HelpScreen(ModalScreen[None]):
    """Keys and the mathematics on screen, from the packaged ``help.md``."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help"),
    ]

    def compose(self) -> ComposeResult:
        text = resources.files("gdtui.app").joinpath("help.md").read_text(encoding="utf-8")
        with VerticalScroll(id="help-body"):
            yield Markdown(text)

    @on(Markdown.LinkClicked)
    def _ignore_links(self, event: Markdown.LinkClicked) -> None:
        event.prevent_default()


class GdtuiApp(App[int]):
    """Gradient descent on linear regression, live."""

    CSS_PATH = "gdtui.tcss"
    TITLE = "gdtui"
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (60, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS = [
        Binding("s", "step", "Step"),
        Binding("space", "run", "Run"),
        Binding("space", "pause", "Pause"),
        Binding("r", "reset", "Reset"),
        Binding("left", "scrub(-1)", "Back", key_display="←"),
        Binding("right", "scrub(1)", "Fwd", key_display="→"),
        Binding("plus,equals_sign", "learning_rate_up", "α×2", key_display="+"),
        Binding("minus", "learning_rate_down", "α÷2", key_display="-"),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("o", "next_optimizer", "Optim"),
        Binding("b", "next_batch_mode", "Batch", show=False),
        Binding("t", "tour", "Tour", show=False),
        Binding("enter", "tour_forward", "Next", key_display="⏎"),
        Binding("backspace", "tour_back", "Back", key_display="⌫"),
        Binding("1", "tour_answer(0)", "Answer", show=False),
        Binding("2", "tour_answer(1)", "Answer", show=False),
        Binding("3", "tour_answer(2)", "Answer", show=False),
        Binding("pagedown", "tour_skip(1)", "Skip lesson", show=False),
        Binding("pageup", "tour_skip(-1)", "Previous lesson", show=False),
        Binding("escape", "tour_leave", "Leave tour"),
        Binding("c", "cycle_view", "View", show=False),
        Binding("a", "compare", "Compare α", show=False),
        Binding("y", "reproduce", "Command", show=False),
        Binding("e", "export", "Export", show=False),
        Binding("ctrl+s", "screenshot_svg", "Screenshot", show=False),
        Binding("p", "place_start", "Start point", show=False),
        Binding("v", "race", "Race", show=False),
        Binding("w", "recentre", "Recentre", show=False),
        Binding("z", "toggle_standardize", "Std", show=False),
        Binding("l", "toggle_log", "Log", show=False),
        Binding("right_square_bracket", "faster", "Faster", show=False, key_display="]"),
        Binding("left_square_bracket", "slower", "Slower", show=False, key_display="["),
        Binding("shift+left", "scrub(-10)", "Back 10", show=False),
        Binding("shift+right", "scrub(10)", "Fwd 10", show=False),
        Binding("home", "scrub_start", "First", show=False),
        Binding("end", "scrub_end", "Live", show=False),
    ]

    running: reactive[bool] = reactive(False, bindings=True)
    log_scale: reactive[bool] = reactive(False)

    def __init__(self, setup, engine=None, frame_interval: float = FRAME_INTERVAL,
                 mode: str = "main", rates=None, optimizers=None, lesson: int = 1) -> None:
        super().__init__()
        self.lesson = lesson
        self.guide = TourGuide(self)
        self.mode = mode
        self.rates = rates
        self.optimizers = optimizers
        self.setup = setup
        self.dataset = setup.dataset
        self.controller = DescentController(engine or setup.make_engine())
        self.frame_interval = frame_interval
        self.frames_drawn = 0
        self.stalled = False
        self.stall_acknowledged = False
        self._panes: tuple[DataPane, CostPane, ParametersPane, MathPane] | None = None

    @property
    def engine(self):
        """The engine, for reading (the controller is the only one that drives it)."""
        return self.controller.engine

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            with Vertical(id="plots"):
                with ContentSwitcher(initial="data", id="view"):
                    yield DataPane(self.dataset, id="data")
                    yield CostSurfacePane(id="surface")
                    yield SlicePane(id="slice")
                yield CostPane(id="cost")
            yield ParametersPane(id="parameters")
            yield TourPane(id="tour")
        yield MathPane(id="math")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._panes = (self.query_one(DataPane), self.query_one(CostPane),
                       self.query_one(ParametersPane), self.query_one(MathPane))
        self._views = {"data": self._panes[0], "surface": self.query_one(CostSurfacePane),
                       "slice": self.query_one(SlicePane)}
        self._switcher = self.query_one(ContentSwitcher)
        self._panes[2].border_title = "Parameters"
        self._timer = self.set_interval(self.frame_interval, self._tick, pause=True)
        self.refresh_panes()
        self.query_one(TourPane).display = False
        if self.mode == "compare":
            self.action_compare()
        elif self.mode == "race":
            self.action_race()
        elif self.mode == "tour":
            self.action_tour(self.lesson)

    def on_resize(self, event) -> None:
        # The palette hint costs a dozen columns that an 80-column footer needs for keys.
        for screen in self.screen_stack:
            for footer in screen.query(Footer):
                footer.show_command_palette = event.size.width >= 100
        self.call_after_refresh(self.refresh_panes)

    # -- time ----------------------------------------------------------------------
    def watch_running(self, running: bool) -> None:
        if running:
            self._timer.resume()
        else:
            self._timer.pause()
        self.refresh_panes()

    def _tick(self) -> None:
        status = self.controller.advance()
        if status.finished:
            self.running = False
        elif not self.stall_acknowledged and is_stalled(self.engine):
            # The coach stops a run that crawls, says why and what would help; space goes on.
            self.stalled = True
            self.running = False
        self.refresh_panes()

    def refresh_panes(self) -> None:
        """Redraw every pane from one snapshot (panes skip what did not change)."""
        if self._panes is None:
            return
        _, cost, parameters, math_pane = self._panes
        snap = self.controller.snapshot()
        engine = self.engine
        view = self._switcher.current
        with self.batch_update():
            self._views[view].show(engine, snap)
            cost.show(engine, snap, self.log_scale)
            parameters.show(snap, engine, self.running, self.controller.steps_per_frame)
            math_pane.show(snap, engine, self.coach_line(snap))
        self.frames_drawn += 1

    def coach_line(self, snap) -> str:
        """The coach's word on the live run when it stopped or stalled, else empty."""
        if not snap.live:
            return ""
        if snap.status.finished or self.stalled:
            return verdict(self.engine, stalled=self.stalled and not snap.status.finished)
        return ""

    def _settings_changed(self) -> None:
        self.stalled = False
        self.stall_acknowledged = False

    # -- actions ---------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("tour_"):
            if not self.guide.active or isinstance(self.screen, ModalScreen):
                return False
            if action == "tour_answer":
                return self.guide.tour.step == "predict" and \
                    int(parameters[0]) < len(self.guide.tour.lesson.choices)
            return True
        if self.screen is not self.screen_stack[0] and action not in (
                "quit", "help", "command_palette", "screenshot_svg", "reproduce"):
            return False  # another view (comparison, race, help) has the keys
        if self.guide.active and self.guide.tour.awaiting_answer and action not in (
                "quit", "help", "tour"):
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
        self.refresh_panes()

    def action_run(self) -> None:
        """Run: several steps per frame until paused or the run stops by itself."""
        engine = self.engine
        if engine.status.finished and self.controller.view_index is None:
            if engine.status.value == "converged":
                self.notify("Already converged: r resets, + or - changes α.", timeout=3)
            elif engine.status.value == "diverged":
                self.notify("Diverged: press - to lower α or r to reset.", severity="warning",
                            timeout=3)
            else:
                self.notify("At the iteration limit: r resets.", timeout=3)
            return
        if self.stalled:
            self.stall_acknowledged = True  # the learner chose to go on: do not stop again
        self.stalled = False
        self.running = True

    def action_pause(self) -> None:
        """Pause a run."""
        self.running = False

    def action_reset(self) -> None:
        """Back to the start point."""
        self._settings_changed()
        self.running = False
        self.controller.reset()
        self.refresh_panes()

    def action_scrub(self, delta: int) -> None:
        """Move through the history; every pane shows that iteration."""
        self.running = False
        self.controller.scrub(delta)
        self.refresh_panes()

    def action_scrub_start(self) -> None:
        """Show the first iteration."""
        self.action_scrub(-len(self.engine.history))

    def action_scrub_end(self) -> None:
        """Follow the live run again."""
        self.controller.scrub_to_end()
        self.refresh_panes()

    def action_learning_rate_up(self) -> None:
        """Multiply the learning rate by 2 from the next step on."""
        self._settings_changed()
        self.controller.scale_learning_rate(LEARNING_RATE_FACTOR)
        self.refresh_panes()

    def action_learning_rate_down(self) -> None:
        """Divide the learning rate by 2 from the next step on."""
        self._settings_changed()
        self.controller.scale_learning_rate(1 / LEARNING_RATE_FACTOR)
        self.refresh_panes()

    def action_next_optimizer(self) -> None:
        """Switch to the next optimizer."""
        self._settings_changed()
        self.controller.next_optimizer()
        self.refresh_panes()

    def action_next_batch_mode(self) -> None:
        """Full batch → mini-batch → stochastic."""
        self._settings_changed()
        k = self.controller.next_batch_mode()
        self.notify(f"Batch: {batch_label(k)}", timeout=2)
        self.refresh_panes()

    def action_toggle_standardize(self) -> None:
        """Standardize x on or off (the line is kept)."""
        self._settings_changed()
        self.controller.toggle_standardize()
        self.refresh_panes()

    def action_cycle_view(self) -> None:
        """Data → cost surface → slice J(m) → data."""
        self.show_view(VIEWS[(VIEWS.index(self._switcher.current) + 1) % len(VIEWS)])

    def show_view(self, view: str) -> None:
        """Show ``view`` (one of VIEWS) in the top pane."""
        self._switcher.current = view
        self.call_after_refresh(self.refresh_panes)

    # -- the tour ---------------------------------------------------------------------
    def action_tour(self, lesson: int = 1) -> None:
        """Start the guided tour of the seed article (lesson ``lesson``)."""
        self.guide.start(lesson)
        self.refresh_tour()

    def action_tour_forward(self) -> None:
        """Next step of the lesson (the next lesson at its end)."""
        outcome = self.guide.forward()
        if outcome == "blocked":
            self.notify("Answer the prediction first: press 1, 2 or 3.", timeout=3)
        elif outcome == "end":
            self.guide.leave()
            self.notify("Tour complete. Press t to take it again.", timeout=5)
        self.refresh_tour()

    def action_tour_back(self) -> None:
        """Previous step."""
        self.guide.back()
        self.refresh_tour()

    def action_tour_answer(self, index: int) -> None:
        """Answer the prediction."""
        self.guide.answer(int(index))
        self.refresh_tour()

    def action_tour_skip(self, delta: int) -> None:
        """Skip to the next lesson (1) or repeat from the previous one (−1)."""
        self.guide.skip(int(delta))
        self.refresh_tour()

    def action_tour_leave(self) -> None:
        """Leave the tour; the app stays as the lesson made it."""
        self.guide.leave()
        self.refresh_tour()

    def refresh_tour(self) -> None:
        """Show or hide the tour pane on every screen and redraw it."""
        active = self.guide.active
        for screen in self.screen_stack:
            for pane in screen.query(TourPane):
                pane.display = active
                if active:
                    pane.show(self.guide)
        self.screen_stack[0].query_one(ParametersPane).display = not active
        self.refresh_bindings()
        self.refresh_panes()

    def action_recentre(self) -> None:
        """Centre the cost surface on the optimum again."""
        self._views["surface"].recentre()
        self.refresh_panes()

    def action_toggle_log(self) -> None:
        """Cost on a linear scale or as log₁₀(J − J*)."""
        self.log_scale = not self.log_scale
        self.refresh_panes()

    def action_faster(self) -> None:
        """Double the steps per frame of run mode."""
        self.controller.faster()
        self.refresh_panes()

    def action_slower(self) -> None:
        """Halve the steps per frame of run mode."""
        self.controller.slower()
        self.refresh_panes()

    def runner(self, **settings) -> DescentEngine:
        """A new engine on the same data, start and units as the main run."""
        engine = self.engine
        options = dict(optimizer="gd", learning_rate=None, batch_size=0,
                       standardize=engine.standardize, tol=engine.tol, max_iter=engine.max_iter,
                       seed=engine.seed, start=engine.start)
        options.update(settings)
        return DescentEngine(self.dataset.x, self.dataset.y, **options)

    def action_compare(self) -> None:
        """Three learning rates side by side: too small, just right, too large."""
        self.running = False
        rates = self.rates or comparison_rates(self.runner())
        engines = [self.runner(learning_rate=rate) for rate in rates]
        self.push_screen(CompareScreen(self.dataset, engines, self.frame_interval))

    def action_race(self) -> None:
        """Up to four optimizers from the same start on one cost surface."""
        self.running = False
        names = self.optimizers or RACE_OPTIMIZERS
        lr = self.setup.learning_rate
        engines = [self.runner(optimizer=name, learning_rate=lr) for name in names]
        self.push_screen(RaceScreen(engines, self.frame_interval))

    def action_reproduce(self) -> None:
        """Show the command line that reproduces the current setup."""
        from gdtui.cli import command_line

        self.running = False
        screen = self.screen
        if isinstance(screen, CompareScreen):
            rates = ",".join(repr(e.learning_rate) for e in screen.controller.engines)
            command = command_line(self.setup, screen.controller.engines[0], "gdtui compare")
            command = re.sub(r" --lr \S+", "", command) + f" --rates {rates}"
        elif isinstance(screen, RaceScreen):
            engines = screen.controller.engines
            command = command_line(self.setup, engines[0], "gdtui race")
            command += " --optimizers " + ",".join(e.optimizer for e in engines)
            if len({e.learning_rate for e in engines}) > 1:
                # Each racer runs at its optimizer's own default rate: no single --lr.
                command = re.sub(r" --lr \S+", "", command)
        else:
            command = command_line(self.setup, self.engine)
        self.push_screen(ReproduceScreen(command))

    def action_export(self) -> None:
        """Write the history to a CSV or JSON file (asks for the name)."""
        from gdtui.cli import command_line
        from gdtui.history_io import export_history

        self.running = False
        default = time.strftime("gdtui-history-%Y%m%d-%H%M%S.csv")

        def write(name: str | None) -> None:
            if not name:
                return
            path = Path(name).expanduser()
            if not path.is_absolute():
                path = Path.cwd() / path
            try:
                export_history(path, self.engine, command_line(self.setup, self.engine))
            except (OSError, GdtuiError) as exc:
                self.notify(f"Could not write {path}: {exc}", severity="error")
                return
            rows = len(self.engine.history)
            self.notify(f"Wrote {rows:,} iterations to {path}")

        self.push_screen(ExportScreen(default), write)

    def action_screenshot_svg(self) -> None:
        """Save an SVG of the screen in the current folder."""
        name = time.strftime("gdtui-%Y%m%d-%H%M%S.svg")
        try:
            path = self.save_screenshot(filename=name, path=str(Path.cwd()))
        except OSError as exc:
            self.notify(f"Could not save the screenshot: {exc}", severity="error")
            return
        self.notify(f"Screenshot saved to {path}")

    def action_place_start(self) -> None:
        """Place the start point with the arrows or by typing; the run resets there."""
        self.running = False
        cf = self.engine.closed_form
        stats = self.engine.stats
        slope_scale = max(abs(cf.m), stats.std_y / stats.std_x)
        intercept_scale = max(abs(cf.b), stats.std_y)
        steps = (0.05 * slope_scale, 0.05 * intercept_scale)

        original = self.engine.start

        def preview(m: float, b: float) -> None:
            self.controller.set_start(m, b)
            self.refresh_panes()

        def apply(start: tuple[float, float] | None) -> None:
            self.controller.set_start(*(start if start is not None else original))
            self._settings_changed()
            self.refresh_panes()

        self.push_screen(StartPointScreen(original, steps, preview), apply)

    def action_help(self) -> None:
        """Open the help screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- command palette -------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        commands = [
            ("Step", "Take one gradient-descent step (s)", self.action_step),
            ("Run / pause", "Run several steps per frame, or pause (space)",
             lambda: self.action_pause() if self.running else self.action_run()),
            ("Reset", "Back to the start point (r)", self.action_reset),
            ("Learning rate up", "Multiply α by 2 (+)", self.action_learning_rate_up),
            ("Learning rate down", "Divide α by 2 (-)", self.action_learning_rate_down),
            ("Next optimizer", "gd → momentum → nesterov → adagrad → rmsprop → adam (o)",
             self.action_next_optimizer),
            ("Next batch mode", "Full batch → mini-batch → stochastic (b)",
             self.action_next_batch_mode),
            ("Toggle standardization", "Fit in standardized or data units (z)",
             self.action_toggle_standardize),
            ("Toggle log cost", "Cost or log₁₀(J − J*) (l)", self.action_toggle_log),
            ("Cycle view", "Data → cost surface → slice J(m) (c)", self.action_cycle_view),
            ("Recentre surface", "Centre the cost surface on the optimum (w)",
             self.action_recentre),
            ("Scrub back", "Show the previous iteration (←)", lambda: self.action_scrub(-1)),
            ("Scrub forward", "Show the next iteration (→)", lambda: self.action_scrub(1)),
            ("Faster", "Double the steps per frame (])", self.action_faster),
            ("Slower", "Halve the steps per frame ([)", self.action_slower),
            ("Compare learning rates", "Too small, just right, too large side by side (a)",
             self.action_compare),
            ("Optimizer race", "gd, momentum, rmsprop and adam on one surface (v)",
             self.action_race),
            ("Export history", "Every iteration to CSV or JSON (e)", self.action_export),
            ("Screenshot", "Save an SVG of the screen (ctrl+s)", self.action_screenshot_svg),
            ("Reproduce", "The command line that starts this run again (y)",
             self.action_reproduce),
            ("Place start point", "Move the start with the arrows or type it (p)",
             self.action_place_start),
            ("Tour", "The seed article as a guided lesson (t)", self.action_tour),
            ("Help", "Keys and the mathematics (?)", self.action_help),
        ]
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)
