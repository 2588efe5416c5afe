"""The descent engine against independent references."""

import math
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdtui.engine import (
    COL,
    OPTIMIZERS,
    SCHEDULES,
    DescentEngine,
    Status,
    SufficientStats,
    cost_direct,
    get_schedule,
    gradient_direct,
)
from gdtui.engine.history import History
from gdtui.errors import ConfigError, DataError
from tests.conftest import lstsq_line

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), m=finite, b=finite,
       n=st.integers(2, 50), scale=st.sampled_from([1e-2, 1.0, 1e2]))
def test_gradient_matches_finite_differences(seed, m, b, n, scale):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, scale, n)
    x[0] += scale  # never all equal
    y = rng.normal(0, 3, n)
    stats = SufficientStats.from_data(x, y)
    gm, gb = stats.model().gradient(m, b)
    h = 1e-5 * max(1.0, abs(m), abs(b))
    fd_m = (cost_direct(x, y, m + h, b) - cost_direct(x, y, m - h, b)) / (2 * h)
    fd_b = (cost_direct(x, y, m, b + h) - cost_direct(x, y, m, b - h)) / (2 * h)
    size = max(1.0, abs(fd_m), abs(fd_b))
    assert gm == pytest.approx(fd_m, rel=1e-5, abs=1e-6 * size)
    assert gb == pytest.approx(fd_b, rel=1e-5, abs=1e-6 * size)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), m=finite, b=finite, n=st.integers(2, 80))
def test_o1_cost_and_gradient_equal_direct_formula(seed, m, b, n):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-10, 10, n)
    x[0], x[-1] = -10.0, 10.0
    y = rng.normal(0, 5, n)
    stats = SufficientStats.from_data(x, y)
    assert stats.model().cost(m, b) == pytest.approx(cost_direct(x, y, m, b), rel=1e-10, abs=1e-12)
    gm, gb = stats.model().gradient(m, b)
    dm, db = gradient_direct(x, y, m, b)
    tol = 1e-9 * max(1.0, abs(dm), abs(db))
    assert gm == pytest.approx(dm, abs=tol)
    assert gb == pytest.approx(db, abs=tol)


def _exact_cost(x, y, m, b):
    """J(m, b) in exact rational arithmetic: the reference for cancellation."""
    total = Fraction(0)
    fm, fb = Fraction(m), Fraction(b)
    for xi, yi in zip(x.tolist(), y.tolist(), strict=True):
        r = Fraction(yi) - fm * Fraction(xi) - fb
        total += r * r
    return total / len(x)


def test_cost_accurate_near_optimum_with_large_mean_x():
    rng = np.random.default_rng(3)
    x = 1e6 + rng.uniform(0, 10, 200)
    y = 2.0 * (x - 1e6) + 1.0 + rng.normal(0, 0.5, 200)
    stats = SufficientStats.from_data(x, y)
    cf = stats.closed_form
    for dm, db in [(0.0, 0.0), (1e-9, 0.0), (0.0, 1e-3), (-3e-8, 2e-2)]:
        m, b = cf.m + dm, cf.b + db
        exact = float(_exact_cost(x, y, m, b))
        assert stats.model().cost(m, b) == pytest.approx(exact, rel=1e-9)
    # The raw-sum formula that the centred sums replace fails at this mean:
    n = len(x)
    sx, sy, sxx, sxy, syy = x.sum(), y.sum(), (x * x).sum(), (x * y).sum(), (y * y).sum()
    m, b = cf.m, cf.b
    raw = (syy - 2 * m * sxy - 2 * b * sy + m * m * sxx + 2 * m * b * sx + n * b * b) / n
    assert abs(raw - float(_exact_cost(x, y, m, b))) > 1e-3 * float(_exact_cost(x, y, m, b))


def test_closed_form_matches_lstsq(line_data):
    x, y = line_data
    cf = SufficientStats.from_data(x, y).closed_form
    m, b = lstsq_line(x, y)
    assert cf.m == pytest.approx(m, rel=1e-12)
    assert cf.b == pytest.approx(b, rel=1e-12)
    assert cf.cost == pytest.approx(cost_direct(x, y, m, b), rel=1e-12)


DATASETS = {
    "line": lambda rng: (rng.uniform(-4, 6, 60), None),
    "offset": lambda rng: (rng.normal(170, 9, 40), None),
    "wide": lambda rng: (rng.uniform(0, 1000, 300), None),
}


def _dataset(name):
    rng = np.random.default_rng(len(name))
    x, _ = DATASETS[name](rng)
    y = 0.8 * x - 12.0 + rng.normal(0, 0.1 * np.std(x) + 0.5, x.size)
    return x, y


# Adaptive optimizers move each parameter by about α per step whatever the gradient's size,
# so a sensible α for them is a fraction of the distance to travel (the scale of y).
SENSIBLE = {
    "gd": lambda s: {}, "momentum": lambda s: {}, "nesterov": lambda s: {},
    "adagrad": lambda s: {"learning_rate": 1.0 * s},
    "rmsprop": lambda s: {"schedule": "exponential", "learning_rate": 0.05 * s},
    "adam": lambda s: {"learning_rate": 0.1 * s, "schedule": "inverse"},
}


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_every_optimizer_reaches_lstsq(optimizer, name):
    x, y = _dataset(name)
    scale = max(np.std(y), abs(np.mean(y)))
    engine = DescentEngine(x, y, optimizer=optimizer, max_iter=200_000,
                           **SENSIBLE[optimizer](scale))
    engine.run(200_000)
    snap = engine.snapshot()
    m, b = lstsq_line(x, y)
    assert engine.status is Status.CONVERGED, engine.reason
    assert snap.m == pytest.approx(m, rel=1e-6)
    assert snap.b == pytest.approx(b, rel=1e-6, abs=1e-6 * np.std(y))


def test_default_settings_reach_lstsq_to_1e6(line_data):
    x, y = line_data
    engine = DescentEngine(x, y)
    engine.run(engine.max_iter)
    m, b = lstsq_line(x, y)
    assert engine.status is Status.CONVERGED
    assert engine.snapshot().m == pytest.approx(m, rel=1e-6)
    assert engine.snapshot().b == pytest.approx(b, rel=1e-6)


def test_tol_zero_runs_to_iteration_limit(line_data):
    engine = DescentEngine(*line_data, tol=0, max_iter=500)
    assert engine.run(10_000) is Status.MAX_ITER
    assert engine.iteration == 500


def test_unscaled_data_diverge_at_standardized_rate_with_finite_state():
    rng = np.random.default_rng(1)
    x = rng.uniform(600, 3500, 100)
    y = 0.15 * x + 40 + rng.normal(0, 30, 100)
    engine = DescentEngine(x, y, standardize=False, learning_rate=0.1)
    assert engine.run(1000) is Status.DIVERGED
    snap = engine.snapshot()
    values = [snap.m, snap.b, snap.cost, snap.grad_m, snap.grad_b, snap.learning_rate]
    assert all(math.isfinite(v) for v in values)
    assert np.isfinite(engine.history.rows).all()
    assert "2/λmax" in engine.reason
    # A diverged run does not move until a setting changes; lowering α recovers.
    iteration = engine.iteration
    assert engine.step() is Status.DIVERGED and engine.iteration == iteration
    engine.set_learning_rate(engine.stability().best_lr)
    assert engine.step() is Status.RUNNING


def test_too_large_rate_diverges_just_past_stable_limit(line_data):
    x, y = line_data
    probe = DescentEngine(x, y)
    limit = probe.stability().max_stable_lr
    assert DescentEngine(x, y, learning_rate=1.05 * limit).run(100_000) is Status.DIVERGED
    assert DescentEngine(x, y, learning_rate=0.95 * limit).run(100_000) is Status.CONVERGED


def test_hessian_is_twice_data_moments(line_data):
    x, y = line_data
    stats = SufficientStats.from_data(x, y)
    h = stats.model().hessian()
    n = len(x)
    expected = 2.0 / n * np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), n]])
    np.testing.assert_allclose(h, expected, rtol=1e-12)


def test_minibatch_is_reproducible_bit_for_bit(line_data):
    a = DescentEngine(*line_data, batch_size=8, seed=42, tol=0, max_iter=300)
    b = DescentEngine(*line_data, batch_size=8, seed=42, tol=0, max_iter=300)
    c = DescentEngine(*line_data, batch_size=8, seed=43, tol=0, max_iter=300)
    for e in (a, b, c):
        e.run(300)
    assert np.array_equal(a.history.rows, b.history.rows)
    assert not np.array_equal(a.history.rows, c.history.rows)


def test_minibatch_gradient_is_gradient_of_the_batch(line_data):
    x, y = line_data
    engine = DescentEngine(x, y, batch_size=5, standardize=False, seed=9)
    idx = engine.batch_indices(1)
    engine.step()
    row = engine.history.row(-1)
    gm, gb = gradient_direct(x[idx], y[idx], 0.0, 0.0)
    assert row[COL["step_grad_p"]] == pytest.approx(gm, rel=1e-12)
    assert row[COL["step_grad_q"]] == pytest.approx(gb, rel=1e-12)
    # The full-data cost after the mini-batch step is the exact cost of the new line.
    assert row[COL["cost"]] == pytest.approx(cost_direct(x, y, row[COL["m"]], row[COL["b"]]))


def test_stochastic_descent_approaches_the_optimum(line_data):
    x, y = line_data
    engine = DescentEngine(x, y, batch_size=1, learning_rate=0.05, schedule="inverse",
                           max_iter=20_000, tol=0)
    engine.run(20_000)
    m, b = lstsq_line(x, y)
    assert engine.snapshot().m == pytest.approx(m, rel=0.05)
    assert engine.snapshot().b == pytest.approx(b, rel=0.05)


def test_standardized_history_reports_data_units(line_data):
    x, y = line_data
    engine = DescentEngine(x, y, standardize=True)
    engine.run(20)
    rows = engine.history.rows
    mu, sd = np.mean(x), np.std(x)
    np.testing.assert_allclose(rows[:, COL["m"]], rows[:, COL["p"]] / sd, rtol=1e-12)
    np.testing.assert_allclose(rows[:, COL["b"]], rows[:, COL["q"]] - rows[:, COL["p"]] / sd * mu,
                               rtol=1e-9, atol=1e-12)
    for row in rows[::5]:
        dm, db = gradient_direct(x, y, row[COL["m"]], row[COL["b"]])
        assert row[COL["grad_m"]] == pytest.approx(dm, rel=1e-8, abs=1e-9)
        assert row[COL["grad_b"]] == pytest.approx(db, rel=1e-8, abs=1e-9)
        assert row[COL["cost"]] == pytest.approx(cost_direct(x, y, row[COL["m"]], row[COL["b"]]))


def test_toggling_standardization_keeps_the_line(line_data):
    engine = DescentEngine(*line_data)
    engine.run(5)
    before = engine.snapshot()
    engine.set_standardize(False)
    engine.step()
    engine.set_standardize(True)
    assert engine.history.row(-1)[COL["standardized"]] == 0.0
    assert engine.events[-1][1] == "standardization on"
    engine.step()
    assert engine.snapshot().standardized
    assert before.iteration + 2 == engine.iteration


def test_reset_and_replay_are_exact(line_data):
    engine = DescentEngine(*line_data, optimizer="adam", batch_size=4, tol=0, max_iter=400)
    engine.run(400)
    first = engine.history.rows.copy()
    engine.reset()
    assert engine.iteration == 0 and len(engine.history) == 1
    engine.run(400)
    assert np.array_equal(first, engine.history.rows)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_rewind_then_step_continues_exactly(line_data, optimizer):
    straight = DescentEngine(*line_data, optimizer=optimizer, batch_size=6, tol=0)
    straight.run(50)
    rewound = DescentEngine(*line_data, optimizer=optimizer, batch_size=6, tol=0)
    rewound.run(80)
    rewound.rewind(30)
    assert rewound.iteration == 30
    rewound.run(20)
    assert np.array_equal(straight.history.rows, rewound.history.rows)


def test_setting_changes_apply_from_next_step_and_are_recorded(line_data):
    engine = DescentEngine(*line_data)
    engine.run(3)
    engine.set_learning_rate(0.2)
    engine.set_optimizer("momentum")
    engine.step()
    rows = engine.history.rows
    assert rows[3, COL["lr"]] == 0.1 and rows[4, COL["lr"]] == 0.2
    assert rows[3, COL["optimizer"]] == 0 and rows[4, COL["optimizer"]] == 1
    assert [e[0] for e in engine.events] == [3, 3]


def test_history_stays_bounded_and_keeps_recent_rows_exact(line_data):
    engine = DescentEngine(*line_data, tol=0, max_iter=10_000_000, history_capacity=1024)
    engine.run(50_000)
    h = engine.history
    assert len(h) <= 1024
    assert h.decimated and h.dropped == 50_001 - len(h)
    assert h.nbytes <= 1024 * len(COL) * 8
    its = h.column("iteration")
    assert its[0] == 0 and its[-1] == 50_000
    assert np.all(np.diff(its) > 0)
    np.testing.assert_array_equal(its[-256:], np.arange(50_000 - 255, 50_001))


def test_history_capacity_validated():
    with pytest.raises(ValueError):
        History(10)


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_schedules_start_near_base_and_never_increase_after_warmup(name):
    sched = get_schedule(name)
    rates = [sched.rate(0.1, t, 1000) for t in range(1000)]
    assert all(r >= 0 for r in rates)
    assert max(rates) == pytest.approx(0.1)
    peak = int(np.argmax(rates))
    assert all(a >= b - 1e-15 for a, b in zip(rates[peak:], rates[peak + 1:], strict=False))


def test_schedule_values_by_hand():
    assert get_schedule("step").rate(0.1, 250, 1000) == pytest.approx(0.1 * 0.25)
    assert get_schedule("exponential").rate(0.1, 10, 1000) == pytest.approx(0.1 * 0.99**10)
    assert get_schedule("1/t").rate(0.1, 100, 1000) == pytest.approx(0.05)
    assert get_schedule("cosine").rate(0.1, 500, 1000) == pytest.approx(0.05)
    assert get_schedule("warmup-cosine").rate(0.1, 0, 1000) == pytest.approx(0.1 / 50)


@pytest.mark.parametrize("kwargs", [
    {"learning_rate": 0}, {"learning_rate": -1}, {"learning_rate": float("nan")},
    {"optimizer": "sgdx"}, {"schedule": "wiggle"}, {"max_iter": 0}, {"tol": -1},
    {"seed": -3}, {"batch_size": -1}, {"start": (float("inf"), 0)},
])
def test_bad_settings_raise_config_error(line_data, kwargs):
    with pytest.raises(ConfigError):
        DescentEngine(*line_data, **kwargs)


def test_degenerate_data_raise_data_error():
    with pytest.raises(DataError, match="same"):
        DescentEngine([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(DataError, match="two points"):
        DescentEngine([1.0], [2.0])


def test_engine_imports_neither_textual_nor_plotext():
    code = (
        "import sys, gdtui.engine, gdtui.data, gdtui.cli\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'plotext', "
        "'textual_plotext', 'rich')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_snapshot_right_after_the_history_thins_out(line_data):
    engine = DescentEngine(*line_data, tol=0, max_iter=10**6, history_capacity=256)
    for _ in range(3000):
        engine.step()
        snap = engine.snapshot()
        assert snap.live and snap.iteration == engine.iteration


@pytest.mark.parametrize("level", [1e-9, -3e-12, 5.0])
def test_a_constant_y_is_fitted_not_declared_converged_at_the_start(level):
    x = np.linspace(0.0, 10.0, 30)
    y = np.full_like(x, level)
    engine = DescentEngine(x, y)
    assert engine.status is not Status.CONVERGED
    engine.run(10_000)
    assert engine.status is Status.CONVERGED
    m, b = lstsq_line(x, y)
    snap = engine.snapshot()
    assert snap.b == pytest.approx(b, rel=1e-6) and abs(snap.m) <= 1e-6 * abs(level)
