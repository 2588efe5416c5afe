"""The panes of a run screen. Each redraws from the frame bound to it; none steps an engine."""

from __future__ import annotations

import math
import time

import numpy as np
from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip
from textual_plotext import PlotextPlot

from gdtui.app.widgets.colors import palette
from gdtui.app.widgets.lines import LineDiff
from gdtui.app.widgets.overlay import draw_over
from gdtui.app.widgets.readouts import shorten
from gdtui.app.widgets.ticks import axis_end, row_aligned, whole_decades, x_ticks
from gdtui.engine import COL
from gdtui.formulas import MINUS, num
from gdtui.plotdata import minmax_buckets, plot_area
from gdtui.problems import problem_title

LINE_COLOR = "red"
"""The logistic model's S-curve."""
LINE_RGB = (220, 50, 47)
"""The line's trail fades from this colour."""
TRAIL_LINES = 6
"""Earlier lines drawn, fading, behind the current one."""
RESIDUAL_RGB = (230, 159, 0)
SQUARE_RGB = (120, 100, 70)
RESIDUAL_CAP = 200
"""At most this many residuals are drawn (evenly spaced through the data)."""
SQUARE_CAP = 40
RESIDUAL_WORDS = {"mse": " · J = mean of the residuals²",
                  "mae": " · J = mean of |residual|",
                  "huber": " · J = mean Huber loss of the residuals"}
"""What the cost pane says J is, with residuals on (none for cross-entropy)."""
CURSOR_COLOR = "yellow"
TEST_COLOR = "magenta"
TEST_MARKER = "×"
"""How a held-out point is drawn (the fitted ones are quadrant blocks)."""



def in_sight(screen) -> bool:
    """Whether a screen can be seen: only dialogs (modal screens) lie above it. (Textual
    counts the screen under the top one as current whatever covers it.)"""
    stack = screen.app.screen_stack
    if screen not in stack:
        return False
    return all(above.is_modal for above in stack[stack.index(screen) + 1:])


class FramePane(LineDiff):
    """Mixin: a pane that redraws from its bound ``frame`` whenever the frame, its size or
    its visibility changes. Subclasses implement :meth:`draw`; ``run_index`` picks the run.

    What reaches the terminal is only what a draw changed: the pane renders its new content
    into lines (:meth:`content_lines`), compares them with the lines on screen, and asks
    Textual to repaint only the changed spans (a border row when its title changed). A whole
    repaint that Textual asks for by itself (a new size, a theme, focus) renders afresh.
    """

    frame = reactive(None, repaint=False)  # draw() refreshes what it changed
    can_focus = True
    """Tab or a click picks a pane (``m`` maximizes the focused one)."""
    ALLOW_MAXIMIZE = True
    run_index = 0
    draws = 0
    """How many times the pane has drawn (tests check that a change redraws)."""
    undrawable = False
    """True when the last frame held numbers the pane cannot place (it says so instead)."""
    full_borders: dict | None = None
    pace = 0.0
    """In run mode, at least this many seconds between draws (0: every frame); the frame a
    later draw shows is the newest. A step, a pause or any frame of step mode draws at once."""
    last_drawn = 0.0
    paced = None
    """The timer of a draw put off by :attr:`pace`, or None."""

    def watch_frame(self, frame) -> None:
        if self.pace and frame is not None and frame.running:
            wait = self.last_drawn + self.pace - time.monotonic()
            if wait > 0:
                if self.paced is None:
                    self.paced = self.set_timer(wait, self.paced_redraw)
                return
        self.redraw()

    def paced_redraw(self) -> None:
        self.paced = None
        self.redraw()

    def on_mount(self) -> None:
        # The plots' colours follow the theme (light or dark): a new theme redraws, once the
        # plot has told plotext of it (textual-plotext hears of it after this pane).
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.call_later(self.redraw))

    def on_unmount(self) -> None:
        # The signal's callbacks hold the pane: a closed comparison would stay in memory.
        self.app.theme_changed_signal.unsubscribe(self)

    drawn_frame = drawn_size = None
    """The frame and the size of the last draw (None: none yet, or one was missed while the
    pane was hidden): a resize or a show that changes neither draws nothing."""
    paint_draws = True
    """Whether a paint of the pane at a size it has not drawn at draws it first (a pane whose
    draw changes another widget's content or the layout says False)."""

    def on_resize(self) -> None:
        self.redraw_if_stale()

    def on_show(self) -> None:
        self.redraw_if_stale()

    def redraw_if_stale(self) -> None:
        """Draw unless the last draw was of the bound frame at this size."""
        if self.drawn_frame is not self.frame or self.drawn_size != self.size:
            self.redraw()

    def redraw(self) -> None:
        """Draw the bound frame, unless the pane is hidden, has no size yet or is on a screen
        out of sight (under another that is not a dialog: its run screen draws it when it
        comes back)."""
        if (self.frame is None or not self.display or not self.size.area
                or not in_sight(self.screen)):
            self.drawn_frame = self.drawn_size = None  # drawn when next shown
            return
        with self.changing():
            self.draw_frame()

    def render_lines(self, crop):
        # Textual paints a pane it has just laid out at a new size (the first screen, a
        # resize) before the pane hears of its size: the pane draws now, so that the paint
        # shows it drawn (not empty or at its old size, then drawn again a frame later).
        if (self.paint_draws and self.frame is not None and self.size.area
                and self.shown_size != self.size and self.drawn_size != self.size):
            with self.unsent():
                self.draw_frame()
        return super().render_lines(crop)

    def draw_frame(self) -> None:
        """Draw the bound frame (its refreshes collected by the caller)."""
        self.draws += 1
        self.last_drawn = time.monotonic()
        if self.paced is not None:
            self.paced.stop()
            self.paced = None
        for attr, (full, short) in (self.full_borders or {}).items():
            if str(getattr(self, attr) or "") == short:
                setattr(self, attr, full)  # the draw starts from the texts as written
        try:
            with np.errstate(all="ignore"):
                self.draw(self.frame)
            self.undrawable = False
        except (OverflowError, ValueError, ZeroDivisionError, FloatingPointError):
            self.undrawable = True  # a blow-up is a state on screen, never a crash
            self.content_changed = True
            self.layer_key = None  # what it says is rendered whole, not drawn over a layer
        self.fit_borders()
        self.drawn_frame, self.drawn_size = self.frame, self.size

    def forget_lines(self) -> None:
        super().forget_lines()
        self.layer_lines = None  # a theme, a focus: the layer is rendered afresh too

    # -- a plot kept as a layer, with what moves drawn over it ------------------------------
    layer_key: tuple | None = None
    """What the plotext layer shows while ``series`` are drawn over it (None: plotext draws
    everything); its rendered lines and plotting area are kept while it stays the same."""
    layer_lines = layer_size = layer_area = None
    series: list = []
    """(xs, ys, colour, marker) drawn over the layer this frame (:mod:`.overlay`)."""

    def keep_layer(self, key: tuple | None, build) -> None:
        """Draw the plot's layer with ``build(plt)`` (after clearing the figure) unless ``key``
        is the key of the layer on show; ``key`` None draws it always (nothing kept)."""
        if key is None or key != self.layer_key:
            plt = self.plt
            plt.clear_data()
            plt.clear_figure()
            build(plt)
            self.layer_key, self.layer_lines = key, None

    def content_lines(self) -> list[Strip]:
        """The pane's content at its size, as lines: the kept layer with the series over it,
        or the whole plot rendered."""
        if self.layer_key is None:
            return self.rendered_lines()
        if self.layer_lines is None or self.layer_size != self.size:
            self.layer_lines, self.layer_size = self.rendered_lines(), self.size
            self.layer_area = plot_area([line.text for line in self.layer_lines])
        if not self.series:
            return list(self.layer_lines)
        if self.layer_area is None or self.limits_shown[1] is None:
            # Nothing to draw over (a pane a few rows high, axes plotext chose): all plotext.
            self.plot_series(self.plt, self.series)
            self.layer_key = None  # the figure now holds the series: the next draw starts anew
            return self.rendered_lines()
        xlim, ylim = self.limits_shown
        return draw_over(self.layer_lines, self.layer_area, xlim, ylim, self.series)

    def fit_borders(self) -> None:
        """Cut the border's title and subtitle at a separator to the pane's width (a border
        would end them in "…"); the full text comes back when the pane is wide again."""
        if self.full_borders is None:
            self.full_borders = {}  # (full text, shown text) by border attribute
        room = self.outer_size.width - 6  # the corners, the rules and a space each side
        for attr in ("border_title", "border_subtitle"):
            text = str(getattr(self, attr) or "")
            if not text:
                self.full_borders.pop(attr, None)
                continue
            fitted = shorten(text, room)
            self.full_borders[attr] = (text, fitted)
            if fitted != getattr(self, attr):
                setattr(self, attr, fitted)

    def full_border(self, attr: str = "border_title") -> str:
        """The border's title (or ``"border_subtitle"``) as written, before it was cut to fit."""
        full, short = (self.full_borders or {}).get(attr, (None, None))
        text = str(getattr(self, attr) or "")
        return full if full is not None and text == short else text

    def draw(self, frame) -> None:
        raise NotImplementedError


def log_excess(cost, j_star: float):
    """log₁₀(J − J*) of a cost (or an array of costs), never below 16 digits under |J*|."""
    return np.log10(np.maximum(np.asarray(cost) - j_star, max(abs(j_star), 1e-300) * 1e-16))


def iteration_axis_end(runs) -> float:
    """The end of an iteration axis that shows ``runs``: 10, 20, 50, 100, … past the last
    iteration of any of them, so that the axis and what is drawn on it stay put."""
    return axis_end(max(float(run.engine.history.rows[-1, COL["iteration"]]) for run in runs))


class Plot(PlotextPlot):
    """A plotext plot that never takes the app down: numbers beyond what a plot can place
    (an overflowing cost, a line at 1e308) are said in the pane instead of drawn."""

    limits_shown = None
    """((x0, x1), (y0, y1)) the last draw gave plotext (y None when plotext chose it): the
    vertical range may be a little wider than asked, so that every tick falls on a row.
    Mapping a cell to data coordinates uses these."""

    def render(self):
        try:
            if not self.undrawable:
                return super().render()
        except (OverflowError, ValueError, ZeroDivisionError, IndexError, TypeError):
            pass
        return Text("Nothing to draw: these numbers are beyond what a plot can place "
                    "(the run's readouts still hold them).", style="italic")

    @staticmethod
    def plot_series(plt, series) -> None:
        """Give plotext ``series`` (xs, ys, colour, marker) as :mod:`.overlay` draws them:
        "braille" lines through the points, any other marker at each point."""
        for xs, ys, colour, marker in series:
            if marker == "braille" and len(xs) > 1:
                plt.plot(xs, ys, marker=marker, color=colour)
            else:
                plt.scatter(xs, ys, marker=marker, color=colour)

    def set_limits(self, xlim, ylim, x_integer: bool = False, y_integer: bool = False,
                   size=None) -> None:
        """Set the axes' ranges and their ticks by the one tick rule (:mod:`.ticks`).

        ``ylim`` None (or empty, or not finite) leaves the vertical axis to plotext.
        ``size`` (width, height) sets the ticks for another size than the pane's: panels
        that share their axes pass the smallest, so that all show the same ticks.
        """
        plt = self.plt
        x0, x1 = xlim
        plt.xlim(x0, x1)
        self.limits_shown = ((x0, x1), None)
        width, height = size or (self.content_size.width, self.content_size.height)
        ylabels: list[str] = []
        if ylim is not None and math.isfinite(ylim[0]) and math.isfinite(ylim[1]) \
                and ylim[1] > ylim[0]:
            low, high, yt, ylabels = row_aligned(ylim[0], ylim[1], max(height - 3, 1),
                                                 y_integer)
            plt.ylim(low, high)
            self.limits_shown = ((x0, x1), (low, high))
            if yt:
                plt.yticks(yt, ylabels)
        label_width = max((len(s) for s in ylabels), default=6)
        xt, xlabels = x_ticks(x0, x1, max(width - label_width - 2, 4), x_integer)
        if xt:
            plt.xticks(xt, xlabels)


class CostPane(FramePane, Plot):
    """Cost per iteration with J* as a reference; log scale of J − J* on ``l``.

    The axes and J*'s line are a kept layer (they change when the axis grows, or the scale);
    the curve, the held-out cost and the marker are drawn over it every draw.
    """

    pace = 0.05  # at most 20 draws a second while running

    def __init__(self, run_index: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.run_index = run_index
        self.border_title = "Cost J per iteration"

    def draw(self, frame) -> None:
        """The curve up to the live iteration, a marker at the one on screen."""
        engine, snap = frame.runs[self.run_index].engine, frame.runs[self.run_index].snap
        log_scale = frame.log_scale
        rows = engine.history.rows
        its = rows[:, COL["iteration"]]
        cost = rows[:, COL["cost"]]
        j_star = engine.closed_form.cost
        if log_scale:
            values = log_excess(cost, j_star)
            marker_y = float(log_excess(snap.cost, j_star))
            self.border_title = f"log₁₀(J {MINUS} J*) per iteration"
        else:
            values = cost
            marker_y = snap.cost
            self.border_title = "Cost J per iteration"
        if snap.loss != "mse":
            self.border_title += f" · {problem_title(snap.loss, snap.huber_delta)}"
        colors = palette(self.app)
        end = self.iteration_end(frame)
        xs, ys = minmax_buckets(its, values, max(self.size.width - 10, 8), end)
        series = [(xs, ys, colors.rgb("line"), "braille")]
        test_words = ""
        if engine.test_set is not None:  # the same line's cost on the held-out points
            test = engine.test_cost(rows[:, COL["m"]], rows[:, COL["b"]])
            if log_scale:
                test = log_excess(test, j_star)
            txs, tys = minmax_buckets(its, test, max(self.size.width - 10, 8), end)
            series.append((txs, tys, TEST_COLOR, TEST_MARKER))
            ys = ys + tys
            test_words = f"  {TEST_MARKER} test J"
        series.append(([float(snap.iteration)], [marker_y], colors.rgb("marker"), "●"))
        self.border_subtitle = (f"J* = {num(j_star)}" + test_words
                                + ("  (log scale)" if log_scale else "")
                                + ("  · older history thinned" if engine.history.decimated
                                   else ""))
        if frame.residuals:
            self.border_subtitle += RESIDUAL_WORDS.get(engine.loss, "")
        lo, hi = min(min(ys), marker_y), max(max(ys), marker_y)
        if not log_scale:
            lo = min(lo, j_star)
        else:
            lo, hi = whole_decades(lo, hi)
        lo, hi = self.cost_limits(frame, lo, hi)
        size = self.tick_size()
        optimum, first = colors.rgb("optimum"), (xs[0], ys[0])

        def build(plt) -> None:
            if not log_scale:
                plt.hline(j_star, optimum)
            # The curve's first point: plotext lays out a plot with data one row differently
            # from one without (the curve drawn over it covers the point again).
            plt.scatter([first[0]], [first[1]], marker="braille", color=colors.rgb("line"))
            self.set_limits((0, end), (lo, hi), x_integer=True, size=size)

        finite = all(math.isfinite(v) for v in (lo, hi, j_star, *first))
        self.keep_layer((self.size, self.app.theme, end, lo, hi, log_scale, j_star, optimum,
                         size, first) if finite else None, build)
        self.series = series
        self.refresh()

    def cost_limits(self, frame, lo: float, hi: float) -> tuple[float, float]:
        """The vertical axis's range for the curve's (lo, hi) (panels share theirs)."""
        return lo, hi

    def tick_size(self) -> tuple[int, int] | None:
        """The size the ticks are chosen for (None: the pane's own)."""
        return None

    def iteration_end(self, frame) -> float:
        """The end of the iteration axis (:func:`iteration_axis_end` of this pane's run)."""
        return iteration_axis_end(frame.runs[self.run_index:self.run_index + 1])
