"""Cost surface, slice, comparison and race: numbers against the engine, keys through Pilot."""

import numpy as np
import pytest

from gdtui.app.controller import comparison_rates
from gdtui.app.screens.lockstep import CompareScreen, RaceScreen
from gdtui.app.widgets.multi import Leaderboard
from gdtui.app.widgets.surface import ZOOM_LIMIT, CostSurfacePane, SlicePane
from gdtui.cli import build_parser, main, setup_from_args
from gdtui.engine import DescentEngine, Status, cost_direct, iterations_to_reach
from gdtui.plotdata import contour_marks, fit_window, minmax_buckets
from gdtui.run import make_engine
from tests.conftest import app_for, lstsq_line, wait_until


@pytest.mark.parametrize("standardize", [True, False])
def test_surface_grid_equals_direct_evaluation(line_data, standardize):
    x, y = line_data
    x = x + 1e4  # a mean far from 0 as well
    engine = DescentEngine(x, y, standardize=standardize)
    model = engine.model()
    shift, scale = model.shift, model.scale
    p_star, q_star = model.optimum()
    rng = np.random.default_rng(5)
    ps = p_star + rng.normal(0, 3, 7)
    qs = q_star + rng.normal(0, 3, 5)
    grid = model.grid(ps, qs)
    for i, q in enumerate(qs):
        for j, p in enumerate(ps):
            m = p / scale
            b = q - m * shift
            assert grid[i, j] == pytest.approx(cost_direct(x, y, m, b), rel=1e-9)


def test_optimum_is_the_minimum_of_the_grid(line_data):
    engine = DescentEngine(*line_data)
    p_star, q_star = engine.model().optimum()
    ps = np.linspace(p_star - 1, p_star + 1, 201)
    qs = np.linspace(q_star - 1, q_star + 1, 201)
    grid = engine.model().grid(ps, qs)
    i, j = np.unravel_index(np.argmin(grid), grid.shape)
    assert (ps[j], qs[i]) == (pytest.approx(p_star, abs=0.01), pytest.approx(q_star, abs=0.01))
    m, b = lstsq_line(*line_data)
    assert engine.closed_form.m == pytest.approx(m)


def test_path_is_the_engine_history(line_data):
    engine = DescentEngine(*line_data, standardize=False)
    engine.run(25)
    p, q = engine.path()
    np.testing.assert_array_equal(p, engine.history.column("m"))
    np.testing.assert_array_equal(q, engine.history.column("b"))


def test_peek_next_is_the_next_step(line_data):
    for kwargs in ({}, {"optimizer": "adam", "batch_size": 5}, {"optimizer": "nesterov"}):
        engine = DescentEngine(*line_data, **kwargs)
        engine.run(3)
        p, q, _, _ = engine.peek_next()
        engine.step()
        snap = engine.snapshot()
        assert (snap.p, snap.q) == (p, q)


def test_gradient_at_matches_history(line_data):
    engine = DescentEngine(*line_data)
    engine.run(4)
    snap = engine.snapshot()
    assert engine.model().gradient(snap.p, snap.q) == (pytest.approx(snap.grad_p),
                                                  pytest.approx(snap.grad_q))


def test_contours_are_bounded_and_on_level_sets():
    ps = np.linspace(-2, 2, 80)
    qs = np.linspace(-2, 2, 60)
    excess = ps[None, :] ** 2 + qs[:, None] ** 2
    levels = contour_marks(excess, ps, qs)
    total = sum(len(a) for a, _ in levels)
    assert 0 < total < excess.size
    top = excess.max()
    for k, (xs, ys) in enumerate(levels):
        if xs:
            radius2 = np.array(xs) ** 2 + np.array(ys) ** 2
            level = top / 4 ** (k + 1)
            assert np.all(np.abs(radius2 - level) < 0.25 * level + 0.2)


def test_window_fits_path_and_optimum():
    w = fit_window([0, 4], [0, -2], (1.0, 1.0))
    assert w[0] <= 0 and w[1] >= 4 and w[2] <= -2 and w[3] >= 1


def test_minmax_buckets_keep_extremes():
    x = np.arange(10_000.0)
    y = np.sin(x / 50) + (x == 7_777) * 9
    xs, ys = minmax_buckets(x, y, 100)
    assert len(xs) == 200 and max(ys) == pytest.approx(y.max()) and min(ys) == y.min()


def test_comparison_default_rates_behave_as_named():
    for args in ([], ["heights-weights", "--standardize"], ["house-prices", "--no-standardize"],
                 ["noisy-linear"]):
        setup = setup_from_args(build_parser().parse_args(args))
        small, right, large = comparison_rates(make_engine(setup))
        runs = {}
        for name, rate in (("small", small), ("right", right), ("large", large)):
            engine = DescentEngine(setup.dataset.x, setup.dataset.y, learning_rate=rate,
                                   standardize=setup.standardize, max_iter=20_000)
            engine.run(20_000)
            runs[name] = engine
        assert runs["large"].status is Status.DIVERGED
        if "house-prices" not in args:  # iris petals in data units (κ 105) converge as well
            right_steps = iterations_to_reach(runs["right"].history, runs["right"].closed_form.cost)
            small_steps = iterations_to_reach(runs["small"].history, runs["small"].closed_form.cost)
            assert runs["right"].status is Status.CONVERGED
            assert right_steps is not None and small_steps is not None
            assert right_steps < small_steps
        else:
            # Unscaled (κ ≈ 4e7) neither converges in 20,000 steps. The best constant rate
            # wins on the slow direction, the one that sets the number of steps: its error
            # along the Hessian's smallest eigenvector shrinks ten times faster.
            _, vectors = np.linalg.eigh(make_engine(setup, standardize=False).model().hessian())
            slow = vectors[:, 0]
            p_star, q_star = runs["right"].model().optimum()

            errors = [abs(np.dot([snap.p - p_star, snap.q - q_star], slow))
                      for snap in (runs["right"].snapshot(), runs["small"].snapshot())]
            assert errors[0] < errors[1]


async def test_surface_and_slice_views_cycle_with_c_and_follow_the_path():
    app = app_for("heights-weights", "--standardize")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "s", "c")
        surface = app.query_one(CostSurfacePane)
        assert surface.display and app.query_one("#view").current == "surface"
        assert "Cost surface" in str(surface.border_title)
        assert "κ" in str(surface.border_subtitle)
        p0, p1, q0, q1 = surface.drawing.window
        snap = app.main_screen.engine.snapshot()
        assert p0 <= snap.p <= p1 and q0 <= snap.q <= q1
        p_star, q_star = app.main_screen.engine.model().optimum()
        assert p0 <= p_star <= p1 and q0 <= q_star <= q1
        built = surface.text()
        assert "●" in built and "✚" in built
        await pilot.press("w")
        await pilot.press("c")
        slice_pane = app.query_one(SlicePane)
        assert app.query_one("#view").current == "slice"
        assert "∂J/∂m_z" in str(slice_pane.border_title)
        await pilot.press("c")
        assert app.query_one("#view").current == "data"


async def test_surface_zooms_out_when_the_path_leaves():
    app = app_for("--lr", "0.9")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c", "s")
        surface = app.query_one(CostSurfacePane)
        before = surface.drawing.window
        await pilot.press("plus", *["s"] * 12)
        after = surface.drawing.window
        snap = app.main_screen.engine.snapshot()
        assert (after[1] - after[0]) > (before[1] - before[0])
        # It zooms out up to ZOOM_LIMIT times its fitted size; past that an edge marker
        # (▲ ▼ ◀ ▶ with the value) says where the run went.
        fitted = surface.drawing.fitted
        field = "\n".join(surface.text().split("\n")[:-2])  # without the ticks and legend
        if after[0] <= snap.p <= after[1] and after[2] <= snap.q <= after[3]:
            assert "●" in field
        else:
            assert after[1] - after[0] == pytest.approx(ZOOM_LIMIT * (fitted[1] - fitted[0]))
            assert any(arrow in field for arrow in "▲▼◀▶")
            assert "●" not in field


async def test_minibatch_shows_batch_gradient():
    app = app_for("noisy-linear", "--batch-size", "8")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "c")
        assert "next batch" in app.query_one(CostSurfacePane).legend


async def test_compare_view_lockstep_keys_and_back():
    app = app_for("heights-weights", "--standardize")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        rates = [e.learning_rate for e in screen.controller.engines]
        assert rates == sorted(rates) and rates[1] == pytest.approx(0.5)
        await pilot.press("s", "s", "s")
        assert [e.iteration for e in screen.controller.engines][0] == 3
        await pilot.press("r")
        assert all(e.iteration == 0 for e in screen.controller.engines)
        await pilot.press("space")
        await wait_until(pilot, lambda: not screen.running)
        statuses = [e.status for e in screen.controller.engines]
        assert statuses[1] is Status.CONVERGED and statuses[2] is Status.DIVERGED
        assert app.main_screen.engine.iteration == 0  # the main run did not move
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_race_view_leaderboard():
    app = app_for("heights-weights", "--standardize", mode="race",
                  optimizers=("gd", "momentum", "adam"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the race opens once its rates are tuned
        await pilot.pause()
        assert isinstance(app.screen, RaceScreen)
        for _ in range(6):
            await pilot.press("right_square_bracket")
        await pilot.press("space")
        for _ in range(200):
            first = app.screen.controller.engines[0]
            if iterations_to_reach(first.history, first.closed_form.cost) is not None:
                break
            await pilot.pause(0.05)
        await pilot.press("space")
        board = app.screen.query_one(Leaderboard).text
        assert "1. ● gd α=0.5" in board and "1 step\n" in board and "130 steps" in board
        await pilot.press("q")
    assert app.return_code == 0


def test_compare_and_race_commands_validate_before_the_terminal(capsys):
    assert main(["compare", "--rates", "1,2"]) == 2
    assert "three or four rates" in capsys.readouterr().err
    assert main(["race", "--optimizers", "gd,sgdx"]) == 2
    assert "unknown optimizer" in capsys.readouterr().err
