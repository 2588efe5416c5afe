"""The panes of a run screen. Each redraws from the frame bound to it; none steps an engine."""

from __future__ import annotations

import math

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static
from textual_plotext import PlotextPlot

from gdtui.app.widgets.pointer import plot_box
from gdtui.data import Dataset
from gdtui.engine import COL, Status, batch_label
from gdtui.engine.hyper import typed_parameters
from gdtui.formulas import MINUS, model_line, num, speed_words, status_words, update_lines
from gdtui.i18n import steps_phrase
from gdtui.plotdata import bin_scatter, cell_value, minmax_buckets, padded_limits
from gdtui.problems import problem_title

POINT_COLOR = "cyan"
LINE_COLOR = "red"
OPTIMUM_COLOR = "green"
CURSOR_COLOR = "yellow"
TEST_COLOR = "magenta"
TEST_MARKER = "×"
"""How a held-out point is drawn (the fitted ones are quadrant blocks)."""


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


def _union(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return min(a[0], b[0]), max(a[1], b[1])


class DataPane(FramePane, Plot):
    """Scatter of the data with the current fitted line, in data units.

    The mouse edits the data (the screen decides what a press means): a press posts
    :class:`DataPane.Pointer` ``press`` (or ``remove`` for the right button or ctrl), a drag
    ``drag``, the release ``release``, each at the data coordinates under the pointer.
    """

    BINDINGS = [
        Binding("left", "screen.data_cursor(-1, 0)", "←", show=False),
        Binding("right", "screen.data_cursor(1, 0)", "→", show=False),
        Binding("up", "screen.data_cursor(0, 1)", "↑", show=False),
        Binding("down", "screen.data_cursor(0, -1)", "↓", show=False),
        Binding("n", "screen.data_add", "Add point"),
        Binding("x", "screen.data_remove", "Remove point"),
        Binding("enter", "screen.data_pick", "Pick up / drop", key_display="⏎"),
        Binding("escape", "screen.data_leave", "Leave data mode"),
    ]

    class Pointer(Message):
        """The mouse on the scatter: ``kind`` at data coordinates (x, y); ``cell`` is the size
        of one cell in data units (to find the point under the pointer)."""

        def __init__(self, kind: str, x: float, y: float, cell: tuple[float, float]) -> None:
            super().__init__()
            self.kind, self.x, self.y, self.cell = kind, x, y, cell

    def __init__(self, dataset: Dataset, run_index: int = 0, progress: bool = False,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.run_index = run_index
        self.progress = progress  # say steps and status in the subtitle (comparison panels)
        self.dataset = dataset
        self.loaded_limits = padded_limits(dataset.x), padded_limits(dataset.y)
        self.xlim, self.ylim = self.loaded_limits
        self.binned_for: tuple | None = None
        self.binned: tuple[list[float], list[float]] = ([], [])
        self.dragging = False
        self.border_title = self.line_title()

    def line_title(self) -> str:
        """The data's name and axes."""
        d = self.dataset
        return f"{d.name}: {d.y_label} vs {d.x_label}"

    def logistic_title(self) -> str:
        """What the logistic model's curve is: the probability that y is 1."""
        d = self.dataset
        return f"{d.name}: p({d.y_label} = 1) = σ(m·x + b), x = {d.x_label}"

    def set_dataset(self, dataset: Dataset) -> None:
        """Show another data set (new synthetic data): its limits, its name."""
        self.dataset = dataset
        self.loaded_limits = padded_limits(dataset.x), padded_limits(dataset.y)
        self.binned_for = None
        self.border_title = f"{dataset.name}: {dataset.y_label} vs {dataset.x_label}"

    def marks(self) -> int:
        """Number of scatter marks drawn at the current size."""
        return len(self.binned[0])

    def display_points(self, engine=None) -> tuple[list[float], list[float]]:
        x, y = (self.dataset.x, self.dataset.y) if engine is None else (engine.x, engine.y)
        version = getattr(engine, "data_version", 0)
        size = (self.size.width, self.size.height, id(engine), version)
        if size != self.binned_for:
            # The box of the data as loaded, grown only to hold an edited point outside it (so
            # a point added or dragged by the mouse stays under the pointer).
            self.xlim = _union(self.loaded_limits[0], (float(x.min()), float(x.max())))
            self.ylim = _union(self.loaded_limits[1], (float(y.min()), float(y.max())))
            # Two marks across and two down per cell: what the "hd" marker can show.
            self.binned = bin_scatter(x, y, self.xlim, self.ylim,
                                      2 * max(size[0] - 10, 4), 2 * max(size[1] - 3, 2))
            self.binned_for = size
            binned = len(self.binned[0]) != x.size
            self.border_subtitle = (f"{x.size:,} points"
                                    + (f", drawn as {self.marks():,} cells" if binned else ""))
        return self.binned

    # -- cells and data coordinates ---------------------------------------------------------
    def plot_box(self) -> tuple[int, int, int, int] | None:
        """(left, top, width, height) of the plotting area in the pane's cells (border included)."""
        return plot_box(self)

    def data_at(self, x: int, y: int) -> tuple[float, float] | None:
        """Data coordinates at the cell (x, y) of the pane (offsets from its top-left corner,
        border included, as mouse events give them); None outside the plotting area."""
        box = self.plot_box()
        if box is None:
            return None
        left, top, width, height = box
        cx, cy = x - left, y - top
        if not (0 <= cx < width and 0 <= cy < height):
            return None
        return (cell_value(cx, width, *self.xlim, sub=2),
                cell_value(height - 1 - cy, height, *self.ylim, sub=2))

    def cell_at(self, data_x: float, data_y: float) -> tuple[int, int] | None:
        """The pane cell that shows the data point (data_x, data_y) (the inverse of data_at)."""
        box = self.plot_box()
        if box is None:
            return None
        left, top, width, height = box
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        sx = round((data_x - x0) / (x1 - x0) * (2 * width - 1)) // 2
        sy = round((data_y - y0) / (y1 - y0) * (2 * height - 1)) // 2
        return left + sx, top + height - 1 - sy

    def cell_size(self) -> tuple[float, float]:
        """One cell's width and height in data units."""
        box = self.plot_box()
        width, height = (box[2], box[3]) if box else (max(self.size.width - 10, 4),
                                                       max(self.size.height - 3, 2))
        return ((self.xlim[1] - self.xlim[0]) / width, (self.ylim[1] - self.ylim[0]) / height)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        point = self.data_at(event.x, event.y)
        if point is None:
            return
        event.stop()
        if event.button == 3 or event.ctrl:
            self.post_message(self.Pointer("remove", *point, self.cell_size()))
            return
        self.dragging = True
        self.capture_mouse()
        self.post_message(self.Pointer("press", *point, self.cell_size()))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.dragging:
            point = self.data_at(event.x, event.y)
            if point is not None:
                self.post_message(self.Pointer("drag", *point, self.cell_size()))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self.dragging:
            self.dragging = False
            self.release_mouse()
            point = self.data_at(event.x, event.y)
            x, y = point if point is not None else (math.nan, math.nan)
            self.post_message(self.Pointer("release", x, y, self.cell_size()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The cursor keys are the data mode's; outside it they belong to the screen.
        frame = self.frame
        return frame is not None and getattr(frame, "data_cursor", None) is not None

    def draw(self, frame) -> None:
        """Clear and redraw the scatter and the line of the run on screen."""
        run = frame.runs[self.run_index]
        snap = run.snap
        if run.label:
            self.border_title = run.label
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        xs, ys = self.display_points(run.engine)
        plt.scatter(xs, ys, marker="hd", color=POINT_COLOR)
        test = getattr(run.engine, "test_set", None)
        if test is not None:  # held-out points: another character, not only another colour
            tx, ty = bin_scatter(test.x, test.y, self.xlim, self.ylim,
                                 max(self.size.width - 10, 4), max(self.size.height - 3, 2))
            plt.scatter(tx, ty, marker=TEST_MARKER, color=TEST_COLOR)
            self.border_subtitle = (f"{run.engine.n_points:,} fitted ▚ · {test.n:,} held out "
                                    f"{TEST_MARKER}")
        cursor = getattr(frame, "data_cursor", None)
        if cursor is not None:
            plt.scatter([cursor[0]], [cursor[1]], marker="◉" if frame.data_holding else "+",
                        color=CURSOR_COLOR)
        x0, x1 = self.xlim
        if run.engine.model_name == "logistic":
            draw_sigmoid(plt, snap, self.xlim, self.size.width)
            self.border_title = self.logistic_title()
        else:
            # Clip the line to the visible box so that a wild line still draws as a segment.
            line_x = np.linspace(x0, x1, 2 * max(self.size.width, 8))
            line_y = snap.m * line_x + snap.b
            visible = (line_y >= self.ylim[0]) & (line_y <= self.ylim[1])
            if visible.any():
                plt.plot(line_x[visible].tolist(), line_y[visible].tolist(), marker="braille",
                         color=LINE_COLOR)
            if not run.label:
                self.border_title = self.line_title()
        plt.xlim(*self.xlim)
        plt.ylim(*self.ylim)
        if self.progress:
            self.border_subtitle = f"{steps_phrase(snap.iteration, 'en')} · {snap.status.value}"
        self.refresh()


def sigmoid_points(m: float, b: float, xlim, count: int) -> tuple[np.ndarray, np.ndarray]:
    """p = σ(m·x + b) across ``xlim`` at ``count`` points (never overflowing)."""
    xs = np.linspace(xlim[0], xlim[1], max(count, 8))
    with np.errstate(all="ignore"):
        return xs, np.exp(-np.logaddexp(0.0, -(m * xs + b)))


def decision_point(m: float, b: float) -> float | None:
    """The x where σ(m·x + b) = 1/2 (m·x + b = 0), None for a flat or non-finite curve."""
    if m == 0 or not (math.isfinite(m) and math.isfinite(b)):
        return None
    x = -b / m
    return x if math.isfinite(x) else None


def draw_sigmoid(plt, snap, xlim, width: int) -> float | None:
    """The logistic model's curve over the 0/1 points and its decision point p = 1/2 (drawn
    when it lies in ``xlim``); returns that point's x, or None."""
    xs, ps = sigmoid_points(snap.m, snap.b, xlim, 2 * width)
    finite = np.isfinite(ps)
    if finite.any():
        plt.plot(xs[finite].tolist(), ps[finite].tolist(), marker="braille", color=LINE_COLOR)
    plt.hline(0.5, "gray")
    x_half = decision_point(snap.m, snap.b)
    if x_half is not None and xlim[0] <= x_half <= xlim[1]:
        plt.scatter([x_half], [0.5], marker="◆", color="yellow")
        return x_half
    return None


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
        if snap.loss != "mse":
            self.border_title += f" · {problem_title(snap.loss, snap.huber_delta)}"
        xs, ys = minmax_buckets(its, values, max(self.size.width - 10, 8))
        if len(xs) == 1:
            plt.scatter(xs, ys, marker="braille", color=LINE_COLOR)
        else:
            plt.plot(xs, ys, marker="braille", color=LINE_COLOR)
        test_words = ""
        if engine.test_set is not None:  # the same line's cost on the held-out points
            test = engine.test_cost(rows[:, COL["m"]], rows[:, COL["b"]])
            if log_scale:
                test = np.log10(np.maximum(test - j_star, floor))
            txs, tys = minmax_buckets(its, test, max(self.size.width - 10, 8))
            plt.scatter(txs, tys, marker=TEST_MARKER, color=TEST_COLOR)
            ys = ys + tys
            test_words = f"  {TEST_MARKER} test J"
        if not log_scale:
            plt.hline(j_star, OPTIMUM_COLOR)
        plt.scatter([float(snap.iteration)], [marker_y], marker="●", color="yellow")
        self.border_subtitle = (f"J* = {num(j_star)}" + test_words
                                + ("  (log scale)" if log_scale else "")
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
            typed = typed_parameters(optimizer, engine.optimizer_params)  # β… typed in (i)
            optimizer += f" {typed}" if typed else ""
            batch, standardized = engine.batch_size, engine.standardize
        else:
            rate, optimizer = snap.learning_rate, snap.optimizer
            batch, standardized = snap.batch_size, snap.standardized
        rows = [
            ("Iteration", f"{snap.iteration:,}"),
            ("m", num(snap.m)),
            ("b", num(snap.b)),
            ("Cost J", num(snap.cost)),
            *([("Test J", num(snap.test_cost))] if snap.test_cost is not None else []),
            ("∂J/∂m", num(snap.grad_m)),
            ("∂J/∂b", num(snap.grad_b)),
            ("Rate α", f"{num(rate)} ({engine.schedule})"),
            ("Optimizer", optimizer),
            ("Batch", f"{batch_label(batch)} of {snap.n_points:,}"),
            ("Standardize", ("on" if standardized else "off")
             + (" (auto)" if engine.auto_standardize else "")),
            ("Status", status_words(snap, running, engine.gradient_symbol)),
            ("m*", num(cf.m)),
            ("b*", num(cf.b)),
            ("J*", num(cf.cost)),
            (f"J {MINUS} J*", num(snap.excess_cost)),
            ("To optimum", f"{num(snap.distance)} in (m, b)"),
        ]
        rows += limit_rows(engine, standardized)
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
        self.border_title = f"Parameters · {problem_title(snap.loss, snap.huber_delta)}"
        self.text = text.plain
        self.update(text, layout=False)  # a fixed-size pane: no layout pass per frame


def limit_rows(engine, standardized: bool) -> list[tuple[str, str]]:
    """The readouts of which constant rates work, as far as the run's loss allows.

    MSE: the exact limit 2/λmax, the best rate and κ. Huber and cross-entropy: a safe bound
    from MSE's curvature, and the best rate and κ of the Hessian at the optimum (what rules
    near it). MAE: no fixed limit (its kinks) and a decaying rate instead.
    """
    if engine.loss == "mse":
        stability = engine.stability(standardized)
        return [("α limit", f"{num(stability.max_stable_lr)} (2/λmax)"),
                ("Best α", f"{num(stability.best_lr)} (2/(λmin+λmax))"),
                ("κ", num(stability.condition_number, 1))]
    if engine.loss == "mae":
        return [("α limit", "none: MAE has kinks"),
                ("Best α", "none: a decaying α settles"),
                ("κ", "none (no curvature)")]
    limit = engine.stability_limit(standardized)
    local = engine.rate_stability(standardized)
    factor = "16" if engine.loss == "cross-entropy" else "2"
    rows = [("α limit", f"{num(limit.max_stable_lr)} safe ({factor}/λmax of MSE)")]
    if local is None:
        return rows + [("Best α", "none: no finite optimum"), ("κ", "none")]
    return rows + [("Best α", f"{num(local.best_lr)} near the optimum"),
                   ("κ", f"{num(local.condition_number, 1)} near the optimum")]


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
        text.append("\n".join(update_lines(snap)))
        if engine.events and snap.live:
            it, what = engine.events[-1]
            text.append(f"\nAt iteration {it}: {what}", style="italic dim")
        self.border_title = f"Update into iteration {snap.iteration}"
        self.text = text.plain
        width = max(self.content_size.width, 1)
        lines = sum(max(1, -(-cell_len(line) // width)) for line in self.text.split("\n"))
        self.update(text, layout=lines != self.lines)  # a new layout only when its height changes
        self.lines = lines
