"""The spans a pane sends to the terminal: every changed cell is inside one, on the grid."""

from __future__ import annotations

import random

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from gdtui.app.widgets.lines import cells, changed_spans

STYLES = [Style(), Style(color="red"), Style(bold=True)]


def random_strip(rng: random.Random, width: int) -> Strip:
    segments, used = [], 0
    while used < width:
        n = rng.randint(1, min(6, width - used))
        if rng.random() < 0.1 and n >= 2:
            text = "漢" + "x" * (n - 2)  # a wide character takes two cells
        else:
            text = "".join(rng.choice("ab ⠁⣿") for _ in range(n))
        segments.append(Segment(text, rng.choice(STYLES)))
        used += n
    return Strip(segments)


def mutate(rng: random.Random, strip: Strip, width: int) -> Strip:
    if rng.random() < 0.3:
        return strip
    row = cells(strip)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(width)
        if row[i] is not None and row[i][0] != "漢":
            row[i] = (rng.choice("ab ⠁⣿"), rng.choice(STYLES))
    return Strip([Segment(c, s) for c, s in (x for x in row if x is not None)])


def test_every_changed_cell_is_in_a_span_from_the_first_column():
    rng = random.Random(7)
    for _ in range(300):
        width, height = rng.randint(4, 40), rng.randint(1, 6)
        old = [random_strip(rng, width) for _ in range(height)]
        new = [mutate(rng, strip, width) for strip in old]
        spans = list(changed_spans(old, new, width))
        for y, x0, x1 in spans:
            last = max(x for x in range(width) if cells(old[y])[x] != cells(new[y])[x])
            assert x1 == last + 1 or (x1 == last + 2 and cells(new[y])[last + 1] is None)
            assert x0 == 0 and 0 < x1 <= width
        covered = {(y, x) for y, x0, x1 in spans for x in range(x0, x1)}
        for y, (a, b) in enumerate(zip(old, new, strict=True)):
            ca, cb = cells(a), cells(b)
            for x in range(width):
                if ca[x] != cb[x]:  # brute force: each cell compared
                    assert (y, x) in covered
        assert len({y for y, _, _ in spans}) == len(spans)  # one span a row at most
        unchanged = [y for y in range(height) if old[y] == new[y]]
        assert not any(y in unchanged for y, _, _ in spans)
