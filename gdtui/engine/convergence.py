"""How fast each eigen-direction of the error shrinks per step, as a function of α.

After Distill's "Why Momentum Really Works" (Goh, 2017). Near the optimum J is the quadratic
½·eᵀHe (exactly so for MSE), and in each eigen-direction of H (eigenvalue λ) the error of
plain descent and of momentum follows a linear recurrence of its own:

* gd: e ← (1 − αλ)·e, so the per-step factor is |1 − αλ|;
* momentum (v ← β·v + ∂J/∂p; p ← p − α·v): (e, v) ← M·(e, v) with
  M = [[1 − αλ, −αβ], [λ, β]], whose characteristic polynomial is z² − (1 + β − αλ)·z + β;
* nesterov (gradient at the look-ahead p − αβ·v): M = [[1 − αλ, −αβ(1 − αλ)],
  [λ, β(1 − αλ)]], polynomial z² − (1 + β)(1 − αλ)·z + β(1 − αλ).

The factor is the spectral radius of M: the larger root's modulus. Below 1 the direction
shrinks, above 1 it grows. Adaptive optimizers (adagrad, rmsprop, adam) divide by a running
gradient size: their step is not linear in e, and this picture does not apply. Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LINEAR_OPTIMIZERS = ("gd", "momentum", "nesterov")
"""The optimizers whose error recurrence on a quadratic is linear (the picture applies)."""


def recurrence(optimizer: str, lam, alpha, beta: float = 0.0):
    """Trace T and determinant D of the 2×2 iteration matrix (any array shapes broadcast).

    The per-step factors are the roots of z² − T·z + D. For ``gd`` the matrix is taken as
    diag(1 − αλ, 0) (no velocity), so T = 1 − αλ and D = 0.
    """
    a = 1.0 - np.asarray(alpha, dtype=np.float64) * np.asarray(lam, dtype=np.float64)
    if optimizer == "gd":
        return a, np.zeros_like(a)
    if optimizer == "momentum":
        return a + beta, np.full_like(a, beta)
    if optimizer == "nesterov":
        return (1.0 + beta) * a, beta * a
    raise ValueError(f"the convergence picture applies to {', '.join(LINEAR_OPTIMIZERS)}, "
                     f"not {optimizer}")


def per_step_factor(optimizer: str, lam, alpha, beta: float = 0.0) -> np.ndarray:
    """The spectral radius of the iteration matrix: how much the error in the eigen-direction
    of eigenvalue ``lam`` is multiplied by per step, at rate ``alpha`` (arrays broadcast).

    Parameters
    ----------
    optimizer : str
        ``gd``, ``momentum`` or ``nesterov``.
    lam : float or array
        Hessian eigenvalue(s), λ ≥ 0.
    alpha : float or array
        Learning rate(s) α > 0.
    beta : float
        Momentum's β (ignored by gd).

    Returns
    -------
    numpy.ndarray
        max |z| over the roots z of z² − T·z + D (|1 − αλ| for gd).
    """
    t, d = recurrence(optimizer, lam, alpha, beta)
    root = np.sqrt((t * t / 4.0 - d).astype(np.complex128))
    return np.maximum(np.abs(t / 2.0 + root), np.abs(t / 2.0 - root))


@dataclass(frozen=True)
class ConvergencePicture:
    """The curves of the convergence view: one per eigen-direction, over a grid of α."""

    optimizer: str
    beta: float
    lambdas: tuple[float, ...]  # λmin, λmax
    alphas: np.ndarray
    factors: np.ndarray  # shape (len(lambdas), len(alphas))
    alpha: float  # the run's α now
    at_alpha: tuple[float, ...]  # each direction's factor at the run's α
    gd_limit: float  # 2/λmax: plain descent diverges past it
    limit: float  # where the slowest factor reaches 1 for this optimizer (2(1+β)/λmax…)

    @property
    def rate(self) -> float:
        """The run's per-step factor: the worst direction's."""
        return max(self.at_alpha)


def own_limit(optimizer: str, lambda_max: float, beta: float) -> float:
    """The largest α at which every direction still shrinks: 2/λmax for gd, 2(1+β)/λmax for
    momentum, 2(1+β)/((1+2β)·λmax) for nesterov (where a root reaches −1)."""
    if optimizer == "gd":
        return 2.0 / lambda_max
    if optimizer == "momentum":
        return 2.0 * (1.0 + beta) / lambda_max
    return 2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * lambda_max)


def convergence_picture(lambdas, optimizer: str, alpha: float, beta: float = 0.0,
                        points: int = 240) -> ConvergencePicture:
    """The per-step factor of each eigen-direction over α from 0 to past the limit.

    The grid runs to 1.25 × the optimizer's limit, or further to show the run's α.
    """
    lams = tuple(float(v) for v in sorted(lambdas))
    top = max(lams)
    limit = own_limit(optimizer, top, beta)
    end = max(1.25 * max(limit, 2.0 / top), 1.1 * alpha)
    alphas = np.linspace(0.0, end, points)
    factors = np.vstack([per_step_factor(optimizer, lam, alphas, beta) for lam in lams])
    at = tuple(float(per_step_factor(optimizer, lam, alpha, beta)) for lam in lams)
    return ConvergencePicture(optimizer, float(beta), lams, alphas, factors, float(alpha), at,
                              2.0 / top, limit)
