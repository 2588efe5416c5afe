"""Bounded history of a descent run: one row per kept iteration.

Rows are appended as plain tuples (cheap in the step loop) and flushed to a
preallocated float64 array in blocks. When the array is full, the older part of
the history is decimated (every other row kept), while the most recent quarter
and the first row stay intact. A run of any length therefore holds at most
``capacity`` rows; ``decimated`` and ``dropped`` say when rows were let go.

A reader that needs every row (a history file) counts rows instead:
``appended`` numbers every row ever added, and ``since(mark)`` returns the rows
added after ``mark`` (an earlier value of ``appended``). A reader that calls
``since(mark)`` before more than ``guaranteed`` rows have been added after
``mark`` never misses a row; one that waits longer gets an error from ``since``,
never a silent gap.
"""

from __future__ import annotations

import numpy as np

COLUMNS = (
    "iteration",  # 0: iterations done when this row was recorded
    "p", "q",  # 1-2: slope and intercept in the coordinates being fitted
    "cost",  # 3: full-data J
    "grad_p", "grad_q",  # 4-5: full-data gradient at (p, q), fitted coordinates
    "m", "b",  # 6-7: slope and intercept in data units
    "grad_m", "grad_b",  # 8-9: full-data gradient in data units
    "lr",  # 10: learning rate used by the step that led here
    "step_grad_p", "step_grad_q",  # 11-12: gradient the step used (batch / look-ahead)
    "s0", "s1", "s2", "s3",  # 13-16: optimizer state after the step
    "opt_t",  # 17: optimizer step count (bias correction)
    "optimizer",  # 18: index into OPTIMIZERS
    "batch_size",  # 19: 0 for full batch
    "standardized",  # 20: 1.0 when (p, q) are in standardized units
    "data_version",  # 21: 0 for the data as loaded, +1 per data edit (engine/edits.py)
)
COL = {name: i for i, name in enumerate(COLUMNS)}
N_COLUMNS = len(COLUMNS)
_FLUSH_EVERY = 512


class History:
    """Rows of a run, bounded by ``capacity``.

    Parameters
    ----------
    capacity : int
        Most rows ever held (at least 64). Older rows are thinned out past it.
    """

    def __init__(self, capacity: int = 1 << 16) -> None:
        if capacity < 64:
            raise ValueError("history capacity must be at least 64 rows")
        self.capacity = int(capacity)
        # Rows waiting in the pending list count against the capacity too.
        self._flush_every = min(_FLUSH_EVERY, self.capacity // 8)
        self._array_rows = self.capacity - self._flush_every
        self._rows = np.empty((self._array_rows, N_COLUMNS), dtype=np.float64)
        self._n = 0
        self._pending: list[tuple[float, ...]] = []
        self.dropped = 0
        self._flushed = 0  # rows ever moved from the pending list into the array
        self._intact_from = 0  # rows numbered from here on are all still held

    # -- writing -------------------------------------------------------------
    def append(self, row: tuple[float, ...]) -> None:
        """Add one row (a tuple of ``N_COLUMNS`` floats)."""
        pending = self._pending
        pending.append(row)
        if len(pending) >= self._flush_every:
            self._flush()

    def flush(self) -> None:
        """Move pending rows into the array (thinning older rows if it is full).

        Call before taking ``len()`` for indexing: a flush can thin the history.
        """
        self._flush()

    def _flush(self) -> None:
        pending = self._pending
        if not pending:
            return
        block = np.array(pending, dtype=np.float64)
        pending.clear()
        start = 0
        while start < len(block):
            if self._n == self._array_rows:
                self._decimate(numbered_to=self._flushed + start)
            take = min(len(block) - start, self._array_rows - self._n)
            self._rows[self._n : self._n + take] = block[start : start + take]
            self._n += take
            start += take
        self._flushed += len(block)

    def _decimate(self, numbered_to: int) -> None:
        """Thin the older rows; the array's last row is number ``numbered_to − 1``."""
        keep_recent = self.guaranteed
        older = self._n - keep_recent
        kept = self._rows[0:older:2].copy()
        recent = self._rows[older : self._n].copy()
        self.dropped += older - len(kept)
        self._rows[: len(kept)] = kept
        self._rows[len(kept) : len(kept) + len(recent)] = recent
        self._n = len(kept) + len(recent)
        self._intact_from = max(self._intact_from, numbered_to - len(recent))

    def truncate(self, length: int) -> None:
        """Keep the first ``length`` rows and forget the rest.

        ``appended`` goes back by the number of rows forgotten: rows added next
        take their numbers.
        """
        self._flush()
        kept = max(0, min(int(length), self._n))
        self._flushed -= self._n - kept
        self._n = kept

    def clear(self) -> None:
        """Forget every row (``appended`` starts again from 0)."""
        self._pending.clear()
        self._n = 0
        self.dropped = 0
        self._flushed = 0
        self._intact_from = 0

    # -- reading -------------------------------------------------------------
    def __len__(self) -> int:
        return self._n + len(self._pending)

    @property
    def appended(self) -> int:
        """Rows added since the last ``clear`` (less those ``truncate`` forgot), thinned or not."""
        return self._flushed + len(self._pending)

    @property
    def guaranteed(self) -> int:
        """Rows that may be added after a mark before ``since(mark)`` can miss any."""
        return self._array_rows // 4

    def since(self, mark: int) -> np.ndarray:
        """The rows added after ``mark`` (an earlier ``appended``), as a read-only view.

        Raises
        ------
        LookupError
            If some of them have been thinned out already (the reader waited
            longer than ``guaranteed`` rows).
        """
        self._flush()
        count = self._flushed - int(mark)
        if count <= 0:
            return self._rows[:0]
        if mark < self._intact_from:
            raise LookupError(f"history rows {mark} to {self._intact_from - 1} were thinned out "
                              f"before they were read (read at least every {self.guaranteed} "
                              "rows)")
        view = self._rows[self._n - count : self._n]
        view.flags.writeable = False
        return view

    @property
    def decimated(self) -> bool:
        """True once older rows have been thinned out to bound memory."""
        return self.dropped > 0

    @property
    def rows(self) -> np.ndarray:
        """All rows as a read-only (len, N_COLUMNS) view."""
        self._flush()
        view = self._rows[: self._n]
        view.flags.writeable = False
        return view

    def column(self, name: str) -> np.ndarray:
        """One column by name, as a read-only view."""
        return self.rows[:, COL[name]]

    def row(self, index: int) -> np.ndarray:
        """Row ``index`` (negative counts from the end)."""
        if self._pending:
            self._flush()
        return self._rows[: self._n][index]

    @property
    def nbytes(self) -> int:
        """Memory held by the row array."""
        return self._rows.nbytes
