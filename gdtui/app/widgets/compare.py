"""The comparison's panels: one run each, labelled by the rule of :mod:`gdtui.rates`.

Every panel shares its axes with the others.
A line that leaves a panel is drawn along the panel's edge (clipped, not lost),
and the panel's subtitle says where it went: its height y at the middle of the x range.
"""

from __future__ import annotations

import math

import numpy as np

from gdtui.app.widgets.panes import LINE_COLOR, POINT_COLOR, CostPane, DataPane
from gdtui.coach import plural
from gdtui.engine import COL
from gdtui.plotdata import clip_line
from gdtui.rates import RateClass


def _fit(options: list[str], width: int) -> str:
    """The first of ``options`` that fits a border of ``width`` cells (the last one if none)."""
    room = max(width - 6, 4)
    for text in options:
        if len(text) <= room:
            return text
    return options[-1]


class ComparePane(DataPane):
    """The data and one run's line, titled with its rate's label."""

    def __init__(self, dataset, run_index: int, rate_class: RateClass | None,
                 **kwargs) -> None:
        super().__init__(dataset, run_index=run_index, **kwargs)
        self.rate_class = rate_class
        self.where = ""
        """Where the line is when it is off the plot ("" while it crosses it)."""

    def titles(self, lr: float) -> list[str]:
        """Titles from the longest to the shortest."""
        alpha = f"α = {lr:.3g}"
        rc = self.rate_class
        if rc is None:
            return [alpha]
        return [f"{rc.label}, {alpha}", f"{rc.kind}, {alpha}", f"{rc.short}, {alpha}",
                f"{rc.short} α={lr:.3g}", rc.short]

    def draw(self, frame) -> None:
        """The scatter, the line clipped to the plot's edges, and what happened in words."""
        run = frame.runs[self.run_index]
        snap = run.snap
        width = self.size.width
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        xs, ys = self.display_points()
        plt.scatter(xs, ys, marker="hd", color=POINT_COLOR)
        (x0, x1), (ylo, yhi) = self.xlim, self.ylim
        segment, side = clip_line(snap.m, snap.b, self.xlim, self.ylim)
        line_x = np.linspace(x0, x1, 2 * max(width, 8))
        with np.errstate(all="ignore"):
            line_y = np.clip(snap.m * line_x + snap.b, ylo, yhi)
        if not np.all(np.isfinite(line_y)):
            line_y = np.full_like(line_x, yhi)
        plt.plot(line_x.tolist(), line_y.tolist(), marker="braille", color=LINE_COLOR)
        plt.xlim(x0, x1)
        plt.ylim(ylo, yhi)
        # The same ticks in every panel (plotext would pick them by each panel's width).
        ticks = [float(self.dataset.x.min()), float(np.median(self.dataset.x)),
                 float(self.dataset.x.max())]
        plt.xticks(ticks, [f"{t:.4g}" for t in ticks])
        self.where = ""
        arrow = ""
        if segment is None:
            mid = snap.m * (x0 + x1) / 2 + snap.b
            arrow = "↑" if side == "top" else "↓"
            value = f"y={mid:.2g}" if math.isfinite(mid) else "y too large to print"
            self.where = f"line {'above' if side == 'top' else 'below'}: {value}"
        steps = plural(snap.iteration)
        status = snap.status.value
        options = [" · ".join(p for p in (steps, status, self.where) if p)]
        if self.where:
            short = f"{'above' if arrow == '↑' else 'below'}: {value}"
            options += [f"{steps} · {self.where}", self.where, short, f"{arrow} {value}"]
        options.append(steps)
        self.border_title = _fit(self.titles(run.engine.learning_rate), width)
        self.border_subtitle = _fit(options, width)
        self.refresh()


class SharedCostPane(CostPane):
    """One run's cost per iteration, on the same axes as every other panel's."""

    limits: tuple[float, float, float] | None = None
    """(lowest, highest, last iteration) drawn: the same in every panel of a frame."""

    def draw(self, frame) -> None:
        super().draw(frame)
        lo, hi, last = math.inf, -math.inf, 1.0
        for run in frame.runs:
            rows = run.engine.history.rows
            j_star = run.engine.closed_form.cost
            cost = rows[:, COL["cost"]]
            if frame.log_scale:
                values = np.log10(np.maximum(cost - j_star, max(abs(j_star), 1e-300) * 1e-16))
            else:
                values = cost
            finite = values[np.isfinite(values)]
            if finite.size:
                lo, hi = min(lo, float(finite.min())), max(hi, float(finite.max()))
            last = max(last, float(rows[-1, COL["iteration"]]))
        plt = self.plt
        self.limits = (lo, hi, last)
        if math.isfinite(lo) and hi > lo:
            count = max(2, min(5, (self.size.height - 4) // 2 + 1))
            ticks = np.linspace(lo, hi, count).tolist()
            plt.ylim(lo, hi)
            plt.yticks(ticks, [f"{v:.4g}" for v in ticks])
        ticks = sorted({int(round(v)) for v in np.linspace(0.0, last, 5)})
        plt.xticks(ticks, [f"{t:,}" for t in ticks])
        plt.xlim(0, last)
        self.refresh()
