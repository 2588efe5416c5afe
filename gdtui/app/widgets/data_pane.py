"""The data pane: the scatter with the fitted line (or the logistic model's S-curve), its
fading trail, the residuals, the held-out points and the data mode's cursor; the mouse edits
the data through it. It redraws from the frame bound to it, like every pane."""

from __future__ import annotations

import math

import numpy as np
from textual import events
from textual.binding import Binding
from textual.message import Message

from gdtui.app.widgets.colors import palette
from gdtui.app.widgets.panes import (
    CURSOR_COLOR,
    LINE_COLOR,
    LINE_RGB,
    RESIDUAL_CAP,
    RESIDUAL_RGB,
    SQUARE_CAP,
    SQUARE_RGB,
    TEST_COLOR,
    TEST_MARKER,
    TRAIL_LINES,
    FramePane,
    Plot,
)
from gdtui.app.widgets.pointer import plot_box
from gdtui.data import Dataset
from gdtui.engine import COL
from gdtui.formulas import num
from gdtui.i18n import steps_phrase
from gdtui.plotdata import bin_scatter, cell_value, clip_line, padded_limits


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
        self.where = ""
        """Where the line is when it misses the plot ("" while it crosses it)."""
        self.y_shown = self.ylim
        """The y range drawn: the data's, or with follow mode on one that holds the line."""
        self.trail_drawn = self.residuals_drawn = self.squares_drawn = 0
        """Earlier lines, residual segments and squares the last frame drew (tests read them)."""
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
        self.border_title = self.line_title()

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

    def shown_limits(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The x and y ranges as drawn (the tick rule may widen y so ticks fall on rows)."""
        shown = self.limits_shown
        if shown is None:
            return self.xlim, self.ylim
        return shown[0], shown[1] if shown[1] is not None else self.ylim

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
        xlim, ylim = self.shown_limits()
        return (cell_value(cx, width, *xlim, sub=2),
                cell_value(height - 1 - cy, height, *ylim, sub=2))

    def cell_at(self, data_x: float, data_y: float) -> tuple[int, int] | None:
        """The pane cell that shows the data point (data_x, data_y) (the inverse of data_at)."""
        box = self.plot_box()
        if box is None:
            return None
        left, top, width, height = box
        (x0, x1), (y0, y1) = self.shown_limits()
        sx = round((data_x - x0) / (x1 - x0) * (2 * width - 1)) // 2
        sy = round((data_y - y0) / (y1 - y0) * (2 * height - 1)) // 2
        return left + sx, top + height - 1 - sy

    def cell_size(self) -> tuple[float, float]:
        """One cell's width and height in data units."""
        box = self.plot_box()
        width, height = (box[2], box[3]) if box else (max(self.size.width - 10, 4),
                                                       max(self.size.height - 3, 2))
        (x0, x1), (y0, y1) = self.shown_limits()
        return ((x1 - x0) / width, (y1 - y0) / height)

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

    def plot_cells(self) -> tuple[int, int]:
        """(columns, rows) of the plot area, about (plotext keeps the rest for its axes)."""
        return max(self.size.width - 10, 4), max(self.size.height - 4, 2)

    def y_range(self, snap, follow: bool) -> tuple[float, float]:
        """The data's y range, or with ``follow`` one that holds the line across the x range too."""
        if not follow:
            return self.ylim
        with np.errstate(all="ignore"):
            ends = [snap.m * x + snap.b for x in self.xlim]
        ends = [y for y in ends if math.isfinite(y) and abs(y) < 1e300]
        if not ends:
            return self.ylim
        lo, hi = min(self.ylim[0], *ends), max(self.ylim[1], *ends)
        pad = 0.05 * (hi - lo)
        return (lo - pad, hi + pad) if (lo, hi) != self.ylim else self.ylim

    def draw(self, frame) -> None:
        """Draw the scatter, the line of the run on screen, its trail and residuals.

        The scatter and the axes (plotext) are drawn again only when what they show changes;
        the line and its trail are drawn over them every frame (:mod:`.overlay`), unless the
        frame draws what only plotext draws (residuals, the data mode's cursor, the logistic
        curve, a line off the plot): then plotext draws everything.
        """
        run = frame.runs[self.run_index]
        snap, engine = run.snap, run.engine
        if run.label:
            self.border_title = run.label
        follow = frame.follow
        colors = palette(self.app)
        xs, ys = self.display_points(engine)  # first: an edit may widen the box
        ylim = self.y_shown = self.y_range(snap, follow)
        self.residuals_drawn = self.squares_drawn = 0
        self.where = ""
        logistic = engine.model_name == "logistic"
        series = [] if logistic else self.line_series(frame, engine, snap, ylim,
                                                      colors.rgb("line"))
        residuals = frame.residuals and engine.loss != "cross-entropy"
        cursor = getattr(frame, "data_cursor", None)
        test = getattr(engine, "test_set", None)
        over = not (logistic or residuals or cursor is not None or self.where)
        # Everything the scatter layer shows: while it is the same, its lines are reused.
        key = (self.size, self.app.theme, id(engine), getattr(engine, "data_version", 0),
               id(test), self.xlim, ylim, colors.rgb("points")) if over else None
        def build(plt) -> None:
            if residuals:
                self.draw_residuals(plt, engine, snap, ylim, frame.residuals > 1)
            plt.scatter(xs, ys, marker="hd", color=colors.rgb("points"))
            if test is not None:  # held-out points: another character, not only another colour
                tx, ty = bin_scatter(test.x, test.y, self.xlim, ylim,
                                     max(self.size.width - 10, 4), max(self.size.height - 3, 2))
                plt.scatter(tx, ty, marker=TEST_MARKER, color=TEST_COLOR)
            if cursor is not None:
                plt.scatter([cursor[0]], [cursor[1]], marker="◉" if frame.data_holding else "+",
                            color=CURSOR_COLOR)
            if logistic:
                draw_sigmoid(plt, snap, self.xlim, self.size.width, LINE_COLOR)
            elif not over:
                self.plot_series(plt, series)
                if self.where:
                    x0, x1 = self.xlim
                    plt.text(self.where, x0 + 0.02 * (x1 - x0),
                             ylim[1] if "▲" in self.where else ylim[0],
                             color=colors.rgb("line"), background="default", alignment="left")
            self.set_limits(self.xlim, ylim)

        self.keep_layer(key, build)
        self.series = series if over else []
        if test is not None:
            self.border_subtitle = (f"{engine.n_points:,} fitted ▚ · {test.n:,} held out "
                                    f"{TEST_MARKER}")
        if logistic:
            self.border_title = self.logistic_title()
        elif not run.label and not self.progress:
            self.border_title = self.line_title() + (
                " · follows the line" if follow else " · data range")
        if self.progress:
            self.border_subtitle = f"{steps_phrase(snap.iteration, 'en')} · {snap.status.value}"
        self.refresh()

    def line_series(self, frame, engine, snap, ylim, line_rgb) -> list:
        """(xs, ys, colour, "braille") of the trail's lines, then the run's line; sets
        ``where`` when the line misses the plot."""
        series = []
        self.trail_drawn = 0
        if frame.trail:
            rows = engine.history.rows[max(0, snap.index - TRAIL_LINES):snap.index]
            for age, row in enumerate(rows[::-1], 1):
                points = self.line_points(row[COL["m"]], row[COL["b"]], ylim)
                if points is not None:
                    series.append((*points, fade(LINE_RGB, age / (TRAIL_LINES + 1)), "braille"))
                    self.trail_drawn += 1
        points = self.line_points(snap.m, snap.b, ylim)
        if points is None:
            self.where = off_plot(snap.m, snap.b, self.xlim, ylim)
        else:
            series.append((*points, line_rgb, "braille"))
        return series

    def line_points(self, m: float, b: float, ylim) -> tuple[list, list] | None:
        """Points of the line y = m·x + b clipped to the box; None when none of it is inside."""
        segment, _ = clip_line(m, b, self.xlim, ylim)
        if segment is None:
            return None
        (xa, ya), (xb, yb) = segment
        n = 2 * max(self.size.width, 8)
        line_x = np.linspace(xa, xb, max(2, int(n * (xb - xa) / (self.xlim[1] - self.xlim[0]))))
        return line_x.tolist(), np.clip(m * line_x + b, *ylim).tolist()

    def draw_residuals(self, plt, engine, snap, ylim, squares: bool) -> None:
        """Each point's residual yᵢ − ŷᵢ as a vertical segment (at most RESIDUAL_CAP of them),
        and with ``squares`` the square on it (at most SQUARE_CAP): J is their mean area."""
        x, y = engine.x, engine.y
        idx = np.unique(np.linspace(0, x.size - 1, min(x.size, RESIDUAL_CAP)).astype(np.int64))
        xi, yi = x[idx], y[idx]
        with np.errstate(all="ignore"):
            fit = snap.m * xi + snap.b
        lo, hi = ylim
        cols, rows = self.plot_cells()
        ya, yb = np.clip(yi, lo, hi), np.clip(np.nan_to_num(fit, nan=hi), lo, hi)
        px, py = vertical_dots(xi, ya, yb, (hi - lo) / (4 * rows))
        self.residuals_drawn = int(idx.size)
        if squares:
            step = max(1, idx.size // SQUARE_CAP)
            sx, sy = xi[::step], ya[::step]
            side = np.abs(yb - ya)[::step]
            # A square on screen: a cell is about twice as tall as wide.
            width = side / (hi - lo) * rows * 2 * (self.xlim[1] - self.xlim[0]) / cols
            corners = [(sx, sy), (sx + width, sy), (sx + width, yb[::step]), (sx, yb[::step])]
            qx, qy = [], []
            for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1], strict=True):
                t = np.linspace(0.0, 1.0, 12)[:, None]
                qx.append((ax + (bx - ax) * t).ravel())
                qy.append((ay + (by - ay) * t).ravel())
            qx, qy = np.concatenate(qx), np.concatenate(qy)
            keep = (qx >= self.xlim[0]) & (qx <= self.xlim[1])
            plt.scatter(qx[keep].tolist(), qy[keep].tolist(), marker="braille",
                        color=SQUARE_RGB)
            self.squares_drawn = int(sx.size)
        plt.scatter(px.tolist(), py.tolist(), marker="braille", color=RESIDUAL_RGB)


def fade(rgb, t: float) -> tuple[int, int, int]:
    """``rgb`` faded a fraction ``t`` towards grey (readable on dark and light themes)."""
    return tuple(int(round(c + (128 - c) * t)) for c in rgb)


def vertical_dots(x, ya, yb, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Points every ``spacing`` along the vertical segments from (x, ya) to (x, yb)."""
    n = np.clip(np.ceil(np.abs(yb - ya) / max(spacing, 1e-300)), 1, 200).astype(np.int64) + 1
    idx = np.repeat(np.arange(n.size), n)
    t = (np.arange(idx.size) - np.repeat(np.cumsum(n) - n, n)) / np.maximum(n[idx] - 1, 1)
    return x[idx], ya[idx] + (yb[idx] - ya[idx]) * t


def off_plot(m: float, b: float, xlim, ylim) -> str:
    """Where a line that misses the plot is: ▲ or ▼ with its height at mid-range."""
    _, side = clip_line(m, b, xlim, ylim)
    mid = m * (xlim[0] + xlim[1]) / 2 + b if math.isfinite(m) and math.isfinite(b) else math.nan
    value = f"y = {num(mid, 3)}" if math.isfinite(mid) else "y beyond float64"
    return f"{'▲' if side == 'top' else '▼'} line {'above' if side == 'top' else 'below'}: {value}"


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


def draw_sigmoid(plt, snap, xlim, width: int, color) -> float | None:
    """The logistic model's curve (in ``color``) over the 0/1 points and its decision point
    p = 1/2 (drawn when it lies in ``xlim``); returns that point's x, or None."""
    xs, ps = sigmoid_points(snap.m, snap.b, xlim, 2 * width)
    finite = np.isfinite(ps)
    if finite.any():
        plt.plot(xs[finite].tolist(), ps[finite].tolist(), marker="braille", color=color)
    plt.hline(0.5, "gray")
    x_half = decision_point(snap.m, snap.b)
    if x_half is not None and xlim[0] <= x_half <= xlim[1]:
        plt.scatter([x_half], [0.5], marker="◆", color="yellow")
        return x_half
    return None
