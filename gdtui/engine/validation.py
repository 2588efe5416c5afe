"""Checks of the engine's settings: each returns the clean value or raises ConfigError."""

from __future__ import annotations

import math

import numpy as np

from gdtui.errors import ConfigError


def finite_point(point) -> tuple[float, float]:
    """Return (m, b) as two floats, or raise ConfigError unless both are finite."""
    m, b = (float(v) for v in point)
    if not (math.isfinite(m) and math.isfinite(b)):
        raise ConfigError(f"start point must be finite, got ({m}, {b})")
    return m, b


def validate_learning_rate(lr) -> float:
    """Return ``lr`` as a float, or raise ConfigError if it is not positive and finite."""
    try:
        value = float(lr)
    except (TypeError, ValueError):
        raise ConfigError(f"learning rate must be a number, got {lr!r}") from None
    if not (math.isfinite(value) and value > 0.0):
        raise ConfigError(f"learning rate must be a positive finite number, got {lr!r}")
    return value


def validate_tol(tol) -> float:
    """Return ``tol`` as a float, or raise ConfigError if it is negative or not finite."""
    try:
        value = float(tol)
    except (TypeError, ValueError):
        raise ConfigError(f"tolerance must be a number, got {tol!r}") from None
    if not (math.isfinite(value) and value >= 0.0):
        raise ConfigError(f"tolerance must be zero or a positive number, got {tol!r}")
    return value


def validate_max_iter(max_iter) -> int:
    """Return ``max_iter`` as an int, or raise ConfigError if it is not a positive integer."""
    if isinstance(max_iter, float) and max_iter.is_integer():
        max_iter = int(max_iter)
    if not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ConfigError(f"iterations must be a positive integer, got {max_iter!r}")
    return int(max_iter)


def validate_standardize(value) -> bool | str:
    """True, False or ``"auto"`` (also from the words on, off, auto); ConfigError otherwise."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("on", "off", "auto"):
            return {"on": True, "off": False}.get(word, "auto")
        raise ConfigError(f"standardize must be auto, on or off, got {value!r}")
    return bool(value)


def validate_seed(seed) -> int:
    """Return ``seed`` as an int, or raise ConfigError if it is not a non-negative integer."""
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def validate_batch_size(batch_size, n: int) -> int:
    """0 for full batch (also for None or k ≥ n), else k; ConfigError if not a count."""
    if batch_size is None:
        return 0
    if isinstance(batch_size, float) and batch_size.is_integer():
        batch_size = int(batch_size)
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 0:
        raise ConfigError(f"batch size must be a positive integer, got {batch_size!r}")
    k = int(batch_size)
    return 0 if k >= n else k
