"""The engine's references against library solvers, and every optimizer reaching them.

The library solvers live in the test extra only: SciPy's ``linprog`` (HiGHS) for least absolute
deviations, statsmodels' ``RLM`` with ``HuberT`` at a fixed scale for Huber, scikit-learn's
``LogisticRegression`` without penalty (C = ∞) and statsmodels' ``Logit`` for the logistic model.
"""

import numpy as np
import pytest

from gdtui.data import load_dataset
from gdtui.engine import OPTIMIZERS, DescentEngine
from gdtui.engine.reference import huber, least_absolute_deviations, logistic

linprog = pytest.importorskip("scipy.optimize").linprog
sm = pytest.importorskip("statsmodels.api")
LogisticRegression = pytest.importorskip("sklearn.linear_model").LogisticRegression


def outliers():
    rng = np.random.default_rng(11)
    x = rng.uniform(0, 10, 80)
    y = 1.5 * x + 2 + rng.normal(0, 0.8, 80)
    y[[3, 17, 40]] += (25, -30, 40)
    return x, y


def bundled(name, logistic=False):
    if logistic:
        from gdtui.labels import load_labelled

        d = load_labelled(name)
    else:
        d = load_dataset(name)
    return d.x, d.y


def heavy_tails_far_from_zero():
    rng = np.random.default_rng(5)
    x = rng.uniform(1000, 1010, 150)
    return x, -2 * x + 2050 + rng.standard_t(1.5, 150)


def labels(seed, n, centre, intercept):
    rng = np.random.default_rng(seed)
    x = rng.normal(centre, 2, n)
    p = 1 / (1 + np.exp(-(1.2 * (x - centre) + intercept)))
    return x, (rng.uniform(size=n) < p).astype(float)


LINE_SETS = {"outliers": outliers, "state-murders": lambda: bundled("state-murders"),
             "heavy": heavy_tails_far_from_zero}
LOGISTIC_SETS = {"anes96-vote": lambda: bundled("anes96-vote", logistic=True),
                 "far": lambda: labels(2, 300, 50, 1.0),
                 "unbalanced": lambda: labels(3, 200, -7, -1.5)}


def lad_linprog(x, y):
    """min Σ(u + v) s.t. m·x + b + u − v = y, u, v ≥ 0 (HiGHS)."""
    n = x.size
    c = np.concatenate([[0.0, 0.0], np.ones(2 * n)])
    a = np.hstack([x[:, None], np.ones((n, 1)), np.eye(n), -np.eye(n)])
    bounds = [(None, None)] * 2 + [(0, None)] * (2 * n)
    res = linprog(c, A_eq=a, b_eq=y, bounds=bounds, method="highs")
    assert res.status == 0
    return res.x[0], res.x[1], res.fun / n


@pytest.mark.parametrize("name", LINE_SETS)
def test_lad_is_the_linear_programs_optimum(name):
    x, y = LINE_SETS[name]()
    ref = least_absolute_deviations(x, y)
    m, b, cost = lad_linprog(x, y)
    assert ref.exact
    assert ref.cost == pytest.approx(cost, rel=1e-9)
    assert ref.cost <= cost * (1 + 1e-12)  # never worse than the LP's vertex
    assert (ref.m, ref.b) == pytest.approx((m, b), rel=1e-6)


def test_lad_certificate_on_random_problems():
    rng = np.random.default_rng(0)
    for _ in range(20):
        n = int(rng.integers(5, 60))
        x = rng.normal(0, 1, n)
        y = rng.standard_cauchy(n) + 3 * x
        ref = least_absolute_deviations(x, y)
        assert ref.cost == pytest.approx(lad_linprog(x, y)[2], rel=1e-9)


@pytest.mark.parametrize("name", LINE_SETS)
@pytest.mark.parametrize("scale", [0.5, 1.0, 3.0])
def test_huber_matches_statsmodels_rlm(name, scale):
    x, y = LINE_SETS[name]()
    delta = scale * DescentEngine(x, y, loss="huber").huber_delta
    ref = huber(x, y, delta)
    fit = sm.RLM(y, sm.add_constant(x), M=sm.robust.norms.HuberT(t=delta)).fit(
        scale_est=lambda model, resid: 1.0, update_scale=False, tol=1e-14, maxiter=10_000,
        conv="coefs")
    b, m = fit.params
    assert ref.exact
    assert (ref.m, ref.b) == pytest.approx((m, b), rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("name", LOGISTIC_SETS)
def test_logistic_matches_scikit_learn_and_statsmodels(name):
    x, y = LOGISTIC_SETS[name]()
    ref = logistic(x, y)
    assert ref.finite and ref.exact
    # No penalty: C = ∞ (scikit-learn 1.8 deprecates penalty=None in its favour).
    clf = LogisticRegression(C=np.inf, tol=1e-12, max_iter=100_000, solver="newton-cg")
    clf.fit(x[:, None], y)
    assert (ref.m, ref.b) == pytest.approx((clf.coef_[0, 0], clf.intercept_[0]), rel=1e-5)
    logit = sm.Logit(y, sm.add_constant(x)).fit(method="newton", disp=0, tol=1e-10, maxiter=100)
    b, m = logit.params
    assert (ref.m, ref.b) == pytest.approx((m, b), rel=1e-9)
    assert ref.cost == pytest.approx(-logit.llf / y.size, rel=1e-12)


RATES = {
    "mae": {"gd": 0.1, "momentum": 0.01, "nesterov": 0.01, "adagrad": 10, "rmsprop": 0.1,
            "adam": 0.1},
    "huber": {"gd": 0.03, "momentum": 0.03, "nesterov": 0.03, "adagrad": 3, "rmsprop": 0.1,
              "adam": 0.1},
    "cross-entropy": {"gd": 1, "momentum": 0.1, "nesterov": 0.1, "adagrad": 1, "rmsprop": 0.01,
                      "adam": 0.03},
}


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("loss", RATES)
def test_every_optimizer_reaches_the_reference(loss, optimizer):
    """On three data sets per problem; MAE (and RMSProp, which never settles at a constant
    rate) anneal with the cosine schedule, as the coach advises for a non-smooth cost."""
    sets = LOGISTIC_SETS if loss == "cross-entropy" else LINE_SETS
    for name, make in sets.items():
        x, y = make()
        schedule = "cosine" if loss == "mae" or optimizer == "rmsprop" else "constant"
        kw = ({"model_name": "logistic"} if loss == "cross-entropy" else {"loss": loss})
        e = DescentEngine(x, y, optimizer=optimizer, learning_rate=RATES[loss][optimizer],
                          schedule=schedule, max_iter=4000, tol=0, **kw)
        e.run(4000)
        snap = e.snapshot()
        ref = e.reference
        assert snap.cost - ref.cost <= 1e-7 * ref.cost, (name, snap.cost, ref.cost)
        if loss != "mae":  # smooth and strictly convex here: the parameters are pinned too
            assert (snap.m, snap.b) == pytest.approx((ref.m, ref.b), rel=1e-3), name
