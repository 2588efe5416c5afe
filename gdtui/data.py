"""Loading and validating data: CSV files, bundled datasets and synthetic specs.

Every problem is raised as :class:`~gdtui.errors.DataError` (bad data) or
:class:`~gdtui.errors.ConfigError` (bad argument) with one line that names the
file and, where it applies, the line and column.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gdtui.errors import ConfigError, DataError

MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "-"})
"""Cell texts read as a missing value (the row is dropped with a warning)."""


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

    @property
    def n(self) -> int:
        """Number of points."""
        return int(self.x.size)

    @property
    def warning(self) -> str | None:
        """A one-line warning about dropped rows, or None."""
        if not self.dropped_rows:
            return None
        rows = "row" if self.dropped_rows == 1 else "rows"
        return (f"{self.name}: dropped {self.dropped_rows} {rows} with a missing "
                f"{self.x_label} or {self.y_label} value")


@dataclass(frozen=True)
class BundledDataset:
    """A CSV shipped with gdtui."""

    name: str
    filename: str
    description: str


BUNDLED = {
    d.name: d
    for d in (
        BundledDataset("heights-weights", "heights-weights.csv",
                       "40 adults' heights (cm) and weights (kg): the seed article's example"),
        BundledDataset("noisy-linear", "noisy-linear.csv",
                       "500 noisy points around y = 3x + 4"),
        BundledDataset("house-prices", "house-prices.csv",
                       "120 house sizes (sq ft) and prices (k$): unscaled descent crawls"),
    )
}
DEFAULT_DATASET = "heights-weights"


def bundled_dir() -> Path:
    """Folder holding the bundled CSV files (inside the package once installed)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "datasets", here.parent / "data"):
        if (candidate / BUNDLED[DEFAULT_DATASET].filename).is_file():
            return candidate
    raise DataError("the bundled datasets are missing from this installation of gdtui")


def resolve_source(source: str) -> tuple[Path, str]:
    """Return (path, display name) for a file path or a bundled dataset name."""
    path = Path(source).expanduser()
    if path.exists() or os.sep in source or "/" in source:
        return path, str(source)
    stem = source[:-4] if source.lower().endswith(".csv") else source
    if stem in BUNDLED:
        return bundled_dir() / BUNDLED[stem].filename, stem
    names = ", ".join(BUNDLED)
    raise DataError(f"{source}: no such file or bundled dataset (bundled: {names})")


def load_dataset(source: str, x: str | None = None, y: str | None = None) -> Dataset:
    """Load a CSV file or a bundled dataset by name.

    Parameters
    ----------
    source : str
        A path, or the name of a bundled dataset (see :data:`BUNDLED`).
    x, y : str, optional
        Column names or 1-based indices; by default the first two numeric columns.

    Raises
    ------
    DataError
        If the file is missing, unreadable or malformed, or a column is unknown.
    """
    path, name = resolve_source(source)
    return load_csv(path, x=x, y=y, name=name)


def _read_text(path: Path, shown: str) -> str:
    if path.is_dir():
        raise DataError(f"{shown}: is a directory, not a CSV file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{shown}: no such file") from None
    except PermissionError:
        raise DataError(f"{shown}: permission denied") from None
    except OSError as exc:
        raise DataError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise DataError(f"{shown}: the file is empty")
    nul = raw.find(b"\x00", 0, 1 << 16)
    if nul >= 0:
        raise DataError(f"{shown}: binary data, not a CSV text file (NUL byte at offset {nul})")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(f"{shown}: line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x} "
                        f"at offset {exc.start})") from None


def _pick_column(spec: str, header: list[str], shown: str, axis: str) -> int:
    spec = spec.strip()
    available = ", ".join(h or f"(column {i + 1})" for i, h in enumerate(header))
    if spec.isdigit():
        i = int(spec)
        if not 1 <= i <= len(header):
            raise DataError(f"{shown}: --{axis} {spec}: no column {i}; the file has "
                            f"{len(header)} columns: {available}")
        return i - 1
    matches = [i for i, h in enumerate(header) if h == spec]
    if not matches:
        matches = [i for i, h in enumerate(header) if h.lower() == spec.lower()]
    if not matches:
        raise DataError(f"{shown}: --{axis} {spec!r}: no such column; available: {available}")
    return matches[0]


def _parse_number(text: str) -> float | None:
    """Float value of a cell, None when missing; raises ValueError when not a number."""
    cell = text.strip()
    if cell.lower() in MISSING:
        return None
    if "_" in cell:
        raise ValueError(cell)
    return float(cell)


def load_csv(path: str | Path, x: str | None = None, y: str | None = None,
             name: str | None = None) -> Dataset:
    """Load two numeric columns of a CSV file with a header row.

    The file may start with a UTF-8 byte-order mark, use CRLF line ends and have
    spaces around values. Rows missing the x or y value are dropped and counted.

    Raises
    ------
    DataError
        See :func:`load_dataset`.
    """
    path = Path(path)
    shown = name if name is not None else str(path)
    text = _read_text(path, shown)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise DataError(f"{shown}: the file is empty")
    delimiter = _sniff_delimiter(lines[first])
    header = [h.strip() for h in next(csv.reader([lines[first]], delimiter=delimiter))]
    ncols = len(header)
    if ncols < 2:
        raise DataError(f"{shown}: line {first + 1}: the header has {ncols} column; "
                        "need at least two (x and y), separated by commas")
    body = lines[first + 1 :]
    if not any(line.strip() for line in body):
        raise DataError(f"{shown}: no data rows after the header")

    ix = _pick_column(x, header, shown, "x") if x is not None else None
    iy = _pick_column(y, header, shown, "y") if y is not None else None
    if ix is None or iy is None:
        numeric = _numeric_columns(body, delimiter, ncols)
        if ix is None:
            ix = next((c for c in numeric if c != iy), None)
        if iy is None:
            iy = next((c for c in numeric if c != ix), None)
        if ix is None or iy is None:
            raise DataError(f"{shown}: need two numeric columns, found "
                            f"{len(numeric)} ({', '.join(header[c] for c in numeric) or 'none'})")
    if ix == iy:
        raise DataError(f"{shown}: x and y are the same column ({header[ix]!r})")

    xs, ys, dropped = _read_columns(body, delimiter, ncols, ix, iy, header, shown, first + 2)
    if len(xs) == 0:
        raise DataError(f"{shown}: no data rows with both {header[ix]} and {header[iy]}")
    if len(xs) < 2:
        raise DataError(f"{shown}: only one data row; need at least two points to fit a line")
    xa = np.array(xs, dtype=np.float64)
    ya = np.array(ys, dtype=np.float64)
    if np.all(xa == xa[0]):
        raise DataError(f"{shown}: every value of {header[ix]!r} (column {ix + 1}) is "
                        f"{xs[0]:g}, so the slope of a line is undefined")
    return Dataset(xa, ya, name=Path(shown).stem if name is None else name,
                   x_label=header[ix] or f"column {ix + 1}",
                   y_label=header[iy] or f"column {iy + 1}",
                   source=str(path), dropped_rows=dropped)


def _sniff_delimiter(header_line: str) -> str:
    for delimiter in (",", "\t", ";"):
        if delimiter in header_line:
            return delimiter
    return ","


def _numeric_columns(body: list[str], delimiter: str, ncols: int) -> list[int]:
    """Columns whose first present value in the first rows parses as a number."""
    decided: dict[int, bool] = {}
    for row in csv.reader(body[:200], delimiter=delimiter):
        for c, cell in enumerate(row[:ncols]):
            if c in decided:
                continue
            try:
                value = _parse_number(cell)
            except ValueError:
                decided[c] = False
                continue
            if value is not None:
                decided[c] = True
        if len(decided) == ncols:
            break
    return [c for c in range(ncols) if decided.get(c)]


def _read_columns(body, delimiter, ncols, ix, iy, header, shown, first_line):
    xs: list[float] = []
    ys: list[float] = []
    dropped = 0
    reader = csv.reader(body, delimiter=delimiter)
    parse = _parse_number
    isfinite = math.isfinite
    for row in reader:
        if len(row) != ncols:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            line = first_line + reader.line_num - 1
            raise DataError(f"{shown}: line {line}: {len(row)} fields, but the header has "
                            f"{ncols} ({', '.join(header)})")
        try:
            vx = parse(row[ix])
        except ValueError:
            _bad_cell(shown, first_line + reader.line_num - 1, ix, header, row[ix])
        try:
            vy = parse(row[iy])
        except ValueError:
            _bad_cell(shown, first_line + reader.line_num - 1, iy, header, row[iy])
        if vx is None or vy is None:
            dropped += 1
            continue
        if not (isfinite(vx) and isfinite(vy)):
            c = ix if not isfinite(vx) else iy
            _bad_cell(shown, first_line + reader.line_num - 1, c, header, row[c],
                      "is not a finite number")
        xs.append(vx)
        ys.append(vy)
    return xs, ys, dropped


def _bad_cell(shown, line, col, header, cell, problem="is not a number"):
    text = cell.strip()
    if len(text) > 40:
        text = text[:37] + "..."
    raise DataError(f"{shown}: line {line}, column {col + 1} ({header[col]}): "
                    f"{text!r} {problem}")


# -- synthetic data -----------------------------------------------------------
SYNTHETIC_DEFAULTS = {"n": 200.0, "slope": 2.0, "intercept": 1.0, "noise": 1.0,
                      "xmin": 0.0, "xmax": 10.0}


def parse_synthetic_spec(spec: str) -> dict[str, float]:
    """Parse ``key=value,...`` (keys: n, slope, intercept, noise, xmin, xmax).

    Raises
    ------
    ConfigError
        For an unknown key, a value that is not a number, or a range that is empty.
    """
    values = dict(SYNTHETIC_DEFAULTS)
    for part in (s.strip() for s in spec.split(",")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep:
            raise ConfigError(f"--synthetic: {part!r} is not key=value")
        if key not in SYNTHETIC_DEFAULTS:
            raise ConfigError(f"--synthetic: unknown key {key!r}; keys: "
                              f"{', '.join(SYNTHETIC_DEFAULTS)}")
        try:
            number = float(value.strip())
        except ValueError:
            raise ConfigError(f"--synthetic: {key}={value.strip()!r} is not a number") from None
        if not math.isfinite(number):
            raise ConfigError(f"--synthetic: {key} must be finite, got {value.strip()}")
        values[key] = number
    n = values["n"]
    if not n.is_integer() or not 2 <= n <= 100_000_000:
        raise ConfigError(f"--synthetic: n must be an integer from 2 to 100000000, got {n:g}")
    if values["noise"] < 0:
        raise ConfigError(f"--synthetic: noise must be >= 0, got {values['noise']:g}")
    if not values["xmax"] > values["xmin"]:
        raise ConfigError(f"--synthetic: xmax ({values['xmax']:g}) must be greater than "
                          f"xmin ({values['xmin']:g})")
    return values


def synthetic_dataset(spec: str, seed: int = 0) -> Dataset:
    """Points y = slope·x + intercept + N(0, noise²), x uniform on [xmin, xmax]."""
    v = parse_synthetic_spec(spec)
    rng = np.random.default_rng(seed)
    n = int(v["n"])
    x = rng.uniform(v["xmin"], v["xmax"], size=n)
    y = v["slope"] * x + v["intercept"] + rng.normal(0.0, v["noise"], size=n)
    return Dataset(x, y, name=f"synthetic({spec})" if spec else "synthetic",
                   x_label="x", y_label="y", source=f"synthetic:{spec}")
