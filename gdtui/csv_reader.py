"""Reading a CSV file of points: delimiter, header, columns, numbers, and one-line errors.

Every problem is raised as :class:`~gdtui.errors.DataError` (bad data) or
:class:`~gdtui.errors.ConfigError` (bad argument) with one line that names the
file and, where it applies, the line and column.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import stat
from array import array
from contextlib import closing
from itertools import islice
from pathlib import Path

import numpy as np

from gdtui.dataset import Dataset, check_values
from gdtui.errors import DataError
from gdtui.loading import Progress, check_memory, progress_reader, table_chunks

MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "-"})
"""Cell texts read as a missing value (the row is dropped with a warning)."""

_SNIFF_BYTES = 1 << 16
FIELD_LIMIT = 1 << 26
"""Longest field read, in characters (the csv module's default is 131,072)."""
_DELIMITERS = {",": "comma", "\t": "tab", ";": "semicolon"}
_NAMES_SHOWN = 10
_INFINITIES = (math.inf, -math.inf)


def _clip(text: str, width: int = 40) -> str:
    """``text`` cut to ``width`` characters, on one line."""
    text = " ".join(text.split()) if not text.isprintable() else text
    return text if len(text) <= width else text[: width - 1] + "…"


def _label(header: list[str], c: int) -> str:
    return _clip(header[c]) if header[c] else f"column {c + 1}"


def _described(header: list[str], c: int) -> str:
    """'name' (column k), or column k when the column has no name."""
    return f"{_label(header, c)!r} (column {c + 1})" if header[c] else f"column {c + 1}"


def _names(header: list[str], columns=None) -> str:
    """At most ten column names, then how many more."""
    columns = range(len(header)) if columns is None else list(columns)
    shown = [_label(header, c) for c in columns[:_NAMES_SHOWN]]
    more = len(columns) - len(shown)
    return ", ".join(shown) + (f" … and {more} more" if more > 0 else "")


def _open_csv(path: Path, shown: str):
    """The file opened for binary reading, after refusing what is not a file of text."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise DataError(f"{shown}: no such file") from None
    except PermissionError:
        raise DataError(f"{shown}: permission denied") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"{shown}: cannot be read ({getattr(exc, 'strerror', None) or exc})") \
            from None
    if stat.S_ISDIR(st.st_mode):
        raise DataError(f"{shown}: is a directory, not a CSV file")
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        raise DataError(f"{shown}: is a device, not a CSV file")
    if stat.S_ISSOCK(st.st_mode):
        raise DataError(f"{shown}: is a socket, not a CSV file")
    try:
        return open(path, "rb", buffering=_SNIFF_BYTES)
    except PermissionError:
        raise DataError(f"{shown}: permission denied") from None
    except OSError as exc:
        raise DataError(f"{shown}: cannot be read ({exc.strerror or exc})") from None


def _decode_error(path: Path, shown: str, line_hint: int) -> DataError:
    """Where the file stops being UTF-8: line and byte offset (rescanned in binary)."""
    carry, offset, line = b"", 0, 1
    try:
        with open(path, "rb") as raw:
            while True:
                chunk = raw.read(1 << 20)
                data = carry + chunk
                if not data:
                    break
                try:
                    data.decode("utf-8")
                    good, carry = data, b""
                except UnicodeDecodeError as exc:
                    if chunk and exc.reason == "unexpected end of data":
                        good, carry = data[: exc.start], data[exc.start :]  # cut by the chunk
                    else:
                        line += data.count(b"\n", 0, exc.start)
                        return DataError(f"{shown}: line {line}: not UTF-8 text (byte "
                                         f"0x{data[exc.start]:02x} at offset "
                                         f"{offset + exc.start})")
                line += good.count(b"\n")
                offset += len(good)
    except OSError:
        pass
    return DataError(f"{shown}: line {line_hint}: not UTF-8 text")


def _sniff_delimiter(sample: str, complete: bool) -> str:
    """The delimiter (comma, tab or semicolon) that splits the first records evenly.

    Among the ones that give the header two columns or more and every sampled
    record as many, the one with most columns wins (ties go to comma, then tab).
    """
    best, best_width = None, 1
    for delimiter in _DELIMITERS:
        records = (r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
                   if r and not (len(r) == 1 and not r[0].strip()))
        try:
            rows = list(islice(records, 101))  # (the first 100 are judged: read no further)
        except csv.Error:
            continue
        if len(rows) <= 100 and not complete and len(rows) > 1:
            rows.pop()  # the sample may end in the middle of a record
        rows = rows[:100]
        if not rows:
            continue
        width = len(rows[0])
        if width > best_width and all(len(r) == width for r in rows):
            best, best_width = delimiter, width
    if best is not None:
        return best
    first = next((line for line in sample.splitlines() if line.strip()), "")
    return next((d for d in _DELIMITERS if d in first), ",")


def _pick_column(spec: str, header: list[str], shown: str, axis: str, named: bool) -> int:
    spec = spec.strip()
    if spec.isascii() and spec.isdigit():
        i = int(spec)
        if not 1 <= i <= len(header):
            raise DataError(f"{shown}: --{axis} {spec}: no column {i}; the file has "
                            f"{len(header)} columns: {_names(header)}")
        return i - 1
    if not named:
        raise DataError(f"{shown}: --{axis} {_clip(spec)!r}: the file has no header row, so "
                        f"columns have no names; give a number from 1 to {len(header)}")
    matches = [i for i, h in enumerate(header) if h == spec]
    if not matches:
        matches = [i for i, h in enumerate(header) if h.casefold() == spec.casefold()]
    if not matches:
        raise DataError(f"{shown}: --{axis} {_clip(spec)!r}: no such column; available: "
                        f"{_names(header)}")
    return matches[0]


def _parse_number(text: str) -> float | None:
    """Float value of a cell, None when missing; raises ValueError when not a number."""
    cell = text.strip()
    if cell.lower() in MISSING:
        return None
    if "_" in cell:
        raise ValueError(cell)
    return float(cell)


def _is_number(cell: str) -> bool:
    try:
        return _parse_number(cell) is not None
    except ValueError:
        return False


def load_csv(path: str | Path, x: str | None = None, y: str | None = None,
             name: str | None = None, progress: Progress | None = None) -> Dataset:
    """Load two numeric columns of a CSV file.

    The file is read as a stream of CSV records (quoted fields may hold
    delimiters and line breaks), so memory holds the numbers, not the text.
    It may start with a UTF-8 byte-order mark, use CRLF line ends, have spaces
    around values, and use commas, semicolons or tabs (sniffed; a note says
    which when not commas). A first row of numbers only is read as data, with a
    note that the file has no header. Without ``x``/``y``, the first two
    columns whose every value in the whole file is a number are used. Rows
    missing the x or y value are dropped and counted. ``progress(done, total)``,
    when given, hears the bytes read so far now and then (see :mod:`gdtui.loading`).
    A file whose numbers would not fit in the memory available is refused before
    it is read.

    Raises
    ------
    DataError
        See :func:`load_dataset`; also for values too large to square or
        spreads too small to square in float64 (see :data:`LARGEST` and
        :data:`SMALLEST_SPREAD`).
    """
    path = Path(path)
    shown = name if name is not None else str(path)
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    raw = _open_csv(path, shown)
    text = None
    try:
        try:
            head = raw.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
        except OSError as exc:
            raise DataError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
        if not head.strip():
            raise DataError(f"{shown}: the file is empty")
        nul = head.find(b"\x00")
        if nul >= 0:
            raise DataError(f"{shown}: binary data, not a CSV text file (NUL byte at offset "
                            f"{nul})")
        complete = len(head) < _SNIFF_BYTES
        sample = head.decode("utf-8-sig", errors="replace")
        delimiter = _sniff_delimiter(sample, complete)
        st = os.fstat(raw.fileno())
        regular = stat.S_ISREG(st.st_mode)
        total = st.st_size if regular else 0
        if regular and not complete:
            check_memory(shown, total, head)
        tell = progress_reader(raw, total, progress)
        if regular:
            fast = _load_numeric_table(path, shown, name, x, y, delimiter, sample, progress)
            if fast is not None:
                return fast
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return _load_records(csv.reader(text, delimiter=delimiter), path, shown, name, x, y,
                             delimiter, tell)
    finally:
        (raw if text is None else text).close()


def _load_numeric_table(path, shown, name, x, y, delimiter, sample,
                        progress: Progress | None = None) -> Dataset | None:
    """Fast path for a file that is a plain table of finite numbers, or None to read it carefully.

    The C readers (:func:`gdtui.loading.table_chunks`) accept a subset of what
    :func:`float` accepts; anything they refuse or read as NaN or infinity (missing
    cells, text, ragged rows, odd numerals) sends the file down the careful path,
    which gives the same result or the one-line error with its line number. The
    header must be line 1.
    """
    if not ("\n" in sample or "\r" in sample):
        return None  # the first line is longer than the sample (or the only line)
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        first = next(reader, None)
    except csv.Error:
        return None
    if first is None or reader.line_num != 1 or len(first) < 2:
        return None
    ncols = len(first)
    named = not all(_is_number(cell) for cell in first)
    header = [h.strip() for h in first] if named else [""] * ncols
    ix = _pick_column(x, header, shown, "x", named) if x is not None else None
    iy = _pick_column(y, header, shown, "y", named) if y is not None else None
    if ix is not None and ix == iy:
        return None
    if ix is None:
        ix = 1 if iy == 0 else 0
    if iy is None:
        iy = 1 if ix == 0 else 0
    # Read in chunks of rows, keeping only the two columns: memory stays near the final
    # arrays, and progress can be said between chunks.
    xs, ys = [], []
    with closing(table_chunks(path, delimiter, named, progress)) as chunks:
        for table in chunks:
            if table is None or table.shape[1] != ncols or not np.isfinite(table).all():
                return None
            xs.append(table[:, ix].copy())
            ys.append(table[:, iy].copy())
            del table
    if sum(map(len, xs)) < 2:
        return None
    xa = np.concatenate(xs) if len(xs) > 1 else xs[0]
    del xs
    ya = np.concatenate(ys) if len(ys) > 1 else ys[0]
    del ys
    notes = []
    if delimiter != ",":
        notes.append(f"{shown}: read as {_DELIMITERS[delimiter]}-separated values")
    if not named:
        notes.append(_NO_HEADER.format(shown=shown))
    x_label, y_label = _label(header, ix), _label(header, iy)
    check_values(xa, ya, shown, (_described(header, ix), _described(header, iy)))
    return Dataset(xa, ya, name=Path(shown).stem if name is None else name,
                   x_label=x_label, y_label=y_label, source=str(path), notes=tuple(notes))


_NO_HEADER = ("{shown}: the first row holds only numbers, so it is read as data: the file has "
              "no header row")


def _records(reader, path: Path, shown: str):
    """Non-blank records, with the reader's errors turned into one-line DataErrors."""
    try:
        for row in reader:
            if row and (len(row) > 1 or row[0].strip()):
                yield row
    except csv.Error as exc:
        line = max(1, reader.line_num)  # the line being read when the reader gave up
        if "field larger than field limit" in str(exc):
            raise DataError(f"{shown}: line {line}: a field is longer than {FIELD_LIMIT:,} "
                            "characters; this is not a table of numbers") from None
        raise DataError(f"{shown}: line {line}: not valid CSV ({exc})") from None
    except UnicodeDecodeError:
        raise _decode_error(path, shown, reader.line_num + 1) from None
    except OSError as exc:
        raise DataError(f"{shown}: cannot be read ({exc.strerror or exc})") from None


def _load_records(reader, path, shown, name, x, y, delimiter, tick=None) -> Dataset:
    records = _records(reader, path, shown)
    first = next(records, None)
    if first is None:
        raise DataError(f"{shown}: the file is empty")
    header_line = reader.line_num
    ncols = len(first)
    notes = []
    if delimiter != ",":
        notes.append(f"{shown}: read as {_DELIMITERS[delimiter]}-separated values")
    if ncols < 2:
        raise DataError(f"{shown}: line {header_line}: the header has {ncols} column; "
                        "need at least two (x and y), separated by commas, semicolons or tabs")
    named = not all(_is_number(cell) for cell in first)
    if named:
        header = [h.strip() for h in first]
    else:
        header = [""] * ncols
        notes.append(_NO_HEADER.format(shown=shown))
    ix = _pick_column(x, header, shown, "x", named) if x is not None else None
    iy = _pick_column(y, header, shown, "y", named) if y is not None else None
    if ix is not None and ix == iy:
        raise DataError(f"{shown}: x and y are the same column ({_label(header, ix)!r})")
    explicit = {c for c in (ix, iy) if c is not None}
    # Every column that may be used is parsed (all of them when one is not given), until
    # a cell that is not a number rules it out.
    active = sorted(explicit) if len(explicit) == 2 else list(range(ncols))
    values: dict[int, array] = {c: array("d") for c in active}
    ruled_out: dict[int, tuple[int, str]] = {}
    infinite: dict[int, tuple[int, str]] = {}
    rows = 0

    def take(row: list[str], line: int) -> None:
        dead = []
        for c in active:
            cell = row[c]
            try:
                v = float(cell)
                if v != v or "_" in cell:
                    raise ValueError(cell)
            except ValueError:
                if cell.strip().lower() in MISSING:
                    v = math.nan
                elif c in explicit:
                    _bad_cell(shown, line, c, header, cell)
                else:
                    ruled_out[c] = (line, cell)
                    dead.append(c)
                    continue
            else:
                if v in _INFINITIES and c not in infinite:
                    infinite[c] = (line, cell)
            values[c].append(v)
        for c in dead:
            active.remove(c)
            del values[c]

    if not named:
        take(first, header_line)
        rows += 1
    for row in records:
        if len(row) != ncols:
            raise DataError(f"{shown}: line {reader.line_num}: {len(row)} fields, but "
                            f"{'the header has' if named else 'the first row has'} {ncols}"
                            f"{' (' + _names(header) + ')' if named else ''}")
        take(row, reader.line_num)
        rows += 1
        if tick is not None and not rows & 0xFFFF:
            tick()
    if rows == 0:
        raise DataError(f"{shown}: no data rows after the header")

    numeric = [c for c in active if _has_value(values[c])]
    if ix is None:
        ix = next((c for c in numeric if c != iy), None)
    if iy is None:
        iy = next((c for c in numeric if c != ix), None)
    if ix is None or iy is None:
        found = [c for c in numeric if c not in explicit] + sorted(explicit)
        message = (f"{shown}: need two numeric columns, found {len(found)} "
                   f"({_names(header, found) or 'none'})")
        if ruled_out:
            c, (line, cell) = min(ruled_out.items(), key=lambda item: item[1][0])
            message += (f"; line {line}, column {c + 1} ({_label(header, c)}): "
                        f"{_clip(cell.strip())!r} is not a number{_hint(cell)}")
        raise DataError(message)
    for c in (ix, iy):
        if c in infinite:
            line, cell = infinite[c]
            _bad_cell(shown, line, c, header, cell, "is not a finite number")
    xa = np.frombuffer(values[ix], dtype=np.float64)
    ya = np.frombuffer(values[iy], dtype=np.float64)
    present = ~(np.isnan(xa) | np.isnan(ya))
    dropped = int(present.size - np.count_nonzero(present))
    if dropped:
        xa, ya = xa[present], ya[present]
    else:
        xa, ya = xa.copy(), ya.copy()
    x_label, y_label = _label(header, ix), _label(header, iy)
    if len(xa) == 0:
        raise DataError(f"{shown}: no data rows with both {x_label} and {y_label}")
    if len(xa) < 2:
        raise DataError(f"{shown}: only one data row; need at least two points to fit a line")
    check_values(xa, ya, shown, (_described(header, ix), _described(header, iy)))
    return Dataset(xa, ya, name=Path(shown).stem if name is None else name,
                   x_label=x_label, y_label=y_label, source=str(path), dropped_rows=dropped,
                   notes=tuple(notes))


def _has_value(column: array) -> bool:
    """True when a column holds at least one present (not missing) value."""
    return bool(len(column)) and not np.isnan(np.frombuffer(column, dtype=np.float64)).all()


def _bad_cell(shown, line, col, header, cell, problem="is not a number"):
    raise DataError(f"{shown}: line {line}, column {col + 1} ({_label(header, col)}): "
                    f"{_clip(cell.strip())!r} {problem}{_hint(cell)}")


def _hint(cell: str) -> str:
    """A hint for a cell that looks like a number written another way."""
    if re.fullmatch(r"[+-]?\d+,\d+", cell.strip()):
        return " (a decimal comma? gdtui reads a point as the decimal mark)"
    return ""


# -- synthetic data -----------------------------------------------------------
