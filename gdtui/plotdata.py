"""What a plot draws: a bounded number of marks, whatever the size of the data.

Pure numpy. A terminal pane has a few thousand cells; these helpers reduce the
data to what those cells can show. They never touch the data the engine fits.
"""

from __future__ import annotations

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


def minmax_buckets(x: np.ndarray, y: np.ndarray, buckets: int) -> tuple[list[float], list[float]]:
    """Downsample a series to about 2·``buckets`` points keeping each bucket's min and max.

    The shape of the curve (spikes included) survives; a series that is already
    short enough is returned unchanged.
    """
    n = x.size
    buckets = max(int(buckets), 1)
    if n <= 2 * buckets:
        return x.tolist(), y.tolist()
    edges = np.linspace(0, n, buckets + 1).astype(np.int64)
    starts = edges[:-1]
    arg_lo = np.array([s + np.argmin(y[s:e]) for s, e in zip(starts, edges[1:], strict=True)])
    arg_hi = np.array([s + np.argmax(y[s:e]) for s, e in zip(starts, edges[1:], strict=True)])
    first = arg_lo <= arg_hi
    idx = np.empty(2 * buckets, dtype=np.int64)
    idx[0::2] = np.where(first, arg_lo, arg_hi)
    idx[1::2] = np.where(first, arg_hi, arg_lo)
    return x[idx].tolist(), y[idx].tolist()
