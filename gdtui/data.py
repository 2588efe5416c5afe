"""Where points come from: bundled datasets, CSV files (read by :mod:`gdtui.csv_reader`)
and synthetic specs.

Every problem is raised as :class:`~gdtui.errors.DataError` (bad data) or
:class:`~gdtui.errors.ConfigError` (bad argument) with one line that names the
file and, where it applies, the line and column.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gdtui.csv_reader import load_csv
from gdtui.dataset import LARGEST, Dataset, check_values
from gdtui.errors import ConfigError, DataError
from gdtui.loading import Progress

__all__ = ["BUNDLED", "DEFAULT_DATASET", "Dataset", "load_csv", "load_dataset", "synthetic_dataset"]


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
                       "40 adults' heights (cm) and weights (kg): the seed article's example "
                       "(synthetic)"),
        BundledDataset("noisy-linear", "noisy-linear.csv",
                       "500 noisy points around y = 3x + 4"),
        BundledDataset("house-prices", "house-prices.csv",
                       "120 house sizes (sq ft) and prices (k$): unscaled descent crawls"),
        # Real, public data (sources and licences in data/README.md).
        BundledDataset("iris-petals", "iris-petals.csv",
                       "Fisher's iris: petal length → petal width (cm), 150 flowers (the "
                       "default)"),
        BundledDataset("inflation-tbill", "inflation-tbill.csv",
                       "US inflation → 3-month T-bill rate (%), 202 quarters 1959-2009"),
        BundledDataset("state-crime", "state-crime.csv",
                       "US states 2009: murders → violent crimes per 100,000 people"),
        BundledDataset("longley", "longley.csv",
                       "Longley: US GNP → people employed, 1947-1962"),
        BundledDataset("engel", "engel.csv",
                       "Engel 1857: Belgian household income → food spending (francs)"),
        BundledDataset("state-murders", "state-murders.csv",
                       "US states 2009: poverty % → murders per 100,000; DC is an outlier "
                       "(try --loss mae, huber)"),
        BundledDataset("anes96-vote", "anes96-vote.csv",
                       "944 voters 1996: left-right self-placement 1-7 → vote (1 Dole, "
                       "0 Clinton), for --model logistic"),
    )
}
DEFAULT_DATASET = "iris-petals"


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


def load_dataset(source: str, x: str | None = None, y: str | None = None,
                 progress: Progress | None = None) -> Dataset:
    """Load a CSV file or a bundled dataset by name.

    Parameters
    ----------
    source : str
        A path, or the name of a bundled dataset (see :data:`BUNDLED`).
    x, y : str, optional
        Column names or 1-based indices; by default the first two numeric columns.
    progress : callable, optional
        ``progress(bytes_read, file_size)``, told now and then while a file is read.

    Raises
    ------
    DataError
        If the file is missing, unreadable or malformed, or a column is unknown.
    """
    path, name = resolve_source(source)
    return load_csv(path, x=x, y=y, name=name, progress=progress)


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
    for key in ("xmin", "xmax", "slope", "intercept", "noise"):
        if abs(values[key]) > LARGEST:
            raise ConfigError(f"--synthetic: {key} = {values[key]:g} is too large: gdtui squares "
                              f"the data, so values must stay within ±{LARGEST:.0e}")
    return values


def synthetic_dataset(spec: str, seed: int = 0) -> Dataset:
    """Points y = slope·x + intercept + N(0, noise²), x uniform on [xmin, xmax]."""
    v = parse_synthetic_spec(spec)
    rng = np.random.default_rng(seed)
    n = int(v["n"])
    x = rng.uniform(v["xmin"], v["xmax"], size=n)
    with np.errstate(all="ignore"):  # an overflow is said below, not warned about
        y = v["slope"] * x + v["intercept"] + rng.normal(0.0, v["noise"], size=n)
    check_values(x, y, "--synthetic", error=ConfigError)
    return Dataset(x, y, name=f"synthetic({spec})" if spec else "synthetic",
                   x_label="x", y_label="y", source=f"synthetic:{spec}")
