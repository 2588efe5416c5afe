"""Hyper-parameters of the optimizers (β, ρ, β₁, β₂, ε) and of the schedules (γ, every, k, warm-up).

The optimizers and schedules in :data:`OPTIMIZERS` and :data:`SCHEDULES` carry their defaults;
:func:`make_optimizer` and :func:`make_schedule` build one with other values, each checked by
:func:`validate_parameter` (the one home of these rules, for the command line and the app).
"""

from __future__ import annotations

import math
from dataclasses import fields, replace

from gdtui.engine.optimizers import Optimizer, get_optimizer
from gdtui.engine.schedules import Schedule, get_schedule
from gdtui.errors import ConfigError

OPTIMIZER_PARAMETERS = {"beta": 0.9, "rho": 0.9, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
"""Every optimizer hyper-parameter with its default (the same default in every optimizer)."""

SYMBOLS = {"beta": "β", "rho": "ρ", "beta1": "β₁", "beta2": "β₂", "eps": "ε",
           "gamma": "γ", "every": "every", "decay": "k", "warmup": "warm-up"}
"""How each hyper-parameter is written on screen."""

_RULES = {
    # name: (check, requirement)
    "beta": (lambda v: 0.0 <= v < 1.0, "must be at least 0 and under 1"),
    "rho": (lambda v: 0.0 <= v < 1.0, "must be at least 0 and under 1"),
    "beta1": (lambda v: 0.0 <= v < 1.0, "must be at least 0 and under 1"),
    "beta2": (lambda v: 0.0 <= v < 1.0, "must be at least 0 and under 1"),
    "eps": (lambda v: 0.0 < v, "must be a positive number"),
    "gamma": (lambda v: 0.0 < v <= 1.0, "must be over 0 and at most 1"),
    "every": (lambda v: v >= 1 and float(v).is_integer(),
              "must be a whole number of steps, 1 or more"),
    "decay": (lambda v: v >= 0.0, "must be 0 or a positive number"),
    "warmup": (lambda v: 0.0 <= v < 1.0, "must be a fraction of the run, at least 0 and under 1"),
}


def validate_parameter(name: str, value) -> float | int:
    """Return ``value`` for hyper-parameter ``name`` as a number, or raise ConfigError.

    Raises
    ------
    ConfigError
        For an unknown name, a value that is not a finite number, or one out of range
        (the message names the parameter and what it must be).
    """
    if name not in _RULES:
        raise ConfigError(f"unknown parameter {name!r}; known: {', '.join(_RULES)}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, got {value!r}") from None
    check, requirement = _RULES[name]
    if not math.isfinite(number) or not check(number):
        raise ConfigError(f"{name} {requirement}, got {value!r}")
    return int(number) if name == "every" else number


def parameters_of(thing: Optimizer | Schedule) -> dict[str, float]:
    """The hyper-parameters an optimizer or a schedule has, with its values."""
    return {f.name: getattr(thing, f.name) for f in fields(thing)}


def optimizer_parameter_names(name: str) -> tuple[str, ...]:
    """The hyper-parameters optimizer ``name`` uses (none for gd)."""
    return tuple(parameters_of(get_optimizer(name)))


def schedule_parameter_names(name: str) -> tuple[str, ...]:
    """The parameters schedule ``name`` uses (none for constant and cosine)."""
    return tuple(parameters_of(get_schedule(name)))


def typed_parameters(optimizer: str, params: dict) -> str:
    """The parameters of ``optimizer`` in ``params`` that differ from their defaults, as
    ``β 0.5`` (empty when all are the defaults): what a readout adds to the optimizer's name."""
    return " ".join(f"{SYMBOLS[n]} {params[n]:g}" for n in optimizer_parameter_names(optimizer)
                    if n in params and params[n] != OPTIMIZER_PARAMETERS[n])


def clean_parameters(params: dict | None) -> dict[str, float | int]:
    """``params`` with every value checked by :func:`validate_parameter`."""
    return {k: validate_parameter(k, v) for k, v in (params or {}).items()}


def make_optimizer(name: str, params: dict | None = None) -> Optimizer:
    """Optimizer ``name`` with the values of ``params`` that it uses (others are ignored)."""
    base = get_optimizer(name)
    mine = {k: v for k, v in clean_parameters(params).items() if k in parameters_of(base)}
    return replace(base, **mine) if mine else base


def make_schedule(name: str, params: dict | None = None) -> Schedule:
    """Schedule ``name`` with the values of ``params`` that it uses (others are ignored)."""
    base = get_schedule(name)
    mine = {k: v for k, v in clean_parameters(params).items() if k in parameters_of(base)}
    return replace(base, **mine) if mine else base
