"""Loading a large file: is there memory for it, and how far along is it.

:func:`gdtui.csv_reader.load_csv` refuses, before reading, a file whose numbers
would not fit in the memory available, and reports the bytes it has read now and
then to a ``progress(done, total)`` callable; :class:`StderrProgress` is the one
the command line gives it (``gdtui fit``, and the app before its first screen).
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from gdtui.errors import DataError

Progress = Callable[[int, int], None]
"""``progress(bytes_read, file_size)``."""
CHUNK_ROWS = 1 << 16
"""Rows numpy's reader reads at a time (it allocates this many rows per chunk)."""
PANDAS_FROM = 8 << 20
"""Files from this size (bytes) are read by pandas' C reader, several times faster than numpy's;
smaller ones by numpy's, which starts at once (importing pandas takes a few tenths of a second)."""
PANDAS_CHUNK_ROWS = 1 << 18
PEAK_FACTOR = 3
"""Peak memory while loading, in multiples of the final x and y arrays (16 bytes a row)."""
SHOW_FROM = 32 << 20
"""Files smaller than this (bytes) load without a progress line."""


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux's MemAvailable), or None."""
    try:
        with open("/proc/meminfo", "rb") as meminfo:
            for line in meminfo:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def _size(n: float) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n / 1024:.0f} kB"


def check_memory(shown: str, size: int, head: bytes, available: int | None = None) -> None:
    """Refuse a file whose rows (estimated from its first ``head`` bytes) need more memory
    to load than is available.

    Raises
    ------
    DataError
        One line naming the file, the estimate and what is available.
    """
    lines = head.count(b"\n")
    if size <= 0 or lines == 0:
        return
    rows = size * lines / len(head)
    need = rows * 16 * PEAK_FACTOR
    if available is None:
        available = available_memory()
    if available is not None and need > available:
        raise DataError(f"{shown}: about {rows:,.0f} rows need about {_size(need)} of memory to "
                        f"load, more than the {_size(available)} available; use a sample of "
                        "the file")


def table_chunks(path: Path, delimiter: str, named: bool,
                 progress: Progress | None = None) -> Iterator[np.ndarray | None]:
    """A plain table of numbers in chunks of rows (2-D float64 arrays), by a C reader.

    ``named``: line 1 is a header, skipped. A chunk of None means the reader refused the
    file (text, ragged rows, quotes it cannot read...): the caller reads it carefully.
    Missing cells come as NaN. ``progress(bytes_read, file_size)`` is told after each chunk.
    """
    size = os.stat(path).st_size
    try:
        if size >= PANDAS_FROM:
            yield from _pandas_chunks(path, delimiter, named, size, progress)
        else:
            yield from _numpy_chunks(path, delimiter, named, size, progress)
    except (ValueError, UnicodeDecodeError, OSError, MemoryError):
        yield None


def _numpy_chunks(path, delimiter, named, size, progress):
    with open(path, encoding="utf-8-sig") as text, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "input contained no data" and the like
        if named:
            next(text, None)
        while True:
            table = np.loadtxt(text, delimiter=delimiter, quotechar='"', comments=None,
                               dtype=np.float64, ndmin=2, max_rows=CHUNK_ROWS)
            if table.shape[0] == 0:
                return
            yield table
            if progress is not None:
                progress(text.buffer.tell(), size)


def _pandas_chunks(path, delimiter, named, size, progress):
    import pandas as pd  # (only for large files: it takes a moment to import)

    with open(path, "rb") as raw, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = pd.read_csv(raw, sep=delimiter, header=None, skiprows=1 if named else 0,
                                 dtype=np.float64, quotechar='"', encoding="utf-8-sig",
                                 engine="c", chunksize=PANDAS_CHUNK_ROWS)
            for frame in reader:
                yield frame.to_numpy(dtype=np.float64)
                if progress is not None:
                    progress(raw.tell(), size)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, TypeError):
            yield None


def progress_reader(raw, total: int, progress: Progress | None) -> Callable[[], None] | None:
    """A ``tick()`` that reports how far ``raw`` (a binary file) has been read, or None."""
    if progress is None:
        return None

    def tick() -> None:
        try:
            progress(raw.tell(), total)
        except (OSError, ValueError):
            pass

    return tick


class StderrProgress:
    """``reading FILE: 45% (92 of 205 MB)`` on one line of a terminal's stderr, ten times a
    second at most; nothing for small files or when stderr is not a terminal."""

    def __init__(self, label: str, stream=None) -> None:
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        self.shown = False
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if total < SHOW_FROM or not self.stream.isatty():
            return
        now = time.monotonic()
        if now - self.last < 0.1:
            return
        self.last = now
        percent = min(100, int(100 * done / total))
        self.stream.write(f"\r\033[Kreading {self.label}: {percent}% "
                          f"({done >> 20:,} of {total >> 20:,} MB)")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        """Clear the line (when anything was said)."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
