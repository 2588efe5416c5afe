"""The mean-squared-error cost of a line as a quadratic in its two parameters: one home for J.

For ŷ = p·x' + q on the feature x' = (x − shift)/scale, the cost is exactly

    J(p, q) = J* + a·(p − p*)² + (ȳ − q − p·μ)²,   a = Sxx'/N,  μ = mean of x',

so the cost, its gradient, its (constant) Hessian, a whole grid of values and the
stability limits of gradient descent all follow from five numbers in O(1). Data
units are shift 0, scale 1 (p, q are m, b); standardized units are shift x̄,
scale σx (p, q are m_z, b_z).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Stability:
    """Curvature of J in one unit system: the Hessian's eigenvalues λmin ≤ λmax."""

    lambda_min: float
    lambda_max: float

    @property
    def condition_number(self) -> float:
        """κ = λmax / λmin."""
        return self.lambda_max / self.lambda_min if self.lambda_min > 0 else math.inf

    @property
    def max_stable_lr(self) -> float:
        """Largest rate at which full-batch gradient descent does not diverge: 2/λmax."""
        return 2.0 / self.lambda_max

    @property
    def best_lr(self) -> float:
        """Best constant rate for full-batch gradient descent: 2/(λmin + λmax)."""
        return 2.0 / (self.lambda_min + self.lambda_max)


class Units:
    """Conversions between data units (m, b) and fitted units (p, q), and J − J*.

    Needs ``shift``, ``scale``, ``cost_min`` and ``cost(p, q)``: Quadratic and DataCost.
    """

    def to_coordinates(self, m, b):
        """Data-unit (m, b), floats or arrays, in these units."""
        return m * self.scale, b + m * self.shift

    def to_data(self, p, q):
        """(p, q) in these units as data-unit (m, b)."""
        m = p / self.scale
        return m, q - m * self.shift

    def gradient_in_data_units(self, gp: float, gq: float) -> tuple[float, float]:
        """(∂J/∂m, ∂J/∂b) from (∂J/∂p, ∂J/∂q) by the chain rule.

        m = p/scale and b = q − m·shift, so ∂J/∂m = scale·∂J/∂p + shift·∂J/∂q, ∂J/∂b = ∂J/∂q.
        """
        return self.scale * gp + self.shift * gq, gq

    def excess(self, p, q):
        """J − J* at (p, q)."""
        return self.cost(p, q) - self.cost_min


@dataclass(frozen=True)
class Quadratic(Units):
    """J over (p, q) in one unit system.

    Attributes
    ----------
    cost_min : float
        J*, the least-squares cost.
    mean_y : float
        ȳ.
    mu : float
        Mean of the feature x' = (x − shift)/scale.
    a : float
        Sxx'/N, the variance of x'.
    p_star : float
        The least-squares slope in these units.
    shift, scale : float
        The feature's shift and scale.
    """

    cost_min: float
    mean_y: float
    mu: float
    a: float
    p_star: float
    shift: float
    scale: float

    # -- values ------------------------------------------------------------------
    def evaluate(self, p: float, q: float) -> tuple[float, float, float]:
        """(J, ∂J/∂p, ∂J/∂q) at one point, in plain floats (the step's hot path)."""
        d = (self.mean_y - q) - p * self.mu
        ap = self.a * (p - self.p_star)
        cost = self.cost_min + ap * (p - self.p_star) + d * d
        return cost, 2.0 * ap - 2.0 * self.mu * d, -2.0 * d

    def cost(self, p, q):
        """J at (p, q): floats or arrays that broadcast against each other."""
        with np.errstate(over="ignore", invalid="ignore"):
            d = (self.mean_y - q) - p * self.mu
            dp = p - self.p_star
            return self.cost_min + self.a * dp * dp + d * d

    def gradient(self, p, q):
        """(∂J/∂p, ∂J/∂q) at (p, q): floats or arrays."""
        with np.errstate(over="ignore", invalid="ignore"):
            d = (self.mean_y - q) - p * self.mu
            return 2.0 * self.a * (p - self.p_star) - 2.0 * self.mu * d, -2.0 * d

    def grid(self, p_values, q_values) -> np.ndarray:
        """J over a grid, O(grid): rows follow ``q_values``, columns ``p_values``."""
        p = np.asarray(p_values, dtype=np.float64)[np.newaxis, :]
        q = np.asarray(q_values, dtype=np.float64)[:, np.newaxis]
        return self.cost(p, q)

    def hessian(self) -> np.ndarray:
        """The constant Hessian of J: 2·[[a + μ², μ], [μ, 1]]."""
        return 2.0 * np.array([[self.a + self.mu * self.mu, self.mu], [self.mu, 1.0]])

    def stability(self) -> Stability:
        """Eigenvalues of the Hessian (and with them 2/λmax, the best rate, κ)."""
        lam = np.linalg.eigvalsh(self.hessian())
        return Stability(float(lam[0]), float(lam[1]))

    # -- coordinates --------------------------------------------------------------
    def optimum(self) -> tuple[float, float]:
        """(p*, q*), the least-squares line in these units."""
        return self.p_star, self.mean_y - self.p_star * self.mu
