"""Strict JSON: what gdtui prints or writes parses with any JSON parser.

Python's ``json`` writes ``NaN`` and ``Infinity``, which are not JSON. Here every
non-finite float becomes ``null`` and ``allow_nan=False`` guards the rest.
"""

from __future__ import annotations

import json
import math

import numpy as np


def finite_or_none(value):
    """``value`` with every non-finite float (at any depth) replaced by None."""
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite_or_none(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_or_none(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.ndarray):
        return finite_or_none(value.tolist())
    return value


def dumps(value, **options) -> str:
    """``json.dumps`` that writes ``null`` for NaN and ±infinity and never invalid JSON."""
    return json.dumps(finite_or_none(value), allow_nan=False, **options)


def non_finite_keys(mapping: dict) -> list[str]:
    """Keys of ``mapping`` whose value is a non-finite float, in order."""
    return [k for k, v in mapping.items()
            if isinstance(v, (float, np.floating)) and not math.isfinite(v)]


def _refuse(constant: str):
    raise ValueError(f"{constant} is not valid JSON")


def loads(text: str):
    """``json.loads`` that refuses ``NaN``, ``Infinity`` and ``-Infinity``."""
    return json.loads(text, parse_constant=_refuse)
