"""The panes of a run screen. Each redraws from the frame bound to it; none steps an engine."""

from __future__ import annotations

import math

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static
from textual_plotext import PlotextPlot

from gdtui.data import Dataset
from gdtui.engine import COL, Status, batch_label
from gdtui.engine.descent import AUTO_STANDARDIZE_KAPPA
from gdtui.formulas import MINUS, model_line, num, speed_words, status_words, update_lines
from gdtui.i18n import steps_phrase
from gdtui.plotdata import bin_scatter, minmax_buckets, padded_limits

POINT_COLOR = "cyan"
LINE_COLOR = "red"
OPTIMUM_COLOR = "green"


class FramePane:
    """Mixin: a pane that redraws from its bound ``frame`` whenever the frame, its size or
    its visibility changes. Subclasses implement :meth:`draw`; ``run_index`` picks the run."""

    frame = reactive(None, repaint=False)  # draw() refreshes what it changed
    run_index = 0
    draws = 0
    """How many times the pane has drawn (tests check that a change redraws)."""
    undrawable = False
    """True when the last frame held numbers the pane cannot place (it says so instead)."""

    def watch_frame(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def on_show(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Draw the bound frame, unless the pane is hidden or has no size yet."""
        if self.frame is None or not self.display or not self.size.area:
            return
        self.draws += 1
        try:
            with np.errstate(all="ignore"):
                self.draw(self.frame)
            self.undrawable = False
        except (OverflowError, ValueError, ZeroDivisionError, FloatingPointError):
            self.undrawable = True  # a blow-up is a state on screen, never a crash
            self.refresh()

    def draw(self, frame) -> None:
        raise NotImplementedError


class Plot(PlotextPlot):
    """A plotext plot that never takes the app down: numbers beyond what a plot can place
    (an overflowing cost, a line at 1e308) are said in the pane instead of drawn."""

    def render(self):
        try:
            if not self.undrawable:
                return super().render()
        except (OverflowError, ValueError, ZeroDivisionError, IndexError, TypeError):
            pass
        return Text("Nothing to draw: these numbers are beyond what a plot can place "
                    "(the run's readouts still hold them).", style="italic")


class DataPane(FramePane, Plot):
    """Scatter of the data with the current fitted line, in data units."""

    def __init__(self, dataset: Dataset, run_index: int = 0, progress: bool = False,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.run_index = run_index
        self.progress = progress  # say steps and status in the subtitle (comparison panels)
        self.dataset = dataset
        self.xlim = padded_limits(dataset.x)
        self.ylim = padded_limits(dataset.y)
        self.binned_for: tuple[int, int] | None = None
        self.binned: tuple[list[float], list[float]] = ([], [])
        self.border_title = f"{dataset.name}: {dataset.y_label} vs {dataset.x_label}"

    def marks(self) -> int:
        """Number of scatter marks drawn at the current size."""
        return len(self.binned[0])

    def display_points(self) -> tuple[list[float], list[float]]:
        size = (self.size.width, self.size.height)
        if size != self.binned_for:
            # Two marks across and two down per cell: what the "hd" marker can show.
            self.binned = bin_scatter(self.dataset.x, self.dataset.y, self.xlim, self.ylim,
                                       2 * max(size[0] - 10, 4), 2 * max(size[1] - 3, 2))
            self.binned_for = size
            binned = len(self.binned[0]) != self.dataset.n
            self.border_subtitle = (f"{self.dataset.n:,} points"
                                    + (f", drawn as {self.marks():,} cells" if binned else ""))
        return self.binned

    def draw(self, frame) -> None:
        """Clear and redraw the scatter and the line of the run on screen."""
        run = frame.runs[self.run_index]
        snap = run.snap
        if run.label:
            self.border_title = run.label
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        xs, ys = self.display_points()
        plt.scatter(xs, ys, marker="hd", color=POINT_COLOR)
        x0, x1 = self.xlim
        # Clip the line to the visible box so that a wild line still draws as a segment.
        line_x = np.linspace(x0, x1, 2 * max(self.size.width, 8))
        line_y = snap.m * line_x + snap.b
        visible = (line_y >= self.ylim[0]) & (line_y <= self.ylim[1])
        if visible.any():
            plt.plot(line_x[visible].tolist(), line_y[visible].tolist(), marker="braille",
                     color=LINE_COLOR)
        plt.xlim(*self.xlim)
        plt.ylim(*self.ylim)
        if self.progress:
            self.border_subtitle = f"{steps_phrase(snap.iteration, 'en')} · {snap.status.value}"
        self.refresh()


class CostPane(FramePane, Plot):
    """Cost per iteration with J* as a reference; log scale of J − J* on ``l``."""

    def __init__(self, run_index: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.run_index = run_index
        self.border_title = "Cost J per iteration"

    def draw(self, frame) -> None:
        """Clear and redraw the curve up to the live iteration, a marker at the one on screen."""
        engine, snap = frame.runs[self.run_index].engine, frame.runs[self.run_index].snap
        log_scale = frame.log_scale
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        rows = engine.history.rows
        its = rows[:, COL["iteration"]]
        cost = rows[:, COL["cost"]]
        j_star = engine.closed_form.cost
        floor = max(abs(j_star), 1e-300) * 1e-16
        if log_scale:
            values = np.log10(np.maximum(cost - j_star, floor))
            marker_y = math.log10(max(snap.cost - j_star, floor))
            self.border_title = f"log₁₀(J {MINUS} J*) per iteration"
        else:
            values = cost
            marker_y = snap.cost
            self.border_title = "Cost J per iteration"
        xs, ys = minmax_buckets(its, values, max(self.size.width - 10, 8))
        if len(xs) == 1:
            plt.scatter(xs, ys, marker="braille", color=LINE_COLOR)
        else:
            plt.plot(xs, ys, marker="braille", color=LINE_COLOR)
        if not log_scale:
            plt.hline(j_star, OPTIMUM_COLOR)
        plt.scatter([float(snap.iteration)], [marker_y], marker="●", color="yellow")
        self.border_subtitle = (f"J* = {num(j_star)}" + ("  (log scale)" if log_scale else "")
                                + ("  · older history thinned" if engine.history.decimated
                                   else ""))
        lo, hi = min(min(ys), marker_y), max(max(ys), marker_y)
        if not log_scale:
            lo = min(lo, j_star)
        if hi > lo:
            count = max(2, min(5, (self.size.height - 4) // 2 + 1))
            yt = np.linspace(lo, hi, count).tolist()
            plt.yticks(yt, [f"{v:.4g}" for v in yt])
        last = max(float(its[-1]), 1.0)
        ticks = sorted({int(round(v)) for v in np.linspace(0.0, last, 5)})
        plt.xticks(ticks, [f"{t:,}" for t in ticks])
        plt.xlim(0, last)
        self.refresh()


class ParametersPane(FramePane, Static):
    """Readouts: each a label and its value on one line."""

    text = ""
    """The plain text on show (for tests and screen readers)."""

    def draw(self, frame) -> None:
        """Write the readouts of the iteration on screen."""
        engine, snap = frame.run.engine, frame.run.snap
        running, steps_per_frame = frame.running, frame.steps_per_frame
        cf = snap.closed_form
        # Live, the settings shown are those the next step will use; in the past, the row's.
        if snap.live:
            rate, optimizer = engine.next_learning_rate, engine.optimizer
            batch, standardized = engine.batch_size, engine.standardize
        else:
            rate, optimizer = snap.learning_rate, snap.optimizer
            batch, standardized = snap.batch_size, snap.standardized
        rows = [
            ("Iteration", f"{snap.iteration:,}"),
            ("m", num(snap.m)),
            ("b", num(snap.b)),
            ("Cost J", num(snap.cost)),
            ("∂J/∂m", num(snap.grad_m)),
            ("∂J/∂b", num(snap.grad_b)),
            ("Rate α", f"{num(rate)} ({engine.schedule})"),
            ("Optimizer", optimizer),
            ("Batch", f"{batch_label(batch)} of {snap.n_points:,}"),
            ("Standardize", ("on" if standardized else "off")
             + (" (auto)" if engine.auto_standardize and snap.live else "")),
            ("Status", status_words(snap, running)),
            ("m*", num(cf.m)),
            ("b*", num(cf.b)),
            ("J*", num(cf.cost)),
            (f"J {MINUS} J*", num(snap.excess_cost)),
            ("To optimum", f"{num(snap.distance)} in (m, b)"),
        ]
        stability = engine.stability(standardized)
        rows += [
            ("α limit", f"{num(stability.max_stable_lr)} (2/λmax)"),
            ("Best α", f"{num(stability.best_lr)} (2/(λmin+λmax))"),
            ("κ", num(stability.condition_number, 1)),
        ]
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, (label, value) in enumerate(rows):
            if i:
                text.append("\n")
            style = ""
            if label == "Status":
                style = {Status.CONVERGED: "bold green", Status.DIVERGED: "bold red"}.get(
                    snap.status, "bold")
            text.append(f"{label:<12}", style="dim" if label not in ("m*", "b*", "J*") else
                        "dim green")
            text.append(value, style=style)
        self.border_subtitle = speed_words(steps_per_frame)
        self.text = text.plain
        self.update(text, layout=False)  # a fixed-size pane: no layout pass per frame


HIDDEN_STEP = ("No step yet. The first step's numbers are kept back until you answer the "
               "question.")


class MathPane(FramePane, Static):
    """The update the last step applied, with the numbers substituted."""

    lines = -1
    """Line count of the text on show (the pane's height follows it)."""

    text = ""
    """The plain text on show."""

    def draw(self, frame) -> None:
        """Write the formulas of the step into the iteration on screen, after the coach's line."""
        engine, snap, coach = frame.run.engine, frame.run.snap, frame.coach
        text = Text()
        if snap.live and snap.status is Status.DIVERGED and coach:
            text.append(f"⚠ {coach}\n", style="bold red")
        elif snap.live and snap.status is Status.DIVERGED:
            text.append(f"⚠ Diverged: {engine.reason}.\n", style="bold red")
            text.append("The learning rate is too large for this data: press - to lower it, "
                        "or r to reset.\n", style="red")
        elif coach:
            style = "bold green" if snap.status is Status.CONVERGED else "bold yellow"
            text.append(f"■ {coach}\n", style=style)
        if not self.screen.has_class("-short"):
            text.append(model_line(snap) + "\n", style="dim")
        if frame.hide_next_step and snap.previous is None:
            text.append(HIDDEN_STEP)
        else:
            text.append("\n".join(update_lines(snap)))
        if snap.previous is None and engine.auto_standardize:  # why these units, said once
            if engine.standardize:
                why = f"Standardized (auto: {engine.auto_why}); z switches units."
            else:
                kappa = engine.stability(False).condition_number
                why = f"Data units (auto: raw κ {kappa:.3g} ≤ {AUTO_STANDARDIZE_KAPPA:g})"
                if engine.auto_rate and engine.learning_rate == snap.next_learning_rate:
                    limit = 1 / engine.stability(False).lambda_max
                    why += (f"; α {num(engine.learning_rate)}: 1-2-5 value ≤ 1/λmax = "
                            f"{num(limit)}")
            text.append("\n" + why, style="dim")
        if engine.events and snap.live:
            it, what = engine.events[-1]
            text.append(f"\nAt iteration {it}: {what}", style="italic dim")
        self.border_title = f"Update into iteration {snap.iteration}"
        self.text = text.plain
        width = max(self.content_size.width, 1)
        lines = sum(max(1, -(-cell_len(line) // width)) for line in self.text.split("\n"))
        self.update(text, layout=lines != self.lines)  # a new layout only when its height changes
        self.lines = lines
