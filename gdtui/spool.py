"""Every row of a run, kept on disk, so that an export holds every iteration however long the run.

The engine's in-memory history thins its older rows past its capacity (it is
drawn, not archived). A :class:`RowSpool` copies each row to an anonymous
temporary file as it is made (``sync`` after each batch of steps, well within
``History.guaranteed``) and forgets rows when the run is reset or rewound. It
holds rows in the engine's layout, 8 bytes a number.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

import numpy as np

from gdtui.engine.history import N_COLUMNS, History

ROW_BYTES = 8 * N_COLUMNS


class RowSpool:
    """Rows 0..count−1 of the live run (one per iteration) in a temporary file.

    If the file cannot be written (a full disk), the spool stops and says so in
    ``failed``; exports then hold the rows the history kept.
    """

    def __init__(self) -> None:
        self.count = 0
        self.failed: str | None = None
        try:
            self.file = tempfile.TemporaryFile(prefix="gdtui-rows-")
        except OSError as exc:
            self.file = None
            self.failed = exc.strerror or str(exc)

    @property
    def complete(self) -> bool:
        """True while the spool holds every row of the run."""
        return self.failed is None

    def truncate(self, rows: int) -> None:
        """Forget the rows from ``rows`` on (a reset keeps 0, a rewind to iteration k keeps k+1)."""
        self.count = min(self.count, max(int(rows), 0))
        if self.file is not None and self.complete:
            try:
                self.file.truncate(self.count * ROW_BYTES)
            except OSError as exc:
                self.fail(exc)

    def sync(self, history: History) -> None:
        """Copy the rows ``history`` added since the last call."""
        if not self.complete:
            return
        total = history.appended
        if total < self.count:  # rows forgotten by the history: forget them here too
            self.truncate(total)
        if total == self.count:
            return
        try:
            rows = history.since(self.count)
        except LookupError as exc:  # the history thinned rows before they were copied
            self.failed = str(exc)
            return
        try:
            self.file.seek(self.count * ROW_BYTES)
            self.file.write(np.ascontiguousarray(rows, dtype=np.float64).tobytes())
        except OSError as exc:
            self.fail(exc)
            return
        self.count = total

    def fail(self, exc: OSError) -> None:
        self.failed = exc.strerror or str(exc)

    def blocks(self, rows_per_block: int = 65_536) -> Iterator[np.ndarray]:
        """The rows in order, a block at a time (bounded memory)."""
        self.file.flush()
        for start in range(0, self.count, rows_per_block):
            take = min(rows_per_block, self.count - start)
            self.file.seek(start * ROW_BYTES)
            data = self.file.read(take * ROW_BYTES)
            yield np.frombuffer(data, dtype=np.float64).reshape(take, N_COLUMNS)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
