"""What a plot draws: a bounded number of marks, whatever the size of the data.

Pure numpy. A terminal pane has a few thousand cells; these helpers reduce the
data to what those cells can show. They never touch the data the engine fits.
"""

from __future__ import annotations

import math

import numpy as np


def padded_limits(values: np.ndarray, pad: float = 0.05) -> tuple[float, float]:
    """(low, high) of ``values`` widened by ``pad`` of the range on each side."""
    lo, hi = float(np.min(values)), float(np.max(values))
    if hi == lo:
        hi, lo = hi + 0.5 * max(1.0, abs(hi)), lo - 0.5 * max(1.0, abs(lo))
    span = hi - lo
    return lo - pad * span, hi + pad * span


def bin_scatter(x: np.ndarray, y: np.ndarray, xlim: tuple[float, float],
                ylim: tuple[float, float], nx: int, ny: int,
                max_points: int = 2000) -> tuple[list[float], list[float]]:
    """Points to draw for a scatter of (x, y) on an ``nx`` × ``ny`` grid of marks.

    Up to ``max_points`` points are returned as they are; more are replaced by
    the centres of the occupied grid cells (at most nx·ny marks).
    """
    if x.size <= max_points:
        return x.tolist(), y.tolist()
    nx, ny = max(int(nx), 1), max(int(ny), 1)
    (x0, x1), (y0, y1) = xlim, ylim
    ix = np.clip(((x - x0) / (x1 - x0) * nx).astype(np.int64), 0, nx - 1)
    iy = np.clip(((y - y0) / (y1 - y0) * ny).astype(np.int64), 0, ny - 1)
    occupied = np.zeros(nx * ny, dtype=bool)
    occupied[ix * ny + iy] = True
    cells = np.flatnonzero(occupied)
    cx = x0 + (cells // ny + 0.5) * (x1 - x0) / nx
    cy = y0 + (cells % ny + 0.5) * (y1 - y0) / ny
    return cx.tolist(), cy.tolist()


def minmax_buckets(x: np.ndarray, y: np.ndarray, buckets: int,
                   x_end: float | None = None) -> tuple[list[float], list[float]]:
    """Downsample a series to about 2·``buckets`` points keeping each bucket's min and max.

    The shape of the curve (spikes included) survives; a series that is already
    short enough is returned unchanged. With ``x_end`` the buckets are fixed
    stretches of x (sorted ascending) from 0 to ``x_end``, the axis's end: as the
    series grows, only its last bucket changes (a live plot keeps its drawn cells).
    """
    n = x.size
    buckets = max(int(buckets), 1)
    if n <= 2 * buckets:
        return x.tolist(), y.tolist()
    if x_end is None:
        edges = np.linspace(0, n, buckets + 1).astype(np.int64)
    else:
        bounds = np.linspace(0.0, float(x_end), buckets + 1)[1:-1]
        edges = np.unique(np.concatenate(([0], np.searchsorted(x, bounds, side="left"), [n])))
    starts, ends = edges[:-1], edges[1:]
    arg_lo = np.array([s + np.argmin(y[s:e]) for s, e in zip(starts, ends, strict=True)])
    arg_hi = np.array([s + np.argmax(y[s:e]) for s, e in zip(starts, ends, strict=True)])
    first = arg_lo <= arg_hi
    idx = np.empty(2 * starts.size, dtype=np.int64)
    idx[0::2] = np.where(first, arg_lo, arg_hi)
    idx[1::2] = np.where(first, arg_hi, arg_lo)
    return x[idx].tolist(), y[idx].tolist()


def stride_path(p: np.ndarray, q: np.ndarray, max_points: int = 300,
                keep_last: int = 60) -> tuple[list[float], list[float]]:
    """A long path thinned to about ``max_points``, its last ``keep_last`` points intact.

    plotext draws a line point to point, at a few microseconds a segment, and a
    pane a hundred cells wide cannot show more than a few hundred turns anyway.
    """
    n = p.size
    if n <= max_points:
        return p.tolist(), q.tolist()
    head = n - keep_last
    step = max(1, head // max(max_points - keep_last, 1))
    idx = np.concatenate([np.arange(0, head, step), np.arange(head, n)])
    return p[idx].tolist(), q[idx].tolist()


def fit_window(ps, qs, center: tuple[float, float],
               margin: float = 0.15) -> tuple[float, float, float, float]:
    """A (p0, p1, q0, q1) window centred on ``center`` that holds every (p, q) given.

    Each half-width is the farthest point's distance from the centre plus ``margin``
    of it, and never zero.
    """
    cp, cq = center
    ps = np.asarray(ps, dtype=np.float64)
    qs = np.asarray(qs, dtype=np.float64)
    ok = np.isfinite(ps) & np.isfinite(qs)
    ps, qs = ps[ok], qs[ok]
    hp = float(np.max(np.abs(ps - cp))) if ps.size else 0.0
    hq = float(np.max(np.abs(qs - cq))) if qs.size else 0.0
    hp = hp * (1 + margin) or max(abs(cp) * 0.5, 1.0)
    hq = hq * (1 + margin) or max(abs(cq) * 0.5, 1.0)
    return cp - hp, cp + hp, cq - hq, cq + hq


def window_contains(window: tuple[float, float, float, float], p: float, q: float) -> bool:
    """True when (p, q) lies inside the window."""
    p0, p1, q0, q1 = window
    return p0 <= p <= p1 and q0 <= q <= q1


def contour_marks(excess: np.ndarray, p_values: np.ndarray, q_values: np.ndarray,
                  levels: int = 8, ratio: float = 4.0) -> list[tuple[list[float], list[float]]]:
    """Contour lines of a cost-excess grid (J − J* ≥ 0), as marks per level.

    Levels are geometric, E_k = E_top·ratio^(−k): for a quadratic bowl with
    ratio 4 they are ellipses whose sizes halve from one to the next. A grid cell
    is on a contour where its level band differs from its right or upper
    neighbour's. Returns one (ps, qs) list pair per level, outermost first; the
    number of marks is bounded by the grid size.
    """
    top = float(np.nanmax(excess)) if np.isfinite(excess).any() else 0.0
    out: list[tuple[list[float], list[float]]] = [([], []) for _ in range(levels)]
    if not top > 0:
        return out
    with np.errstate(divide="ignore", invalid="ignore"):
        band = np.floor(np.log(top / np.maximum(excess, top * 1e-300)) / np.log(ratio))
    band = np.where(np.isfinite(band), band, levels).astype(np.int64)
    band = np.clip(band, 0, levels)
    # A mark where a cell's band differs from its right or upper neighbour's; the
    # contour there is the boundary of the outer (smaller) band of the two.
    hr, hc = np.nonzero(band[:, :-1] != band[:, 1:])
    h_level = np.minimum(band[hr, hc], band[hr, hc + 1])
    vr, vc = np.nonzero(band[:-1, :] != band[1:, :])
    v_level = np.minimum(band[vr, vc], band[vr + 1, vc])
    rows = np.concatenate([hr, vr])
    cols = np.concatenate([hc, vc])
    level = np.concatenate([h_level, v_level])
    for k in range(levels):
        sel = level == k
        out[k] = (p_values[cols[sel]].tolist(), q_values[rows[sel]].tolist())
    return out


def clip_line(m: float, b: float, xlim: tuple[float, float], ylim: tuple[float, float]):
    """The part of y = m·x + b inside the box ``xlim`` × ``ylim``, and where the rest lies.

    Returns ``(segment, side)``: ``segment`` is ((x0, y0), (x1, y1)) or None when
    the line misses the box; ``side`` is ``"top"`` or ``"bottom"`` for a line that
    misses it (on the whole x range it is above or below), else None.
    """
    (x0, x1), (ylo, yhi) = xlim, ylim
    if not (math.isfinite(m) and math.isfinite(b)):
        return None, "top"
    if m == 0.0:
        if ylo <= b <= yhi:
            return ((x0, b), (x1, b)), None
        return None, "top" if b > yhi else "bottom"
    xa, xb = sorted(((ylo - b) / m, (yhi - b) / m))
    lo, hi = max(x0, xa), min(x1, xb)
    if lo > hi:
        mid = m * (x0 + x1) / 2 + b
        return None, "top" if mid > yhi else "bottom"
    return ((lo, m * lo + b), (hi, m * hi + b)), None


def plot_area(lines: list[str]) -> tuple[int, int, int, int] | None:
    """(left, top, width, height) of the cells inside plotext's frame, read from the rendered
    lines (the tick labels' widths vary, so the frame is found where it was drawn)."""
    for top, line in enumerate(lines):
        left = line.find("┌")
        if left < 0:
            continue
        right = line.find("┐", left)
        for bottom in range(top + 1, len(lines)):
            if lines[bottom][left : left + 1] == "└":
                if right > left + 1 and bottom > top + 1:
                    return left + 1, top + 1, right - left - 1, bottom - top - 1
                return None
        return None
    return None


def cell_value(offset: int, cells: int, lo: float, hi: float, sub: int = 1) -> float:
    """The value at the centre of cell ``offset`` (0 = the ``lo`` end) of an axis of ``cells``
    cells from ``lo`` to ``hi``, drawn with ``sub`` marks per cell (2 for plotext's "hd"):
    plotext puts ``lo`` on the first mark and ``hi`` on the last."""
    marks = cells * sub
    if marks < 2:
        return 0.5 * (lo + hi)
    return lo + (sub * offset + (sub - 1) / 2) / (marks - 1) * (hi - lo)
