"""Held-out data: a seeded share of the points kept out of the fit, to measure the line on.

The split is a pure function of (seed, N, fraction): a permutation drawn from its own stream of
the seed (mini-batches use (seed, step)), so the same command holds out the same points. The
run fits the rest; the test cost is the same cost J on the held-out points, for MSE in O(1) from
their centred moments.
"""

from __future__ import annotations

import math

import numpy as np

from gdtui.engine.losses import point_costs
from gdtui.errors import ConfigError

SPLIT_STREAM = 0x5E1D
"""Second word of the split's seed: (seed, SPLIT_STREAM) never meets a batch's (seed, step)."""


def validate_fraction(fraction) -> float:
    """The test fraction as a float in [0, 1), or ConfigError."""
    try:
        value = float(fraction)
    except (TypeError, ValueError):
        raise ConfigError(f"test fraction must be a number, got {fraction!r}") from None
    if not (math.isfinite(value) and 0.0 <= value < 1.0):
        raise ConfigError(f"test fraction must be at least 0 and under 1, got {fraction!r}")
    return value


def split_indices(n: int, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) indices of N points, each in the data's order; ``round(fraction·N)`` held out.

    Raises
    ------
    ConfigError
        When the split would leave fewer than two points to fit or none to test.
    """
    n_test = int(round(fraction * n))
    if n_test < 1 or n - n_test < 2:
        raise ConfigError(f"--test-fraction {fraction:g} of {n} points leaves {n - n_test} to "
                          f"fit and {n_test} to test: need at least 2 and 1")
    order = np.random.default_rng((seed, SPLIT_STREAM)).permutation(n)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


BLOCK = 1 << 18
"""Line-by-point costs a block of :meth:`TestSet.cost` holds at once (bounded memory)."""


class TestSet:
    """The held-out points and the cost of a line on them.

    Parameters
    ----------
    x, y : numpy.ndarray
        The held-out points (at least one).
    """

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        self.x, self.y = x, y
        self.n = int(x.size)
        self.mean_x, self.mean_y = float(np.mean(x)), float(np.mean(y))
        xc, yc = x - self.mean_x, y - self.mean_y
        self.sxx, self.sxy, self.syy = (float(np.dot(xc, xc)), float(np.dot(xc, yc)),
                                        float(np.dot(yc, yc)))

    def cost(self, m, b, loss: str = "mse", delta: float = 1.0):
        """J of the line(s) (m, b) on the held-out points (floats or equal-length arrays)."""
        with np.errstate(over="ignore", invalid="ignore"):
            if loss == "mse":  # (1/n)·Σ((y − ȳ) − m(x − x̄))² + (ȳ − m·x̄ − b)²
                spread = (self.syy - 2.0 * m * self.sxy + m * m * self.sxx) / self.n
                offset = self.mean_y - m * self.mean_x - b
                return np.maximum(spread, 0.0) + offset * offset
            m_arr = np.atleast_1d(np.asarray(m, dtype=float))
            b_arr = np.atleast_1d(np.asarray(b, dtype=float))
            out = np.empty(m_arr.size)
            rows = max(1, BLOCK // max(self.n, 1))  # lines a block evaluates at once
            for i in range(0, m_arr.size, rows):
                mi, bi = m_arr[i:i + rows, None], b_arr[i:i + rows, None]
                out[i:i + rows] = np.mean(point_costs(loss, mi * self.x + bi, self.y, delta),
                                          axis=1)
            return out if np.ndim(m) else float(out[0])
