"""The coach: one line on why a run stopped, with estimates computed from the run itself.

Pure (no Textual): the app, ``gdtui fit`` and the tour share it.

Estimates come from theory where theory is exact (plain, full-batch descent at a
constant rate: :mod:`gdtui.engine.theory`), and from the run's own recent history
otherwise. A mini-batch or stochastic run that has stopped getting closer while J
keeps jumping up and down is at its noise floor, which a larger α only raises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gdtui.engine import COL, DescentEngine, Status
from gdtui.engine.target import TARGET, TARGET_PHRASE, target_excess
from gdtui.engine.theory import GdForecast, contraction, gd_forecast
from gdtui.formulas import num
from gdtui.i18n import iterations_phrase, steps_phrase
from gdtui.i18n import text as say_in
from gdtui.rates import OSCILLATES, TOO_SMALL, classify_rate

__all__ = ["Advice", "Progress", "TARGET", "Verdict", "forecast", "is_stalled", "noise_floor",
           "plural", "progress", "target_excess", "verdict"]

STALL_PROGRESS = 1e-3
"""A run is stalled when J − J* shrinks by less than this fraction per step."""
STALL_WINDOW = 100
"""Steps over which the rate of progress is measured."""
NOISY_UPS = 0.2
"""A mini-batch run whose J rose on at least this fraction of the window's steps is noisy."""


def plural(n: int, noun: str = "step") -> str:
    """``1 step``, ``2 steps``, ``1,000 steps``."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


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

    def render(self, say, language: str = "en") -> str:
        """The whole line, each piece of advice written by ``say(advice)``."""
        if not self.advice:
            return self.text
        if language == "zh":
            tries = [say(a) + (f"（{a.why}）" if a.why else "") for a in self.advice]
            if len(tries) > 1:
                tries[-1] = "或" + tries[-1]
            return f"{self.text}可以试试：{'；'.join(tries)}。"
        tries = [say(a) + (f" ({a.why})" if a.why else "") for a in self.advice]
        if len(tries) > 1:
            tries[-1] = "or " + tries[-1]
        return f"{self.text} Try: {'; '.join(tries)}."

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True)
class Progress:
    """How fast J − J* shrinks, and how many steps remain to the target.

    ``rate`` is the per-step ratio of J − J* (below 1 means progress): for plain
    full-batch descent at a constant rate the asymptotic ρ² of theory, otherwise
    the ratio observed over the last steps. ``theory`` says which.
    """

    rate: float
    excess: float  # J − J* now
    steps_left: float | None  # steps still needed to come within TARGET of J*
    theory: bool = False

    @property
    def per_step(self) -> float:
        """Fraction of J − J* removed per step (0 when J − J* does not shrink)."""
        return max(1.0 - self.rate, 0.0)


def forecast(engine: DescentEngine) -> GdForecast | None:
    """Theory's forecast for the live run, when it is plain full-batch descent at a constant α."""
    if engine.optimizer != "gd" or engine.batch_size or engine.schedule != "constant":
        return None
    if engine.loss != "mse":  # the theory is the quadratic's: MSE only
        return None
    snap = engine.snapshot()
    return gd_forecast(engine.model(snap.standardized), snap.p, snap.q, engine.learning_rate)


def _window(engine: DescentEngine, window: int):
    """(iterations, J − J*) of the rows of the last ``window`` iterations, or None if too few."""
    rows = engine.history.rows
    if len(rows) < 2:
        return None
    its = rows[:, COL["iteration"]]
    now = int(its[-1])
    first = int(np.searchsorted(its, now - window, side="left"))
    if now - int(its[first]) < min(window, 20):
        return None
    return its[first:], rows[first:, COL["cost"]] - engine.closed_form.cost


def observed_rate(engine: DescentEngine, window: int = STALL_WINDOW) -> float | None:
    """Per-step ratio of J − J* over the last ``window`` iterations (None if too few kept).

    Full batch: the geometric mean (E_now / E_then)^(1/Δt). Mini-batch: the slope of a
    least-squares line through log E, so that one lucky or unlucky step does not decide.
    """
    got = _window(engine, window)
    if got is None:
        return None
    its, excess = got
    floor = target_excess(engine.closed_form.cost) * 1e-6
    logs = np.log(np.maximum(excess, floor))
    if engine.batch_size:
        slope = np.polyfit(its, logs, 1)[0]
        return float(math.exp(slope))
    return float(math.exp((logs[-1] - logs[0]) / (its[-1] - its[0])))


def progress(engine: DescentEngine, window: int = STALL_WINDOW) -> Progress | None:
    """How fast the live run closes in on J*, and how many steps it still needs."""
    j_star = engine.closed_form.cost
    target = target_excess(j_star)
    excess = engine.snapshot().cost - j_star
    if excess <= target:
        return Progress(rate=0.0, excess=max(excess, 0.0), steps_left=0.0)
    theory = forecast(engine)
    if theory is not None:
        rho = contraction(engine.stability(), engine.learning_rate)
        return Progress(rate=rho * rho, excess=excess, steps_left=theory.steps_to(target),
                        theory=True)
    rate = observed_rate(engine, window)
    if rate is None:
        return None
    steps_left = math.log(target / excess) / math.log(rate) if 0 < rate < 1 else None
    return Progress(rate=rate, excess=excess, steps_left=steps_left)


def _crawling(engine: DescentEngine) -> bool:
    """The live run is short of the target and removed under STALL_PROGRESS a step lately."""
    if engine.snapshot().cost - engine.closed_form.cost <= target_excess(engine.closed_form.cost):
        return False
    rate = observed_rate(engine)
    return rate is not None and 1.0 - rate < STALL_PROGRESS


def noise_floor(engine: DescentEngine,
                window: int = STALL_WINDOW) -> tuple[float, float, float] | None:
    """(median, lowest, highest) J − J* over the window of a mini-batch run at its noise floor.

    At the floor J − J* no longer shrinks on average and J rises on many steps
    (at least NOISY_UPS of them): each step follows a noisy estimate of the gradient.
    """
    if not engine.batch_size or not _crawling(engine):
        return None
    its, excess = _window(engine, window)
    ups = float(np.mean(np.diff(excess) > 0))
    if ups < NOISY_UPS:
        return None
    return float(np.median(excess)), float(excess.min()), float(excess.max())


def is_stalled(engine: DescentEngine) -> bool:
    """True when the live run still moves but removes under STALL_PROGRESS of J − J* a step.

    A mini-batch run at its noise floor counts as stalled too (:func:`noise_floor`).
    """
    return not engine.status.finished and _crawling(engine)


def _factor(rho: float) -> str:
    """A factor close to 1 with enough digits to differ from 1."""
    if rho >= 1.0 or rho <= 0.0:
        return num(rho, 3)
    digits = max(3, math.ceil(-math.log10(max(1.0 - rho, 1e-15))) + 2)
    return f"{rho:.{digits}f}"


def _percent(fraction: float) -> str:
    return f"{100 * fraction:.2g} %" if fraction >= 1e-4 else f"{100 * fraction:.2e} %"


def _advice(engine: DescentEngine, noisy: bool = False, lang: str = "en") -> tuple[Advice, ...]:
    """What would help a run that crawls, for the case at hand; nothing that is already on."""
    if noisy:
        # Smaller steps jump less far from the bottom; the exact gradient has no noise.
        out = [Advice("learning_rate", "lower")]
        if engine.schedule == "constant":
            out.append(Advice("schedule", "decay"))
        out.append(Advice("batch_size", "full"))
        return tuple(out)
    stability = engine.stability()
    out: list[Advice] = []
    if not engine.standardize and engine.stability(True).condition_number < \
            stability.condition_number / 10:
        out.append(Advice("standardize", "on", say_in(
            "coach.kappa", lang, raw=f"{stability.condition_number:.3g}",
            std=f"{engine.stability(True).condition_number:.3g}")))
    # The rates are judged by the loss's own curvature: MSE's bowl, or the Hessian at the
    # optimum for Huber and cross-entropy (MAE, with none, never reaches here).
    rated = engine.rate_stability() if engine.loss != "mse" else stability
    if rated is None:
        return tuple(out)
    lr, best, limit = engine.learning_rate, rated.best_lr, rated.max_stable_lr
    limits = say_in("coach.limits" if rated is stability else "coach.limits_near", lang,
                    best=num(best), limit=num(limit))
    if engine.optimizer == "gd" and not engine.batch_size:
        # The comparison's rule: too small → raise, oscillates → lower; just right → leave α.
        kind = classify_rate(rated, lr).kind
        if kind == TOO_SMALL:
            out.append(Advice("learning_rate", "raise", limits))
        elif kind == OSCILLATES:
            out.append(Advice("learning_rate", "lower", limits))
        return tuple(out)
    if out:
        return tuple(out)
    if engine.optimizer in ("momentum", "nesterov"):
        # Heavy ball at β = 0.9 is stable up to 2(1 + β)/λmax: under 1/λmax, a larger α helps.
        return (Advice("learning_rate", "raise"),) if lr < limit / 2 else ()
    return (Advice("learning_rate", "raise"),)


def _steps_phrase(steps: float | None, lang: str = "en") -> str:
    if steps is None or not math.isfinite(steps):
        return say_in("coach.never", lang, target=TARGET_PHRASE)
    amount = num(steps, 2) if steps >= 1e6 else f"{steps:,.0f}"
    key = "coach.more_one" if amount == "1" else "coach.more"
    return say_in(key, lang, amount=amount, target=TARGET_PHRASE)


def _pace(engine: DescentEngine, p: Progress | None, lang: str = "en") -> str:
    """How fast J − J* shrinks now, in words and numbers."""
    if p is None:
        return say_in("coach.pace_unknown", lang)
    if p.theory:
        stab = engine.stability()
        lr = engine.learning_rate
        slow_lambda = stab.lambda_min if abs(1 - lr * stab.lambda_min) >= \
            abs(1 - lr * stab.lambda_max) else stab.lambda_max
        which = "λmin" if slow_lambda == stab.lambda_min else "λmax"
        rho = contraction(stab, lr)
        return say_in("coach.pace_theory", lang, which=which, rho=_factor(rho),
                      value=num(slow_lambda))
    if p.rate >= 1.0:
        return say_in("coach.pace_none", lang)
    return say_in("coach.pace", lang, percent=_percent(p.per_step))


def _diverged(engine: DescentEngine, lang: str) -> str:
    if lang == "en":
        return f"Diverged: {engine.reason}."
    lr = engine.next_learning_rate
    limit = engine.stability().max_stable_lr
    over = engine.optimizer == "gd" and not engine.batch_size and lr > limit
    return say_in("coach.diverged_limit" if over else "coach.diverged", lang,
                  iteration=f"{engine.iteration:,}", lr=f"{lr:.4g}", limit=f"{limit:.4g}")


def _kinks(engine: DescentEngine, out_of_steps: bool, lang: str) -> Verdict:
    """Full-batch MAE that stopped closing in: a constant α ends oscillating about the optimum
    (the subgradient keeps its size there), a decaying one closes in but never meets tol."""
    n = engine.iteration
    head = (say_in("coach.kinks_out", lang, iterations=iterations_phrase(n, lang))
            if out_of_steps else say_in("coach.kinks_head", lang, step=f"{n:,}"))
    excess = max(engine.snapshot().excess_cost, 0.0)
    if engine.schedule != "constant":
        return Verdict("closing in", say_in("coach.kinks_decaying", lang, head=head,
                                            schedule=engine.schedule, excess=num(excess)))
    got = _window(engine, STALL_WINDOW)
    low, high = (float(got[1].min()), float(got[1].max())) if got else (excess, excess)
    text = say_in("coach.kinks", lang, head=head, grad=f"{engine.gradient_norm():.3g}",
                  lr=num(engine.learning_rate), low=f"{max(low, 0.0):.3g}",
                  high=f"{max(high, 0.0):.3g}", window=STALL_WINDOW)
    return Verdict("oscillating", text, (Advice("schedule", "decay",
                                                say_in("coach.decay_why", lang)),
                                         Advice("learning_rate", "lower")))


def verdict(engine: DescentEngine, stalled: bool = False, language: str = "en") -> Verdict:
    """Why the run stopped (or is stalled), with its own numbers and what to change."""
    lang = language
    status = engine.status
    n = engine.iteration
    if status is Status.CONVERGED:
        return Verdict("converged", say_in(
            "coach.converged", lang, steps=steps_phrase(n, lang),
            symbol=getattr(engine, "gradient_symbol", "‖∇J‖/σy"),
            size=f"{engine.gradient_norm():.2g}", tol=f"{engine.tol:g}"))
    if status is Status.DIVERGED:
        return Verdict("diverged", _diverged(engine, lang),
                       (Advice("learning_rate", "lower"), Advice("run", "reset")))
    if engine.loss == "mae" and not engine.batch_size and (
            stalled or status is Status.MAX_ITER or is_stalled(engine)):
        return _kinks(engine, status is Status.MAX_ITER, lang)
    if stalled or (status is not Status.MAX_ITER and is_stalled(engine)):
        floor = noise_floor(engine)
        if floor is not None:
            median, low, high = floor
            k = engine.batch_size
            what = say_in("coach.one_point" if k == 1 else "coach.points", lang, k=k)
            return Verdict("noise floor", say_in(
                "coach.noise_floor", lang, step=f"{n:,}", what=what, n=f"{engine.n_points:,}",
                median=f"{median:.3g}", low=f"{low:.3g}", high=f"{high:.3g}",
                window=STALL_WINDOW), _advice(engine, noisy=True, lang=lang))
        p = progress(engine)
        return Verdict("stalled", say_in(
            "coach.stalled", lang, step=f"{n:,}", pace=_pace(engine, p, lang),
            left=_steps_phrase(p.steps_left if p else None, lang)), _advice(engine, lang=lang))
    if status is Status.MAX_ITER:
        p = progress(engine)
        text = say_in("coach.out_of_steps", lang, iterations=iterations_phrase(n, lang),
                      excess=num(max(engine.snapshot().excess_cost, 0.0)))
        advice: tuple[Advice, ...] = ()
        if p is not None and p.excess > target_excess(engine.closed_form.cost):
            text += say_in("coach.then", lang) + _steps_phrase(p.steps_left, lang)
            if noise_floor(engine) is not None:
                text += say_in("coach.at_floor", lang)
                advice = _advice(engine, noisy=True, lang=lang)
            elif p.steps_left is None or p.steps_left > 10 * max(n, 1):
                advice = _advice(engine, lang=lang)
        return Verdict("out of steps", text + say_in("coach.end", lang), advice)
    return Verdict("", "")
