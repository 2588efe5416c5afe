"""Numbers written for reading, shared by every text the engine's users show (no printing here)."""

from __future__ import annotations

MINUS = "\u2212"


def num(value: float, digits: int = 4) -> str:
    """A number for reading: fixed point in the usual range, scientific outside it."""
    if value == 0 or (1e-3 <= abs(value) < 1e6):
        text = f"{value:.{digits}f}"
    else:
        text = f"{value:.{digits - 1}e}"
    return text.replace("-", MINUS)


def paren(value: float, digits: int = 4) -> str:
    """``num`` wrapped in parentheses when negative, for use after an operator."""
    text = num(value, digits)
    return f"({text})" if value < 0 else text
