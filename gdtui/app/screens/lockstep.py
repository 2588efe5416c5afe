"""Screens of several runs in lock-step: the learning-rate comparison and the optimizer race."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Static

from gdtui.app.controller import LockstepController, rate_curvature
from gdtui.app.screens.picture_keys import PathKeys
from gdtui.app.screens.run import FRAME_INTERVAL, RunScreen
from gdtui.app.widgets.compare import (
    BowlPane,
    CompareLandscapePane,
    ComparePane,
    SharedCostPane,
)
from gdtui.app.widgets.footer import KeyFooter
from gdtui.app.widgets.multi import Leaderboard, OverlayCostPane, RaceSurfacePane
from gdtui.app.widgets.tour_pane import TourPane
from gdtui.engine import DescentEngine, batch_label
from gdtui.formulas import num
from gdtui.problems import problem_title
from gdtui.rates import RULE, RateClass, classify_rate, oscillating_rate
from gdtui.run import RunSetup, command_line, make_engine
from gdtui.tuning import NOISY_PROBE_STEPS


class LockstepScreen(PathKeys, RunScreen):
    """Several engines advanced together by the run keys; escape goes back."""

    BINDINGS = [
        *RunScreen.TOUR_BINDINGS,
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit"),
        # The picture's toggles (issue 12b), as in the main view.
        Binding("g", "toggle_arrows", "−∇J field", show=False),
        Binding("T", "toggle_trail", "Trails", show=False),
    ]

    trail: reactive[bool] = reactive(True)
    arrows: reactive[bool] = reactive(False)

    def __init__(self, setup: RunSetup, engines: list[DescentEngine], labels: list[str],
                 guide=None, frame_interval: float = FRAME_INTERVAL) -> None:
        super().__init__(LockstepController(engines, labels), guide, frame_interval)
        self.setup = setup

    def mounted(self) -> None:
        if self.guide is not None and self.guide.active:  # (else the tour pane stays hidden)
            self.call_after_refresh(self.guide.refresh)

    def frame_modes(self) -> dict:
        return {"trail": self.trail, "arrows": self.arrows}


    def action_back(self) -> None:
        """Leave the tour if it is on; otherwise back to the main view."""
        self.running = False
        if self.guide is not None and self.guide.active:
            self.guide.leave()
            self.guide.refresh()
            return
        self.app.pop_screen()


class CompareScreen(LockstepScreen):
    """The same data and start, several learning rates, each labelled by the rule of
    :mod:`gdtui.rates` from its α and the data's limits (never from its place)."""

    BINDINGS = [
        Binding("o", "toggle_oscillating", "Oscillate"),
        Binding("c", "toggle_bowl", "Bowl/surface"),
        Binding("i", "type_rates", "Type α"),  # issue 11b
        *LockstepScreen.BINDINGS,
    ]

    def __init__(self, setup: RunSetup, engines: list[DescentEngine], guide=None,
                 frame_interval: float = FRAME_INTERVAL) -> None:
        self.rate_classes = compare_labels(engines)
        labels = [f"{rc.label}, α = {num(e.learning_rate)}" if rc else
                  f"α = {num(e.learning_rate)}"
                  for rc, e in zip(self.rate_classes, engines, strict=True)]
        super().__init__(setup, engines, labels, guide, frame_interval)

    def compose_panes(self) -> ComposeResult:
        engines = self.controller.engines
        with Horizontal(id="compare-panels"):
            for i, rc in enumerate(self.rate_classes):
                with Vertical(classes="compare-panel"):
                    with ContentSwitcher(initial=f"compare-data-{i}", id=f"compare-view-{i}",
                                         classes="compare-view"):
                        yield ComparePane(self.setup.dataset, i, rc,
                                          id=f"compare-data-{i}").data_bind(RunScreen.frame)
                        yield BowlPane(i, rc, id=f"compare-bowl-{i}").data_bind(
                            RunScreen.frame)
                        yield CompareLandscapePane(i, rc, id=f"compare-land-{i}").data_bind(
                            RunScreen.frame)
                    yield SharedCostPane(run_index=i, id=f"compare-cost-{i}").data_bind(
                        RunScreen.frame)
        yield Static(compare_info(engines[0], self.rate_classes, engines), id="compare-info")
        yield Static(compare_hint(engines[0], len(engines) > 3), id="compare-hint")
        yield OverlayCostPane(id="compare-overlay").data_bind(RunScreen.frame)
        yield TourPane(classes="tour-side")
        yield KeyFooter(compact=True)

    def frame_modes(self) -> dict:
        return {**super().frame_modes(), "log_scale": True}

    def action_toggle_bowl(self) -> None:
        """Each panel shows the fitted line, the seed's picture (the steps on the bowl), or
        the path on the cost landscape, in turn."""
        views = ("data", "bowl", "land")
        for i in range(len(self.controller.engines)):
            switcher = self.query_one(f"#compare-view-{i}", ContentSwitcher)
            now = views.index(switcher.current.split("-")[1])
            switcher.current = f"compare-{views[(now + 1) % len(views)]}-{i}"

    def action_toggle_oscillating(self) -> None:
        """Add the rate that oscillates but converges as a panel, or take it away again."""
        self.running = False
        engines = self.controller.engines
        like = engines[0]
        extra = oscillating_rate(rate_curvature(like))
        rates = [e.learning_rate for e in engines]
        if extra in rates:
            rates.remove(extra)
        elif len(rates) < 4:
            rates = sorted([*rates, extra])
        else:
            self.notify("Four panels at most: start with three rates to add this one.",
                        timeout=3)
            return
        self.restart_with(rates)

    def restart_with(self, rates) -> None:
        """The comparison again from the start with ``rates``, each labelled by the rule."""
        like = self.controller.engines[0]
        fresh = [make_engine(self.setup, like=like, learning_rate=r) for r in rates]
        self.app.switch_screen(CompareScreen(self.setup, fresh, self.guide,
                                             self.frame_interval))

    def action_type_rates(self) -> None:
        """Type the panels' rates; the comparison restarts with them."""
        from gdtui.app.screens.settings import rates_screen

        self.running = False
        rates = [e.learning_rate for e in self.controller.engines]

        def apply(values: dict | None) -> None:
            if values:
                self.restart_with([values.get(f"rate{i}", r) for i, r in enumerate(rates)])

        self.app.push_screen(rates_screen(rates), apply)

    def system_commands(self) -> list[tuple[str, str, object]]:
        return super().system_commands() + [
            ("Type the rates", "Type each panel's α; the comparison restarts (i)",
             self.action_type_rates),
            ("Oscillating panel", "Add or remove the rate that oscillates but converges (o)",
             self.action_toggle_oscillating),
            ("Bowl or line", "Each panel's steps on the bowl, or the fitted line (c)",
             self.action_toggle_bowl),
        ]

    def reproduce_command(self) -> str:
        engines = self.controller.engines
        return command_line(self.setup, engines[0], "gdtui compare",
                            rates=[e.learning_rate for e in engines])


def compare_labels(engines: list[DescentEngine]) -> list[RateClass | None]:
    """Each engine's rate by the rule, or None when the rule is not the one for its run.

    The rule is exact for plain full-batch descent at a constant rate; momentum,
    adaptive optimizers, mini-batches and schedules have other limits.
    """
    return [classify_rate(e.stability(), e.learning_rate) if rule_applies(e) else None
            for e in engines]


def rule_applies(engine: DescentEngine) -> bool:
    """True for plain full-batch descent at a constant rate on the seed's MSE (what the rule
    is about: its bowl has one curvature everywhere)."""
    return (engine.optimizer == "gd" and engine.batch_size == 0 and engine.schedule == "constant"
            and engine.loss == "mse")


def compare_info(engine: DescentEngine, classes=(), engines=()) -> str:
    """The data's limits, each panel's α, and the rule the labels follow, in words."""
    stability = engine.stability()
    rates = " · ".join(f"{rc.short if rc else 'α'} {e.learning_rate:.3g}"
                       for rc, e in zip(classes, engines, strict=True))
    what = f"{engine.optimizer}, {batch_label(engine.batch_size)} batch, " \
           f"{engine.schedule} schedule"
    limits = (f"limit 2/λmax = {num(stability.max_stable_lr)}, best 2/(λmin+λmax) = "
              f"{num(stability.best_lr)}, κ = {num(stability.condition_number, 1)}")
    if engine.loss != "mse":
        limit = engine.stability_limit()
        return (f"{what}; {problem_title(engine.loss, engine.huber_delta)}, {limit.text}. "
                "The labels too small / just right / too large are MSE's rule (one curvature "
                f"everywhere), so these panels show α only: {rates}.")
    if not rule_applies(engine):
        return (f"{what}. The labels too small / just right / too large follow a rule for "
                f"plain full-batch descent at a constant rate, so these panels show α only. "
                f"For that case: {limits}. Rates: {rates}.")
    # Three panels have room for α in their titles; four show short titles and arrows.
    crowded = len(engines) > 3
    return (f"Plain full-batch descent: {limits}. " + (f"Rates: {rates}. " if crowded else "")
            + f"Labels: {RULE}.")


def compare_hint(engine: DescentEngine, crowded: bool) -> str:
    """What else the panels show and, on a stretched bowl, what would help (a second line of
    words that a short terminal leaves out, so the panels keep their rows)."""
    hint = ("Lines off a panel run along its edge"
            + (" (↑ above, ↓ below; y at mid-range)." if crowded else "."))
    if rule_applies(engine) and engine.stability().condition_number > 100:
        hint += (" With κ this large even the best rate needs about κ steps: "
                 "standardize x (z in the main view, --standardize) to round the bowl.")
    return hint


class RaceScreen(LockstepScreen):
    """Up to four optimizers from the same start on the same data."""

    def __init__(self, setup: RunSetup, engines: list[DescentEngine], guide=None,
                 frame_interval: float = FRAME_INTERVAL) -> None:
        labels = [f"{e.optimizer} α={e.learning_rate:.3g}" for e in engines]
        super().__init__(setup, engines, labels, guide, frame_interval)
        self.tuned = setup.learning_rate is None

    def compose_panes(self) -> ComposeResult:
        with Horizontal(id="race-top"):
            yield RaceSurfacePane(id="race-surface").data_bind(RunScreen.frame)
            board = Leaderboard(id="race-board")
            noisy = self.controller.engines[0].batch_size
            board.note = ("Every runner at the α of --lr." if not self.tuned else
                          f"Each α tuned: the 1-2-5 value lowest after {NOISY_PROBE_STEPS} "
                          "noisy steps." if noisy else
                          "Each α tuned: the 1-2-5 value fastest to the target.")
            yield board.data_bind(RunScreen.frame)
        yield OverlayCostPane(id="race-overlay").data_bind(RunScreen.frame)
        yield TourPane(classes="tour-side")
        yield KeyFooter(compact=True)

    def reproduce_command(self) -> str:
        engines = self.controller.engines
        return command_line(self.setup, engines[0], "gdtui race",
                            optimizers=[e.optimizer for e in engines],
                            same_rate=self.setup.learning_rate is not None)
