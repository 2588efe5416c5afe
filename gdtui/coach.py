"""The coach: one line on why a run stopped, with estimates computed from the run itself.

Pure (no Textual): the app, ``gdtui fit`` and the tour share it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gdtui.engine import COL, DescentEngine, Status
from gdtui.formulas import num

STALL_PROGRESS = 1e-3
"""A run is stalled when J − J* shrinks by less than this fraction per step."""
STALL_WINDOW = 100
"""Steps over which the rate of progress is measured."""
TARGET = 1e-6
"""'Close to the optimum' means J − J* ≤ TARGET·J*."""


@dataclass(frozen=True)
class Progress:
    """The observed rate of convergence over the last steps."""

    rate: float  # per-step ratio of J − J* (below 1 means progress)
    excess: float  # J − J* now
    steps_left: float | None  # steps still needed to come within TARGET of J*, at this rate

    @property
    def per_step(self) -> float:
        """Fraction of J − J* removed per step."""
        return 1.0 - self.rate


def target_excess(engine: DescentEngine) -> float:
    """The J − J* at which a run counts as having reached the optimum."""
    j_star = engine.closed_form.cost
    return TARGET * (j_star if j_star > 0 else 1.0)


def progress(engine: DescentEngine, window: int = STALL_WINDOW) -> Progress | None:
    """Rate of progress over the last ``window`` iterations, or None if too few were kept.

    The rate is the geometric mean ratio (E_now / E_then)^(1/Δt) of the excess cost
    E = J − J*, so that steps_left = log(E_target / E_now) / log(rate).
    """
    rows = engine.history.rows
    if len(rows) < 2:
        return None
    its = rows[:, COL["iteration"]]
    now = int(its[-1])
    then_index = int(np.searchsorted(its, now - window, side="left"))
    dt = now - int(its[then_index])
    if dt < min(window, 20):
        return None
    j_star = engine.closed_form.cost
    e_now = float(rows[-1, COL["cost"]]) - j_star
    e_then = float(rows[then_index, COL["cost"]]) - j_star
    floor = target_excess(engine)
    if e_now <= floor:
        return Progress(rate=0.0, excess=max(e_now, 0.0), steps_left=0.0)
    if e_then <= 0:
        return None
    rate = (e_now / e_then) ** (1.0 / dt)
    steps_left = None
    if 0 < rate < 1:
        steps_left = math.log(floor / e_now) / math.log(rate)
    return Progress(rate=rate, excess=e_now, steps_left=steps_left)


def is_stalled(engine: DescentEngine) -> bool:
    """True when the live run still moves but removes under STALL_PROGRESS of J − J* a step."""
    if engine.status.finished:
        return False
    p = progress(engine)
    return p is not None and p.excess > target_excess(engine) and p.per_step < STALL_PROGRESS


def _advice(engine: DescentEngine) -> str:
    stability = engine.stability()
    if not engine.standardize and engine.stability(True).condition_number < \
            stability.condition_number / 10:
        return (f"standardize x (z): κ falls from {num(stability.condition_number, 1)} to "
                f"{num(engine.stability(True).condition_number, 1)}")
    if engine.optimizer == "gd" and engine.batch_size == 0:
        return (f"raise α towards the best rate 2/(λmin+λmax) = {num(stability.best_lr)} "
                f"(limit 2/λmax = {num(stability.max_stable_lr)})")
    return "raise α, or standardize x (z)"


def _steps_phrase(steps: float | None) -> str:
    if steps is None or not math.isfinite(steps):
        return "it would never get there at this rate"
    return f"about {num(steps, 2) if steps >= 1e6 else f'{steps:,.0f}'} more steps"


def verdict(engine: DescentEngine, stalled: bool = False) -> str:
    """One line on why the run stopped (or is stalled), with its own numbers."""
    status = engine.status
    n = engine.iteration
    if status is Status.CONVERGED:
        return f"Converged after {n:,} steps: the gradient fell under {engine.tol:g}."
    if status is Status.DIVERGED:
        return f"Diverged: {engine.reason}. Lower α (-) or reset (r)."
    p = progress(engine)
    if stalled or (status is not Status.MAX_ITER and is_stalled(engine)):
        rate = f"{100 * p.per_step:.3g} %" if p else "almost nothing"
        return (f"Stalled at step {n:,}: each step removes {rate} of J − J*; "
                f"{_steps_phrase(p.steps_left if p else None)} to come within "
                f"{TARGET:g} of J*. Try: {_advice(engine)}.")
    if status is Status.MAX_ITER:
        tail = ""
        if p is not None and p.excess > target_excess(engine):
            tail = f"; {_steps_phrase(p.steps_left)} to come within {TARGET:g} of J*"
            if p.steps_left is None or p.steps_left > 10 * max(n, 1):
                tail += f". Try: {_advice(engine)}"
        return (f"Out of steps: {n:,} iterations used, J − J* = "
                f"{num(max(engine.snapshot().excess_cost, 0.0))}{tail}.")
    return ""
