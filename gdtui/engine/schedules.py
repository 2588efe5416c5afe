"""Learning-rate schedules: the rate α used by step t (t = 0 for the first step)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from gdtui.errors import ConfigError


@dataclass(frozen=True)
class Schedule:
    """Constant learning rate: α_t = α."""

    name = "constant"
    title = "constant"

    def rate(self, base: float, t: int, total: int) -> float:
        """Learning rate of step ``t`` of ``total`` for the base rate ``base``."""
        return base


@dataclass(frozen=True)
class StepDecay(Schedule):
    """α_t = α·γ^⌊t / every⌋."""

    gamma: float = 0.5
    every: int = 100
    name = "step"
    title = "step decay"

    def rate(self, base, t, total):
        return base * self.gamma ** (t // self.every)


@dataclass(frozen=True)
class ExponentialDecay(Schedule):
    """α_t = α·γ^t."""

    gamma: float = 0.99
    name = "exponential"
    title = "exponential decay"

    def rate(self, base, t, total):
        return base * self.gamma**t


@dataclass(frozen=True)
class InverseTime(Schedule):
    """α_t = α / (1 + k·t), the 1/t schedule."""

    decay: float = 0.01
    name = "inverse"
    title = "1/t decay"

    def rate(self, base, t, total):
        return base / (1.0 + self.decay * t)


@dataclass(frozen=True)
class Cosine(Schedule):
    """α_t = α·½(1 + cos(π·t/T)) over the run's T iterations."""

    name = "cosine"
    title = "cosine"

    def rate(self, base, t, total):
        frac = min(t / max(total, 1), 1.0)
        return base * 0.5 * (1.0 + math.cos(math.pi * frac))


@dataclass(frozen=True)
class WarmupCosine(Schedule):
    """Linear warm-up over the first ``warmup`` fraction of T, then cosine."""

    warmup: float = 0.05
    name = "warmup-cosine"
    title = "warm-up + cosine"

    def rate(self, base, t, total):
        total = max(total, 1)
        w = max(1, int(self.warmup * total))
        if t < w:
            return base * (t + 1) / w
        frac = min((t - w) / max(total - w, 1), 1.0)
        return base * 0.5 * (1.0 + math.cos(math.pi * frac))


SCHEDULES: dict[str, Schedule] = {
    cls.name: cls()
    for cls in (Schedule, StepDecay, ExponentialDecay, InverseTime, Cosine, WarmupCosine)
}
"""Every schedule by its command-line name."""

_ALIASES = {"1/t": "inverse", "inverse-time": "inverse", "exp": "exponential",
            "warmup": "warmup-cosine", "step-decay": "step"}


def get_schedule(name: str) -> Schedule:
    """Return the schedule called ``name`` (``1/t`` and a few aliases accepted).

    Raises
    ------
    ConfigError
        If no schedule has that name.
    """
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    try:
        return SCHEDULES[key]
    except KeyError:
        raise ConfigError(
            f"unknown schedule {name!r}; choose one of: {', '.join(SCHEDULES)}"
        ) from None
