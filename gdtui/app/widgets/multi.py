"""Panes that show several runs at once: overlaid costs, the race's surface and leaderboard."""

from __future__ import annotations

import math

from rich.text import Text
from textual.widgets import Static

from gdtui.app.widgets.colors import DARK, palette, rgb
from gdtui.app.widgets.panes import FramePane, Plot, iteration_axis_end, log_excess
from gdtui.app.widgets.surface import LandscapePane
from gdtui.app.widgets.ticks import whole_decades
from gdtui.engine import COL, TARGET_PHRASE, Status, iterations_to_reach
from gdtui.formulas import MINUS, names, speed_words
from gdtui.i18n import steps_phrase
from gdtui.plotdata import minmax_buckets

RUN_COLORS = DARK.runs
"""Each runner's colour on a dark theme (Okabe & Ito's colour-blind-safe orange, sky blue,
yellow, reddish purple), none of them the contours' blues and greens or the optimum's green;
a light theme swaps yellow and sky blue for darker ones (:mod:`.colors`)."""
RUN_RGB = DARK.runs_rgb
"""The same colours as (r, g, b) for plotext."""
RUN_MARKERS = ("●", "■", "▲", "◆")
"""Each runner's marker shape, so that runners differ without colour too."""


def legend_label(label: str, short: int) -> str:
    """A run's label for a legend, shorter as ``short`` goes from 0 to 3."""
    if short >= 1:
        label = label.split(",")[0].split(" α")[0]  # "too small", "gd"
    if short >= 2:
        label = label.split(" (")[0]  # "too large"
    if short >= 3:
        label = label.split()[-1] if label.split() else label  # "large"
    return label


class OverlayCostPane(FramePane, Plot):
    """log₁₀(J − J*) of several runs on one plot."""

    pace = 0.05  # as the cost pane's

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = f"log₁₀(J {MINUS} J*) of every run"

    def draw(self, frame) -> None:
        """Every curve (colours as in the panels' titles or the leaderboard) over kept axes."""
        lo, hi = math.inf, -math.inf
        runs = palette(self.app).runs
        end = iteration_axis_end(frame.runs)
        series, markers, firsts = [], [], []
        for i, run in enumerate(frame.runs):
            color = rgb(runs[i % len(runs)])
            rows = run.engine.history.rows
            values = log_excess(rows[:, COL["cost"]], run.engine.closed_form.cost)
            xs, ys = minmax_buckets(rows[:, COL["iteration"]], values, max(self.size.width - 10, 8),
                                    end)
            if len(xs) > 1:
                series.append((xs, ys, color, "braille"))
            markers.append((xs[-1:], ys[-1:], color, RUN_MARKERS[i % len(RUN_MARKERS)]))
            firsts.append((xs[0], ys[0], color))
            finite = [y for y in ys if math.isfinite(y)]
            if finite:
                lo, hi = min(lo, min(finite)), max(hi, max(finite))
        if math.isfinite(lo) and math.isfinite(hi):
            lo, hi = whole_decades(lo, hi)
            hi = max(hi, lo + 1)
        pad = 0.05 * (hi - lo) if hi > lo else 0.5
        limits = (lo - pad, hi + pad)

        def build(plt) -> None:
            for x, y, color in firsts:  # a plot with data (see CostPane)
                plt.scatter([x], [y], marker="braille", color=color)
            self.set_limits((0, end), limits, x_integer=True)

        finite = all(math.isfinite(v) for v in (*limits, *(f[1] for f in firsts)))
        self.keep_layer((self.size, self.app.theme, end, limits, tuple(firsts)) if finite
                        else None, build)
        self.series = series + markers  # every marker over every curve: none is hidden
        # The run's speed, where the comparison has no other readout of it.
        self.border_title = (f"log₁₀(J {MINUS} J*) of every run · "
                             f"{speed_words(frame.steps_per_frame, frame.steps_per_second)}")
        room = self.outer_size.width - 6
        for short in range(4):  # "too large (diverges), α = 1.1", "too large …", "large"
            legend = " · ".join(
                f"[{runs[i % len(runs)]}]{RUN_MARKERS[i % len(RUN_MARKERS)]}[/] "
                + legend_label(run.label, short) for i, run in enumerate(frame.runs))
            if Text.from_markup(legend).cell_len <= room:
                break
        self.border_subtitle = legend
        self.refresh()


class Leaderboard(FramePane, Static):
    """Iterations each runner needed to come within the target of J*."""

    text = ""
    """The plain text on show."""
    note = ""
    """A line under the board (how the rates were chosen)."""

    def draw(self, frame) -> None:
        rows = []
        for i, run in enumerate(frame.runs):
            engine = run.engine
            reached = iterations_to_reach(engine.history, engine.closed_form.cost)
            if reached is not None:
                verdict = steps_phrase(reached, "en")
            elif engine.status is Status.DIVERGED:
                verdict = "diverged"
            else:
                verdict = "not yet"
            rows.append((reached if reached is not None else math.inf, i, run.label, verdict))
        rows.sort(key=lambda r: (r[0], r[1]))
        runs = palette(self.app).runs
        width = max(len(r[2]) for r in rows) + 1
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"Steps to come {TARGET_PHRASE}\n", style="dim")
        for rank, (_, i, label, verdict) in enumerate(rows, 1):
            style = f"bold {runs[i % len(runs)]}"
            text.append(f"{rank}. ", style="dim")
            text.append(f"{RUN_MARKERS[i % len(RUN_MARKERS)]} {label:<{width}}", style=style)
            text.append(f"{verdict}\n")
        iteration = max(run.engine.iteration for run in frame.runs)
        speed = speed_words(frame.steps_per_frame, frame.steps_per_second)
        text.append(f"\nIteration {iteration:,} · {speed}", style="dim")
        if self.note:
            text.append(f"\n{self.note}", style="dim")
        self.border_title = "Leaderboard"
        self.text = text.plain
        self.update(text, layout=False)  # a fixed-size pane


class RaceSurfacePane(LandscapePane):
    """Every runner's path on one cost landscape."""

    def draw(self, frame) -> None:
        """Redraw the field and every path."""
        engines = [run.engine for run in frame.runs]
        engine = engines[0]
        std = engine.standardize
        model = engine.model(std)
        paths = [e.path(std) for e in engines]
        # The window zooms out for the runner farthest from the optimum.
        p_star, q_star = model.optimum()
        farthest, best = None, -1.0
        for p, q in paths:
            d = abs(p[-1] - p_star) + abs(q[-1] - q_star)
            if math.isfinite(d) and d > best:
                best, farthest = d, (float(p[-1]), float(q[-1]))
        self.drawing.update_window(engine, paths, farthest, self.aspect())
        pm, pb = names(std)
        sketch = self.new_sketch()
        self.mark_optimum(sketch, model)
        for (p, q), color, shape in zip(paths, palette(self.app).runs_rgb, RUN_MARKERS,
                                        strict=False):
            self.mark_run(sketch, model, p, q, color, shape, frame.trail, pm, pb)
        self.border_title = f"Cost surface J({pm}, {pb}) with every runner's path"
        self.paint(model, sketch, frame.arrows, "◇ start  ✚ J*")
