"""The coach: one line on why a run stopped, with estimates computed from the run itself.

Pure (no Textual): the app, ``gdtui fit`` and the tour share it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gdtui.engine import COL, DescentEngine, Status
from gdtui.engine.target import TARGET, TARGET_PHRASE, target_excess
from gdtui.formulas import num

__all__ = ["Advice", "Progress", "TARGET", "Verdict", "is_stalled", "progress", "target_excess",
           "verdict"]

STALL_PROGRESS = 1e-3
"""A run is stalled when J − J* shrinks by less than this fraction per step."""
STALL_WINDOW = 100
"""Steps over which the rate of progress is measured."""


@dataclass(frozen=True)
class Advice:
    """One change the coach suggests: which setting, which way, and why in numbers.

    ``setting`` is ``learning_rate`` (change ``lower`` or ``raise``), ``standardize``
    (``on``), ``schedule`` (``decay``), ``batch_size`` (``full``) or ``run`` (``reset``).
    The app says it with its keys, ``gdtui fit`` with its flags.
    """

    setting: str
    change: str
    why: str = ""


@dataclass(frozen=True)
class Verdict:
    """The coach's word on a run: what happened (``text``) and what to change (``advice``)."""

    kind: str
    text: str
    advice: tuple[Advice, ...] = ()

    def render(self, say) -> str:
        """The whole line, each piece of advice written by ``say(advice)``."""
        if not self.advice:
            return self.text
        tries = ", or ".join(say(a) + (f" ({a.why})" if a.why else "") for a in self.advice)
        return f"{self.text} Try: {tries}."

    def __bool__(self) -> bool:
        return bool(self.text)


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
    floor = target_excess(j_star)
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
    return (p is not None and p.excess > target_excess(engine.closed_form.cost)
            and p.per_step < STALL_PROGRESS)


def _advice(engine: DescentEngine) -> tuple[Advice, ...]:
    """What would speed up a run that crawls, for the case at hand."""
    stability = engine.stability()
    if not engine.standardize and engine.stability(True).condition_number < \
            stability.condition_number / 10:
        return (Advice("standardize", "on",
                       f"κ falls from {num(stability.condition_number, 1)} to "
                       f"{num(engine.stability(True).condition_number, 1)}"),)
    if engine.batch_size:
        # Noisy gradients: a larger α makes the noise worse; shrink the steps or the noise.
        return (Advice("schedule", "decay", "smaller steps as the run goes damp the noise"),
                Advice("batch_size", "full", "the exact gradient has no noise"))
    if engine.optimizer == "gd":
        return (Advice("learning_rate", "raise",
                       f"towards the best rate 2/(λmin+λmax) = {num(stability.best_lr)}, "
                       f"limit 2/λmax = {num(stability.max_stable_lr)}"),)
    return (Advice("learning_rate", "raise"),)


def _steps_phrase(steps: float | None) -> str:
    if steps is None or not math.isfinite(steps):
        return "it would never get there at this rate"
    return f"about {num(steps, 2) if steps >= 1e6 else f'{steps:,.0f}'} more steps"


def verdict(engine: DescentEngine, stalled: bool = False) -> Verdict:
    """Why the run stopped (or is stalled), with its own numbers and what to change."""
    status = engine.status
    n = engine.iteration
    if status is Status.CONVERGED:
        return Verdict("converged",
                       f"Converged after {n:,} steps: the gradient fell under {engine.tol:g}.")
    if status is Status.DIVERGED:
        return Verdict("diverged", f"Diverged: {engine.reason}.",
                       (Advice("learning_rate", "lower"), Advice("run", "reset")))
    p = progress(engine)
    if stalled or (status is not Status.MAX_ITER and is_stalled(engine)):
        rate = f"{100 * p.per_step:.3g} %" if p else "almost nothing"
        return Verdict("stalled", f"Stalled at step {n:,}: each step removes {rate} of J − J*; "
                                  f"{_steps_phrase(p.steps_left if p else None)} to come "
                                  f"{TARGET_PHRASE}.", _advice(engine))
    if status is Status.MAX_ITER:
        text = (f"Out of steps: {n:,} iterations used, J − J* = "
                f"{num(max(engine.snapshot().excess_cost, 0.0))}")
        advice: tuple[Advice, ...] = ()
        if p is not None and p.excess > target_excess(engine.closed_form.cost):
            text += f"; {_steps_phrase(p.steps_left)} to come {TARGET_PHRASE}"
            if p.steps_left is None or p.steps_left > 10 * max(n, 1):
                advice = _advice(engine)
        return Verdict("out of steps", text + ".", advice)
    return Verdict("", "")
