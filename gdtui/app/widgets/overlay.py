"""Lines drawn over a plot that plotext has already rendered, cell for cell as plotext draws them.

The data pane's scatter changes only when the data, the size, the axes or the theme change; the
line moves every frame. Rendering the whole plot with plotext every frame costs tens of
milliseconds at 10⁴ points. Instead the pane renders the scatter and axes once (plotext) and
draws the lines of each frame over those lines here, with plotext's own rules: a value v on an
axis of ``bins`` dots from ``lo`` to ``hi`` lands on dot ⌊0.5 + (bins − 1)(v − lo)/(hi − lo)⌋;
consecutive points are joined dot by dot; the dots of one series in a cell make one braille
character (2 × 4 dots); a later series replaces an earlier one's cell. A test renders the same
lines with plotext and compares every cell.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

BRAILLE = 0x2800
DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
"""Braille dot bits by (row from the top, column) of a cell's 4 × 2 dots."""


def finite(xs, ys) -> tuple[np.ndarray, np.ndarray]:
    """The points whose coordinates are both finite (plotext skips the others)."""
    x, y = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
    keep = np.isfinite(x) & np.isfinite(y)
    return x[keep], y[keep]


def matrix_dots(values, lo: float, hi: float, bins: int) -> np.ndarray:
    """Dot indices of ``values`` on an axis of ``bins`` dots from ``lo`` to ``hi`` (plotext's)."""
    v = np.asarray(values, dtype=np.float64)
    return np.floor(np.round(0.5 + (bins - 1) * (v - lo) / (hi - lo), 8)).astype(np.int64)


def joined(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The dots of the polyline through (x, y), each segment drawn as plotext draws it:
    max(|dx|, |dy|) + 1 evenly spaced points, truncated to integers, the last one shared."""
    if x.size < 2:
        return x, y
    x0, x1, y0, y1 = x[:-1], x[1:], y[:-1], y[1:]
    counts = np.maximum(np.abs(x1 - x0), np.abs(y1 - y0)) + 1
    seg = np.repeat(np.arange(counts.size), counts - 1)  # each segment without its last point
    step = np.arange(seg.size) - np.repeat(np.cumsum(counts - 1) - (counts - 1), counts - 1)
    slope_x = np.where(counts > 1, (x1 - x0) / np.maximum(counts - 1, 1), 0.0)
    slope_y = np.where(counts > 1, (y1 - y0) / np.maximum(counts - 1, 1), 0.0)
    px = np.trunc(x0[seg] + step * slope_x[seg]).astype(np.int64)
    py = np.trunc(y0[seg] + step * slope_y[seg]).astype(np.int64)
    return np.append(px, x[-1]), np.append(py, y[-1])


def braille_cells(xs, ys, xlim, ylim, cols: int, rows: int) -> dict[tuple[int, int], str]:
    """{(column, row from the top): braille character} of one braille series on a plot area of
    ``cols`` × ``rows`` cells showing ``xlim`` × ``ylim``."""
    xs, ys = finite(xs, ys)
    if len(xs) == 0:
        return {}
    dx = matrix_dots(xs, *xlim, 2 * cols)
    dy = matrix_dots(ys, *ylim, 4 * rows)
    dx, dy = joined(dx, dy)
    cx, cy = dx // 2, dy // 4
    inside = (cx >= 0) & (cx < cols) & (cy >= 0) & (cy < rows)
    dx, dy, cx, cy = dx[inside], dy[inside], cx[inside], cy[inside]
    bits = np.array(DOT_BITS, dtype=np.int64)[3 - dy % 4, dx % 2]
    key = (rows - 1 - cy) * cols + cx
    order = np.argsort(key, kind="stable")
    key, bits = key[order], bits[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    codes = np.bitwise_or.reduceat(bits, starts) if key.size else bits
    return {(int(k % cols), int(k // cols)): chr(BRAILLE + int(code))
            for k, code in zip(key[starts], codes, strict=True)}


def marker_cells(xs, ys, marker: str, xlim, ylim, cols: int,
                 rows: int) -> dict[tuple[int, int], str]:
    """{(column, row from the top): ``marker``} of a scatter of one-character markers."""
    xs, ys = finite(xs, ys)
    if len(xs) == 0:
        return {}
    cx = matrix_dots(xs, *xlim, cols)
    cy = matrix_dots(ys, *ylim, rows)
    inside = (cx >= 0) & (cx < cols) & (cy >= 0) & (cy < rows)
    return {(int(c), int(rows - 1 - r)): marker
            for c, r in zip(cx[inside], cy[inside], strict=True)}


Series = tuple[Sequence[float], Sequence[float], "tuple[int, int, int] | str", str]
"""(xs, ys, colour, marker): "braille" joins the points with a braille line, as plotext's
``plot``; one character marks each point, as plotext's ``scatter``. The colour is (r, g, b)
or a colour's name."""


def draw_over(lines: Sequence[Strip], area: tuple[int, int, int, int], xlim, ylim,
              series: Sequence[Series]) -> list[Strip]:
    """``lines`` with each of ``series`` drawn over the plot ``area`` (left, top, width,
    height), later series over earlier ones."""
    left, top, cols, rows = area
    cells: dict[tuple[int, int], tuple[str, tuple[int, int, int] | str]] = {}
    for xs, ys, colour, marker in series:
        if marker == "braille":
            drawn = braille_cells(xs, ys, xlim, ylim, cols, rows)
        else:
            drawn = marker_cells(xs, ys, marker, xlim, ylim, cols, rows)
        for cell, char in drawn.items():
            cells[cell] = (char, colour)
    by_row: dict[int, list[tuple[int, str, tuple[int, int, int]]]] = {}
    for (col, row), (char, rgb) in cells.items():
        by_row.setdefault(top + row, []).append((left + col, char, rgb))
    out = list(lines)
    for y, marks in by_row.items():
        marks.sort()
        runs: list[list] = []  # [x, characters, colour]: neighbouring cells of one colour
        for x, char, rgb in marks:
            if runs and runs[-1][0] + len(runs[-1][1]) == x and runs[-1][2] == rgb:
                runs[-1][1] += char
            else:
                runs.append([x, char, rgb])
        cuts = []
        for x, chars, _ in runs:
            cuts += [x, x + len(chars)]
        pieces = out[y].divide([*cuts, out[y].cell_length])
        segments: list[Segment] = list(pieces[0])
        for i, (_, chars, rgb) in enumerate(runs):
            under = pieces[2 * i + 1]
            style = next((s.style for s in under if s.text), None) or Style()
            colour = Color.parse(rgb) if isinstance(rgb, str) else Color.from_rgb(*rgb)
            segments.append(Segment(chars, style + Style(color=colour)))
            segments.extend(pieces[2 * i + 2])
        out[y] = Strip(segments, out[y].cell_length)
    return out
