"""The command line's value types: each parses one option's text or says, in one line, what
the option needs (argparse turns that into the usage error and exit code 2)."""

from __future__ import annotations

import argparse
import math

from gdtui.engine import OPTIMIZERS
from gdtui.errors import ConfigError
from gdtui.tour import LESSON_COUNT


def number(cast, ok, requirement: str, noun: str = "a number"):
    """An argparse type: ``cast(text)`` that must satisfy ``ok``, else says ``requirement``."""

    def parse(text: str):
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"{requirement}, got {text}")
        return value

    return parse


positive_int = number(int, lambda v: v >= 1, "must be at least 1", "an integer")
non_negative_int = number(int, lambda v: v >= 0, "must be 0 or more", "an integer")
positive_float = number(float, lambda v: math.isfinite(v) and v > 0,
                          "must be a positive finite number")
tolerance = number(float, lambda v: math.isfinite(v) and v >= 0,
                     "must be 0 or a positive number")
lesson_number = number(int, lambda v: 1 <= v <= LESSON_COUNT,
                         f"lessons are numbered 1 to {LESSON_COUNT}",
                         "a lesson number")
frames_per_second = number(int, lambda v: 1 <= v <= 120, "must be 1 to 120", "an integer")
port = number(int, lambda v: 1 <= v <= 65535, "port must be 1 to 65535", "a port number")


def start_point(text: str) -> tuple[float, float]:
    parts = text.split(",")
    try:
        m, b = (float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected M,B (two numbers), got {text!r}") from None
    if not (math.isfinite(m) and math.isfinite(b)):
        raise argparse.ArgumentTypeError(f"start point must be finite, got {text!r}")
    return m, b


def fraction(text: str) -> float:
    from gdtui.engine.heldout import validate_fraction

    try:
        return validate_fraction(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH such as 100x30, got {text!r}") from None
    if not (20 <= width <= 500 and 8 <= height <= 200):
        raise argparse.ArgumentTypeError(f"size {text} is outside 20x8 .. 500x200")
    return width, height


def rates(text: str) -> tuple[float, ...]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) not in (3, 4):
        raise argparse.ArgumentTypeError(f"expected three or four rates A,B,C[,D], got {text!r}")
    return tuple(positive_float(p) for p in parts)


def optimizer_list(text: str) -> tuple[str, ...]:
    names = tuple(p.strip().lower() for p in text.split(",") if p.strip())
    unknown = [n for n in names if n not in OPTIMIZERS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown optimizer {unknown[0]!r}; choose from {', '.join(OPTIMIZERS)}")
    if not 1 <= len(names) <= 4:
        raise argparse.ArgumentTypeError(f"give one to four optimizers, got {len(names)}")
    return names
