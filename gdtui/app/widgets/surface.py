"""The cost surface J over (m, b) as a colour landscape with the descent path, and the 1-D
slice J(m) at the current b.

:class:`LandscapePane` draws a :mod:`~gdtui.app.widgets.landscape` field with tick labels and a
legend; the main view's surface, the race and the comparison's landscape view subclass it.
"""

from __future__ import annotations

import math

import numpy as np
from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from gdtui.app.widgets.landscape import (
    LEVELS,
    PALETTE,
    SHADES,
    Sketch,
    field,
    field_rows,
    nice_ticks,
    style,
)
from gdtui.app.widgets.panes import FramePane, Plot
from gdtui.app.widgets.pointer import StartDrag, plot_box
from gdtui.engine import DescentEngine
from gdtui.formulas import names, num
from gdtui.plotdata import cell_value, fit_window, stride_path, window_contains
from gdtui.problems import problem_title

PATH_RGB = (255, 90, 60)
"""The path and the current point: vermillion, apart from every colour of the field."""
GRADIENT_RGB = (60, 255, 60)
"""−∇J at the point now: green, as the help and the tour call it."""
BATCH_GRADIENT_RGB = (255, 60, 255)
NEXT_STEP_RGB = (245, 245, 245)
TRAIL = 30
"""Segments of a path drawn at full strength; older ones fade into the field."""
MARGIN = 7
"""Columns left of the field for the tick labels of the vertical parameter."""
ZOOM_LIMIT = 50.0
"""The window zooms out at most this many times its fitted size; beyond, edge markers say where."""


def short(value: float) -> str:
    """A tick label of at most six characters."""
    text = f"{value:.3g}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")
    return text if len(text) <= 6 else f"{value:.0e}".replace("e+0", "e").replace("e-0", "e-")


def trail_fades(segments: int, on: bool) -> np.ndarray | None:
    """How faded each of a path's segments is (0 solid): the last TRAIL solid, older ones fading."""
    if not on or segments <= 0:
        return None
    age = np.arange(segments - 1, -1, -1, dtype=np.float64)
    return np.clip((age - TRAIL) / (2.0 * TRAIL), 0.0, 0.8)


class SurfaceDrawing:
    """The window (p0, p1, q0, q1) a landscape shows, fitted to paths around the optimum."""

    def __init__(self) -> None:
        self.window: tuple[float, float, float, float] | None = None
        self.fitted: tuple[float, float, float, float] | None = None
        self.standardized: bool | None = None
        self.problem = None  # the engine's Problem the window was fitted to

    def recentre(self) -> None:
        """Forget the window: the next drawing fits it around the optimum and the path."""
        self.window = None

    def update_window(self, engine: DescentEngine, paths, current, aspect: float = 2.0) -> None:
        """Fit the window to the paths around the optimum; zoom out when ``current`` leaves it.

        In standardized units both parameters share the unit of y and the bowl is
        round, so the window keeps a true aspect (``aspect`` is the field's width
        over its height, in the same physical units) and circles look round. In
        data units the two axes are scaled apart, or a long valley would be a line.
        The window zooms out to at most ZOOM_LIMIT times its fitted size: a point
        farther away (a diverging run) is shown by an edge marker.
        """
        std = engine.standardize
        centre = engine.model(std).optimum()
        if not (math.isfinite(centre[0]) and math.isfinite(centre[1])):
            centre = engine.model(std).to_coordinates(*engine.start)
        # Another loss is another surface with another optimum: the window is fitted afresh.
        if self.window is None or self.standardized != std or self.problem != engine.problem:
            self.problem = engine.problem
            ps = np.concatenate([p[:1] for p, _ in paths] + [[centre[0]]])
            qs = np.concatenate([q[:1] for _, q in paths] + [[centre[1]]])
            for p, q in paths:  # every finite point of the paths, but not a blow-up
                ok = np.isfinite(p) & np.isfinite(q) & (np.abs(p - centre[0]) < 1e150) & \
                    (np.abs(q - centre[1]) < 1e150)
                ps, qs = np.concatenate([ps, p[ok]]), np.concatenate([qs, q[ok]])
            window = fit_window(ps, qs, centre)
            if std:
                p0, p1, q0, q1 = window
                hp = max((p1 - p0) / 2, (q1 - q0) / 2 * aspect)
                hq = hp / aspect
                window = (centre[0] - hp, centre[0] + hp, centre[1] - hq, centre[1] + hq)
            self.window = self.fitted = window
            self.standardized = std
        elif current is not None and not window_contains(self.window, *current):
            if math.isfinite(current[0]) and math.isfinite(current[1]):
                p0, p1, q0, q1 = self.window
                f0, f1, g0, g1 = self.fitted
                hp = min(max(p1 - p0, 2 * abs(current[0] - centre[0]) * 1.15) / 2,
                         ZOOM_LIMIT * (f1 - f0) / 2)
                hq = min(max(q1 - q0, 2 * abs(current[1] - centre[1]) * 1.15) / 2,
                         ZOOM_LIMIT * (g1 - g0) / 2)
                self.window = (centre[0] - hp, centre[0] + hp, centre[1] - hq, centre[1] + hq)


class LandscapePane(FramePane, Widget):
    """A colour field of J with tick labels and a legend; subclasses sketch on top of it."""

    DEFAULT_CSS = "LandscapePane { height: 1fr; width: 1fr; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drawing = SurfaceDrawing()
        self.strips: list[Strip] = []
        self.legend = ""
        """The markers' legend in words (the last line of the pane)."""
        self.sketch: Sketch | None = None
        """What the last frame drew over the field (tests count its cells)."""
        self.row_memo: dict = {}
        self.row_memo_for = None
        """The field rows the memo of unmarked rows' Strips belongs to."""

    # -- geometry --------------------------------------------------------------------
    def field_size(self) -> tuple[int, int]:
        """(columns, rows) of the field inside the pane."""
        width, height = self.content_size.width, self.content_size.height
        rows = height - 2 if height >= 6 else height - 1
        return max(width - MARGIN, 2), max(rows, 1)

    def aspect(self) -> float:
        """Width over height of the field, in samples (a half block is about square)."""
        cols, rows = self.field_size()
        return cols / (2.0 * rows)

    def plot_box(self) -> tuple[int, int, int, int] | None:
        """(left, top, width, height) of the field in the pane's cells, border included (as
        mouse events count them); None before the first drawing."""
        if self.drawing.window is None:
            return None
        cols, rows = self.field_size()
        return self.gutter.left + MARGIN, self.gutter.top, cols, rows

    def point_at(self, x: int, y: int) -> tuple[float, float] | None:
        """The parameters (p, q), in the pane's units, at the pane's cell (x, y) (offsets from
        its top-left corner, border included, as mouse events give them); None off the field.

        The centre of the cell: :meth:`Sketch.cell_of` maps it back to the same cell.
        """
        window = self.drawing.window
        cols, rows = self.field_size()
        c, r = x - self.gutter.left - MARGIN, y - self.gutter.top
        if window is None or not (0 <= c < cols and 0 <= r < rows):
            return None
        p0, p1, q0, q1 = window
        return p0 + (c + 0.5) / cols * (p1 - p0), q1 - (r + 0.5) / rows * (q1 - q0)

    # -- drawing ---------------------------------------------------------------------
    def new_sketch(self) -> Sketch:
        cols, rows = self.field_size()
        self.sketch = Sketch(self.drawing.window, cols, rows)
        return self.sketch

    def paint(self, model, sketch: Sketch, arrows: bool, legend: str) -> None:
        """Compose the field, ``sketch``, the ticks and the legend into the pane's lines."""
        mono = self.app.no_color
        window = self.drawing.window
        cols, rows = sketch.cols, sketch.rows
        base = field_rows(model, window, cols, rows, mono, arrows)
        _, _, _, low, high = field(model, window, cols, rows)
        p0, p1, q0, q1 = window
        labels = {}
        for q in nice_ticks(q0, q1, max(2, rows // 3)):
            r = int((q1 - q) / (q1 - q0) * rows)
            if 0 <= r < rows:
                labels[r] = short(q)
        plain = style()
        strips = []
        if self.row_memo_for is not base:  # rows the sketch leaves alone are kept while the
            self.row_memo, self.row_memo_for = {}, base  # field is the same (their Strips
        for r in range(rows):                          # keep Textual's caches too)
            cells, colours = base[r]
            margin = f"{labels.get(r, ''):>{MARGIN - 1}} "
            if sketch.marks_row(r):
                strips.append(Strip([Segment(margin, plain),
                                     *sketch.row(r, cells, colours, mono)]))
                continue
            strip = self.row_memo.get((r, margin))
            if strip is None:
                strip = self.row_memo[(r, margin)] = Strip([Segment(margin, plain), *cells])
            strips.append(strip)
        axis = [" "] * (MARGIN + cols)
        for p in nice_ticks(p0, p1, max(2, cols // 10)):
            text = short(p)
            c = MARGIN + int((p - p0) / (p1 - p0) * cols) - len(text) // 2
            c = min(max(c, MARGIN), MARGIN + cols - len(text))
            if all(ch == " " for ch in axis[max(c - 1, 0):c + len(text) + 1]):
                axis[c:c + len(text)] = text
        strips.append(Strip([Segment("".join(axis), plain)]))
        if self.content_size.height >= 6:
            strips.append(Strip(self.legend_line(low, high, mono, legend)))
        self.legend = legend
        self.strips = strips
        self.refresh()

    def legend_line(self, low: float, high: float, mono: bool, words: str) -> list[Segment]:
        """The colour scale of J − J* (log) and the markers' legend, cut to the width."""
        segments = [Segment(f"J−J* {short(low)} ", style(dim=True))]
        for k in range(8):
            level = k * (LEVELS - 1) // 7
            if mono:
                segments.append(Segment(SHADES[k * len(SHADES) // 8]))
            else:
                segments.append(Segment(" ", style(bg=PALETTE[level])))
        segments.append(Segment(f" {short(high)} ", style(dim=True)))
        segments.append(Segment(words))
        return list(Strip(segments).crop(0, self.content_size.width))

    def text(self) -> str:
        """The pane's lines as plain text (tests and screen readers)."""
        return "\n".join(strip.text for strip in self.strips)

    def content_lines(self) -> list[Strip]:
        return [self.content_line(y) for y in range(self.size.height)]

    def content_line(self, y: int) -> Strip:
        """Line ``y`` of the field, its ticks and legend, at the pane's width."""
        width = self.content_size.width
        if self.undrawable:
            if y == 0:
                return Strip(Text("Nothing to draw: these numbers are beyond what a plot can "
                                  "place.", style="italic").render(self.app.console)).crop(0, width)
            return Strip.blank(width, self.rich_style)
        if y < len(self.strips):
            return self.strips[y].crop_extend(0, width, None).apply_style(self.rich_style)
        return Strip.blank(width, self.rich_style)

    def mark_run(self, sketch: Sketch, model, path_p, path_q, rgb, marker: str, trail: bool,
                 pm: str, pb: str) -> None:
        """A run's path (its last TRAIL segments solid when ``trail``), start and current point."""
        xs, ys = stride_path(path_p, path_q)
        if len(xs) > 1:
            sketch.line(xs, ys, rgb, trail_fades(len(xs) - 1, trail))
        if len(xs):
            sketch.put(xs[0], ys[0], "◇", None)
            p, q = xs[-1], ys[-1]
            side_p = not (sketch.window[0] <= p <= sketch.window[1]) if math.isfinite(p) else True
            label = f"{pm}={num(p, 2)}" if side_p else f"{pb}={num(q, 2)}"
            sketch.put(p, q, marker, rgb, label=label)

    def mark_optimum(self, sketch: Sketch, model) -> None:
        p_star, q_star = model.optimum()
        if math.isfinite(p_star) and math.isfinite(q_star):
            sketch.put(p_star, q_star, "✚", None, label="J*")


def _vector(start, vector, window, fraction=0.15):
    """A segment from ``start`` along ``vector``, a fixed ``fraction`` of the window long."""
    p0, p1, q0, q1 = window
    dx, dy = vector[0] / (p1 - p0), vector[1] / (q1 - q0)
    norm = math.hypot(dx, dy)
    if not norm or not math.isfinite(norm):
        return None
    s = fraction / norm
    return [start[0], start[0] + vector[0] * s], [start[1], start[1] + vector[1] * s]


class CostSurfacePane(LandscapePane, StartDrag):
    """J(m, b) as a colour landscape: the path, −∇J, the optimizer's next step, the optimum.

    A press or a drag sets the start point there (:class:`StartDrag`)."""

    def recentre(self) -> None:
        """Centre the window on the optimum again (and fit the path)."""
        self.drawing.recentre()
        self.redraw()

    def draw(self, frame) -> None:
        """Draw the surface with the path up to the iteration on screen."""
        engine, snap = frame.run.engine, frame.run.snap
        std = engine.standardize
        self.shown_standardized = std
        model = engine.model(std)
        current = model.to_coordinates(snap.m, snap.b)
        path_p, path_q = engine.path(std)
        self.drawing.update_window(engine, [(path_p, path_q)], current, self.aspect())
        pm, pb = names(std)
        sketch = self.new_sketch()
        window = self.drawing.window
        gp, gq = model.gradient(*current)
        legend = ["● now", "◇ start", "✚ J*", "green −∇J"]
        arrow = _vector(current, (-gp, -gq), window)
        if arrow:
            sketch.line(*arrow, GRADIENT_RGB)
        peek = engine.peek_next() if snap.live else None
        if peek is not None:
            if engine.batch_size:
                batch = _vector(current, (-peek[2], -peek[3]), window)
                if batch:
                    sketch.line(*batch, BATCH_GRADIENT_RGB)
                    legend.append("magenta −∇J of the next batch")
            sketch.line([current[0], peek[0]], [current[1], peek[1]], NEXT_STEP_RGB)
            sketch.put(peek[0], peek[1], "○", NEXT_STEP_RGB)
            legend.append(f"○ next {engine.optimizer} step")
        self.mark_optimum(sketch, model)
        self.mark_run(sketch, model, path_p[: snap.index + 1], path_q[: snap.index + 1],
                      PATH_RGB, "●", frame.trail, pm, pb)
        if frame.arrows:
            legend.append("arrows −∇J")
        self.border_title = f"Cost surface J({pm}, {pb}): {pm} across, {pb} up"
        if engine.loss != "mse":
            self.border_title = (f"{problem_title(engine.loss, engine.huber_delta)} "
                                 f"{self.border_title[0].lower()}{self.border_title[1:]}")
        self.border_subtitle = limit_words(engine, std)
        self.paint(model, sketch, frame.arrows, "  ".join(legend))


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
        if frame.slice_window is not None:  # a lesson's fixed axes: the dot slides down
            ylim = frame.slice_window[2:]
        else:
            ylim = (min(js.min(), j_cur) - 0.05 * (js.max() - js.min()), js.max())
        self.set_limits((p_lo, p_hi), ylim)
        self.limits = (p_lo, p_hi, q_cur)
        self.shown_standardized = std
        pm, pb = names(std)
        self.border_title = f"J({pm}) at {pb} = {num(q_cur)}: slope ∂J/∂{pm} = {num(gp)}"
        self.border_subtitle = (f"● now  ○ after {pm} ← {pm} − α·∂J/∂{pm} "
                                f"= {num(p_next)}  green: tangent")
        self.refresh()


SurfacePane = CostSurfacePane
"""The name of the shared contract ``SurfacePane.point_at(x, y) -> (m, b) | None``."""
