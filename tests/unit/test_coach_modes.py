"""The coach in every batch mode: noise floors, theory's estimates, advice fit for the case."""

import re

import numpy as np
import pytest

from gdtui.app.words import advice_in_keys
from gdtui.coach import is_stalled, noise_floor, progress, verdict
from gdtui.data import load_dataset
from gdtui.engine import DescentEngine, Status, target_excess
from gdtui.fit import advice_in_flags

NEGATIVE_PERCENT = re.compile(r"[−-]\s*\d[\d.,e+−-]*\s*%")


def bundled(name: str, **settings) -> DescentEngine:
    data = load_dataset(name)
    return DescentEngine(data.x, data.y, **settings)


def run_until_stalled(engine: DescentEngine, limit: int = 20_000) -> None:
    while not is_stalled(engine) and not engine.status.finished and engine.iteration < limit:
        engine.step()
    assert is_stalled(engine), "the run never stalled"


def steps_to_target(engine: DescentEngine, limit: int) -> int:
    j_star = engine.closed_form.cost
    target = target_excess(j_star)
    while engine.snapshot().cost - j_star > target and engine.iteration < limit:
        engine.step()
    assert engine.iteration < limit
    return engine.iteration


@pytest.mark.parametrize("batch_size", [1, 10])
def test_a_mini_batch_run_at_its_noise_floor_is_told_so_and_never_to_raise_alpha(batch_size):
    # `b b space` (stochastic) or `b space` (mini-batch) on the default data.
    e = bundled("heights-weights", batch_size=batch_size)
    run_until_stalled(e)
    v = verdict(e, stalled=True)
    assert v.kind == "noise floor"
    assert ("learning_rate", "raise") not in [(a.setting, a.change) for a in v.advice]
    assert [(a.setting, a.change) for a in v.advice] == [
        ("learning_rate", "lower"), ("schedule", "decay"), ("batch_size", "full")]
    # The numbers it quotes are the run's own: the median of J − J* over the last 100 steps.
    rows = e.history.rows[-101:]
    excess = rows[:, 3] - e.closed_form.cost
    median, low, high = noise_floor(e)
    assert median == pytest.approx(np.median(excess)) and low == excess.min()
    assert low <= median <= high and high > 1.5 * low
    for line in (v.render(advice_in_keys), v.render(advice_in_flags)):
        assert not NEGATIVE_PERCENT.search(line)
        assert "raise" not in line and "larger --lr" not in line
    assert "lower α with -" in v.render(advice_in_keys)
    assert "--batch-size 0" in v.render(advice_in_flags)


def test_a_decaying_schedule_is_not_suggested_when_it_is_already_on():
    e = bundled("heights-weights", batch_size=1, schedule="inverse", max_iter=3000)
    e.run(3000)
    v = verdict(e, stalled=noise_floor(e) is not None)
    assert ("schedule", "decay") not in [(a.setting, a.change) for a in v.advice]


def test_standardize_is_never_suggested_when_it_is_on():
    for batch_size in (0, 1):
        e = bundled("noisy-linear", batch_size=batch_size, learning_rate=1e-4, max_iter=400,
                    tol=0)
        e.run(400)
        assert e.standardize and e.status is Status.MAX_ITER
        assert "standardize" not in [a.setting for a in verdict(e).advice]


def test_full_batch_estimate_comes_from_theory_and_a_continued_run_agrees():
    # noisy-linear in raw units: κ ≈ 8.6, and α = 0.0002 makes the slow direction crawl
    # (|1 − αλmin| ≈ 0.9996): tens of thousands of steps, which the test can take.
    e = bundled("noisy-linear", standardize=False, learning_rate=0.0002, tol=0,
                max_iter=200_000)
    e.run(300)
    run_until_stalled(e)
    p = progress(e)
    assert p.theory and p.steps_left > 1000
    stab = e.stability()
    rho = max(abs(1 - 0.0002 * stab.lambda_min), abs(1 - 0.0002 * stab.lambda_max))
    assert p.rate == pytest.approx(rho**2)
    line = verdict(e, stalled=True).render(advice_in_keys)
    assert f"about {p.steps_left:,.0f} more steps" in line and "λmin" in line
    assert "raise α with +" in line  # α is far under the best rate 2/(λmin+λmax)
    start = e.iteration
    actual = steps_to_target(e, 200_000) - start
    assert actual == pytest.approx(p.steps_left, rel=0.10)
    assert abs(actual - p.steps_left) <= 2  # theory is exact for plain full-batch descent


def test_estimates_at_two_moments_of_one_crawl_agree():
    # The case: the default data in raw units, κ ≈ 1e7; the estimate made early and
    # the one made later must name the same finishing step.
    e = bundled("heights-weights", standardize=False, learning_rate=3e-5, tol=0,
                max_iter=10**9)
    e.run(102)
    early = e.iteration + progress(e).steps_left
    e.run(2898)
    late = e.iteration + progress(e).steps_left
    assert late == pytest.approx(early, rel=1e-3)
    line = verdict(e, stalled=True).render(advice_in_keys)
    assert line.endswith("Try: standardize x with z (κ falls from 1.08e+07 to 1).")


def test_a_rate_past_the_best_is_told_to_come_down_not_up():
    # Just under 2/λmax the steep direction bounces for ever: |1 − αλmax| ≈ 1.
    e = bundled("noisy-linear", standardize=False, tol=0, max_iter=300)
    limit = e.stability().max_stable_lr
    e.set_learning_rate(limit * 0.99999)
    e.run(300)
    v = verdict(e)
    assert v.kind == "out of steps"
    assert [(a.setting, a.change) for a in v.advice] == [("learning_rate", "lower")]


def test_a_crawl_in_raw_units_gets_both_ways_out_and_the_estimate_is_exact():
    # Fisher's iris petals in data units (κ ≈ 105) at a rate far under best/2.
    e = bundled("iris-petals", standardize=False, learning_rate=0.001, tol=0,
                max_iter=100_000)
    e.run(300)
    assert is_stalled(e)
    v = verdict(e)
    assert [(a.setting, a.change) for a in v.advice] == [("standardize", "on"),
                                                         ("learning_rate", "raise")]
    line = v.render(advice_in_keys)
    assert "standardize x with z (κ falls from 105 to 1); or raise α with +" in line
    estimate = progress(e).steps_left
    assert steps_to_target(e, 100_000) - 300 == estimate
