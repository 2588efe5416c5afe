"""The cost landscape: J over (p, q) as a colour field, drawn cell by cell into rich Segments.

Each cell holds two samples of log(J − J*) as a half block ▀ (upper sample its foreground, lower
its background), coloured by a viridis-like map; contour lines of J are braille dots over it, and
a coarse field of −∇J arrows can be laid on top. Paths, trails and markers are drawn per frame on
a :class:`Sketch`; the field itself depends only on (cost model, window, size, colour mode,
arrows), so :func:`field_rows` memoises it and a frame of run mode draws only what moved.

With ``NO_COLOR`` the field is drawn with shading characters (blank ░ ▒ ▓, low J to high) and
no colour at all. J comes from the engine's one home for it, ``model.grid`` (O(grid)).
"""

from __future__ import annotations

import functools
import math
import weakref
from collections import OrderedDict

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style

from gdtui.app.widgets import ticks
from gdtui.engine.quadratic import Quadratic

VIRIDIS = ((68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
           (31, 158, 137), (53, 183, 121), (110, 206, 88), (181, 222, 43), (253, 231, 37))
"""Stops of a perceptual colour map (matplotlib's viridis, sampled): dark purple to yellow."""
LEVELS = 24
"""Colours the field is quantised to (low J − J* first)."""
SHADES = (" ", "░", "▒", "▓")
"""The field without colour: J − J* from low to high."""
CONTOUR_RATIO = 4.0
"""Successive contour levels of J − J* differ by this factor (ellipses halving in size)."""
ARROWS = "→↗↑↖←↙↓↘"
"""−∇J directions, counter-clockwise from east."""
COARSE = (48, 32)
"""Grid (across, down) evaluated for costs that cost O(N) a point; finer grids interpolate."""
_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
"""Braille dot bits by (row 0-3, column 0-1) inside a cell."""
BITS = np.array(_BITS, dtype=np.uint8)


def _table(levels: int) -> tuple[tuple[int, int, int], ...]:
    stops = np.array(VIRIDIS, dtype=np.float64)
    t = np.linspace(0.0, len(stops) - 1.0, levels)
    lo = np.floor(t).astype(int).clip(0, len(stops) - 2)
    f = (t - lo)[:, None]
    rgb = stops[lo] * (1 - f) + stops[lo + 1] * f
    return tuple(tuple(int(round(v)) for v in row) for row in rgb)


PALETTE = _table(LEVELS)
"""The colour of each level, (r, g, b)."""


def luminance(rgb) -> float:
    """Relative brightness 0-1 (Rec. 709 weights)."""
    r, g, b = rgb
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255.0


def contrast(rgb) -> tuple[int, int, int]:
    """A light or dark grey that reads over ``rgb``."""
    return (32, 32, 32) if luminance(rgb) > 0.55 else (235, 235, 235)


def mix(a, b, t: float) -> tuple[int, int, int]:
    """``a`` moved a fraction ``t`` towards ``b``."""
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))


@functools.lru_cache(maxsize=4096)
def style(fg=None, bg=None, bold: bool = False, dim: bool = False) -> Style:
    """A (cached) rich style from (r, g, b) tuples or None."""
    return Style(color=Color.from_rgb(*fg) if fg else None,
                 bgcolor=Color.from_rgb(*bg) if bg else None,
                 bold=bold or None, dim=dim or None)


def nice_ticks(lo: float, hi: float, count: int) -> list[float]:
    """About ``count`` round ticks inside [lo, hi]: the plots' one tick rule
    (:func:`gdtui.app.widgets.ticks.nice_ticks`), none for an empty or infinite range."""
    span = hi - lo
    if not (math.isfinite(span) and span > 0) or count < 1:
        return []
    return ticks.nice_ticks(lo, hi, count)


def sample_centres(window, cols: int, rows: int, per_col: int = 1, per_row: int = 2):
    """Parameters at the centres of ``per_col`` × ``per_row`` samples per cell (top row first)."""
    p0, p1, q0, q1 = window
    nx, ny = cols * per_col, rows * per_row
    ps = p0 + (np.arange(nx) + 0.5) / nx * (p1 - p0)
    qs = q1 - (np.arange(ny) + 0.5) / ny * (q1 - q0)
    return ps, qs


def _resample(grid: np.ndarray, ny: int, nx: int) -> np.ndarray:
    """Bilinear resampling of ``grid`` (sample centres to sample centres) to ny × nx."""
    gy, gx = grid.shape
    ys = (np.arange(ny) + 0.5) * gy / ny - 0.5
    xs = (np.arange(nx) + 0.5) * gx / nx - 0.5
    y0 = np.clip(np.floor(ys).astype(int), 0, max(gy - 2, 0))
    x0 = np.clip(np.floor(xs).astype(int), 0, max(gx - 2, 0))
    y1, x1 = np.minimum(y0 + 1, gy - 1), np.minimum(x0 + 1, gx - 1)
    fy = np.clip(ys - y0, 0, 1)[:, None]
    fx = np.clip(xs - x0, 0, 1)[None, :]
    top = grid[y0][:, x0] * (1 - fx) + grid[y0][:, x1] * fx
    bottom = grid[y1][:, x0] * (1 - fx) + grid[y1][:, x1] * fx
    return top * (1 - fy) + bottom * fy


def per_model_memo(size: int):
    """Memoise ``fn(model, *key)``: up to ``size`` results per cost model, held weakly by model.

    Like ``functools.lru_cache`` but a model that is gone (a reset, a closed comparison) takes
    its entries with it: an O(N) cost model of a large data set is never kept alive by a memo.
    """
    def wrap(fn):
        store: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

        @functools.wraps(fn)
        def memo(model, *key):
            entries = store.get(model)
            if entries is None:
                entries = store[model] = OrderedDict()
            if key in entries:
                entries.move_to_end(key)
                memo.hits += 1
                return entries[key]
            memo.misses += 1
            value = entries[key] = fn(model, *key)
            if len(entries) > size:
                entries.popitem(last=False)
            return value

        memo.hits = memo.misses = 0
        return memo
    return wrap


@per_model_memo(8)
def field(model, window, cols: int, rows: int):
    """The field of J − J* on ``cols`` × ``rows`` cells: a pure function of its arguments.

    Returns (levels, contour, arrows, low, high): colour levels of the two samples of each
    cell (2·rows × cols, top first), braille masks of the contour lines (rows × cols), the
    −∇J arrow of every cell ((rows × cols) index into :data:`ARROWS`, −1 where flat), and
    J − J* at the darkest and the brightest colour.
    """
    nx, ny = 2 * cols, 4 * rows
    if isinstance(model, Quadratic):  # O(1) a point: every sample
        ps, qs = sample_centres(window, cols, rows, 2, 4)
        excess = model.grid(ps, qs) - model.cost_min
    else:  # an O(N) cost: a coarse grid, resampled
        cx, cy = min(nx, COARSE[0]), min(ny, COARSE[1])
        ps, qs = sample_centres(window, cx, cy, 1, 1)
        excess = _resample(model.grid(ps, qs) - model.cost_min, ny, nx)
    with np.errstate(all="ignore"):
        finite = np.isfinite(excess)
        top = float(np.max(excess[finite])) if finite.any() else 1.0
        top = top if top > 0 else 1.0
        floor = top * 1e-12
        lg = np.log10(np.clip(np.where(finite, excess, top), floor, top))
        lo, hi = float(lg.min()), float(lg.max())
        span = hi - lo if hi > lo else 1.0
        t = (lg - lo) / span
        halves = t.reshape(2 * rows, 2, cols, 2).mean(axis=(1, 3))
        levels = np.clip(np.round(halves * (LEVELS - 1)), 0, LEVELS - 1).astype(np.int16)
        # Contours: where the band of J − J* (a factor CONTOUR_RATIO apart) changes.
        band = np.floor((hi - lg) / math.log10(CONTOUR_RATIO)).clip(0, 12).astype(np.int16)
        marks = np.zeros((ny, nx), dtype=bool)
        marks[:, :-1] |= band[:, :-1] != band[:, 1:]
        marks[:-1, :] |= band[:-1, :] != band[1:, :]
        bits = np.where(marks, np.tile(BITS, (rows, cols)), 0).astype(np.uint8)
        contour = np.bitwise_or.reduce(
            np.bitwise_or.reduce(bits.reshape(rows, 4, cols, 2), axis=3), axis=1)
        # −∇J in screen units (dots, up positive), from the grid by central differences.
        dp = (window[1] - window[0]) / nx
        dq = (window[3] - window[2]) / ny
        gp = np.gradient(np.where(finite, excess, top), axis=1) / dp
        gq = -np.gradient(np.where(finite, excess, top), axis=0) / dq
        vx = (-gp / dp).reshape(rows, 4, cols, 2).mean(axis=(1, 3))
        vy = (-gq / dq).reshape(rows, 4, cols, 2).mean(axis=(1, 3))
        angle = np.arctan2(vy, vx)
        arrows = (np.round(angle / (math.pi / 4)) % 8).astype(np.int16)
        arrows[~(np.hypot(vx, vy) > 0) | ~np.isfinite(angle)] = -1
    return levels, contour, arrows, 10.0 ** lo, 10.0 ** hi


def arrow_cells(rows: int, cols: int) -> list[tuple[int, int]]:
    """The cells that carry a −∇J arrow: a coarse grid, every 6 columns and 3 rows."""
    return [(r, c) for r in range(1, rows, 3) for c in range(3, cols, 6)]


@per_model_memo(8)
def field_rows(model, window, cols: int, rows: int, mono: bool, arrows: bool):
    """The field as cells: per row a tuple of Segments (one a cell) and the cells' mean colours.

    Memoised on everything it depends on, so a frame of run mode reuses it.
    """
    levels, contour, grads, _, _ = field(model, window, cols, rows)
    out = []
    arrow_at = set(arrow_cells(rows, cols)) if arrows else set()
    for r in range(rows):
        cells, colours = [], []
        upper, lower = levels[2 * r], levels[2 * r + 1]
        for c in range(cols):
            a, b = int(upper[c]), int(lower[c])
            mean = PALETTE[(a + b) // 2]
            colours.append(None if mono else mean)
            mask = int(contour[r, c])
            if (r, c) in arrow_at and grads[r, c] >= 0:
                char = ARROWS[grads[r, c]]
                cells.append(Segment(char, style(bold=True) if mono else
                                     style(contrast(mean), mean, bold=True)))
            elif mask:
                cells.append(Segment(chr(0x2800 + mask), style() if mono else
                                     style(contrast(mean), mean)))
            elif mono:
                shade = SHADES[min((a + b) * len(SHADES) // (2 * LEVELS), len(SHADES) - 1)]
                cells.append(Segment(shade, style()))
            else:
                cells.append(Segment("▀", style(PALETTE[a], PALETTE[b])))
        out.append((tuple(cells), tuple(colours)))
    return tuple(out)


class Sketch:
    """What a frame draws over the field: braille lines in colours, and characters in cells.

    Coordinates are parameters in the pane's units; ``window`` is (p0, p1, q0, q1) over
    ``cols`` × ``rows`` cells. Later drawings cover earlier ones.
    """

    def __init__(self, window, cols: int, rows: int) -> None:
        self.window = window
        self.cols, self.rows = cols, rows
        self.mask = np.zeros(rows * cols, dtype=np.uint8)
        self.ink = np.full(rows * cols, -1, dtype=np.int32)
        self.inks: list[tuple[tuple[int, int, int], float]] = []
        self.cells: dict[tuple[int, int], tuple[str, tuple[int, int, int] | None, bool]] = {}

    def dots(self, p, q) -> tuple[np.ndarray, np.ndarray]:
        """Dot coordinates (x right, y down; 2 × 4 dots a cell) of parameters."""
        p0, p1, q0, q1 = self.window
        with np.errstate(all="ignore"):
            x = (np.asarray(p, dtype=np.float64) - p0) / (p1 - p0) * (2 * self.cols)
            y = (q1 - np.asarray(q, dtype=np.float64)) / (q1 - q0) * (4 * self.rows)
        return x, y

    def cell_of(self, p: float, q: float) -> tuple[int, int] | None:
        """(row, column) of the cell holding (p, q), or None outside the window."""
        x, y = self.dots(p, q)
        if not (0 <= x < 2 * self.cols and 0 <= y < 4 * self.rows):
            return None
        return int(y // 4), int(x // 2)

    def line(self, ps, qs, rgb, fades=None) -> int:
        """A polyline; ``fades`` (one per segment, 0 solid to 1 gone) fades older parts.

        Segments are clipped to the window. Returns the number of cells it touched.
        """
        x, y = self.dots(ps, qs)
        if x.size < 2:
            return 0
        x0, y0, x1, y1 = x[:-1], y[:-1], x[1:], y[1:]
        fades = np.zeros(x0.size) if fades is None else np.asarray(fades, dtype=np.float64)
        keep = np.isfinite(x0) & np.isfinite(y0) & np.isfinite(x1) & np.isfinite(y1)
        w, h = 2 * self.cols, 4 * self.rows
        seg = _clip(x0[keep], y0[keep], x1[keep], y1[keep], w, h)
        if seg is None:
            return 0
        ax, ay, bx, by, inside = seg
        fades = fades[keep][inside]
        n = np.ceil(np.maximum(np.abs(bx - ax), np.abs(by - ay))).astype(np.int64) + 1
        idx = np.repeat(np.arange(n.size), n)
        t = (np.arange(idx.size) - np.repeat(np.cumsum(n) - n, n)) / np.maximum(n[idx] - 1, 1)
        dx = np.clip((ax[idx] + (bx[idx] - ax[idx]) * t).astype(np.int64), 0, w - 1)
        dy = np.clip((ay[idx] + (by[idx] - ay[idx]) * t).astype(np.int64), 0, h - 1)
        cell = (dy // 4) * self.cols + dx // 2
        np.bitwise_or.at(self.mask, cell, BITS[dy % 4, dx % 2])
        base = len(self.inks)
        steps = np.round(np.clip(fades, 0, 1) * 4).astype(np.int64)  # five shades of fading
        for k in range(5):
            self.inks.append((rgb, k / 5))
        self.ink[cell] = base + steps[idx]
        return int(np.unique(cell).size)

    def faded_cells(self) -> int:
        """Cells drawn in a faded ink (an older part of a path's trail)."""
        drawn = self.ink[self.mask > 0]
        return int(sum(1 for i in drawn.tolist() if i >= 0 and self.inks[i][1] > 0))

    def put(self, p: float, q: float, char: str, rgb=None, bold: bool = True,
            label: str = "") -> bool:
        """``char`` at (p, q); outside the window an edge arrow and ``label``. True if inside."""
        at = self.cell_of(p, q)
        if at is not None:
            self.cells[at] = (char, rgb, bold)
            return True
        self.edge(p, q, rgb, label)
        return False

    def edge(self, p: float, q: float, rgb=None, label: str = "") -> None:
        """▲ ▼ ◀ ▶ on the window's edge towards (p, q), followed by ``label``."""
        x, y = self.dots(p, q)
        w, h = 2 * self.cols, 4 * self.rows
        x = float(np.nan_to_num(x, nan=w / 2, posinf=1e300, neginf=-1e300))
        y = float(np.nan_to_num(y, nan=-1e300, posinf=1e300, neginf=-1e300))
        over_x = max(-x, x - w, 0) / w
        over_y = max(-y, y - h, 0) / h
        r = int(np.clip(y // 4, 0, self.rows - 1))
        c = int(np.clip(x // 2, 0, self.cols - 1))
        if over_y >= over_x:
            arrow = "▲" if y < 0 else "▼"
        else:
            arrow = "◀" if x < 0 else "▶"
        text = f"{arrow}{label}"
        if arrow == "▶":
            c = max(self.cols - len(text), 0)
        c = min(c, max(self.cols - len(text), 0))
        for i, ch in enumerate(text):
            if c + i < self.cols:
                self.cells[(r, c + i)] = (ch, rgb, True)

    def marks_row(self, r: int) -> bool:
        """True when this sketch draws on row ``r``."""
        start = r * self.cols
        return bool(self.mask[start:start + self.cols].any()) or \
            any(rr == r for (rr, _) in self.cells)

    def row(self, r: int, base_cells, colours, mono: bool) -> list[Segment]:
        """Row ``r`` as Segments: the field's cells (Segments) with this sketch on top."""
        start = r * self.cols
        masks = self.mask[start:start + self.cols]
        touched = np.flatnonzero(masks)
        cells_here = [c for (rr, c) in self.cells if rr == r]
        out = list(base_cells)
        for c in touched.tolist():
            rgb, fade = self.inks[int(self.ink[start + c])]
            bg = colours[c]
            char = chr(0x2800 + int(masks[c]))
            if mono:
                out[c] = Segment(char, style(dim=fade >= 0.4))
            else:
                out[c] = Segment(char, style(mix(rgb, bg, fade * 0.85), bg))
        for c in cells_here:
            char, rgb, bold = self.cells[(r, c)]
            bg = colours[c]
            if mono or rgb is None:
                fg = None if mono else contrast(bg)
                out[c] = Segment(char, style(fg, bg, bold=bold))
            else:
                out[c] = Segment(char, style(rgb, bg, bold=bold))
        return out


def _clip(x0, y0, x1, y1, w: float, h: float):
    """Liang-Barsky: segments clipped to [0, w) × [0, h); None when none is left."""
    dx, dy = x1 - x0, y1 - y0
    t0 = np.zeros(x0.size)
    t1 = np.ones(x0.size)
    ok = np.ones(x0.size, dtype=bool)
    hi_x, hi_y = w - 1e-9, h - 1e-9
    with np.errstate(all="ignore"):
        for p, q in ((-dx, x0), (dx, hi_x - x0), (-dy, y0), (dy, hi_y - y0)):
            parallel = p == 0
            ok &= ~(parallel & (q < 0))
            r = np.where(parallel, 0.0, q / np.where(parallel, 1.0, p))
            t0 = np.where(~parallel & (p < 0), np.maximum(t0, r), t0)
            t1 = np.where(~parallel & (p > 0), np.minimum(t1, r), t1)
    ok &= t0 <= t1
    if not ok.any():
        return None
    x0, y0, dx, dy, t0, t1 = x0[ok], y0[ok], dx[ok], dy[ok], t0[ok], t1[ok]
    return x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy, np.flatnonzero(ok)
