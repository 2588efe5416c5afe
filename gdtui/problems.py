"""The problems a run can fit, in words: their names, their costs and their gradients written out.

Pure text (no Textual, no numpy): the app's panes, its notices and the tests share it. The
engine's side of each loss is :mod:`gdtui.engine.losses`; here is only how it is said, in the
seed article's notation (ŷ = m·x + b, J the mean of a per-point cost, ∂J/∂m and ∂J/∂b).
"""

from __future__ import annotations

from gdtui.engine.notation import MINUS, num, paren

CYCLE = (("line", "mse"), ("line", "mae"), ("line", "huber"), ("logistic", "cross-entropy"))
"""The order ``j`` switches problems in: the seed's MSE first, the logistic model last."""

SHORT = {"mse": "MSE", "mae": "MAE", "huber": "Huber", "cross-entropy": "logistic"}
"""Names short enough for a pane's title."""

LONG = {
    "mse": "mean squared error (the seed's cost)",
    "mae": "mean absolute error",
    "huber": "Huber loss: squared within δ of the line, linear beyond",
    "cross-entropy": "logistic regression: p = σ(m·x + b) by mean cross-entropy",
}
"""What each problem is, in a few words (the notice of ``j``)."""


def problem_title(loss: str, delta: float | None = None) -> str:
    """``MSE``, ``MAE``, ``Huber δ = 1.2345``, ``logistic``: the problem in a pane's title."""
    if loss == "huber" and delta is not None:
        return f"Huber δ = {num(delta)}"
    return SHORT.get(loss, loss)


def cost_formula(loss: str) -> str:
    """J written out for ``loss`` in data units (ŷ = m·x + b)."""
    if loss == "mae":
        return "ŷ = m·x + b,  J = (1/N)·Σ|yᵢ − ŷᵢ|"
    if loss == "huber":
        return "ŷ = m·x + b,  J = (1/N)·Σ ρ(yᵢ − ŷᵢ), ρ(r) = r² if |r| ≤ δ, else 2δ|r| − δ²"
    if loss == "cross-entropy":
        return "p = σ(m·x + b),  J = −(1/N)·Σ[yᵢ·log pᵢ + (1 − yᵢ)·log(1 − pᵢ)]"
    return "ŷ = m·x + b,  J = (1/N)·Σ(yᵢ − ŷᵢ)²"


def _formula(loss: str, name: str, feature: str | None, pm: str, pb: str,
             symbol: str) -> tuple[str, float]:
    """(∂J/∂name written out, the factor c with ∂J/∂name = c/N × Σ…) for one parameter.

    ``feature`` is the feature's symbol (x or z) for the slope, None for the intercept;
    ``symbol`` is that symbol whatever the parameter (the model's input, inside σ).
    """
    f = f"{feature}ᵢ" if feature else ""
    if loss == "mae":
        term = f"{f}·sign(yᵢ − ŷᵢ)" if f else "sign(yᵢ − ŷᵢ)"
        return f"∂J/∂{name} = {MINUS}(1/N)·Σ {term}", -1.0
    if loss == "huber":
        term = f"{f}·clip(yᵢ − ŷᵢ, ±δ)" if f else "clip(yᵢ − ŷᵢ, ±δ)"
        return f"∂J/∂{name} = {MINUS}(2/N)·Σ {term}", -2.0
    if loss == "cross-entropy":
        z = f"σ({pm}·{symbol}ᵢ + {pb}) − yᵢ"
        return (f"∂J/∂{name} = (1/N)·Σ ({z})·{f}" if f else f"∂J/∂{name} = (1/N)·Σ ({z})"), 1.0
    term = f"{f}(yᵢ − ŷᵢ)" if f else "(yᵢ − ŷᵢ)"
    return f"∂J/∂{name} = {MINUS}(2/N)·Σ {term}", -2.0


def gradient_lines(loss: str, pm: str, pb: str, feature: str, grads: tuple[float, float],
                   count: int, short: bool = False) -> list[str]:
    """∂J/∂pm and ∂J/∂pb written out for ``loss`` with the numbers substituted.

    ``grads`` are the gradient's values over ``count`` points (N, or the mini-batch's k);
    the sum in each formula is the one those values imply, Σ = N·∂J/∂· / c. What the lines
    leave to say (which points, sign(0), δ) is :func:`gradient_note`. ``short``: N written
    into the formula and its value, without the sum's (for a pane short of rows).
    """
    lines = []
    for name, value, feat in ((pm, grads[0], feature), (pb, grads[1], None)):
        formula, factor = _formula(loss, name, feat, pm, pb, feature)
        total = value * count / factor
        c = f"{MINUS}({abs(factor):g}/{count:,})" if factor < 0 else f"({factor:g}/{count:,})"
        if short:
            lines.append(f"{formula.replace('/N)', f'/{count:,})')} = {num(value)}")
            continue
        lines.append(f"{formula} = {c} × {paren(total)}"
                     f" = {num(value)}")
    return lines


def gradient_note(loss: str, where: str = "", delta: float | None = None) -> str:
    """Which points the gradient summed over, and what the loss's formula leaves to say: how
    MAE takes sign(0), Huber's δ. In parentheses, or "" when there is nothing to say."""
    notes = [where] if where else []
    if loss == "mae":
        notes.append("sign(0) = 0: a point exactly on the line pulls neither way")
    elif loss == "huber" and delta is not None:
        notes.append(f"δ = {num(delta)}")
    return f"({'; '.join(notes)})" if notes else ""
