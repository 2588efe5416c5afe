"""Loading data for the logistic model: a numeric x and a y of two labels, read as 0 and 1.

y may hold 0 and 1 (``1.0`` and ``0.0`` too), or two text labels. For text, a known pair
(yes/no, true/false, y/n, t/f, positive/negative, pos/neg, success/failure, pass/fail) maps its
positive word to 1; any other pair maps the label that sorts later (case-folded) to 1; a warning
line always says which text became 1. Anything else — a third label, a number other than 0 and 1,
an x that is not a number — is refused with one line naming the file, line and column.
Rows missing x or y are dropped and counted, as the line's loader does.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from gdtui.csv_reader import (
    _DELIMITERS,
    _NO_HEADER,
    FIELD_LIMIT,
    MISSING,
    _clip,
    _described,
    _is_number,
    _label,
    _open_csv,
    _pick_column,
    _records,
    _sniff_delimiter,
)
from gdtui.data import parse_synthetic_spec, resolve_source, synthetic_dataset
from gdtui.dataset import Dataset, check_values
from gdtui.errors import ConfigError, DataError

POSITIVE = {"yes": "no", "true": "false", "y": "n", "t": "f", "positive": "negative",
            "pos": "neg", "success": "failure", "pass": "fail"}
"""Known label pairs: the positive word (read as 1) and its negative."""


def _binary_number(cell: str) -> float | None:
    """0.0 or 1.0 for a cell that is that number, None for any other text."""
    try:
        v = float(cell)
    except ValueError:
        return None
    return v if v in (0.0, 1.0) else math.nan


def load_labelled(source: str, x: str | None = None, y: str | None = None) -> Dataset:
    """Load a numeric x and a two-label y (as 0/1) from a CSV file or bundled dataset.

    Without ``y``, the last column other than x with exactly two different values is y (the
    last column when there is none, so that the error names its first offending label);
    without ``x``, the first column of numbers only that is not y (else the first other one).

    Raises
    ------
    DataError
        For a missing or malformed file, an unknown column, a third label, a numeric label
        other than 0 and 1, or an x that is not a finite number (with line and column).
    """
    path, shown = resolve_source(source)
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    raw = _open_csv(path, shown)
    try:
        head = raw.peek(1 << 16)[: 1 << 16]
        if not head.strip():
            raise DataError(f"{shown}: the file is empty")
        delimiter = _sniff_delimiter(head.decode("utf-8-sig", errors="replace"),
                                     len(head) < 1 << 16)
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=delimiter)
        records = _records(reader, path, shown)
        first = next(records, None)
        if first is None:
            raise DataError(f"{shown}: the file is empty")
        ncols = len(first)
        if ncols < 2:
            raise DataError(f"{shown}: line {reader.line_num}: the header has {ncols} column; "
                            "need at least two (x and y)")
        named = not all(_is_number(cell) for cell in first)
        header = [h.strip() for h in first] if named else [""] * ncols
        rows: list[tuple[int, list[str]]] = [] if named else [(reader.line_num, first)]
        for row in records:
            if len(row) != ncols:
                raise DataError(f"{shown}: line {reader.line_num}: {len(row)} fields, but the "
                                f"{'header' if named else 'first row'} has {ncols}")
            rows.append((reader.line_num, row))
    finally:
        raw.close()
    if not rows:
        raise DataError(f"{shown}: no data rows after the header")
    notes = []
    if delimiter != ",":
        notes.append(f"{shown}: read as {_DELIMITERS[delimiter]}-separated values")
    if not named:
        notes.append(_NO_HEADER.format(shown=shown))
    ix = _pick_column(x, header, shown, "x", named) if x is not None else None
    iy = _pick_column(y, header, shown, "y", named) if y is not None else None
    if ix is not None and ix == iy:
        raise DataError(f"{shown}: x and y are the same column ({_label(header, ix)!r})")

    def present(cell: str) -> bool:
        return cell.strip().lower() not in MISSING

    def numeric(c: int) -> bool:
        return all(_is_number(r[c]) or not present(r[c]) for _, r in rows)

    if iy is None:
        iy = next((c for c in reversed(range(ncols)) if c != ix and
                   len({r[c].strip() for _, r in rows if present(r[c])}) == 2), None)
        if iy is None:  # none: the last column, whose first offending label is named below
            iy = ncols - 1 if ix != ncols - 1 else ncols - 2
    if ix is None:
        ix = next((c for c in range(ncols) if c != iy and numeric(c)),
                  0 if iy != 0 else 1)  # none: the first other column's bad cell is named
    keep = [(line, r[ix].strip(), r[iy].strip()) for line, r in rows
            if present(r[ix]) and present(r[iy])]
    dropped = len(rows) - len(keep)
    if len(keep) < 2:
        raise DataError(f"{shown}: fewer than two rows with both {_label(header, ix)} and "
                        f"{_label(header, iy)}")
    xs = np.empty(len(keep))
    for k, (line, cell, _) in enumerate(keep):
        try:
            v = float(cell)
        except ValueError:
            v = math.nan
        if not math.isfinite(v) or "_" in cell:
            raise DataError(f"{shown}: line {line}, column {ix + 1} ({_label(header, ix)}): "
                            f"{_clip(cell)!r} is not a finite number")
        xs[k] = v
    labels = [cell for _, _, cell in keep]
    numbers = [_binary_number(cell) for cell in labels]
    ys = np.empty(len(keep))
    if all(v is not None for v in numbers):  # every label is a number: they must be 0 and 1
        for k, v in enumerate(numbers):
            if math.isnan(v):
                line = keep[k][0]
                raise DataError(f"{shown}: line {line}, column {iy + 1} ({_label(header, iy)}): "
                                f"{_clip(labels[k])!r} is not a label 0 or 1 (the logistic model "
                                "needs 0/1 or two text labels)")
            ys[k] = v
    else:
        seen: list[str] = []
        for k, cell in enumerate(labels):
            if cell not in seen:
                if len(seen) == 2:
                    raise DataError(
                        f"{shown}: line {keep[k][0]}, column {iy + 1} ({_label(header, iy)}): "
                        f"{_clip(cell)!r} is a third label after {seen[0]!r} and {seen[1]!r}; "
                        "the logistic model needs exactly two")
                seen.append(cell)
        if len(seen) == 1:
            raise DataError(f"{shown}: column {iy + 1} ({_label(header, iy)}) holds only the "
                            f"label {seen[0]!r}; the logistic model needs two")
        one, why = _positive(seen)
        zero = seen[1] if one == seen[0] else seen[0]
        ys[:] = [1.0 if cell == one else 0.0 for cell in labels]
        notes.append(f"{shown}: {_described(header, iy)}: {one!r} read as 1, {zero!r} as 0 "
                     f"({why})")
    check_values(xs, ys, shown, (_described(header, ix), _described(header, iy)))
    return Dataset(xs, ys, name=Path(shown).stem, x_label=_label(header, ix),
                   y_label=_label(header, iy), source=str(path), dropped_rows=dropped,
                   notes=tuple(notes))


def _positive(labels: list[str]) -> tuple[str, str]:
    """The label read as 1 of two text labels, and why."""
    a, b = labels
    fa, fb = a.casefold(), b.casefold()
    for yes, no in POSITIVE.items():
        if {fa, fb} == {yes, no}:
            return (a if fa == yes else b), f"{yes}/{no}: the positive one is 1"
    return max(labels, key=str.casefold), "the label that sorts later is 1"


def synthetic_labels(spec: str, seed: int = 0) -> Dataset:
    """Labels y ~ Bernoulli(σ(slope·x + intercept)), x uniform on [xmin, xmax] (noise unused)."""
    v = parse_synthetic_spec(spec)
    rng = np.random.default_rng(seed)
    n = int(v["n"])
    x = rng.uniform(v["xmin"], v["xmax"], size=n)
    with np.errstate(all="ignore"):
        p = np.exp(-np.logaddexp(0.0, -(v["slope"] * x + v["intercept"])))
    y = (rng.uniform(size=n) < p).astype(np.float64)
    check_values(x, y, "--synthetic", error=ConfigError)
    return Dataset(x, y, name=f"synthetic labels({spec})" if spec else "synthetic labels",
                   x_label="x", y_label="y", source=f"synthetic:{spec}")


def synthetic_for(model_name: str, spec: str, seed: int = 0) -> Dataset:
    """``--synthetic`` data for the model: 0/1 labels for the logistic model, else a line."""
    if model_name == "logistic":
        return synthetic_labels(spec, seed=seed)
    return synthetic_dataset(spec, seed=seed)
