"""Which cells of a pane changed between two draws: the spans a frame sends to the terminal.

Textual repaints whatever region a widget marks dirty; a pane that marks only the rows its
draw changed, each up to its last changed cell, sends a few bytes a frame instead of its whole
area. Textual writes a dirty row of a widget from the widget's left edge (its first cell) up
to the span's end, so a span starts at the pane's first column: nothing is lost, and a row
has at most as many distinct regions as columns (Textual keeps the regions a line-drawn
widget marks until it next repaints it whole).
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len
from textual.strip import Strip


def cells(strip: Strip) -> list:
    """One (character, style) per cell; a wide character is followed by a None."""
    out: list = []
    for segment in strip:
        text, style = segment.text, segment.style
        if len(text) == cell_len(text):
            out.extend((char, style) for char in text)
        else:
            for char in text:
                out.append((char, style))
                if cell_len(char) == 2:
                    out.append(None)
    return out


def changed_span(old: Strip, new: Strip) -> tuple[int, int] | None:
    """(first, end) columns where ``new`` differs from ``old``, None when they are the same."""
    if old == new:
        return None
    a, b = cells(old), cells(new)
    shortest = min(len(a), len(b))
    first = 0
    while first < shortest and a[first] == b[first]:
        first += 1
    last = 0
    while last < shortest - first and a[-1 - last] == b[-1 - last]:
        last += 1
    end = max(len(a), len(b)) - last
    return (first, end) if end > first else None


def changed_spans(old: list[Strip], new: list[Strip],
                  width: int) -> Iterator[tuple[int, int, int]]:
    """(row, 0, x1) of every changed row, x1 the end of its last changed cell (≤ ``width``)."""
    for y, (a, b) in enumerate(zip(old, new, strict=True)):
        span = changed_span(a, b)
        if span is None:
            continue
        x1 = min(width, span[1])
        if x1 > 0:
            yield y, 0, x1
