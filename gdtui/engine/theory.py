"""What theory predicts for plain, full-batch gradient descent on the quadratic J.

With a constant rate α, the error e = (p − p*, q − q*) obeys e ← (I − αH)·e exactly.
In the Hessian's eigen-directions (eigenvalues λᵢ) each component is multiplied by
(1 − αλᵢ) every step, so after n steps

    J − J* = Σᵢ ½·λᵢ·cᵢ²·(1 − αλᵢ)^(2n),   c = Vᵀe,

and the slowest direction, the one with the largest |1 − αλᵢ|, sets the pace. Pure numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gdtui.engine.quadratic import Quadratic, Stability


def contraction(stability: Stability, lr: float) -> float:
    """ρ = max |1 − αλᵢ|: how much the slowest eigen-direction of the error shrinks per step."""
    return max(abs(1.0 - lr * stability.lambda_min), abs(1.0 - lr * stability.lambda_max))


def _log_factor(lr: float, lam: float) -> float:
    """log |1 − αλ|, accurate when αλ is tiny (log1p), −inf when αλ = 1."""
    x = lr * lam
    if x == 1.0:
        return -math.inf
    return math.log1p(-x) if x < 1.0 else math.log(x - 1.0)


@dataclass(frozen=True)
class GdForecast:
    """Where plain descent at a constant α goes from (p, q): one term per eigen-direction."""

    weights: tuple[float, ...]  # ½·λᵢ·cᵢ², each direction's share of J − J* now
    logs: tuple[float, ...]  # log |1 − αλᵢ|
    lambdas: tuple[float, ...]

    @property
    def excess(self) -> float:
        """J − J* now."""
        return sum(self.weights)

    def excess_after(self, n: float) -> float:
        """J − J* after ``n`` more steps."""
        total = 0.0
        for w, lg in zip(self.weights, self.logs, strict=True):
            if w > 0.0:
                total += 0.0 if lg == -math.inf and n > 0 else w * math.exp(2.0 * n * lg)
        return total

    @property
    def slowest(self) -> int:
        """Index of the direction that shrinks least per step (among those still present)."""
        live = [i for i, w in enumerate(self.weights) if w > 0.0] or [0, 1]
        return max(live, key=lambda i: self.logs[i])

    def steps_to(self, target: float) -> float | None:
        """Fewest more steps after which J − J* ≤ ``target``; None if that never happens."""
        if self.excess <= target:
            return 0
        if any(w > 0.0 and lg >= 0.0 for w, lg in zip(self.weights, self.logs, strict=True)):
            return None
        # excess_after is non-increasing; each term alone bounds the answer from below,
        # all the weight on the slowest direction from above.
        slow = max(lg for w, lg in zip(self.weights, self.logs, strict=True) if w > 0.0)
        bound = math.log(target / self.excess) / (2.0 * slow) if slow > -math.inf else 1.0
        if not bound < 2.0 ** 53:  # a rate so small that steps cannot be counted exactly
            return bound if math.isfinite(bound) else math.inf
        hi = math.ceil(bound)
        lo = 0
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.excess_after(mid) <= target:
                hi = mid
            else:
                lo = mid
        return hi


def gd_forecast(model: Quadratic, p: float, q: float, lr: float) -> GdForecast:
    """The eigen-decomposition of the error at (p, q) for plain descent at rate ``lr``.

    Parameters
    ----------
    model : Quadratic
        J in the units of (p, q).
    p, q : float
        The current point.
    lr : float
        The constant learning rate α.

    Returns
    -------
    GdForecast
        Each eigen-direction's share of J − J* and its per-step factor.
    """
    lam, vectors = np.linalg.eigh(model.hessian())
    p_star, q_star = model.optimum()
    c = vectors.T @ np.array([p - p_star, q - q_star])
    weights = tuple(float(0.5 * max(li, 0.0) * ci * ci) for li, ci in zip(lam, c, strict=True))
    return GdForecast(weights, tuple(_log_factor(lr, float(li)) for li in lam),
                      tuple(float(li) for li in lam))


def round_down_125(value: float) -> float:
    """The largest of …, 0.1, 0.2, 0.5, 1, 2, 5, … that is at most ``value`` (> 0)."""
    exponent = math.floor(math.log10(value))
    for mantissa in (5, 2, 1):
        candidate = float(f"{mantissa}e{exponent}")
        if candidate <= value * (1 + 1e-12):
            return candidate
    return float(f"5e{exponent - 1}")


def raw_default_rate(stability: Stability) -> float:
    """A default α for plain descent or momentum in data units: the round value under 1/λmax.

    At α ≤ 1/λmax no eigen-direction overshoots (1 − αλ ≥ 0), and the round value is
    easy to read and to type; it is at least half of 1/λmax.
    """
    return round_down_125(1.0 / stability.lambda_max)


def steps_to_tolerance(model: Quadratic, start: tuple[float, float], lr: float, tol: float,
                       std_x: float, sigma_y: float) -> float:
    """An upper bound on the steps plain descent in data units needs to pass the convergence test.

    ``model`` is J in data units (shift 0, scale 1). The test is 2·‖(σx·Δm, Δb + x̄·Δm)‖/σy < tol
    for the error Δ = (m, b) − (m*, b*) (the engine's ``gradient_norm``). The error is a sum of
    eigen-directions, each multiplied by (1 − αλᵢ) per step; the bound asks each of the two terms
    to be under half of the tolerance. Returns ``inf`` when a direction never shrinks.
    """
    if tol <= 0:
        return 0.0
    lam, vectors = np.linalg.eigh(model.hessian())
    m_star, b_star = model.optimum()
    shape = np.array([[std_x, 0.0], [model.mu, 1.0]])  # the test's matrix, mu = x̄ in data units
    worst = 0.0
    with np.errstate(all="ignore"):
        c = vectors.T @ np.array([start[0] - m_star, start[1] - b_star])
        sizes = [2.0 * abs(ci) * float(np.linalg.norm(shape @ vi)) / sigma_y
                 for ci, vi in zip(c, vectors.T, strict=True)]
    for li, size in zip(lam, sizes, strict=True):
        if not math.isfinite(size):
            return math.inf
        if size < tol / 2:
            continue
        log_factor = _log_factor(lr, float(li))
        if log_factor >= 0.0:
            return math.inf
        if log_factor == -math.inf:
            worst = max(worst, 1.0)
            continue
        worst = max(worst, math.log(tol / 2 / size) / log_factor)
    return math.ceil(worst)
