"""A dataset: the points to fit, the names a view shows, and the values float64 can fit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdtui.errors import DataError

LARGEST = 1e150
"""Largest magnitude of a data value: gdtui squares the data, and float64 overflows at 1.8e308."""
SMALLEST_SPREAD = 1e-150
"""Smallest spread of a column that varies: squares of smaller spreads underflow float64."""


@dataclass(frozen=True)
class Dataset:
    """Points to fit, with the names a view shows."""

    x: np.ndarray
    y: np.ndarray
    name: str
    x_label: str
    y_label: str
    source: str
    dropped_rows: int = 0
    notes: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        """Number of points."""
        return int(self.x.size)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the loader did that a user should know (each one line)."""
        if not self.dropped_rows:
            return self.notes
        rows = "row" if self.dropped_rows == 1 else "rows"
        return (*self.notes, f"{self.name}: dropped {self.dropped_rows} {rows} with a missing "
                             f"{self.x_label} or {self.y_label} value")

    @property
    def warning(self) -> str | None:
        """The warnings on one line, or None."""
        return "; ".join(self.warnings) or None


def check_values(x: np.ndarray, y: np.ndarray, shown: str, labels=("x", "y"),
                 error=DataError) -> None:
    """Refuse data that float64 cannot fit: too large to square, or spreads that underflow.

    Raises
    ------
    DataError (or ``error``)
        If a value exceeds :data:`LARGEST` in magnitude, every x is the same,
        x or y varies by less than :data:`SMALLEST_SPREAD`, or y is one value
        that small (but not zero).
    """
    for values, label, is_x in ((x, labels[0], True), (y, labels[1], False)):
        low, high = float(values.min()), float(values.max())
        largest = max(-low, high)
        if largest > LARGEST:
            raise error(f"{shown}: {label} reaches {low if -low > high else high:.3g}; "
                        "gdtui squares the data, which overflows float64 beyond about 1e154, "
                        f"so values must stay within ±{LARGEST:.0e}: rescale them (divide by "
                        "a power of ten)")
        spread = high - low
        if spread == 0.0:
            if is_x:
                raise error(f"{shown}: every value of {label} is {low:g}, so the slope of a "
                            "line is undefined")
            if 0.0 < largest < SMALLEST_SPREAD:
                raise error(f"{shown}: every value of {label} is {low:.3g}; its square "
                            "underflows float64: rescale them (multiply by a power of ten)")
            continue
        if spread < SMALLEST_SPREAD:
            raise error(f"{shown}: the values of {label} differ by only {spread:.3g}; their "
                        f"squares underflow float64 (a spread under {SMALLEST_SPREAD:.0e} "
                        "cannot be fitted): rescale them (multiply by a power of ten)")
