"""A dataset: the points to fit and the names a view shows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
