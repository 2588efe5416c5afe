"""The optimum of each cost, computed independently of gradient descent: the run's yardstick.

- ``mse``: the closed form (centred sums, :class:`~gdtui.engine.stats.SufficientStats`).
- ``huber``: Newton's method on the Huber cost with a backtracking line search, started at the
  least-squares line. The cost is piecewise quadratic, so once the set of points inside the band
  |r| ≤ δ (and the sides of the others) stops changing, one Newton step solves the normal
  equations of that piece exactly; the result is checked to leave the set unchanged. Where fewer
  than two distinct x lie inside the band (the Hessian is singular) it falls back to iteratively
  reweighted least squares (weights min(1, δ/|r|)).
- ``mae``: exact least absolute deviations by Wesolowsky's (1981) direct descent: an optimal L1
  line passes through two data points; rotating the line about one point, the best slope is a
  weighted median (of the slopes to the other points, weighted by |xₖ − xᵢ|), and its point
  becomes the next pivot, until the cost stops falling. O(N log N) per pivot, typically a few
  dozen pivots. The result is then certified by linear-programming duality: the two points'
  multipliers solving the optimality conditions must lie in [−1, 1].
- ``cross-entropy``: Newton's method (IRLS) with a backtracking line search, from the intercept
  logit(ȳ). With one feature, a finite optimum exists unless the classes are separated
  (max x of one class ≤ min x of the other, ties included) or only one class is present; then
  the cost tends to 0 (or its infimum) as |m| or |b| grows and the reference says so.

Every solve works on the standardized feature z = (x − x̄)/σx for conditioning and reports the
line in data units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gdtui.engine.losses import LOGISTIC_LOSS, point_costs

_MAX_NEWTON = 200
_MAX_PIVOTS = 10_000


@dataclass(frozen=True)
class Reference:
    """The optimum of a cost, found without gradient descent, in data units.

    Attributes
    ----------
    m, b : float
        The optimal slope and intercept (NaN when no finite optimum exists).
    cost : float
        J at the optimum (its infimum when there is no finite optimum).
    method : str
        How it was found, in a few words (for the summary table and the JSON).
    exact : bool
        True when the result is exact up to rounding (closed form, a certified vertex, a
        settled active set), False for an iterative answer that was not certified.
    note : str
        Anything a user should know (no finite optimum, a fallback), or "".
    """

    m: float
    b: float
    cost: float
    method: str
    exact: bool = True
    note: str = ""

    @property
    def finite(self) -> bool:
        """True when there is a finite optimum (m and b are numbers)."""
        return math.isfinite(self.m) and math.isfinite(self.b)


def _standardized(x: np.ndarray) -> tuple[np.ndarray, float, float]:
    mean = float(np.mean(x))
    std = float(np.std(x))
    return (x - mean) / std, mean, std


def _to_data(p: float, q: float, mean: float, std: float) -> tuple[float, float]:
    m = float(p) / std
    return m, float(q) - m * mean


def least_squares(x: np.ndarray, y: np.ndarray) -> Reference:
    """The closed-form least-squares line."""
    from gdtui.engine.stats import SufficientStats

    return least_squares_from(SufficientStats.from_data(x, y))


def least_squares_from(stats) -> Reference:
    """The closed-form least-squares line of data with these sufficient statistics."""
    cf = stats.closed_form
    return Reference(cf.m, cf.b, cf.cost, "closed form (least squares)")


def _cost(loss, z, y, p, q, delta):
    with np.errstate(all="ignore"):
        return float(np.mean(point_costs(loss, p * z + q, y, delta)))


def huber(x: np.ndarray, y: np.ndarray, delta: float) -> Reference:
    """The Huber line (ρ(r) = r² for |r| ≤ δ, 2δ|r| − δ² beyond) by Newton's method."""
    z, mean, std = _standardized(np.asarray(x, dtype=np.float64))
    y = np.asarray(y, dtype=np.float64)
    n = y.size
    ybar = float(y.mean())
    p, q = float(np.dot(z, y - ybar)) / n, ybar  # least squares (mean of z is 0, var 1)
    cost = _cost("huber", z, y, p, q, delta)
    exact = False
    for _ in range(_MAX_NEWTON):
        r = y - (p * z + q)
        piece = np.where(np.abs(r) <= delta, 0.0, np.sign(r))  # inside (0), above, below
        inside = piece == 0.0
        psi = np.clip(r, -delta, delta)
        g = -2.0 * np.array([np.dot(psi, z), psi.sum()]) / n
        zi = z[inside]
        irls = zi.size < 2 or np.ptp(zi) == 0.0
        if irls:  # the piece is flat in some direction: a reweighted least-squares step
            w = np.minimum(1.0, delta / np.maximum(np.abs(r), 1e-300))
            sw = w.sum()
            qz = np.dot(w, z) / sw
            qy = np.dot(w, y) / sw
            dz = z - qz
            pn = float(np.dot(w * dz, y - qy) / np.dot(w * dz, dz))
            step = np.array([p - pn, q - (qy - pn * qz)])
        else:
            h = 2.0 * np.array([[np.dot(zi, zi), zi.sum()], [zi.sum(), zi.size]]) / n
            step = np.linalg.solve(h, g)
        t = 1.0
        while True:
            pn, qn = p - t * step[0], q - t * step[1]
            new = _cost("huber", z, y, pn, qn, delta)
            if new <= cost or t < 1e-12:
                break
            t *= 0.5
        moved = abs(pn - p) + abs(qn - q)
        p, q, cost = pn, qn, min(new, cost)
        if t == 1.0 and not irls:
            r = y - (p * z + q)
            if np.array_equal(np.where(np.abs(r) <= delta, 0.0, np.sign(r)), piece):
                exact = True  # the full step solved this piece's normal equations, inside it
                break
        if moved <= 1e-15 * (1.0 + abs(p) + abs(q)):
            break
    m, b = _to_data(p, q, mean, std)
    return Reference(m, b, _cost("huber", z, y, p, q, delta),
                     "Newton on the Huber cost" + ("" if exact else " (not settled)"), exact)


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> int:
    """Index of the weighted median of ``values`` (the lower one at an exact tie)."""
    order = np.argsort(values, kind="stable")
    cw = np.cumsum(weights[order])
    return int(order[min(int(np.searchsorted(cw, 0.5 * cw[-1])), order.size - 1)])


def least_absolute_deviations(x: np.ndarray, y: np.ndarray) -> Reference:
    """The exact L1 line by Wesolowsky's direct descent, certified by LP duality."""
    z, mean, std = _standardized(np.asarray(x, dtype=np.float64))
    y = np.asarray(y, dtype=np.float64)
    n = y.size
    ybar = float(y.mean())
    p0 = float(np.dot(z, y - ybar)) / n
    i = int(np.argmin(np.abs(y - ybar - p0 * z)))  # start on the point nearest the LS line
    best = (math.inf, 0.0, 0.0, i, i)
    for _ in range(_MAX_PIVOTS):
        dz = z - z[i]
        use = np.flatnonzero(dz != 0.0)
        slopes = (y[use] - y[i]) / dz[use]
        k = _weighted_median(slopes, np.abs(dz[use]))
        j = int(use[k])
        p = float(slopes[k])
        q = float(y[i] - p * z[i])
        cost = _cost("mae", z, y, p, q, 0.0)
        if cost >= best[0]:
            break
        best = (cost, p, q, i, j)
        i = j
    cost, p, q, i, j = best
    # Certificate: 0 ∈ ∂J, i.e. Σ_{r≠0} sign(r)·(z, 1) = d_i·(z_i, 1) + d_j·(z_j, 1), |d| ≤ 1.
    r = y - (p * z + q)
    tiny = 1e-12 * (np.abs(y).max() + 1.0)
    s = np.where(np.abs(r) > tiny, np.sign(r), 0.0)
    s[[i, j]] = 0.0
    rhs = np.array([np.dot(s, z), s.sum()])
    zero = np.flatnonzero(s == 0.0)
    exact = False
    if zero.size == 2:
        d = np.linalg.solve(np.array([[z[i], z[j]], [1.0, 1.0]]), rhs)
        exact = bool(np.all(np.abs(d) <= 1.0 + 1e-9))
    else:  # more points on the line: a small bounded least-squares check of their multipliers
        a = np.vstack([z[zero], np.ones(zero.size)])
        d, *_ = np.linalg.lstsq(a, rhs, rcond=None)
        exact = bool(np.all(np.abs(d) <= 1.0 + 1e-9) and np.allclose(a @ d, rhs, atol=1e-9 * n))
    m, b = _to_data(p, q, mean, std)
    method = "exact L1 descent (Wesolowsky), certified by LP duality"
    if not exact:
        method = "L1 descent (Wesolowsky); certificate inconclusive (ties)"
    return Reference(m, b, cost, method, exact)


def logistic(x: np.ndarray, y: np.ndarray) -> Reference:
    """The maximum-likelihood logistic curve p(y = 1 | x) = σ(m·x + b), by Newton's method."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    x0, x1 = x[y == 0.0], x[y == 1.0]
    if x0.size == 0 or x1.size == 0:
        label = "1" if x0.size == 0 else "0"
        return Reference(math.nan, math.nan, 0.0, "none", False,
                         f"every label is {label}: the cost falls towards 0 as b → "
                         f"{'+' if label == '1' else '−'}∞, with no finite optimum")
    if x0.max() <= x1.min() or x1.max() <= x0.min():
        return Reference(math.nan, math.nan, 0.0, "none", False,
                         "the classes are separated by x: the cost falls towards its infimum as "
                         "|m| → ∞, with no finite optimum (gradient descent keeps steepening "
                         "the sigmoid)")
    z, mean, std = _standardized(x)
    n = y.size
    ybar = float(y.mean())
    p, q = 0.0, math.log(ybar / (1.0 - ybar))
    cost = _cost(LOGISTIC_LOSS, z, y, p, q, 0.0)
    exact = False
    for _ in range(_MAX_NEWTON):
        t = p * z + q
        s = np.exp(-np.logaddexp(0.0, -t))
        g = np.array([np.dot(s - y, z), (s - y).sum()]) / n
        w = s * (1.0 - s)
        h = np.array([[np.dot(w, z * z), np.dot(w, z)], [np.dot(w, z), w.sum()]]) / n
        step = np.linalg.solve(h, g)
        decrement = float(np.dot(g, step))
        if decrement <= 1e-28:
            exact = True  # Newton's decrement at rounding level: quadratic convergence is done
            break
        a = 1.0
        while True:
            pn, qn = p - a * step[0], q - a * step[1]
            new = _cost(LOGISTIC_LOSS, z, y, pn, qn, 0.0)
            if new <= cost or a < 1e-12:
                break
            a *= 0.5
        p, q, cost = pn, qn, min(new, cost)
    m, b = _to_data(p, q, mean, std)
    return Reference(m, b, _cost(LOGISTIC_LOSS, z, y, p, q, 0.0),
                     "Newton (IRLS) on the cross-entropy", exact)


def reference(loss: str, x: np.ndarray, y: np.ndarray, delta: float = 1.0) -> Reference:
    """The optimum of ``loss`` (``mse``, ``mae``, ``huber`` or ``cross-entropy``) on (x, y)."""
    if loss == "mse":
        return least_squares(x, y)
    if loss == "mae":
        return least_absolute_deviations(x, y)
    if loss == "huber":
        return huber(x, y, delta)
    return logistic(x, y)
