"""The losses in the app: j switches them, every pane draws and says each one, the coach on MAE."""

import re

import numpy as np
import pytest
from scipy.special import expit

from gdtui.app.screens.lockstep import CompareScreen, RaceScreen
from gdtui.app.widgets.compare import BowlPane
from gdtui.app.widgets.data_pane import DataPane, decision_point, sigmoid_points
from gdtui.app.widgets.panes import CostPane
from gdtui.app.widgets.readout_panes import MathPane, ParametersPane
from gdtui.app.widgets.surface import CostSurfacePane, SlicePane
from gdtui.run import command_line
from tests.conftest import app_for, wait_until

NUMBER = r"([−-]?\d[\d,]*\.?\d*(?:e[−+-]?\d+)?)"


def said(screen) -> list[str]:
    """Capture what ``screen`` notifies (the words, not the toasts)."""
    notices: list[str] = []
    original = screen.notify

    def notify(message, *args, **kwargs):
        notices.append(str(message))
        return original(message, *args, **kwargs)

    screen.notify = notify
    return notices


def number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", ""))


async def test_j_cycles_the_line_s_losses_and_says_why_logistic_is_skipped():
    app = app_for("state-murders")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.main_screen
        notices = said(screen)
        await pilot.press("s", "s")
        await pilot.press("j")
        engine = screen.engine
        assert (engine.model_name, engine.loss, engine.iteration) == ("line", "mae", 0)
        assert "MAE" in notices[-1] and "starts again" in notices[-1]
        assert "MAE" in screen.query_one(ParametersPane).full_border()
        assert "MAE" in screen.query_one(CostPane).full_border()
        assert "--loss mae" in command_line(app.setup, engine)
        await pilot.press("j")
        assert engine.loss == "huber" and engine.huber_delta > 0
        assert f"--huber-delta {engine.huber_delta!r}" in command_line(app.setup, engine)
        await pilot.press("c", "s")
        await pilot.press("j")  # back to MSE: the surface's window is fitted to its optimum
        await pilot.press("s")
        p0, p1, q0, q1 = screen.query_one(CostSurfacePane).drawing.window
        p_star, q_star = engine.model().optimum()
        assert p0 < p_star < p1 and q0 < q_star < q1
        assert abs((p0 + p1) / 2 - p_star) < 1e-9 * max(1, abs(p_star))
        # Poverty rates are not 0/1: the logistic model is skipped, and the notice says why.
        assert (engine.model_name, engine.loss) == ("line", "mse")
        assert "logistic skipped" in notices[-1] and "0 and 1" in notices[-1]
        assert "--loss" not in command_line(app.setup, engine)


async def test_logistic_is_offered_on_binary_data_and_draws_the_sigmoid():
    app = app_for("anes96-vote")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.main_screen
        await pilot.press("j", "j", "j")
        engine = screen.engine
        assert (engine.model_name, engine.loss) == ("logistic", "cross-entropy")
        command = command_line(app.setup, engine)
        assert "--model logistic" in command and "--x self_lr --y vote_dole" in command
        for _ in range(6):
            await pilot.press("right_square_bracket")
        await pilot.press("space")
        await wait_until(pilot, lambda: engine.iteration > 200)
        await pilot.press("space")
        pane = screen.query_one(DataPane)
        assert "σ(m·x + b)" in pane.full_border()
        snap = engine.snapshot()
        x_half = decision_point(snap.m, snap.b)
        assert pane.xlim[0] < x_half < pane.xlim[1]  # Dole's voters sit right of centre
        assert "◆" in pane.render().plain  # the decision point p = 1/2 is drawn
        await pilot.press("j")
        assert (engine.model_name, engine.loss, engine.iteration) == ("line", "mse", 0)
        assert "σ" not in screen.query_one(DataPane).full_border()


def test_the_sigmoid_and_its_decision_point_against_scipy():
    xs, ps = sigmoid_points(2.0, -3.0, (-800.0, 800.0), 101)
    assert np.allclose(ps, expit(2.0 * xs - 3.0), rtol=1e-12, atol=1e-300)
    assert decision_point(2.0, -3.0) == 1.5 and decision_point(0.0, 1.0) is None


CASES = [("state-murders", "--loss", "mse"), ("state-murders", "--loss", "mae"),
         ("state-murders", "--loss", "huber"), ("anes96-vote", "--model", "logistic")]


@pytest.mark.parametrize(("data", "flag", "value"), CASES)
async def test_the_maths_pane_writes_each_loss_s_gradient_with_its_numbers(data, flag, value):
    app = app_for(data, flag, value, "--start", "0.1,0.5")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s")
        engine = app.main_screen.engine
        text = app.main_screen.query_one(MathPane).text
        model = engine.model()
        prev = engine.snapshot().previous
        p0, q0 = model.to_coordinates(prev[6], prev[7])  # the step's gradient was taken there
        h = 1e-6
        fd = ((model.cost(p0 + h, q0) - model.cost(p0 - h, q0)) / (2 * h),
              (model.cost(p0, q0 + h) - model.cost(p0, q0 - h)) / (2 * h))
        formula = {"mse": "−(2/N)·Σ zᵢ(yᵢ − ŷᵢ)", "mae": "−(1/N)·Σ zᵢ·sign(yᵢ − ŷᵢ)",
                   "huber": "−(2/N)·Σ zᵢ·clip(yᵢ − ŷᵢ, ±δ)",
                   "logistic": "(1/N)·Σ (σ(m_z·zᵢ + b_z) − yᵢ)·zᵢ"}[value]
        assert f"∂J/∂m_z = {formula}" in text
        for name, expected in zip(("m_z", "b_z"), fd, strict=True):
            line = next(ln for ln in text.splitlines() if ln.startswith(f"∂J/∂{name} = "))
            found = re.search(rf"= ([−-]?)\((\d)/([\d,]+)\) × \(?{NUMBER}\)? = {NUMBER}", line)
            assert found, line
            sign, c, n, total, shown = found.groups()
            factor = (-1 if sign else 1) * int(c) / int(n.replace(",", ""))
            assert int(n.replace(",", "")) == engine.n_points
            assert factor * number(total) == pytest.approx(number(shown), rel=1e-3, abs=1e-4)
            assert number(shown) == pytest.approx(expected, rel=1e-3, abs=1e-4)
        if value == "mae":
            assert "sign(0) = 0" in text
        if value == "huber":
            assert f"δ = {engine.huber_delta:.4f}" in text


async def test_the_mae_coach_says_a_constant_rate_oscillates_and_suggests_a_decaying_one():
    app = app_for("state-murders", "--loss", "mae")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.main_screen
        for _ in range(6):
            await pilot.press("right_square_bracket")
        await pilot.press("space")
        assert await wait_until(pilot, lambda: not screen.running, 10)
        text = screen.query_one(MathPane).text
        assert "Oscillating at step" in text and "MAE has kinks" in text
        assert "does not shrink" in text
        assert "a decaying schedule (ctrl+p, Next schedule" in text
        assert "raise α" not in text
        readouts = screen.query_one(ParametersPane).text
        assert "none: MAE has kinks" in readouts
        # The palette's schedule command applies the advice: the coach judges afresh.
        screen.action_next_schedule()
        assert screen.engine.schedule != "constant"
        await pilot.pause()
        assert "Oscillating" not in screen.query_one(MathPane).text


@pytest.mark.parametrize(("flag", "value", "words"), [
    ("--loss", "mae", "no fixed limit"), ("--loss", "huber", "safe below 2/λmax of MSE"),
    ("--model", "logistic", "safe below 16/λmax of MSE")])
async def test_compare_surface_and_slice_work_per_loss_and_state_their_limits(flag, value, words):
    data = "anes96-vote" if value == "logistic" else "state-murders"
    app = app_for(data, flag, value)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "c")
        surface = app.main_screen.query_one(CostSurfacePane)
        assert not surface.undrawable and surface.full_border().split()[0] in (
            "MAE", "Huber", "logistic")
        await pilot.press("c")
        assert not app.main_screen.query_one(SlicePane).undrawable
        await pilot.press("a")
        assert isinstance(app.screen, CompareScreen)
        info = str(app.screen.query_one("#compare-info").render())
        assert words in info and "α only" in info
        await pilot.press("s", "s", "c")  # the bowl pictures: J itself along a line
        bowls = list(app.screen.query(BowlPane))
        assert bowls and all(b.draws and not b.undrawable for b in bowls)
        model = app.screen.controller.engines[0].model()
        assert all(b.along for b in bowls) and model.cost(*model.optimum()) == pytest.approx(
            app.screen.controller.engines[0].closed_form.cost)
        await pilot.press("o")
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("escape")


@pytest.mark.parametrize(("flag", "value"), [("--loss", "mae"), ("--loss", "huber"),
                                             ("--model", "logistic")])
async def test_the_race_runs_per_loss(flag, value):
    data = "anes96-vote" if value == "logistic" else "state-murders"
    app = app_for(data, flag, value, "--lr", "0.05")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        assert isinstance(app.screen, RaceScreen)
        await pilot.press("s", "s", "s")
        assert all(e.iteration == 3 and e.loss == app.main_screen.engine.loss
                   for e in app.screen.controller.engines)
        assert "gdtui race" in app.screen.reproduce_command()
        assert f"{flag} {value}" in app.screen.reproduce_command()
