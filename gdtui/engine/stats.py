"""Sufficient statistics of a data set for mean-squared-error linear regression.

For y = m·x + b the cost and both gradients depend on the data only through N,
the means and the centred second moments. They are computed once, on centred
data, so that a step costs O(1) and stays accurate when x has a large mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gdtui.engine.quadratic import Quadratic
from gdtui.errors import DataError


@dataclass(frozen=True)
class ClosedForm:
    """The least-squares optimum, in data units."""

    m: float
    b: float
    cost: float


@dataclass(frozen=True)
class SufficientStats:
    """Centred moments of (x, y).

    Attributes
    ----------
    n : int
        Number of points.
    mean_x, mean_y : float
        Means of x and y.
    sxx, sxy, syy : float
        Σ(x − x̄)², Σ(x − x̄)(y − ȳ), Σ(y − ȳ)².
    cost_min : float
        J* = (1/N)·Σ(yᵢ − m*·xᵢ − b*)², computed from the residuals directly
        (not as a difference of sums) so that it keeps its relative accuracy.
    """

    n: int
    mean_x: float
    mean_y: float
    sxx: float
    sxy: float
    syy: float
    cost_min: float

    @classmethod
    def from_data(cls, x: np.ndarray, y: np.ndarray) -> SufficientStats:
        """Compute the statistics of ``x`` and ``y`` (float64 arrays of equal length).

        Raises
        ------
        DataError
            If there are fewer than two points, or every x is the same (the
            slope is then undefined).
        """
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if x.shape != y.shape or x.ndim != 1:
            raise DataError("x and y must be one-dimensional arrays of the same length")
        n = int(x.size)
        if n < 2:
            raise DataError(f"need at least two points to fit a line, got {n}")
        mean_x = float(np.mean(x))
        mean_y = float(np.mean(y))
        xc = x - mean_x
        yc = y - mean_y
        sxx = float(np.dot(xc, xc))
        if not sxx > 0.0:
            raise DataError("every x value is the same, so the slope of a line is undefined")
        sxy = float(np.dot(xc, yc))
        syy = float(np.dot(yc, yc))
        slope = sxy / sxx
        # The residuals yc − slope·xc, computed in place: two arrays the size of the data at
        # most, whatever N (a 1e7-point file loads in little more than its arrays).
        np.multiply(xc, slope, out=xc)
        np.subtract(yc, xc, out=yc)
        cost_min = float(np.dot(yc, yc)) / n
        del xc, yc
        if not all(map(math.isfinite, (mean_x, mean_y, sxx, sxy, syy, cost_min))):
            raise DataError("the data are too large to square in float64 (overflow)")
        return cls(n, mean_x, mean_y, sxx, sxy, syy, cost_min)

    # -- exact O(1) edits (Welford's updates; see :mod:`gdtui.engine.edits`) -----------------
    def added(self, x: float, y: float) -> SufficientStats | None:
        """The statistics with the point (x, y) added, in O(1); None if rounding makes them unsafe.

        The means and centred sums follow Welford's update; J*·N (the residual sum of squares)
        grows by e²/(1 + h), e the new point's residual on the old line and h = 1/N + (x − x̄)²/Sxx
        its leverage (the classic rank-one update of least squares), so J* keeps its relative
        accuracy instead of being a difference of large sums.
        """
        n, dx, dy = self.n, x - self.mean_x, y - self.mean_y
        slope = self.sxy / self.sxx
        e = dy - slope * dx
        rss = self.cost_min * n + e * e / (1.0 + 1.0 / n + dx * dx / self.sxx)
        n1 = n + 1
        mx, my = self.mean_x + dx / n1, self.mean_y + dy / n1
        out = SufficientStats(n1, mx, my, self.sxx + dx * (x - mx), self.sxy + dx * (y - my),
                              self.syy + dy * (y - my), rss / n1)
        return out if out._sound(self) else None

    def removed(self, x: float, y: float) -> SufficientStats | None:
        """The statistics with the point (x, y) (one of the data) taken out, in O(1).

        The inverse of :meth:`added`: J*·N shrinks by e²/(1 − h). Returns None when the update
        cancels too much to be trusted (a removal that leaves x almost constant or an almost
        perfect fit): the caller then recomputes from the data.

        Raises
        ------
        DataError
            When fewer than two points would be left.
        """
        n = self.n
        if n <= 2:
            raise DataError("a line needs at least two points: this one cannot be removed")
        dx, dy = x - self.mean_x, y - self.mean_y
        h = 1.0 / n + dx * dx / self.sxx
        if not 1.0 - h > 1e-9:
            return None
        e = dy - (self.sxy / self.sxx) * dx
        rss = self.cost_min * n - e * e / (1.0 - h)
        n1 = n - 1
        mx, my = self.mean_x - dx / n1, self.mean_y - dy / n1
        out = SufficientStats(n1, mx, my, self.sxx - dx * (x - mx), self.sxy - dx * (y - my),
                              self.syy - dy * (y - my), rss / n1)
        return out if out._sound(self) else None

    def _sound(self, before: SufficientStats) -> bool:
        """False when an update lost too many digits to cancellation (or overflowed)."""
        values = (self.mean_x, self.mean_y, self.sxx, self.sxy, self.syy, self.cost_min)
        if not all(map(math.isfinite, values)):
            return False
        return (self.sxx > 1e-6 * before.sxx and self.syy >= 1e-6 * before.syy
                and self.cost_min * self.n >= 1e-6 * before.cost_min * before.n)

    @property
    def std_x(self) -> float:
        """Population standard deviation of x."""
        return math.sqrt(self.sxx / self.n)

    @property
    def std_y(self) -> float:
        """Population standard deviation of y."""
        return math.sqrt(self.syy / self.n)

    @property
    def closed_form(self) -> ClosedForm:
        """The least-squares line and its cost."""
        m = self.sxy / self.sxx
        return ClosedForm(m=m, b=self.mean_y - m * self.mean_x, cost=self.cost_min)

    def model(self, shift: float = 0.0, scale: float = 1.0) -> Quadratic:
        """J as a quadratic in (p, q) on the feature x' = (x − shift)/scale (data units default)."""
        return Quadratic(cost_min=self.cost_min, mean_y=self.mean_y,
                         mu=(self.mean_x - shift) / scale, a=self.sxx / (scale * scale) / self.n,
                         p_star=(self.sxy / self.sxx) * scale, shift=shift, scale=scale)


def cost_direct(x: np.ndarray, y: np.ndarray, m: float, b: float) -> float:
    """J(m, b) evaluated from the data in O(N): the reference for the O(1) path."""
    r = np.asarray(y, dtype=np.float64) - (m * np.asarray(x, dtype=np.float64) + b)
    return float(np.mean(r * r))


def gradient_direct(x: np.ndarray, y: np.ndarray, m: float, b: float) -> tuple[float, float]:
    """(∂J/∂m, ∂J/∂b) from the data in O(N), as written in the seed article."""
    x = np.asarray(x, dtype=np.float64)
    r = np.asarray(y, dtype=np.float64) - (m * x + b)
    return float(-2.0 * np.mean(x * r)), float(-2.0 * np.mean(r))
