"""The comparison's panels: one run each, labelled by the rule of :mod:`gdtui.rates`.

Every panel shares its axes with the others.
A line that leaves a panel is drawn along the panel's edge (clipped, not lost),
and the panel's subtitle says where it went: its height y at the middle of the x range.
"""

from __future__ import annotations

import functools
import math
import weakref

import numpy as np

from gdtui.app.widgets.colors import palette
from gdtui.app.widgets.data_pane import DataPane, draw_sigmoid
from gdtui.app.widgets.panes import (
    LINE_COLOR,
    CostPane,
    FramePane,
    Plot,
    iteration_axis_end,
    log_excess,
)
from gdtui.app.widgets.surface import PATH_RGB, LandscapePane
from gdtui.app.widgets.ticks import whole_decades
from gdtui.coach import plural
from gdtui.engine import COL
from gdtui.formulas import names
from gdtui.plotdata import clip_line, stride_path
from gdtui.rates import RateClass


def rate_titles(rc: RateClass | None, lr: float) -> list[str]:
    """A panel's titles from the longest to the shortest: its label and its α."""
    alpha = f"α = {lr:.3g}"
    if rc is None:
        return [alpha]
    return [f"{rc.label}, {alpha}", f"{rc.kind}, {alpha}", f"{rc.short}, {alpha}",
            f"{rc.short} α={lr:.3g}", rc.short]


def _fit(options: list[str], width: int) -> str:
    """The first of ``options`` that fits a border of ``width`` cells (the last one if none)."""
    room = max(width - 6, 4)
    for text in options:
        if len(text) <= room:
            return text
    return options[-1]


def shared_size(pane) -> tuple[int, int]:
    """The smallest content size among the panes of ``pane``'s kind on its screen: panels
    that share their axes set their ticks for it, and so show the same ticks."""
    sizes = [p.content_size for p in pane.screen.query(type(pane)) if p.content_size.area]
    if not sizes:
        return pane.content_size.width, pane.content_size.height
    return min(s.width for s in sizes), min(s.height for s in sizes)


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
        return rate_titles(self.rate_class, lr)

    def draw(self, frame) -> None:
        """The scatter, the line clipped to the plot's edges, and what happened in words."""
        run = frame.runs[self.run_index]
        snap = run.snap
        width = self.size.width
        colors = palette(self.app)
        logistic = run.engine.model_name == "logistic"
        shared = shared_size(self)
        # The scatter is kept while what it shows is the same; the line is drawn over it.
        key = None if logistic else (self.size, self.app.theme, self.xlim, self.ylim,
                                     colors.rgb("points"), shared)
        def build(plt) -> None:
            xs, ys = self.display_points()
            plt.scatter(xs, ys, marker="hd", color=colors.rgb("points"))
            if logistic:  # σ stays within [0, 1]: never off the panel
                draw_sigmoid(plt, snap, self.xlim, width, LINE_COLOR)
            self.set_limits(self.xlim, self.ylim, size=shared)  # the same ticks

        self.keep_layer(key, build)
        (x0, x1), (ylo, yhi) = self.xlim, self.ylim
        self.series = []
        if logistic:
            segment, side = True, ""
        else:
            segment, side = clip_line(snap.m, snap.b, self.xlim, self.ylim)
            line_x = np.linspace(x0, x1, 2 * max(width, 8))
            with np.errstate(all="ignore"):
                line_y = np.clip(snap.m * line_x + snap.b, ylo, yhi)
            if not np.all(np.isfinite(line_y)):
                line_y = np.full_like(line_x, yhi)
            self.series = [(line_x.tolist(), line_y.tolist(), colors.rgb("line"), "braille")]
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


_shared_limits: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def shared_cost_limits(frame) -> tuple[float, float, float]:
    """(lowest, highest, last iteration) of every run's cost curve in ``frame`` (log₁₀(J − J*)
    in whole decades on a log scale): the axes the comparison's panels share. Worked out once
    a frame, not once a panel (a frame is a new object at every change; kept while it lives)."""
    if frame not in _shared_limits:
        _shared_limits[frame] = cost_range(frame)
    return _shared_limits[frame]


def cost_range(frame) -> tuple[float, float, float]:
    """:func:`shared_cost_limits` worked out."""
    lo, hi, last = math.inf, -math.inf, 1.0
    for run in frame.runs:
        rows = run.engine.history.rows
        j_star = run.engine.closed_form.cost
        cost = rows[:, COL["cost"]]
        values = log_excess(cost, j_star) if frame.log_scale else cost
        finite = values[np.isfinite(values)]
        if finite.size:
            lo, hi = min(lo, float(finite.min())), max(hi, float(finite.max()))
        last = max(last, float(rows[-1, COL["iteration"]]))
    if frame.log_scale and math.isfinite(lo) and math.isfinite(hi):
        lo, hi = whole_decades(lo, hi)
    return lo, hi, last


class SharedCostPane(CostPane):
    """One run's cost per iteration, on the same axes as every other panel's."""

    limits: tuple[float, float, float] | None = None
    """(lowest, highest, last iteration) drawn: the same in every panel of a frame."""

    def iteration_end(self, frame) -> float:
        return iteration_axis_end(frame.runs)

    def cost_limits(self, frame, lo: float, hi: float) -> tuple[float, float]:
        """Every panel's curves' range, so that all show the same axes."""
        self.limits = shared_cost_limits(frame)
        return self.limits[:2]

    def tick_size(self) -> tuple[int, int]:
        return shared_size(self)


def bowl_direction(engine) -> tuple[np.ndarray, float, str]:
    """The direction of the seed's picture: (unit vector, curvature λ along it, its name).

    The steepest eigen-direction of the Hessian, where a rate too large bounces first; on
    a round bowl (κ < 1.01) every direction is one, so the start's own direction is used.
    """
    model = engine.model()
    hessian = model.hessian()
    if hessian is None or not np.isfinite(hessian).all():
        # MAE has no Hessian: MSE's, on the same units, gives the direction of the picture.
        hessian = engine.stats.model(model.shift, model.scale).hessian()
    lam, vectors = np.linalg.eigh(hessian)
    if lam[1] / lam[0] >= 1.01:
        return vectors[:, 1], float(lam[1]), "the steepest direction"
    p0, q0 = model.to_coordinates(*engine.start)
    p_star, q_star = model.optimum()
    e0 = np.array([p0 - p_star, q0 - q_star])
    norm = float(np.hypot(*e0))
    v = e0 / norm if norm > 0 else vectors[:, 1]
    return v, float(lam[1]), "the start's direction"


@functools.lru_cache(maxsize=16)
def _profile(model, p_star: float, q_star: float, v: tuple[float, float], reach: float,
             count: int) -> tuple[np.ndarray, np.ndarray]:
    """(c, J(p* + c·v)) at ``count`` points of c in [−reach, reach]: the cost itself along the
    line, for the losses that are no parabola (O(count·N), memoised like the contours)."""
    grid = np.linspace(-reach, reach, count)
    return grid, np.asarray(model.cost(p_star + grid * v[0], q_star + grid * v[1]))


class BowlPane(FramePane, Plot):
    """The seed's picture for one run: J along one line through J*, and the steps on it.

    Each iterate's distance from the optimum along the direction (c) is drawn at the
    height J* + ½·λ·c², on the parabola of J along that line; steps that bounce from
    side to side bounce here too. Every panel uses the same direction and axes.
    """

    def __init__(self, run_index: int, rate_class: RateClass | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.run_index = run_index
        self.rate_class = rate_class
        self.direction = ""
        """Which line through J* the picture follows, in words."""
        self.where = ""
        """Where the run went when it left the picture ("" while on it)."""
        self.along: list[float] = []
        """c of every drawn iterate (tests read the bounce from it)."""

    def draw(self, frame) -> None:
        run = frame.runs[self.run_index]
        engine = run.engine
        v, lam, name = bowl_direction(frame.runs[0].engine)
        model = engine.model()
        p_star, q_star = model.optimum()
        p, q = engine.path()
        with np.errstate(all="ignore"):
            c = v[0] * (p - p_star) + v[1] * (q - q_star)
        p0, q0 = model.to_coordinates(*engine.start)
        reach = 1.3 * max(abs(v[0] * (p0 - p_star) + v[1] * (q0 - q_star)), 1e-12)
        j_star = engine.closed_form.cost
        top = j_star + 0.5 * lam * reach * reach
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        colors = palette(self.app)
        count = 2 * max(self.size.width, 8)
        if engine.loss == "mse":
            grid = np.linspace(-reach, reach, count)
            curve = j_star + 0.5 * lam * grid * grid
        else:  # the cost itself along the line: a V for MAE, a flattening bowl for the others
            grid, curve = _profile(model, float(p_star), float(q_star),
                                   (float(v[0]), float(v[1])), float(reach), count)
            top = max(float(np.nanmax(curve)), j_star + 1e-12)
        plt.plot(grid.tolist(), curve.tolist(), marker="braille", color=colors.rgb("points"))
        shown = np.clip(np.nan_to_num(c, nan=reach, posinf=reach, neginf=-reach), -reach, reach)
        xs, _ = stride_path(shown, shown)
        heights = np.interp(xs, grid, curve).tolist()
        if len(xs) > 1:
            plt.plot(xs, heights, marker="braille", color=colors.rgb("line"))
        plt.scatter(xs[-1:], heights[-1:], marker="●", color=colors.rgb("marker"))
        self.set_limits((-reach, reach), (j_star, top), size=shared_size(self))
        self.along = [float(x) for x in c]
        last = float(c[-1]) if c.size else 0.0
        self.where = "" if abs(last) <= reach else "left the bowl"
        steps = plural(int(engine.history.rows[-1, COL["iteration"]]))
        self.direction = f"J along {name}"
        width = self.size.width
        self.border_title = _fit(rate_titles(self.rate_class, engine.learning_rate), width)
        options = [f"{steps} · {self.direction}", steps]
        if self.where:
            options = [f"{steps} · {self.where}", self.where, steps]
        self.border_subtitle = _fit(options, width)
        self.refresh()


class CompareLandscapePane(LandscapePane):
    """One run's path on the cost landscape (the race's picture, one panel per rate)."""

    def __init__(self, run_index: int, rate_class: RateClass | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.run_index = run_index
        self.rate_class = rate_class

    def draw(self, frame) -> None:
        engine = frame.runs[self.run_index].engine
        std = engine.standardize
        model = engine.model(std)
        p, q = engine.path(std)
        current = (float(p[-1]), float(q[-1]))
        self.drawing.update_window(engine, [(p[:1], q[:1])], current, self.aspect())
        pm, pb = names(std)
        sketch = self.new_sketch()
        self.mark_optimum(sketch, model)
        self.mark_run(sketch, model, p, q, PATH_RGB, "●", frame.trail, pm, pb)
        width = self.size.width
        self.border_title = _fit(rate_titles(self.rate_class, engine.learning_rate), width)
        steps = plural(int(engine.history.rows[-1, COL["iteration"]]))
        self.border_subtitle = _fit([f"{steps} · {engine.status.value}", steps], width)
        self.paint(model, sketch, frame.arrows, "● now ◇ start ✚ J*")
