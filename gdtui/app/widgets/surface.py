"""The cost surface J over (m, b) with the descent path, and the 1-D slice J(m) at the current b."""

from __future__ import annotations

import functools
import math

import numpy as np

from gdtui.app.widgets.panes import FramePane, Plot
from gdtui.engine import DescentEngine
from gdtui.formulas import names, num
from gdtui.plotdata import contour_marks, fit_window, stride_path, window_contains

LEVEL_COLORS = (24, 25, 31, 37, 43, 49, 85, 121)
"""Contour colours (xterm-256), outermost level first."""
PATH_COLORS = ("white", "orange", "magenta", "cyan")
GRADIENT_COLOR = "green"
BATCH_GRADIENT_COLOR = "magenta"
NEXT_STEP_COLOR = "yellow"


def _arrow(start, vector, window, fraction=0.15):
    """A segment from ``start`` along ``vector``, a fixed ``fraction`` of the window long."""
    p0, p1, q0, q1 = window
    dx, dy = vector[0] / (p1 - p0), vector[1] / (q1 - q0)
    norm = math.hypot(dx, dy)
    if not norm or not math.isfinite(norm):
        return None
    s = fraction / norm
    return [start[0], start[0] + vector[0] * s], [start[1], start[1] + vector[1] * s]


class SurfaceDrawing:
    """Draws contours, paths and markers of one or more runs on a plotext figure."""

    def __init__(self) -> None:
        self.window: tuple[float, float, float, float] | None = None
        self.standardized: bool | None = None

    def recentre(self) -> None:
        """Forget the window: the next drawing fits it around the optimum and the path."""
        self.window = None

    def update_window(self, engine: DescentEngine, paths, current, aspect: float = 2.0) -> None:
        """Fit the window to the paths around the optimum; zoom out when ``current`` leaves it.

        In standardized units both parameters share the unit of y and the bowl is
        round, so the window keeps a true aspect (``aspect`` is the plot's width
        over its height, in the same physical units) and circles look round. In
        data units the two axes are scaled apart, or a long valley would be a line.
        """
        std = engine.standardize
        centre = engine.model(std).optimum()
        if self.window is None or self.standardized != std:
            ps = np.concatenate([p for p, _ in paths] + [[centre[0]]])
            qs = np.concatenate([q for _, q in paths] + [[centre[1]]])
            self.window = fit_window(ps, qs, centre)
            self.standardized = std
            if std:
                p0, p1, q0, q1 = self.window
                hp = max((p1 - p0) / 2, (q1 - q0) / 2 * aspect)
                hq = hp / aspect
                self.window = (centre[0] - hp, centre[0] + hp, centre[1] - hq, centre[1] + hq)
        elif current is not None and not window_contains(self.window, *current):
            if math.isfinite(current[0]) and math.isfinite(current[1]):
                p0, p1, q0, q1 = self.window
                hp = max(p1 - p0, 2 * abs(current[0] - centre[0]) * 1.15) / 2
                hq = max(q1 - q0, 2 * abs(current[1] - centre[1]) * 1.15) / 2
                self.window = (centre[0] - hp, centre[0] + hp, centre[1] - hq, centre[1] + hq)

    def contours(self, engine: DescentEngine, width: int, height: int):
        """Contour marks for the window at this size (a pure function of both: memoised)."""
        nx, ny = max(2 * (width - 12), 8), max(4 * (height - 4), 8)
        return _contours(engine.model(self.standardized), self.window, nx, ny)

    def draw_background(self, plt, engine: DescentEngine, width: int, height: int) -> None:
        """Contour lines of J."""
        for k, (ps, qs) in enumerate(self.contours(engine, width, height)):
            if ps:
                plt.scatter(ps, qs, marker="braille", color=LEVEL_COLORS[k % len(LEVEL_COLORS)])

    def draw_optimum(self, plt, engine: DescentEngine) -> None:
        """The least-squares minimum, drawn over the lines."""
        p_star, q_star = engine.model(self.standardized).optimum()
        plt.scatter([p_star], [q_star], marker="✚", color="green")

    def draw_axes(self, plt, engine: DescentEngine, current) -> None:
        """Principal axes of the Hessian, as long as the contour ellipse through ``current``."""
        model = engine.model(self.standardized)
        hessian = model.hessian()
        if hessian is None or not np.isfinite(hessian).all():
            return  # MAE has no Hessian, a logistic fit with no optimum no finite one
        lam, vec = np.linalg.eigh(hessian)
        p_star, q_star = model.optimum()
        excess = float(model.excess(*current))
        if not excess > 0 or not math.isfinite(excess):
            return
        halves = [math.sqrt(2.0 * excess / lam[i]) for i in range(2)]
        for i in range(2):
            v = vec[:, i] * halves[i]
            plt.plot([p_star - v[0], p_star + v[0]], [q_star - v[1], q_star + v[1]],
                     marker="braille", color="gray")
        # The level set through the current point: (δ)ᵀH(δ)/2 = J − J*, an ellipse whose
        # semi-axes lie along the eigenvectors with lengths √(2(J − J*)/λ).
        theta = np.linspace(0.0, 2.0 * math.pi, 120)
        ring = (vec[:, [0]] * halves[0] * np.cos(theta) + vec[:, [1]] * halves[1] * np.sin(theta))
        plt.plot((p_star + ring[0]).tolist(), (q_star + ring[1]).tolist(), marker="braille",
                 color="gray")

    def finish(self, plt) -> None:
        p0, p1, q0, q1 = self.window
        plt.xlim(p0, p1)
        plt.ylim(q0, q1)


@functools.lru_cache(maxsize=8)
def _contours(model, window, nx: int, ny: int):
    p0, p1, q0, q1 = window
    ps = np.linspace(p0, p1, nx)
    qs = np.linspace(q0, q1, ny)
    return contour_marks(model.excess(ps[np.newaxis, :], qs[:, np.newaxis]), ps, qs)


class CostSurfacePane(FramePane, Plot):
    """J(m, b) as contour lines, the descent path, the gradient and the optimizer's next step."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drawing = SurfaceDrawing()

    def recentre(self) -> None:
        """Centre the window on the optimum again (and fit the path)."""
        self.drawing.recentre()
        self.redraw()

    def draw(self, frame) -> None:
        """Draw the surface with the path up to the iteration on screen."""
        engine, snap = frame.run.engine, frame.run.snap
        std = engine.standardize
        current = engine.model(std).to_coordinates(snap.m, snap.b)
        path_p, path_q = engine.path(std)
        aspect = max(self.size.width - 10, 4) / max(2 * (self.size.height - 4), 2)
        self.drawing.update_window(engine, [(path_p, path_q)], current, aspect)
        self.replot(engine, snap, std, current, path_p[: snap.index + 1],
                    path_q[: snap.index + 1])

    def replot(self, engine, snap, std, current, path_p, path_q) -> None:
        """Clear and redraw."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        drawing = self.drawing
        drawing.draw_background(plt, engine, self.size.width, self.size.height)
        drawing.draw_axes(plt, engine, current)
        xs, ys = stride_path(path_p, path_q)
        if len(xs) > 1:
            plt.plot(xs, ys, marker="braille", color=PATH_COLORS[0])
        gp, gq = engine.model(std).gradient(*current)
        legend = ["● now", "✚ optimum", "green −∇J"]
        arrow = _arrow(current, (-gp, -gq), drawing.window)
        if arrow:
            plt.plot(*arrow, marker="braille", color=GRADIENT_COLOR)
        peek = engine.peek_next() if snap.live else None
        if peek is not None:
            if engine.batch_size:
                batch = _arrow(current, (-peek[2], -peek[3]), drawing.window)
                if batch:
                    plt.plot(*batch, marker="braille", color=BATCH_GRADIENT_COLOR)
                    legend.append("magenta −∇J of the next batch")
            plt.plot([current[0], peek[0]], [current[1], peek[1]], marker="braille",
                     color=NEXT_STEP_COLOR)
            plt.scatter([peek[0]], [peek[1]], marker="○", color=NEXT_STEP_COLOR)
            legend.append(f"○ next {engine.optimizer} step")
        drawing.draw_optimum(plt, engine)
        plt.scatter([current[0]], [current[1]], marker="●", color="yellow")
        drawing.finish(plt)
        pm, pb = names(std)
        stability = engine.stability(std)
        other = engine.stability(not std)
        self.border_title = f"Cost surface J({pm}, {pb}): {pm} across, {pb} up"
        other_name = "raw" if std else "standardized"
        self.border_subtitle = (f"κ {num(stability.condition_number, 1)} "
                                f"({other_name} {num(other.condition_number, 1)})"
                                f" · 2/λmax {num(stability.max_stable_lr)}"
                                f" · best α {num(stability.best_lr)}")
        self.legend = " · ".join(legend)
        self.refresh()


class SlicePane(FramePane, Plot):
    """The seed article's parabola: J along m at the current b, its tangent and the next step."""

    def draw(self, frame) -> None:
        """Draw the slice through the iteration on screen."""
        engine, snap = frame.run.engine, frame.run.snap
        std = engine.standardize
        model = engine.model(std)
        p_cur, q_cur = model.to_coordinates(snap.m, snap.b)
        p_star, _ = model.optimum()
        half = max(abs(p_cur - p_star) * 1.3, abs(p_star) * 0.2, 1e-9)
        p_lo, p_hi = frame.slice_window[:2] if frame.slice_window else (p_star - half,
                                                                         p_star + half)
        ps = np.linspace(p_lo, p_hi, 2 * max(self.size.width, 10))
        js = model.grid(ps, [q_cur])[0]
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.plot(ps.tolist(), js.tolist(), marker="braille", color="cyan")
        j_cur = float(model.cost(p_cur, q_cur))
        gp, _ = model.gradient(p_cur, q_cur)
        t = np.linspace(p_cur - 0.25 * half, p_cur + 0.25 * half, 20)
        plt.plot(t.tolist(), (j_cur + gp * (t - p_cur)).tolist(), marker="braille",
                 color="green")
        alpha = engine.next_learning_rate
        p_next = p_cur - alpha * gp
        j_next = float(model.cost(p_next, q_cur))
        if math.isfinite(j_next) and abs(p_next - p_star) <= 3 * half:
            plt.scatter([p_next], [j_next], marker="○", color="blue")
        plt.scatter([p_cur], [j_cur], marker="●", color="green")
        plt.xlim(p_lo, p_hi)
        if frame.slice_window is not None:  # a lesson's fixed axes: the dot slides down
            plt.ylim(*frame.slice_window[2:])
        else:
            plt.ylim(min(js.min(), j_cur) - 0.05 * (js.max() - js.min()), js.max())
        pm, pb = names(std)
        self.border_title = f"J({pm}) at {pb} = {num(q_cur)}: slope ∂J/∂{pm} = {num(gp)}"
        self.border_subtitle = (f"● now  ○ after {pm} ← {pm} − α·∂J/∂{pm} "
                                f"= {num(p_next)}  green: tangent")
        self.refresh()
