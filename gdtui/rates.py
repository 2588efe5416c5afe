"""Which learning rates are too small, just right or too large: one stated rule.

For plain, full-batch gradient descent on the quadratic J, each step multiplies
the error along the Hessian's eigen-direction i by (1 − αλᵢ). With the best
constant rate B = 2/(λmin + λmax) and the stable limit L = 2/λmax:

* α > L: |1 − αλmax| > 1, the error grows every step: **too large (diverges)**;
  at α = L exactly it bounces for ever without settling (also too large).
* α ≤ B/2: **too small** (the slowest direction shrinks at most half as fast per
  step as at B: about twice the steps or more).
* B/2 < α ≤ (B + L)/2: **just right** (within about twice the steps of B).
* (B + L)/2 < α < L: **oscillates but converges**: the steepest direction
  overshoots the bottom every step, 1 − αλmax is close to −1, and that slow
  bounce sets the pace.

Labels come from α and the data alone, never from a panel's place. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from gdtui.engine.quadratic import Stability

TOO_SMALL, JUST_RIGHT, OSCILLATES, TOO_LARGE = (
    "too small", "just right", "oscillates but converges", "too large")
SHORT = {TOO_SMALL: "too small", JUST_RIGHT: "just right", OSCILLATES: "oscillates",
         TOO_LARGE: "too large"}
"""Names that fit a narrow panel's title."""

RULE = ("too small ≤ best/2 < just right ≤ (best+limit)/2 < oscillates but converges < "
        "limit < too large")
"""The rule in one line, as the comparison states it (best = 2/(λmin+λmax), limit = 2/λmax)."""


@dataclass(frozen=True)
class RateClass:
    """A rate's place against the data's limits."""

    kind: str  # one of TOO_SMALL, JUST_RIGHT, OSCILLATES, TOO_LARGE
    detail: str = ""  # "diverges" or "never settles" for a rate at or past the limit

    @property
    def label(self) -> str:
        """``too large (diverges)``, ``just right``…"""
        return f"{self.kind} ({self.detail})" if self.detail else self.kind

    @property
    def short(self) -> str:
        """A name that fits a narrow panel."""
        return SHORT[self.kind]


def classify_rate(stability: Stability, lr: float) -> RateClass:
    """Where ``lr`` falls for plain full-batch descent on a bowl with these eigenvalues.

    Parameters
    ----------
    stability : Stability
        λmin and λmax of the Hessian of J in the units the run uses.
    lr : float
        The constant learning rate α.

    Returns
    -------
    RateClass
        The label, by the rule in this module's docstring.
    """
    best, limit = stability.best_lr, stability.max_stable_lr
    if lr == limit:
        return RateClass(TOO_LARGE, "never settles")
    if lr > limit:
        return RateClass(TOO_LARGE, "diverges")
    if lr <= best / 2:
        return RateClass(TOO_SMALL)
    if lr <= (best + limit) / 2:
        return RateClass(JUST_RIGHT)
    return RateClass(OSCILLATES)


def seed_rates(stability: Stability) -> tuple[float, float, float]:
    """The seed article's three: too small (best/10), just right (best), too large (1.1·limit)."""
    best = stability.best_lr
    return best / 10.0, best, 1.1 * stability.max_stable_lr


def oscillating_rate(stability: Stability) -> float:
    """A rate that overshoots every step but converges: three quarters of the way from best
    to the limit 2/λmax."""
    best, limit = stability.best_lr, stability.max_stable_lr
    return limit - (limit - best) / 4.0
