"""The one home of the tick rule: round 1-2-5 values, equally spaced, labels that fit.

Every plot of the app asks here for its ticks (``Plot.set_limits`` in
:mod:`gdtui.app.widgets.panes`), so that no axis reads 91.2 / 84.0 / 69.7 with
uneven gaps, or 0 2 3 4 6 on an iteration axis.
"""

from __future__ import annotations

import math

MANTISSAS = (1, 2, 5)
"""Every tick step is one of these times a power of ten."""
MAX_X_TICKS = 8
"""At most this many labels across (a wide plot reads better with few)."""


def tick_step(lo: float, hi: float, most: int, integer: bool = False) -> float:
    """The smallest 1-2-5 step that puts at most ``most`` ticks in [lo, hi].

    Parameters
    ----------
    lo, hi : float
        The axis range, ``lo < hi``, both finite.
    most : int
        The most ticks wanted (at least 1).
    integer : bool
        Steps of at least 1 only (an iteration axis).

    Returns
    -------
    float
        The step, ``s * 10**k`` with ``s`` in 1, 2, 5.
    """
    most = max(int(most), 1)
    exponent = math.floor(math.log10((hi - lo) / most))
    if integer:
        exponent = max(exponent, 0)
    while True:
        for mantissa in MANTISSAS:
            step = mantissa * 10.0 ** exponent
            if _count(lo, hi, step) <= most:
                return step
        exponent += 1


def _count(lo: float, hi: float, step: float) -> int:
    first, last = _range(lo, hi, step)
    return last - first + 1


def _range(lo: float, hi: float, step: float) -> tuple[int, int]:
    eps = 1e-9
    return math.ceil(lo / step - eps), math.floor(hi / step + eps)


def axis_end(last: float, least: float = 10.0) -> float:
    """Where a growing axis (iterations) ends: the first of 10, 20, 50, 100, 200, … not
    below ``last``. The axis and what is drawn on it stay put until the run passes it."""
    end = least
    while end < last and math.isfinite(last):
        for factor in (2.0, 2.5, 2.0):  # 10 → 20 → 50 → 100
            end *= factor
            if end >= last:
                break
    return end


def whole_decades(lo: float, hi: float) -> tuple[float, float]:
    """A log₁₀ axis's range out to whole decades (an end that is not finite stays), so the
    axis stays put while a curve falls within them."""
    return (math.floor(lo) if math.isfinite(lo) else lo,
            math.ceil(hi) if math.isfinite(hi) else hi)


def nice_ticks(lo: float, hi: float, most: int, integer: bool = False) -> list[float]:
    """At most ``most`` ticks in [lo, hi] at the multiples of one 1-2-5 step.

    Empty for a range that is not finite; the one value for an empty range.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi <= lo:
        return [float(round(lo)) if integer else float(lo)]
    step = tick_step(lo, hi, most, integer)
    first, last = _range(lo, hi, step)
    digits = max(0, -math.floor(math.log10(step))) + 1
    return [round(i * step, digits) + 0.0 for i in range(first, last + 1)]


def tick_labels(ticks: list[float], integer: bool = False) -> list[str]:
    """Labels for ``ticks``, all with the same number of decimals (those their step needs).

    Large or tiny values are written as 1.5e7 / 2e-6; an integer axis with thousands
    separators (12,000).
    """
    if not ticks:
        return []
    if len(ticks) == 1:  # no step to read the precision from: every digit that counts
        return [f"{int(round(ticks[0])):,}" if integer else _tidy(f"{ticks[0]:.10g}")]
    step = ticks[1] - ticks[0]
    k = math.floor(math.log10(abs(step)) + 1e-9) if step else 0
    biggest = max(abs(t) for t in ticks)
    if integer and biggest < 1e9:
        return [f"{int(round(t)):,}" for t in ticks]
    if biggest < 1e6 and k >= -4:
        decimals = max(0, -k)
        return [_tidy(f"{t:.{decimals}f}") for t in ticks]
    top = math.floor(math.log10(biggest)) if biggest else 0
    decimals = max(0, top - k)
    return [_tidy_exponent(f"{t:.{decimals}e}") for t in ticks]


def _tidy(label: str) -> str:
    return label.lstrip("-") if float(label) == 0 else label  # never "-0.0"


def _tidy_exponent(label: str) -> str:
    mantissa, exponent = label.split("e")
    if float(mantissa) == 0:
        return "0"
    return f"{mantissa}e{int(exponent)}"


def y_ticks(lo: float, hi: float, rows: int, integer: bool = False
            ) -> tuple[list[float], list[str]]:
    """Ticks for a vertical axis ``rows`` cells high: at most one on every other row."""
    ticks = nice_ticks(lo, hi, max(2, min(6, (rows + 1) // 2)), integer)
    return ticks, tick_labels(ticks, integer)


ROW_SLACK = 0.3
"""How much taller than the data (as a fraction of its span) a vertical axis may grow so
that its ticks fall on rows the same number of rows apart."""


def row_aligned(lo: float, hi: float, rows: int, integer: bool = False
                ) -> tuple[float, float, list[float], list[str]]:
    """A vertical range covering [lo, hi] and its 1-2-5 ticks, each tick on a row and the
    same number of rows from the next (a terminal cannot draw a tick between two rows).

    The range grows by at most :data:`ROW_SLACK` of the span; when no such range exists,
    [lo, hi] with those of :func:`y_ticks` that fall the same number of rows apart.

    Returns
    -------
    (low, high, ticks, labels)
    """
    ticks, labels = y_ticks(lo, hi, rows, integer)
    if not ticks or hi <= lo or rows < 3:
        return lo, hi, ticks, labels
    most = max(2, min(6, (rows + 1) // 2))
    step = tick_step(lo, hi, most, integer)
    best = None  # (key, base, high, step, gap)
    for _ in range(3):  # this step and the next two 1-2-5 steps up
        base = _floor_to(lo, step)
        intervals = max(math.ceil((hi - base) / step - 1e-9), 1)
        for gap in range(2, rows):  # ticks at least every other row
            if intervals * gap > rows - 1:
                break
            high = base + (rows - 1) * step / gap  # a tick every gap rows from the bottom
            count = (rows - 1) // gap + 1
            if count <= most + 1 and high - base <= (1 + ROW_SLACK) * (hi - lo):
                # The most ticks, then the least room lost.
                key = (-count, high - base)
                if best is None or key < best[0]:
                    best = (key, base, high, step, gap)
        step = _next_step(step)
    if best is None:  # the most of the ticks that still fall the same rows apart
        ticks = evenly_rowed(ticks, lo, hi, rows)
        return lo, hi, ticks, tick_labels(ticks, integer)
    _, base, high, step, gap = best
    digits = max(0, -math.floor(math.log10(step))) + 1
    count = (rows - 1) // gap + 1
    ticks = [round(base + i * step, digits) + 0.0 for i in range(count)]
    return base, high, ticks, tick_labels(ticks, integer)


def evenly_rowed(ticks: list[float], lo: float, hi: float, rows: int) -> list[float]:
    """The longest run of every k-th tick that plotext puts the same number of rows apart on
    ``rows`` rows showing [lo, hi] (two ticks always are)."""
    if len(ticks) <= 2 or hi <= lo:
        return ticks
    place = [math.floor(0.5 + (rows - 1) * (t - lo) / (hi - lo)) for t in ticks]
    best = [ticks[0], ticks[-1]] if place[-1] - place[0] >= 2 else ticks[:1]
    for stride in range(1, len(ticks)):
        for first in range(stride):
            chosen = list(range(first, len(ticks), stride))
            gaps = {place[b] - place[a] for a, b in zip(chosen, chosen[1:], strict=False)}
            if len(chosen) > len(best) and len(gaps) == 1 and min(gaps) >= 2:
                best = [ticks[i] for i in chosen]
    return best


def _floor_to(value: float, step: float) -> float:
    """The largest multiple of ``step`` not above ``value`` (exact where the division rounds)."""
    k = math.floor(value / step)
    if k * step > value:
        k -= 1
    elif (k + 1) * step <= value:
        k += 1
    return k * step


def _next_step(step: float) -> float:
    exponent = math.floor(math.log10(step) + 1e-9)
    mantissa = round(step / 10 ** exponent)
    return {1: 2, 2: 5, 5: 10}[mantissa] * 10.0 ** exponent


def x_ticks(lo: float, hi: float, columns: int, integer: bool = False
            ) -> tuple[list[float], list[str]]:
    """Ticks for a horizontal axis ``columns`` cells wide whose labels never touch.

    The most ticks (up to :data:`MAX_X_TICKS`) whose neighbouring labels, centred
    on their ticks (moved inside at the ends), keep at least one free cell between them.
    """
    columns = max(int(columns), 1)
    for most in range(MAX_X_TICKS, 1, -1):
        ticks = nice_ticks(lo, hi, most, integer)
        labels = tick_labels(ticks, integer)
        if fits(ticks, labels, lo, hi, columns):
            return ticks, labels
    ticks = nice_ticks(lo, hi, 2, integer)
    return ticks, tick_labels(ticks, integer)


def fits(ticks: list[float], labels: list[str], lo: float, hi: float, columns: int) -> bool:
    """True when ``labels`` centred at ``ticks`` on an axis of ``columns`` cells never touch.

    A label that would hang off an end is moved inside it (as plotext does), and
    must still keep a free cell from its neighbour.
    """
    if not ticks:
        return True
    if max(len(s) for s in labels) > columns:
        return False
    if hi <= lo:
        return True
    scale = (columns - 1) / (hi - lo)
    spans = []
    for t, s in zip(ticks, labels, strict=True):
        start = (t - lo) * scale - (len(s) - 1) / 2
        start = min(max(start, 0.0), columns + 1 - len(s))
        spans.append((start, start + len(s)))
    return all(b[0] - a[1] >= 1 for a, b in zip(spans, spans[1:], strict=False))
