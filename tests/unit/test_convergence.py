"""The convergence view's curves against numpy's eigenvalues of the iteration matrix."""

import numpy as np
import pytest

from gdtui.engine import DescentEngine
from gdtui.engine.convergence import convergence_picture, own_limit, per_step_factor


def matrix(optimizer, lam, alpha, beta):
    """The iteration matrix of (e, v) in one eigen-direction, written out from the updates."""
    if optimizer == "gd":
        return np.array([[1 - alpha * lam]])
    if optimizer == "momentum":  # v' = βv + λe; e' = e − αv'
        return np.array([[1 - alpha * lam, -alpha * beta], [lam, beta]])
    # nesterov: v' = βv + λ(e − αβv); e' = e − αv'
    return np.array([[1 - alpha * lam, -alpha * beta * (1 - alpha * lam)],
                     [lam, beta * (1 - alpha * lam)]])


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov"])
@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9, 0.99])
def test_factor_is_the_spectral_radius_of_the_iteration_matrix(optimizer, beta):
    rng = np.random.default_rng(3)
    for lam, alpha in zip(rng.uniform(0.01, 50, 60), rng.uniform(0.0, 0.2, 60), strict=True):
        expected = max(abs(np.linalg.eigvals(matrix(optimizer, lam, alpha, beta))))
        assert per_step_factor(optimizer, lam, alpha, beta) == pytest.approx(expected,
                                                                              rel=1e-9, abs=1e-12)


def test_gd_factor_is_one_minus_alpha_lambda():
    alphas = np.linspace(0, 1, 11)
    assert np.allclose(per_step_factor("gd", 3.0, alphas), np.abs(1 - 3.0 * alphas))


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov"])
def test_the_limit_is_where_the_factor_reaches_one(optimizer):
    lam, beta = 4.0, 0.7
    limit = own_limit(optimizer, lam, beta)
    assert per_step_factor(optimizer, lam, limit, beta) == pytest.approx(1.0, abs=1e-9)
    assert per_step_factor(optimizer, lam, 0.99 * limit, beta) < 1.0
    assert per_step_factor(optimizer, lam, 1.01 * limit, beta) > 1.0


def test_picture_of_a_run_uses_the_hessian_eigenvalues_and_predicts_its_steps():
    x = np.linspace(0, 10, 50)
    y = 2 * x + 1 + np.sin(5 * x)
    engine = DescentEngine(x, y, optimizer="momentum", learning_rate=0.01, standardize=False,
                           optimizer_params={"beta": 0.6})
    lams = np.linalg.eigvalsh(engine.model().hessian())
    picture = convergence_picture(lams, "momentum", engine.learning_rate, 0.6)
    assert picture.lambdas == pytest.approx(tuple(lams))
    assert picture.gd_limit == pytest.approx(2 / lams[-1])
    assert picture.factors.shape == (2, len(picture.alphas))
    # The run's error shrinks at the predicted rate over many steps.
    engine.run(400)
    error = np.array([engine.snapshot().p, engine.snapshot().q]) - engine.model().optimum()
    engine.run(200)
    later = np.array([engine.snapshot().p, engine.snapshot().q]) - engine.model().optimum()
    observed = (np.linalg.norm(later) / np.linalg.norm(error)) ** (1 / 200)
    assert observed == pytest.approx(picture.rate, rel=0.02)
