"""Readouts that abbreviate rather than truncate: each row's value has shorter forms, and
rows share a line when the pane is short.

A row is a label and the forms its value can take; :func:`fit_readouts` picks, for
the pane's width and height, the longest form of every value that fits, and merges
rows (``m`` with ``m*``, ``α limit`` with ``best α`` …) until they fit the height.
Nothing is cut with "…": a value that fits in no form is written in its shortest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len


@dataclass(frozen=True)
class Readout:
    """One row: its label, the forms of its value (any order), and how a merge names it."""

    label: str
    forms: tuple[str, ...]
    short: str = ""
    """The label written inside another row's value when merged into it ("m*", "best")."""


MERGES = (
    ("m", "m*"), ("b", "b*"), ("Cost J", "J*"), ("α limit", "Best α"), ("α limit", "κ"),
    ("J − J*", "To optimum"), ("Optimizer", "Standardize"), ("Rate α", "Optimizer"),
    ("Batch", "Status"),
)
"""Which row takes in which, in the order a short pane merges them."""

DROPS = ("To optimum", "J − J*", "Best α", "b*", "m*")
"""What a pane too small even for the merged rows leaves out, first to last (the surface and
the cost pane show the distance and J − J* too; `m` maximizes the readouts)."""


def merged(a: Readout, b: Readout) -> Readout:
    """``b`` written after ``a``'s value on ``a``'s line."""
    forms = tuple(f"{fa} · {b.short or b.label} {fb}" for fa in a.forms for fb in b.forms)
    return Readout(a.label, forms, a.short)


def choose(forms: tuple[str, ...], room: int) -> str:
    """The longest form that fits ``room`` cells, else the shortest."""
    fitting = [f for f in forms if len(f) <= room]
    return max(fitting, key=len) if fitting else min(forms, key=len)


def fits(row: Readout, room: int) -> bool:
    """True when some form of the row's value fits ``room`` cells."""
    return any(len(f) <= room for f in row.forms)


def fit_readouts(rows: list[Readout], width: int, height: int) -> list[tuple[str, str, int]]:
    """(label, value, label width) of every line the pane shows, fitted to its size.

    Parameters
    ----------
    rows : list of Readout
        Every readout, in order.
    width, height : int
        The pane's content size in cells.

    Returns
    -------
    list of (str, str, int)
        One entry a line: the label, the chosen value, the label column's width.
    """
    rows = list(rows)
    for first, second in MERGES:
        if len(rows) <= height:
            break
        labels = [r.label for r in rows]
        if first not in labels or second not in labels:
            continue
        i, j = labels.index(first), labels.index(second)
        candidate = merged(rows[i], rows[j])
        label_width = _label_width([r for k, r in enumerate(rows) if k != j])
        if not fits(candidate, width - label_width):
            continue
        rows[i] = candidate
        del rows[j]
    for label in DROPS:  # a very small pane (60x20) keeps the essentials
        if len(rows) <= height:
            break
        rows = [r for r in rows if r.label != label]
    label_width = _label_width(rows)
    return [(r.label, choose(r.forms, width - label_width), label_width) for r in rows]


def _label_width(rows: list[Readout]) -> int:
    return max((len(r.label) for r in rows), default=0) + 1


SEPARATORS = (" · ", ": ", " (", ", ", " with ", " per ", " ")
"""Where a title may be cut, the clearest cut first."""


def shorten(text: str, room: int) -> str:
    """``text`` (Rich markup allowed) cut at its last separator that leaves it within ``room``
    cells, so that a border title abbreviates rather than ends in "…"; "" if nothing fits."""
    if _cells(text) <= room:
        return text
    for separator in SEPARATORS:
        cuts = [i for i in range(len(text)) if text.startswith(separator, i) and i > 0
                and text.count("(", 0, i) == text.count(")", 0, i)]  # never inside (…)
        fitting = [text[:i] for i in cuts if _cells(text[:i]) <= room]
        if fitting:
            return max(fitting, key=len).rstrip(" ·:,(")
    return ""


BREAKS_AFTER = ("; ", ": ", ", ")
BREAKS_BEFORE = (" = ",)
STATEMENT = re.compile(r" *[^\s=←]+ [=←] ")
"""Where a line of maths may be folded: after a statement ("; ") wherever it falls, after a
clause (each only where a statement follows), else before an equals sign (the next row
starts with it, indented), else at any space."""


@lru_cache(maxsize=512)
def fold(line: str, width: int, indent: str = "  ") -> tuple[str, ...]:
    """``line`` (plain text) in rows of at most ``width`` cells, folded where maths reads on
    (:data:`BREAKS_AFTER`, :data:`BREAKS_BEFORE`, then a space), never inside brackets;
    a row that goes on with "=" is indented. A word longer than a row is left to the pane's
    wrapping. (Memoised: a pane tries several writings of the same lines each frame.)"""
    rows, prefix = [], ""
    while cell_len(prefix + line) > width:
        cut = _fold_at(line, width - cell_len(prefix))
        if cut is None:
            break
        head, rest = cut
        rows.append(prefix + line[:head])
        line = line[rest:].lstrip(" ")
        prefix = indent if line.startswith("= ") else ""
    return (*rows, prefix + line)


def _fold_at(line: str, room: int) -> tuple[int, int] | None:
    """(end of the first row, start of the rest) for :func:`fold`, or None."""
    depth, depths = 0, []
    for char in line:
        depths.append(depth)
        depth += (char in "([") - (char in ")]")
    top = [i for i in range(len(line)) if not depths[i]]  # outside brackets
    # A fold before "=" goes on a chain (a "=" or "←" already in the row), never between a
    # name and its "=".
    signs = [i for i in top if line.startswith((" = ", " ← "), i)]
    chain_from = (0 if line.startswith("= ") else signs[0] + 1  # a chain goes on
                  if signs and STATEMENT.match(line) else len(line))  # (prose does not fold so)
    # Spaces, but never beside "=" or "←" (a name stays with its sign, the sign with its
    # value), nor between a word and its brackets ("Σ (yᵢ − ŷᵢ)", "p (m, b)").
    spaces = [i for i in range(1, len(line) - 1)
              if line[i] == " " and line[i - 1] not in "=←" and line[i + 1] not in "=←"
              and not (line[i + 1] == "(" and line[i - 1].isalnum())]
    # A clause folds where the next one is a statement ("x = …", "p ← …"), prose by its words.
    clauses = [i for i in top if line.startswith(BREAKS_AFTER, i) and STATEMENT.match(line, i + 2)]
    candidates = (
        [(i + 1, i + 2) for i in clauses if line.startswith(BREAKS_AFTER[0], i)],
        [(i + 1, i + 2) for i in clauses if line.startswith(BREAKS_AFTER[1:], i)],
        [(i, i + 1) for i in top if i > chain_from and line.startswith(BREAKS_BEFORE, i)],
        [(i, i + 1) for i in spaces if not depths[i]],
        [(i, i + 1) for i in spaces],
        # Rather than overflow: before a sign (the next row starts with it), else any space.
        [(i, i + 1) for i in range(1, len(line) - 1) if line[i] == " " and line[i + 1] in "=←"],
        [(i, i + 1) for i in range(1, len(line) - 1) if line[i] == " "],
    )
    for rank, cuts in enumerate(candidates):
        # A clause after a comma or a colon folds only where the first row is well filled.
        least = room // 3 if rank == 1 else 0
        fitting = [cut for cut in cuts if least <= cell_len(line[:cut[0]]) <= room]
        if fitting:
            return max(fitting)
    return None


def _cells(markup: str) -> int:
    from rich.errors import MarkupError
    from rich.text import Text

    try:
        return Text.from_markup(markup).cell_len
    except MarkupError:
        return Text(markup).cell_len
