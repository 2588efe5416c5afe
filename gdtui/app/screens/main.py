"""The main view: one run, its panes, its settings keys, the tour, exports."""

from __future__ import annotations

import time
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import ContentSwitcher
from textual.worker import get_current_worker

from gdtui.app.controller import LEARNING_RATE_FACTOR, DescentController, comparison_rates
from gdtui.app.screens.data_edit import DataEditing
from gdtui.app.screens.picture_keys import VIEWS, PictureKeys
from gdtui.app.screens.run import FRAME_INTERVAL, Run, RunScreen
from gdtui.app.tour import TourGuide
from gdtui.app.widgets.convergence import ConvergencePane
from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.footer import KeyFooter
from gdtui.app.widgets.panes import CostPane, in_sight
from gdtui.app.widgets.readout_panes import MathPane, ParametersPane
from gdtui.app.widgets.surface import CostSurfacePane, SlicePane
from gdtui.app.widgets.tour_pane import TourPane
from gdtui.app.words import coach_line as say_coach
from gdtui.atomic import shown
from gdtui.coach import is_stalled, verdict
from gdtui.engine import DescentEngine, Status, batch_label
from gdtui.policy import WRITES_OFF, writes_allowed
from gdtui.problems import LONG, problem_title
from gdtui.run import RunSetup, command_line, make_engine, next_problem, reproduction
from gdtui.tuning import RACE_OPTIMIZERS, race_engines, race_key, race_rates


class MainScreen(PictureKeys, DataEditing, RunScreen):
    """One run: data or surface or slice, the cost, the readouts and the update maths."""

    BINDINGS = [
        Binding("left", "scrub(-1)", "Back", key_display="←"),
        Binding("right", "scrub(1)", "Fwd", key_display="→"),
        Binding("plus,equals_sign", "learning_rate_up", "α×2", key_display="+"),
        Binding("minus", "learning_rate_down", "α÷2", key_display="-"),
        Binding("o", "next_optimizer", "Optim"),
        Binding("b", "next_batch_mode", "Batch", show=False),
        Binding("t", "tour", "Tour", show=False),
        Binding("escape", "tour_leave", "Leave tour"),
        Binding("c", "cycle_view", "View", show=False),
        Binding("a", "compare", "Compare α", show=False),
        Binding("e", "export", "Export", show=False),
        Binding("p", "place_start", "Start point", show=False),
        Binding("v", "race", "Race", show=False),
        Binding("w", "recentre", "Recentre", show=False),
        Binding("z", "toggle_standardize", "Std", show=False),
        Binding("l", "toggle_log", "Log", show=False),
        Binding("j", "next_loss", "Loss", show=False),
        # The picture's toggles (issue 12b).
        Binding("R", "toggle_residuals", "Residuals", show=False),
        Binding("f", "toggle_follow", "Follow line", show=False),
        Binding("g", "toggle_arrows", "−∇J field", show=False),
        Binding("T", "toggle_trail", "Trails", show=False),
        Binding("shift+left", "scrub(-10)", "Back 10", show=False),
        Binding("shift+right", "scrub(10)", "Fwd 10", show=False),
        Binding("home", "scrub_start", "First", show=False),
        Binding("end", "scrub_end", "Live", show=False),
        *DataEditing.DATA_BINDINGS,
        # Values typed in and the convergence view (issue 11b).
        Binding("i", "settings", "Settings", show=False),
        Binding("k", "convergence", "Convergence", show=False),
        *RunScreen.TOUR_BINDINGS,
    ]

    log_scale: reactive[bool] = reactive(False)
    trail: reactive[bool] = reactive(True)
    arrows: reactive[bool] = reactive(False)
    residuals: reactive[int] = reactive(0)
    follow: reactive[bool] = reactive(False)

    def __init__(self, setup: RunSetup, engine: DescentEngine | None = None,
                 frame_interval: float = FRAME_INTERVAL, rates=None, optimizers=None,
                 opening: str = "main", lesson: int = 1, language: str = "en") -> None:
        super().__init__(DescentController(engine or make_engine(setup)),
                         frame_interval=frame_interval)
        self.setup = setup
        self.rates = rates
        self.optimizers = optimizers
        self.guide = TourGuide(self, language)
        self.stalled = False
        self.stall_acknowledged = False
        self.opening = opening  # "main", or open the "compare", "race" or "tour" at once
        self.race_rates: dict[tuple, dict[str, float]] = {}
        """Tuned race rates by data, settings and runners (the tuning rule is deterministic)."""
        self.tuning = None
        """The worker tuning a race, while it runs."""
        self.lesson = lesson
        self.view_before_convergence = VIEWS[0]

    def mounted(self) -> None:
        for warning in self.setup.dataset.warnings:  # said on stderr too, before the app began
            self.call_after_refresh(self.notify, warning, title="Data", severity="warning",
                                    timeout=8)
        if self.opening == "compare":
            self.action_compare()
        elif self.opening == "race":
            self.action_race()
        elif self.opening == "tour":
            self.action_tour(self.lesson)

    @property
    def engine(self) -> DescentEngine:
        """The engine, for reading (the controller is the only one that drives it)."""
        return self.controller.engine

    panes_deferred = False
    """True while the panes wait for the screen to be first seen (it opened under the
    comparison or the race: they are composed when that closes)."""

    def compose_panes(self) -> ComposeResult:
        if self.opening == "compare" or (self.opening == "race"
                                         and self.setup.learning_rate is not None):
            # The comparison or the race opens over this screen at once (the race's rates
            # need no tuning): its first screen waits for none of these panes.
            self.panes_deferred = True
            return
        yield from self.main_panes()

    def on_screen_resume(self) -> None:
        if self.panes_deferred and in_sight(self):
            self.panes_deferred = False
            self.mount_compose(self.main_panes())

    def main_panes(self) -> ComposeResult:
        """The main view's panes and footer."""
        # The readouts (or the tour) take the right column's full height; the update maths
        # sits under the plots.
        with Horizontal(id="top"):
            with Vertical(id="left"):
                with Vertical(id="plots"):
                    with ContentSwitcher(initial="data", id="view"):
                        yield DataPane(self.setup.dataset, id="data").data_bind(RunScreen.frame)
                        yield CostSurfacePane(id="surface").data_bind(RunScreen.frame)
                        yield SlicePane(id="slice").data_bind(RunScreen.frame)
                        yield ConvergencePane(id="convergence").data_bind(RunScreen.frame)
                    yield CostPane(id="cost").data_bind(RunScreen.frame)
                yield MathPane(id="math").data_bind(RunScreen.frame)
            parameters = ParametersPane(id="parameters").data_bind(RunScreen.frame)
            parameters.border_title = "Parameters"
            yield parameters
            tour = TourPane(id="tour")
            tour.display = False
            yield tour
        yield KeyFooter(compact=True)

    # -- frames --------------------------------------------------------------------
    def runs(self) -> tuple[Run, ...]:
        return (Run(self.engine, self.controller.snapshot()),)

    def frame_modes(self) -> dict:
        return {"log_scale": self.log_scale, "coach": self.coach_line(), "trail": self.trail,
                "arrows": self.arrows, "residuals": self.residuals, "follow": self.follow,
                **self.data_modes(), **self.guide.frame_modes()}

    def coach_line(self) -> str:
        """The coach's word on the live run when it stopped or stalled, else empty."""
        if self.controller.viewing_past:
            return ""
        finished = self.engine.status.finished
        if finished or self.stalled:
            lang = self.guide.language
            return say_coach(verdict(self.engine, stalled=self.stalled and not finished,
                                     language=lang), lang)
        return ""

    def after_advance(self) -> None:
        if not self.stall_acknowledged and is_stalled(self.engine):
            # The coach stops a run that crawls, says why and what would help; space goes on.
            self.stalled = True
            self.running = False

    def settings_changed(self) -> None:
        """A setting changed: the coach judges the run afresh."""
        self.stalled = False
        self.stall_acknowledged = False

    # -- run keys ----------------------------------------------------------------------
    def action_run(self) -> None:
        """Run: several steps per frame until paused or the run stops by itself."""
        engine = self.engine
        if engine.status.finished and not self.controller.viewing_past:
            if engine.status is Status.CONVERGED:
                self.notify("Already converged: r resets, + or - changes α.", timeout=3)
            elif engine.status is Status.DIVERGED:
                self.notify("Diverged: press - to lower α or r to reset.", severity="warning",
                            timeout=3)
            else:
                self.notify("At the iteration limit: r resets.", timeout=3)
            return
        if self.stalled:
            self.stall_acknowledged = True  # the learner chose to go on: do not stop again
        self.stalled = False
        self.running = True

    def action_reset(self) -> None:
        """Back to the start point."""
        self.settings_changed()
        super().action_reset()

    def action_scrub(self, delta: int) -> None:
        """Move through the history; every pane shows that iteration."""
        self.running = False
        self.controller.scrub(delta)

    def action_scrub_start(self) -> None:
        """Show the first iteration."""
        self.action_scrub(-len(self.engine.history))

    def action_scrub_end(self) -> None:
        """Follow the live run again."""
        self.controller.scrub_to_end()

    # -- settings ------------------------------------------------------------------------
    def action_learning_rate_up(self) -> None:
        """Multiply the learning rate by 2 from the next step on."""
        self.settings_changed()
        self.controller.scale_learning_rate(LEARNING_RATE_FACTOR)

    def action_learning_rate_down(self) -> None:
        """Divide the learning rate by 2 from the next step on."""
        self.settings_changed()
        self.controller.scale_learning_rate(1 / LEARNING_RATE_FACTOR)

    def action_next_optimizer(self) -> None:
        """Switch to the next optimizer."""
        self.settings_changed()
        self.controller.next_optimizer()

    def action_next_batch_mode(self) -> None:
        """Full batch → mini-batch → stochastic."""
        self.settings_changed()
        k = self.controller.next_batch_mode()
        self.notify(f"Batch: {batch_label(k)}", timeout=2)

    def action_toggle_standardize(self) -> None:
        """Standardize x on or off (the line is kept)."""
        self.settings_changed()
        self.controller.toggle_standardize()

    def action_next_loss(self) -> None:
        """MSE → MAE → Huber → logistic (where y is 0/1) → MSE; the run resets."""
        self.running = False
        target, skipped = next_problem(self.setup, self.engine)
        if target is None:
            self.notify("No other problem fits this data: " + "; ".join(skipped) + ".",
                        title="Loss", severity="warning", timeout=6)
            return
        self.settings_changed()
        self.controller.set_problem(*target)
        engine = self.engine
        said = (f"{problem_title(engine.loss, engine.huber_delta)}: {LONG[engine.loss]}. "
                "The run starts again: another cost is another surface.")
        self.notify(" ".join([said, *(f"({why}.)" for why in skipped)]), title="Loss",
                    timeout=6)

    def action_next_schedule(self) -> None:
        """The next learning-rate schedule (constant, step, exponential, 1/t…)."""
        from gdtui.engine import SCHEDULES

        self.settings_changed()
        names = list(SCHEDULES)
        name = names[(names.index(self.engine.schedule) + 1) % len(names)]
        self.controller.set_schedule(name)
        self.notify(f"Schedule: {name}", timeout=2)

    def action_settings(self) -> None:
        """Type α, β, β₁, β₂, ε, the batch size, the schedule's parameters, the start point."""
        from gdtui.app.screens.settings import settings_screen

        was_running, self.running = self.running, False

        def apply(values: dict | None) -> None:
            if values:
                self.settings_changed()
                self.controller.apply_settings(values)
                restart = "start_m" in values or "start_b" in values
                self.notify("New start point: the run starts again there." if restart
                            else "Applied from the next step.", timeout=3)
            self.running = was_running and not self.engine.status.finished

        self.app.push_screen(settings_screen(self.engine), apply)

    def action_place_start(self) -> None:
        """Place the start point with the arrows or by typing; the run resets there."""
        from gdtui.app.screens.dialogs import StartPointScreen

        self.running = False
        cf = self.engine.closed_form
        stats = self.engine.stats
        steps = (0.05 * max(abs(cf.m), stats.std_y / stats.std_x),
                 0.05 * max(abs(cf.b), stats.std_y))
        original = self.engine.start

        def apply(start: tuple[float, float] | None) -> None:
            self.settings_changed()
            self.controller.set_start(*(start if start is not None else original))

        self.app.push_screen(StartPointScreen(original, steps, self.controller.set_start), apply)

    # -- other screens -----------------------------------------------------------------
    def action_compare(self) -> None:
        """Three learning rates side by side: too small, just right, too large."""
        from gdtui.app.screens.lockstep import CompareScreen

        self.running = False
        rates = self.rates or comparison_rates(make_engine(self.setup, like=self.engine))
        engines = [make_engine(self.setup, like=self.engine, learning_rate=rate)
                   for rate in rates]
        self.app.push_screen(CompareScreen(self.setup, engines, self.guide, self.frame_interval))

    def action_race(self) -> None:
        """Up to four optimizers from the same start on one cost surface.

        Each runner's α is tuned first (:mod:`gdtui.tuning`, up to a second or so) in a
        thread, so keys are answered meanwhile; the rates are kept per data and settings,
        and the same race opens again at once.
        """
        self.running = False
        if self.tuning is not None:
            self.notify("Still tuning the race's learning rates…", timeout=2)
            return
        names = self.optimizers or RACE_OPTIMIZERS
        like = make_engine(self.setup, like=self.engine)  # the settings of this moment
        key = (race_key(like), tuple(names))
        if self.setup.learning_rate is not None or key in self.race_rates:
            self.open_race(like, names, self.race_rates.get(key))
            return
        self.notify("Tuning each runner's α (the 1-2-5 rule)…", title="Race", timeout=3)
        self.tuning = self.tune_race(like, names, key)

    @work(thread=True, group="race", exit_on_error=True)
    def tune_race(self, like: DescentEngine, names, key) -> None:
        """Tune the race's rates off the event loop, then open it (on the loop)."""
        rates = race_rates(self.setup, like, names)
        if not get_current_worker().is_cancelled:  # (cancelled when the app quits)
            self.app.call_from_thread(self.race_tuned, like, names, key, rates)

    def race_tuned(self, like: DescentEngine, names, key, rates: dict[str, float]) -> None:
        self.tuning = None
        self.race_rates[key] = rates
        if self.app.screen is self:
            self.open_race(like, names, rates)
        else:
            self.notify("The race is tuned: press v to open it.", title="Race")

    def open_race(self, like: DescentEngine, names, rates: dict[str, float] | None) -> None:
        from gdtui.app.screens.lockstep import RaceScreen

        engines = race_engines(self.setup, like, names, rates)
        self.app.push_screen(RaceScreen(self.setup, engines, self.guide, self.frame_interval))

    def reproduce_command(self) -> str:
        return self.data_note() + command_line(self.edited_setup(), self.engine)

    def reproduce_words(self) -> tuple[str, list[str]]:
        exact, intro, caveats = reproduction(self.engine)
        return intro, caveats + ([] if exact else ["An export (e) lists every change."])

    def action_export(self) -> None:
        """Write the history to a CSV or JSON file (asks for the name)."""
        from gdtui.app.screens.dialogs import ExportScreen, write_asking
        from gdtui.history_io import export_history

        self.running = False
        if not writes_allowed():
            self.notify(f"Nothing exported: {WRITES_OFF}.", severity="warning")
            return
        default = time.strftime("gdtui-history-%Y%m%d-%H%M%S.csv")

        command = command_line(self.edited_setup(), self.engine)
        spool = self.controller.spool
        blocks = spool.blocks if spool.complete else None
        rows = spool.count if spool.complete else len(self.engine.history)
        inputs = [self.setup.source] if self.setup.source else []

        def write(name: str | None) -> None:
            if not name:
                return
            write_asking(self.app, Path(name), lambda path, overwrite: export_history(
                path, self.engine, command, overwrite=overwrite, inputs=inputs,
                blocks=blocks() if blocks else None),
                lambda written: self.notify(f"Wrote {rows:,} iterations to {shown(written)}"))

        self.app.push_screen(ExportScreen(default), write)

    # -- the tour ----------------------------------------------------------------------
    def action_tour(self, lesson: int = 1) -> None:
        """Start the guided tour of the seed article (lesson ``lesson``)."""
        self.guide.start(lesson)
        self.guide.refresh()

    def action_tour_leave(self) -> None:
        """Leave the tour; the app stays as the lesson made it."""
        self.guide.leave()
        self.guide.refresh()

    def system_commands(self) -> list[tuple[str, str, object]]:
        return super().system_commands() + [
            ("Learning rate up", "Multiply α by 2 (+)", self.action_learning_rate_up),
            ("Learning rate down", "Divide α by 2 (-)", self.action_learning_rate_down),
            ("Next optimizer", "gd → momentum → nesterov → adagrad → rmsprop → adam (o)",
             self.action_next_optimizer),
            ("Next batch mode", "Full batch → mini-batch → stochastic (b)",
             self.action_next_batch_mode),
            ("Toggle standardization", "Fit in standardized or data units (z)",
             self.action_toggle_standardize),
            ("Toggle log cost", "Cost or log₁₀(J − J*) (l)", self.action_toggle_log),
            ("Next loss", "MSE → MAE → Huber → logistic where y is 0/1; the run resets (j)",
             self.action_next_loss),
            ("Next schedule", "constant → step → exponential → inverse (1/t) → cosine …",
             self.action_next_schedule),
            ("Cycle view", "Data → cost surface → slice J(m) (c)", self.action_cycle_view),
            ("Residuals", "Each point's residual, then its square, then off (R)",
             self.action_toggle_residuals),
            ("Follow the line", "The data pane's y range: data or the line (f)",
             self.action_toggle_follow),
            ("Gradient field", "−∇J arrows over the cost surface (g)", self.action_toggle_arrows),
            ("Trails", "Fading trails of earlier lines and steps (T)", self.action_toggle_trail),
            ("Recentre surface", "Centre the cost surface on the optimum (w)",
             self.action_recentre),
            ("Scrub back", "Show the previous iteration (←)", lambda: self.action_scrub(-1)),
            ("Scrub forward", "Show the next iteration (→)", lambda: self.action_scrub(1)),
            ("Compare learning rates", "Too small, just right, too large side by side (a)",
             self.action_compare),
            ("Optimizer race", "gd, momentum, adagrad and adam on one surface (v)",
             self.action_race),
            ("Export history", "Every iteration to CSV or JSON (e)", self.action_export),
            ("Place start point", "Move the start with the arrows or type it (p)",
             self.action_place_start),
            ("Convergence view", "Per-step factor of each eigen-direction vs α (k)",
             self.action_convergence),
            ("Settings", "Type α, β, β₁, β₂, ε, batch size, schedule, start point (i)",
             self.action_settings),
            ("Tour", "The seed article as a guided lesson (t)", self.action_tour),
            *self.data_commands(),
        ]
