"""Screens of several runs in lock-step: the learning-rate comparison and the optimizer race."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from gdtui.app.controller import LockstepController
from gdtui.app.screens.run import FRAME_INTERVAL, RunScreen
from gdtui.app.widgets.multi import Leaderboard, OverlayCostPane, RaceSurfacePane
from gdtui.app.widgets.panes import CostPane, DataPane
from gdtui.app.widgets.tour_pane import TourPane
from gdtui.engine import DescentEngine, batch_label
from gdtui.formulas import num
from gdtui.run import RunSetup, command_line


class LockstepScreen(RunScreen):
    """Several engines advanced together by the run keys; escape goes back."""

    BINDINGS = [
        *RunScreen.TOUR_BINDINGS,
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, setup: RunSetup, engines: list[DescentEngine], labels: list[str],
                 guide=None, frame_interval: float = FRAME_INTERVAL) -> None:
        super().__init__(LockstepController(engines, labels), guide, frame_interval)
        self.setup = setup

    def on_mount(self) -> None:
        super().on_mount()
        if self.guide is not None:
            self.call_after_refresh(self.guide.refresh)

    def action_back(self) -> None:
        """Leave the tour if it is on; otherwise back to the main view."""
        self.running = False
        if self.guide is not None and self.guide.active:
            self.guide.leave()
            self.guide.refresh()
            return
        self.app.pop_screen()


class CompareScreen(LockstepScreen):
    """The same data and start, three learning rates: too small, just right, too large."""

    TITLES = ("too small", "just right", "too large")

    def __init__(self, setup: RunSetup, engines: list[DescentEngine], guide=None,
                 frame_interval: float = FRAME_INTERVAL) -> None:
        labels = [f"{t} α = {num(e.learning_rate)}" for t, e in zip(self.TITLES, engines,
                                                                      strict=True)]
        super().__init__(setup, engines, labels, guide, frame_interval)

    def compose(self) -> ComposeResult:
        engine = self.controller.engines[0]
        stability = engine.stability()
        with Horizontal(id="compare-panels"):
            for i in range(len(self.controller.engines)):
                with Vertical(classes="compare-panel"):
                    yield DataPane(self.setup.dataset, run_index=i, progress=True,
                                   id=f"compare-data-{i}").data_bind(RunScreen.frame)
                    yield CostPane(run_index=i, id=f"compare-cost-{i}").data_bind(
                        RunScreen.frame)
        what = f"{engine.optimizer}, {batch_label(engine.batch_size)} batch, " \
               f"{engine.schedule} schedule"
        info = (f"{what}. For full-batch gradient descent the stable limit is 2/λmax = "
                f"{num(stability.max_stable_lr)}, the best constant rate 2/(λmin+λmax) = "
                f"{num(stability.best_lr)}, κ = {num(stability.condition_number, 1)}.")
        if stability.condition_number > 100:
            info += (" With κ this large even the best rate needs about κ steps: "
                     "standardize x (z in the main view, --standardize) to round the bowl.")
        yield Static(info, id="compare-info")
        yield OverlayCostPane(id="compare-overlay").data_bind(RunScreen.frame)
        yield TourPane(classes="tour-side")
        yield Footer()

    def frame_modes(self) -> dict:
        return {"log_scale": True}

    def reproduce_command(self) -> str:
        engines = self.controller.engines
        return command_line(self.setup, engines[0], "gdtui compare",
                            rates=[e.learning_rate for e in engines])


class RaceScreen(LockstepScreen):
    """Up to four optimizers from the same start on the same data."""

    def __init__(self, setup: RunSetup, engines: list[DescentEngine], guide=None,
                 frame_interval: float = FRAME_INTERVAL) -> None:
        labels = [f"{e.optimizer} α={num(e.learning_rate, 3)}" for e in engines]
        super().__init__(setup, engines, labels, guide, frame_interval)

    def compose(self) -> ComposeResult:
        with Horizontal(id="race-top"):
            yield RaceSurfacePane(id="race-surface").data_bind(RunScreen.frame)
            yield Leaderboard(id="race-board").data_bind(RunScreen.frame)
        yield OverlayCostPane(id="race-overlay").data_bind(RunScreen.frame)
        yield TourPane(classes="tour-side")
        yield Footer()

    def reproduce_command(self) -> str:
        engines = self.controller.engines
        return command_line(self.setup, engines[0], "gdtui race",
                            optimizers=[e.optimizer for e in engines],
                            same_rate=self.setup.learning_rate is not None)
