"""Views of several runs in lock-step: the learning-rate comparison and the optimizer race."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from gdtui.app.controller import LockstepController, iterations_to_reach
from gdtui.app.panes import CostPane, DataPane
from gdtui.app.surface import SurfaceDrawing
from gdtui.app.tour import TourPane
from gdtui.engine import COL, DescentEngine
from gdtui.formulas import MINUS, names, num
from gdtui.plotdata import minmax_buckets, stride_path

RUN_COLORS = ("cyan", "green", "red", "magenta")


class OverlayCostPane(PlotextPlot):
    """log₁₀(J − J*) of several runs on one plot."""

    def __init__(self, colors=RUN_COLORS, **kwargs) -> None:
        super().__init__(**kwargs)
        self.run_colors = colors
        self.border_title = f"log₁₀(J {MINUS} J*) of every run"

    def show(self, engines: list[DescentEngine], labels: list[str]) -> None:
        """Redraw every curve (colours as in the panels' titles or the leaderboard)."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        last = 1.0
        for engine, color in zip(engines, self.run_colors, strict=False):
            rows = engine.history.rows
            j_star = engine.closed_form.cost
            floor = max(abs(j_star), 1e-300) * 1e-16
            values = np.log10(np.maximum(rows[:, COL["cost"]] - j_star, floor))
            xs, ys = minmax_buckets(rows[:, COL["iteration"]], values, max(self.size.width - 10, 8))
            if len(xs) > 1:
                plt.plot(xs, ys, marker="braille", color=color)
            else:
                plt.scatter(xs, ys, marker="braille", color=color)
            last = max(last, float(rows[-1, COL["iteration"]]))
        plt.xlim(0, last)
        self.border_subtitle = " · ".join(labels)
        self.refresh()


class LockstepScreen(Screen):
    """Common keys and timer of the comparison and the race: s, space, r, [, ], escape, q."""

    BINDINGS = [
        Binding("s", "step", "Step"),
        Binding("space", "run", "Run"),
        Binding("space", "pause", "Pause"),
        Binding("r", "reset", "Reset"),
        Binding("right_square_bracket", "faster", "Faster", key_display="]"),
        Binding("left_square_bracket", "slower", "Slower", key_display="["),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]
    running: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, controller: LockstepController, frame_interval: float) -> None:
        super().__init__()
        self.controller = controller
        self.frame_interval = frame_interval

    def on_mount(self) -> None:
        self._timer = self.set_interval(self.frame_interval, self._tick, pause=True)
        self.call_after_refresh(self.redraw)
        self.call_after_refresh(self.app.refresh_tour)

    def on_resize(self) -> None:
        self.call_after_refresh(self.redraw)

    def watch_running(self, running: bool) -> None:
        if running:
            self._timer.resume()
        else:
            self._timer.pause()

    def check_action(self, action: str, parameters) -> bool | None:
        guide = getattr(self.app, "guide", None)
        if guide is not None and guide.active and guide.tour.awaiting_answer and \
                action not in ("back", "app.quit"):
            return False  # answer the tour's prediction first
        if action == "run":
            return not self.running
        if action == "pause":
            return self.running
        return True

    def _tick(self) -> None:
        if self.controller.advance():
            self.running = False
        self.redraw()

    def action_step(self) -> None:
        self.running = False
        self.controller.step()
        self.redraw()

    def action_run(self) -> None:
        if not self.controller.all_finished:
            self.running = True

    def action_pause(self) -> None:
        self.running = False

    def action_reset(self) -> None:
        self.running = False
        self.controller.reset()
        self.redraw()

    def action_faster(self) -> None:
        self.controller.faster()
        self.redraw()

    def action_slower(self) -> None:
        self.controller.slower()
        self.redraw()

    def action_back(self) -> None:
        """Leave the tour if it is on; otherwise back to the main view."""
        self.running = False
        guide = getattr(self.app, "guide", None)
        if guide is not None and guide.active:
            self.app.action_tour_leave()
            return
        self.app.pop_screen()

    def redraw(self) -> None:
        """Draw every pane from the engines."""
        raise NotImplementedError


class CompareScreen(LockstepScreen):
    """The same data and start, three learning rates: too small, just right, too large."""

    TITLES = ("too small", "just right", "too large")

    def __init__(self, dataset, engines: list[DescentEngine],
                 frame_interval: float = 1 / 30) -> None:
        labels = [f"{t} α = {num(e.learning_rate)}" for t, e in zip(self.TITLES, engines,
                                                                      strict=True)]
        super().__init__(LockstepController(engines, labels), frame_interval)
        self.dataset = dataset

    def compose(self) -> ComposeResult:
        stability = self.controller.engines[0].stability()
        with Horizontal(id="compare-panels"):
            for i, label in enumerate(self.controller.labels):
                with Vertical(classes="compare-panel"):
                    data = DataPane(self.dataset, id=f"compare-data-{i}")
                    data.border_title = label
                    yield data
                    yield CostPane(id=f"compare-cost-{i}")
        info = (f"Full-batch gradient descent. Stable limit 2/λmax = "
                f"{num(stability.max_stable_lr)}, best constant rate 2/(λmin+λmax) = "
                f"{num(stability.best_lr)}, κ = {num(stability.condition_number, 1)}.")
        if stability.condition_number > 100:
            info += (" With κ this large even the best rate needs about κ steps: "
                     "standardize x (z in the main view, --standardize) to round the bowl.")
        yield Static(info, id="compare-info")
        yield OverlayCostPane(id="compare-overlay")
        yield TourPane(classes="tour-side")
        yield Footer()

    def redraw(self) -> None:
        engines = self.controller.engines
        with self.app.batch_update():
            for i, engine in enumerate(engines):
                snap = engine.snapshot()
                data = self.query_one(f"#compare-data-{i}", DataPane)
                data.show(engine, snap)
                data.border_title = self.controller.labels[i]
                data.border_subtitle = f"{snap.iteration} steps · {snap.status.value}"
                self.query_one(f"#compare-cost-{i}", CostPane).show(engine, snap, True)
            self.query_one(OverlayCostPane).show(engines, self.controller.labels)


class Leaderboard(Static):
    """Iterations each runner needed to come within 1e-6 of J*."""

    text = ""
    """The plain text on show."""

    def show(self, controller: LockstepController) -> None:
        rows = []
        for engine, label in zip(controller.engines, controller.labels, strict=True):
            reached = iterations_to_reach(engine)
            if reached is not None:
                verdict = f"{reached:,} steps"
            elif engine.status.value == "diverged":
                verdict = "diverged"
            else:
                verdict = "not yet"
            rows.append((reached if reached is not None else math.inf, label, verdict, engine))
        rows.sort(key=lambda r: r[0])
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Steps to come within 1e-6 of J*\n", style="dim")
        for rank, (_, label, verdict, _engine) in enumerate(rows, 1):
            color = RUN_COLORS[controller.labels.index(label) % len(RUN_COLORS)]
            text.append(f"{rank}. ", style="dim")
            text.append(f"{label:<20}", style=f"bold {color}")
            text.append(f"{verdict}\n")
        iteration = max(engine.iteration for engine in controller.engines)
        text.append(f"\nIteration {iteration:,} · {controller.steps_per_frame} step(s)/frame",
                    style="dim")
        self.border_title = "Leaderboard"
        self.text = text.plain
        self.update(text)


class RaceSurfacePane(PlotextPlot):
    """Every runner's path on one cost surface."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drawing = SurfaceDrawing()

    def show(self, controller: LockstepController) -> None:
        """Redraw the contours and every path."""
        engine = controller.engines[0]
        std = engine.standardize
        paths = [e.path(std) for e in controller.engines]
        aspect = max(self.size.width - 10, 4) / max(2 * (self.size.height - 4), 2)
        # The window zooms out for the runner farthest from the optimum.
        p_star, q_star = engine.optimum(std)
        farthest, best = None, -1.0
        for p, q in paths:
            d = abs(p[-1] - p_star) + abs(q[-1] - q_star)
            if math.isfinite(d) and d > best:
                best, farthest = d, (float(p[-1]), float(q[-1]))
        self.drawing.update_window(engine, paths, farthest, aspect)
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        self.drawing.draw_background(plt, engine, self.size.width, self.size.height)
        for (p, q), color in zip(paths, RUN_COLORS, strict=False):
            xs, ys = stride_path(p, q)
            if len(xs) > 1:
                plt.plot(xs, ys, marker="braille", color=color)
            plt.scatter([xs[-1]], [ys[-1]], marker="●", color=color)
        self.drawing.draw_optimum(plt, engine)
        self.drawing.finish(plt)
        pm, pb = names(std)
        self.border_title = f"Cost surface J({pm}, {pb}) with every runner's path"
        self.refresh()


class RaceScreen(LockstepScreen):
    """Up to four optimizers from the same start on the same data."""

    def __init__(self, engines: list[DescentEngine], frame_interval: float = 1 / 30) -> None:
        labels = [f"{e.optimizer} α={num(e.learning_rate, 3)}" for e in engines]
        super().__init__(LockstepController(engines, labels), frame_interval)

    def compose(self) -> ComposeResult:
        with Horizontal(id="race-top"):
            yield RaceSurfacePane(id="race-surface")
            yield Leaderboard(id="race-board")
        yield OverlayCostPane(id="race-overlay")
        yield TourPane(classes="tour-side")
        yield Footer()

    def redraw(self) -> None:
        with self.app.batch_update():
            self.query_one(RaceSurfacePane).show(self.controller)
            self.query_one(Leaderboard).show(self.controller)
            self.query_one(OverlayCostPane).show(self.controller.engines,
                                                 self.controller.labels)
