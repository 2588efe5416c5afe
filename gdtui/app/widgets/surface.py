"""The cost surface J over (m, b) with the descent path, and the 1-D slice J(m) at the current b."""

from __future__ import annotations

import functools
import math

import numpy as np

from gdtui.app.widgets.panes import FramePane, Plot
from gdtui.app.widgets.pointer import StartDrag, plot_box
from gdtui.engine import DescentEngine
from gdtui.formulas import names, num
from gdtui.plotdata import cell_value, contour_marks, fit_window, stride_path, window_contains
from gdtui.problems import problem_title

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
        self.problem = None  # the engine's Problem the window was fitted to

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
        # Another loss is another surface with another optimum: the window is fitted afresh.
        if self.window is None or self.standardized != std or self.problem != engine.problem:
            self.problem = engine.problem
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

    def limits(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The window as the x and y ranges of a plot (for ``Plot.set_limits``)."""
        p0, p1, q0, q1 = self.window
        return (p0, p1), (q0, q1)


@functools.lru_cache(maxsize=8)
def _contours(model, window, nx: int, ny: int):
    p0, p1, q0, q1 = window
    ps = np.linspace(p0, p1, nx)
    qs = np.linspace(q0, q1, ny)
    return contour_marks(model.excess(ps[np.newaxis, :], qs[:, np.newaxis]), ps, qs)


class CostSurfacePane(StartDrag, FramePane, Plot):
    """J(m, b) as contour lines, the descent path, the gradient and the optimizer's next step.

    A press or a drag sets the start point there (:class:`StartDrag`)."""

    def point_at(self, x: int, y: int) -> tuple[float, float] | None:
        """(m, b) in the units shown at the pane's cell (x, y) (border included); None outside."""
        box, window = plot_box(self), self.drawing.window
        if box is None or window is None:
            return None
        left, top, width, height = box
        cx, cy = x - left, y - top
        if not (0 <= cx < width and 0 <= cy < height):
            return None
        p0, p1, q0, q1 = window
        return cell_value(cx, width, p0, p1), cell_value(height - 1 - cy, height, q0, q1)

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
        self.shown_standardized = std
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
        self.set_limits(*drawing.limits())
        pm, pb = names(std)
        self.border_title = f"Cost surface J({pm}, {pb}): {pm} across, {pb} up"
        if engine.loss != "mse":
            self.border_title = (f"{problem_title(engine.loss, engine.huber_delta)} "
                                 f"{self.border_title[0].lower()}{self.border_title[1:]}")
        self.border_subtitle = limit_words(engine, std)
        self.legend = " · ".join(legend)
        self.refresh()


def limit_words(engine: DescentEngine, std: bool) -> str:
    """The constant rates that work on this surface, in a subtitle's few words."""
    if engine.loss == "mse":
        stability = engine.stability(std)
        other = engine.stability(not std)
        other_name = "raw" if std else "standardized"
        return (f"κ {num(stability.condition_number, 1)} "
                f"({other_name} {num(other.condition_number, 1)})"
                f" · 2/λmax {num(stability.max_stable_lr)}"
                f" · best α {num(stability.best_lr)}")
    if engine.loss == "mae":
        return "no fixed α limit: kinks (a V along every line)"
    words = f"safe α < {num(engine.stability_limit(std).max_stable_lr)}"
    local = engine.rate_stability(std)
    if local is not None:
        words += (f" · near ✚: κ {num(local.condition_number, 1)}, "
                  f"best α {num(local.best_lr)}")
    return words


class SlicePane(StartDrag, FramePane, Plot):
    """The seed article's parabola: J along m at the current b, its tangent and the next step.

    A press or a drag sets the start's m there, at the current b (:class:`StartDrag`)."""

    limits: tuple[float, float, float] | None = None
    """(m at the left, m at the right, the b of the slice) as last drawn."""

    def point_at(self, x: int, y: int) -> tuple[float, float] | None:
        """(m, b) in the units shown: the m under the cell (x, y), the slice's b; None outside."""
        box, limits = plot_box(self), self.limits
        if box is None or limits is None:
            return None
        left, top, width, height = box
        cx, cy = x - left, y - top
        if not (0 <= cx < width and 0 <= cy < height):
            return None
        return cell_value(cx, width, limits[0], limits[1]), limits[2]

    def draw(self, frame) -> None:
        """Draw the slice through the iteration on screen."""
        engine, snap = frame.run.engine, frame.run.snap
        std = engine.standardize
        model = engine.model(std)
        p_cur, q_cur = model.to_coordinates(snap.m, snap.b)
        p_star, _ = model.optimum()
        half = max(abs(p_cur - p_star) * 1.3, abs(p_star) * 0.2, 1e-9)
        if self.dragging and self.limits is not None:  # the axis holds still under the pointer
            half = 0.5 * (self.limits[1] - self.limits[0])
        ps = np.linspace(p_star - half, p_star + half, 2 * max(self.size.width, 10))
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
        self.set_limits((p_star - half, p_star + half),
                        (min(js.min(), j_cur) - 0.05 * (js.max() - js.min()), js.max()))
        self.limits = (p_star - half, p_star + half, q_cur)
        self.shown_standardized = std
        pm, pb = names(std)
        self.border_title = f"J({pm}) at {pb} = {num(q_cur)}: slope ∂J/∂{pm} = {num(gp)}"
        self.border_subtitle = (f"● now  ○ after {pm} ← {pm} − α·∂J/∂{pm} "
                                f"= {num(p_next)}  green: tangent")
        self.refresh()


SurfacePane = CostSurfacePane
"""The name of the shared contract ``SurfacePane.point_at(x, y) -> (m, b) | None``."""
