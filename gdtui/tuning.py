"""A fair race: every runner gets its own constant learning rate by one stated, cheap rule.

The rule (:data:`RULE`): each optimizer takes the rate of the 1-2-5 grid
(…, 0.01, 0.02, 0.05, 0.1, …) that reaches the target (J − J* within 1e-6 of J*)
and stays there for :data:`SETTLE_STEPS` steps, in the fewest steps, probing each
rate for at most :data:`PROBE_STEPS` steps from the race's own start; plain descent
also tries its best constant rate from theory, 2/(λmin + λmax). Where no rate reaches
the target in the probe, the lowest J − J* at its end wins. A mini-batch or stochastic
runner never settles (its steps are noisy), so its probes are short,
:data:`NOISY_PROBE_STEPS`, and judged by the median J − J* of their last tenth.

The grid spans what can matter: for plain descent and momentum, three decades
under their stability limits (2/λmax, and 2(1 + β)/λmax for heavy-ball momentum; for a loss
other than MSE, λmax of its safe bound or of its Hessian at the optimum, whichever allows more);
for the adaptive optimizers, whose steps are about α long in the parameters,
from the distance to the optimum / PROBE_STEPS to ten times that distance.
Pure: no Textual; deterministic, so the same race is tuned the same way every time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gdtui.engine import DescentEngine, Status, target_excess
from gdtui.engine.hyper import OPTIMIZER_PARAMETERS

PROBE_STEPS = 3000
"""Most steps a probe of one rate takes to reach the target."""
NOISY_PROBE_STEPS = 300
"""Probe length for a mini-batch or stochastic runner (judged by where it hovers)."""
SETTLE_STEPS = 200
"""Steps a probe must then stay within the target (a lucky pass through it does not count)."""
RULE = ("each runner's α is the 1-2-5 grid value that reaches the target and stays there in the "
        f"fewest steps (probes of {PROBE_STEPS:,} steps; plain descent also tries 2/(λmin+λmax); "
        f"mini-batch runners: the lowest J − J* after {NOISY_PROBE_STEPS} steps)")
"""The rule in one line, as the race states it."""

MOMENTUM_BETA = OPTIMIZER_PARAMETERS["beta"]

RACE_OPTIMIZERS = ("gd", "momentum", "adagrad", "adam")
"""The race's default runners. RMSprop is left out: in data units on the default iris petals no
constant rate of the grid gets it to the target within 30,000 steps (its step size does not shrink
as the gradient does, so it hovers); ``--optimizers`` still races it."""


@dataclass(frozen=True)
class Tuned:
    """The rate a runner gets and what its probe found."""

    optimizer: str
    learning_rate: float
    steps: int | None  # steps to the target in the probe, None if it never got there
    tried: int  # how many rates were probed


def grid_125(low: float, high: float) -> list[float]:
    """Every 1-2-5 value (…, 0.1, 0.2, 0.5, 1, 2, 5, …) in [low, high], ascending."""
    if not (0 < low <= high and math.isfinite(high)):
        return []
    values = []
    for decade in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for mantissa in (1, 2, 5):
            value = float(f"{mantissa}e{decade}")
            if low <= value <= high:
                values.append(value)
    return values


def candidate_rates(engine: DescentEngine) -> list[float]:
    """The rates the rule probes for ``engine``'s optimizer (its own settings otherwise)."""
    stability = engine.stability()
    name = engine.optimizer
    # The curvature the grid spans: MSE's bowl; for the other losses the largest of the safe
    # bound and the limit near the optimum (MAE, with neither, takes MSE's as a scale).
    known = engine.stability_limit()
    limit = max(known.max_stable_lr or stability.max_stable_lr, known.local_lr or 0.0)
    near = engine.rate_stability()
    if name == "gd":
        best = (near or stability).best_lr
        return sorted({*grid_125(limit / 1000, limit), best})
    if name in ("momentum", "nesterov"):
        limit = (1 + MOMENTUM_BETA) * limit
        return grid_125(limit / 1000, limit)
    model = engine.model()
    p0, q0 = model.to_coordinates(*engine.start)
    p_star, q_star = model.optimum()
    distance = max(abs(p0 - p_star), abs(q0 - q_star), 1e-12)
    return grid_125(distance / PROBE_STEPS, 10 * distance)


def settled_at(history, j_star: float, settle: int = SETTLE_STEPS) -> int | None:
    """First iteration from which every later row is within the target of ``j_star``, if the
    history goes on for at least ``settle`` iterations after it; else None."""
    its = history.column("iteration")
    inside = (history.column("cost") - j_star) <= target_excess(j_star)
    if not inside.size or not inside[-1]:
        return None
    outside = np.flatnonzero(~inside)
    first = 0 if not outside.size else int(outside[-1]) + 1
    if its[-1] - its[first] < settle:
        return None
    return int(its[first])


def _probe(engine: DescentEngine, budget: int) -> tuple[int | None, float]:
    """(steps to the target for good or None, final J − J*) of ``engine`` run for ``budget``."""
    j_star = engine.closed_form.cost
    engine.run(budget)
    reached = None if engine.batch_size else settled_at(engine.history, j_star)
    excess = engine.snapshot().excess_cost
    if not math.isfinite(excess) or engine.status is Status.DIVERGED:
        excess = math.inf
    elif engine.batch_size:
        # A noisy run is judged by where it hovers, not by its last step.
        cost = engine.history.column("cost")
        excess = float(np.median(cost[-max(len(cost) // 10, 1):])) - j_star
    return reached, excess


def tune(make: Callable[[float], DescentEngine], probe_steps: int = PROBE_STEPS) -> Tuned:
    """The rate the rule gives the runner that ``make(rate)`` builds.

    Parameters
    ----------
    make : callable
        ``make(learning_rate)`` returns a fresh engine of the runner at that rate
        (its optimizer, data, start, batch size and schedule are the race's).
    probe_steps : int
        Most steps per probed rate.

    Returns
    -------
    Tuned
        The chosen rate, its steps to the target in the probe, and how many rates were tried.
    """
    first = make(1.0)
    rates = candidate_rates(first)
    if first.batch_size:
        probe_steps = min(probe_steps, NOISY_PROBE_STEPS)
    best: tuple | None = None  # (steps or inf, excess, -rate) — smaller is better
    chosen = rates[-1] if rates else first.learning_rate
    chosen_steps = None
    for rate in reversed(rates):  # large rates first: the fast ones bound the others' budget
        reach = probe_steps if best is None or best[0] == math.inf else int(best[0])
        budget = reach + (0 if first.batch_size else SETTLE_STEPS)
        engine = make(rate)
        engine.set_max_iter(max(budget, 1))
        engine.set_tol(0.0)
        reached, excess = _probe(engine, budget)
        key = (reached if reached is not None else math.inf, excess, -rate)
        if best is None or key < best:
            best, chosen, chosen_steps = key, rate, reached
    return Tuned(first.optimizer, chosen, chosen_steps, len(rates))


def race_key(like: DescentEngine) -> tuple:
    """What a race's tuned rates depend on: the data and every setting but the optimizer and α.

    Two races with equal keys get equal rates (the rule is deterministic), so a view may keep
    the rates of a key and open the same race again at once.
    """
    from gdtui.run import settings_of

    settings = settings_of(like)
    settings.pop("optimizer")
    settings.pop("learning_rate")
    return (like.stats, *sorted((k, repr(v)) for k, v in settings.items()))


def race_rates(setup, like: DescentEngine, names) -> dict[str, float]:
    """Each runner's rate by :data:`RULE`, from ``like``'s settings on ``setup``'s data.

    Slow (up to a few thousand steps per probed rate): a view runs it off its event loop.
    """
    from gdtui.run import make_engine

    rates = {}
    for name in names:
        tuned = tune(lambda rate, name=name: make_engine(setup, like=like, optimizer=name,
                                                         learning_rate=rate))
        rates[name] = tuned.learning_rate
    return rates


def race_engines(setup, like: DescentEngine, names,
                 rates: dict[str, float] | None = None) -> list[DescentEngine]:
    """The race's runners from ``like``'s settings: each at its tuned rate by :data:`RULE`
    (``rates``, when already tuned), or all at the rate the command line gave (``--lr``)."""
    from gdtui.run import make_engine

    if setup.learning_rate is not None:
        return [make_engine(setup, like=like, optimizer=name,
                            learning_rate=setup.learning_rate) for name in names]
    if rates is None:
        rates = race_rates(setup, like, names)
    return [make_engine(setup, like=like, optimizer=name, learning_rate=rates[name])
            for name in names]
