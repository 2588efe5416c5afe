"""The coach's verdicts, and its estimates checked against runs of the engine."""

import numpy as np
import pytest

from gdtui.app import make_app
from gdtui.app.widgets.readout_panes import MathPane
from gdtui.app.words import advice_in_keys
from gdtui.cli import build_parser, setup_from_args
from gdtui.coach import TARGET, is_stalled, progress, target_excess, verdict
from gdtui.engine import DescentEngine, Status
from gdtui.run import make_engine
from tests.conftest import wait_until


def engine_for(*args, **overrides):
    setup = setup_from_args(build_parser().parse_args(list(args)))
    return make_engine(setup) if not overrides else DescentEngine(
        setup.dataset.x, setup.dataset.y, **overrides)


def steps_to_target(engine: DescentEngine, limit: int) -> int:
    target = target_excess(engine.closed_form.cost)
    j_star = engine.closed_form.cost
    while engine.snapshot().cost - j_star > target and engine.iteration < limit:
        engine.step()
    return engine.iteration


def test_converged_verdict_quotes_the_steps():
    e = engine_for()
    e.run(10_000)
    # The test the engine applies, recomputed from the data: the gradient in standardized
    # units of x, divided by σy.
    x, y = e.x, e.y
    snap = e.snapshot()
    z = (x - x.mean()) / x.std()
    r = y - (snap.m * x + snap.b)
    size = np.hypot(-2 * np.mean(z * r), -2 * np.mean(r)) / y.std()
    assert size < 1e-8
    expected = (f"Converged after {e.iteration:,} steps: the gradient's size ‖∇J‖/σy "
                f"(standardized units) is {size:.2g}, under the tolerance 1e-08.")
    assert verdict(e).text == expected


def test_diverged_verdict_names_the_stable_limit():
    e = engine_for("heights-weights", "--standardize", "--lr", "1.5")
    e.run(1000)
    line = verdict(e).render(advice_in_keys)
    assert line.startswith("Diverged") and "2/λmax = 1" in line
    # One numbering: the update into iteration k is step k; the screen shows iteration k − 1.
    assert (f"update into iteration {e.iteration + 1} would blow the cost up, so iteration "
            f"{e.iteration} is the last kept") in line


def test_out_of_steps_estimate_matches_the_continued_run():
    e = engine_for("--lr", "0.002", "--iterations", "400")
    e.run(1000)
    assert e.status is Status.MAX_ITER
    estimate = progress(e).steps_left
    line = verdict(e).render(advice_in_keys)
    assert line.startswith("Out of steps: 400 iterations used")
    assert f"{estimate:,.0f} more steps" in line
    e.set_max_iter(100_000)
    actual = steps_to_target(e, 100_000) - 400
    assert actual == pytest.approx(estimate, rel=0.05)


def test_a_vanishing_rate_is_never_rather_than_a_crash():
    """--lr 1e-320 (found by the argument fuzzer): each step shrinks J − J* by a factor that
    rounds to 1, so the forecast has no finite step count and the coach says 'never'."""
    e = engine_for("heights-weights", "--standardize", "on", "--lr", "1e-320", "--iterations", "50")
    e.run(100)
    assert progress(e).steps_left == float("inf")
    assert "never" in verdict(e).render(advice_in_keys)


def test_stall_is_detected_with_an_estimate_that_a_run_confirms():
    # A moderately ill-conditioned unscaled problem: slow enough to stall, fast enough to check.
    rng = np.random.default_rng(2)
    x = rng.uniform(20, 30, 80)
    y = 1.5 * x - 4 + rng.normal(0, 1, 80)
    e = DescentEngine(x, y, standardize=False, max_iter=2_000_000, tol=0)
    e.set_learning_rate(e.stability().best_lr)
    e.run(3000)
    assert is_stalled(e)
    p = progress(e)
    assert p.per_step < 1e-3 and p.steps_left > 0
    line = verdict(e).render(advice_in_keys)
    assert line.startswith("Stalled at iteration 3,000") and "standardize x with z" in line
    actual = steps_to_target(e, 2_000_000) - 3000
    assert actual == pytest.approx(p.steps_left, rel=0.05)


def test_a_healthy_run_is_not_stalled():
    e = engine_for("--tol", "0")
    e.run(50)
    assert not is_stalled(e)
    assert verdict(e).text == ""
    assert TARGET == 1e-6


async def run_until_stopped(app, pilot) -> None:
    await pilot.press("space")
    await wait_until(pilot, lambda: not app.main_screen.running)


async def test_app_stops_a_stalled_run_and_says_why_then_goes_on():
    app = make_app(setup_from_args(build_parser().parse_args(
        ["house-prices", "--no-standardize", "--lr", "1.9e-7", "--iterations", "100000"])))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*["right_square_bracket"] * 7)
        await run_until_stopped(app, pilot)
        assert not app.main_screen.running and app.main_screen.stalled
        text = app.query_one(MathPane).text
        assert "Stalled at iteration" in text and "standardize x with z" in text
        stopped_at = app.main_screen.engine.iteration
        await pilot.press("space")
        await pilot.pause(0.3)
        assert app.main_screen.running and app.main_screen.engine.iteration > stopped_at
        await pilot.press("space")
        await pilot.press("z", "r")
        assert not app.main_screen.stalled and not app.main_screen.stall_acknowledged


async def test_app_shows_the_converged_verdict():
    app = make_app(setup_from_args(build_parser().parse_args(["heights-weights"])))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*["right_square_bracket"] * 6)
        await run_until_stopped(app, pilot)
        assert "Converged after 95 steps" in app.query_one(MathPane).text
