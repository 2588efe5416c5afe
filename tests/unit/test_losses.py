"""MAE, Huber and cross-entropy in the engine: values, gradients, grids, limits, the CLI flags."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdtui.cli import main
from gdtui.engine import DataCost, DescentEngine, Quadratic
from gdtui.engine.losses import HUBER_K, default_huber_delta, point_costs, robust_scale


@pytest.fixture
def outlier_data():
    """80 points around y = 1.5x + 2 with three gross outliers (seeded)."""
    rng = np.random.default_rng(11)
    x = rng.uniform(0.0, 10.0, 80)
    y = 1.5 * x + 2.0 + rng.normal(0.0, 0.8, 80)
    y[[3, 17, 40]] += (25.0, -30.0, 40.0)
    return x, y


def direct_cost(loss, x, y, m, b, delta=1.0):
    """J from its definition, one point at a time (no numpy vectorisation to share bugs with)."""
    total = 0.0
    for xi, yi in zip(x, y, strict=True):
        r = yi - (m * xi + b)
        if loss == "mae":
            total += abs(r)
        elif loss == "huber":
            total += r * r if abs(r) <= delta else 2 * delta * abs(r) - delta * delta
        else:
            z = m * xi + b
            total += math.log1p(math.exp(z)) - yi * z
    return total / len(x)


@pytest.mark.parametrize("loss", ["mae", "huber"])
@pytest.mark.parametrize("standardize", [True, False])
def test_cost_matches_the_definition(outlier_data, loss, standardize):
    x, y = outlier_data
    e = DescentEngine(x, y, loss=loss, standardize=standardize, huber_delta=2.0)
    model = e.model()
    assert isinstance(model, DataCost)
    for m, b in [(0.0, 0.0), (1.5, 2.0), (-3.0, 10.0)]:
        p, q = model.to_coordinates(m, b)
        assert model.evaluate(p, q)[0] == pytest.approx(direct_cost(loss, x, y, m, b, 2.0),
                                                        rel=1e-12)


def test_mse_keeps_the_quadratic_path(outlier_data):
    e = DescentEngine(*outlier_data)
    assert e.loss == "mse" and isinstance(e.model(), Quadratic)
    assert e.reference.method.startswith("closed form")


def finite_difference(model, p, q, h=1e-6):
    c = model.cost
    return ((c(p + h, q) - c(p - h, q)) / (2 * h), (c(p, q + h) - c(p, q - h)) / (2 * h))


@settings(max_examples=40, deadline=None)
@given(p=st.floats(-5, 5), q=st.floats(-5, 15), loss=st.sampled_from(["mae", "huber"]))
def test_gradient_matches_finite_differences_line(p, q, loss):
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 10, 40)
    y = 1.5 * x + 2 + rng.normal(0, 1, 40)
    model = DescentEngine(x, y, loss=loss, huber_delta=1.0).model()
    r = y - (p * model.xs + q)
    h = 1e-6
    # Away from the kinks (MAE at r = 0, Huber at |r| = δ) J is smooth within ±h·(1 + |x'|).
    reach = 4 * h * (1 + np.abs(model.xs))
    kinks = np.abs(r) if loss == "mae" else np.abs(np.abs(r) - 1.0)
    if np.any(kinks < reach):
        return
    gp, gq = model.gradient(p, q)
    fp, fq = finite_difference(model, p, q, h)
    assert gp == pytest.approx(fp, rel=1e-5, abs=1e-7)
    assert gq == pytest.approx(fq, rel=1e-5, abs=1e-7)


@settings(max_examples=40, deadline=None)
@given(p=st.floats(-20, 20), q=st.floats(-20, 20))
def test_gradient_matches_finite_differences_logistic(p, q):
    rng = np.random.default_rng(4)
    x = rng.normal(0, 2, 50)
    y = (x + rng.normal(0, 1.5, 50) > 0).astype(float)
    model = DescentEngine(x, y, model_name="logistic").model()
    gp, gq = model.gradient(p, q)
    fp, fq = finite_difference(model, p, q)
    assert gp == pytest.approx(fp, rel=1e-5, abs=1e-7)
    assert gq == pytest.approx(fq, rel=1e-5, abs=1e-7)


def test_cross_entropy_is_stable_far_out():
    z = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
    got = point_costs("cross-entropy", z, np.array([1.0, 1.0, 0.0, 0.0, 0.0]), 1.0)
    assert np.all(np.isfinite(got))
    assert got[0] == pytest.approx(800.0) and got[-1] == pytest.approx(800.0)
    assert got[2] == pytest.approx(math.log(2.0))


def test_mae_subgradient_is_zero_at_a_zero_residual():
    x = np.array([0.0, 1.0, 2.0])
    y = np.array([0.0, 5.0, -5.0])
    model = DescentEngine(x, y, loss="mae", standardize=False).model()
    # The line y = 0 passes through (0, 0): that point pulls neither way; the others cancel in q.
    gp, gq = model.gradient(0.0, 0.0)
    assert gq == 0.0
    assert gp == pytest.approx((-1.0 * 1.0 + 1.0 * 2.0) / 3)


@pytest.mark.parametrize("loss", ["mae", "huber"])
def test_mini_batch_gradient_is_the_batch_points_gradient(outlier_data, loss):
    x, y = outlier_data
    e = DescentEngine(x, y, loss=loss, batch_size=8, seed=5)
    idx = e.batch_indices(1)
    sub = DescentEngine(x[idx], y[idx], loss=loss, huber_delta=e.huber_delta, standardize=False)
    model = e.model()
    p, q = 0.3, -0.7
    m, b = model.to_data(p, q)
    gm, gb = sub.model().gradient(m, b)
    gp, gq = model.batch_gradient(idx)(p, q)
    # Same points, other coordinates: the chain rule links them.
    assert model.gradient_in_data_units(gp, gq) == pytest.approx((gm, gb), rel=1e-10)


@pytest.mark.parametrize("loss", ["mae", "huber"])
def test_grid_is_the_cost_at_each_point(outlier_data, loss):
    e = DescentEngine(*outlier_data, loss=loss)
    model = e.model()
    ps, qs = np.linspace(-2, 4, 7), np.linspace(0, 20, 5)
    grid = model.grid(ps, qs)
    assert grid.shape == (5, 7)
    for i, q in enumerate(qs):
        for j, p in enumerate(ps):
            assert grid[i, j] == pytest.approx(model.evaluate(p, q)[0], rel=1e-12)


def test_grid_subsamples_past_ten_thousand_points():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, 30_000)
    y = x + rng.normal(0, 0.1, x.size)
    model = DescentEngine(x, y, loss="mae").model()
    assert model.grid_points == 10_000
    grid = model.grid([0.0, 0.3], [0.5])
    exact = model.cost(np.array([0.0, 0.3]), np.array([0.5, 0.5]))
    assert grid[0] == pytest.approx(exact, rel=0.02)  # a fair sample of the cost


def test_default_huber_delta_follows_the_spread(outlier_data):
    x, y = outlier_data
    e = DescentEngine(x, y, loss="huber")
    xc, yc = x - x.mean(), y - y.mean()
    r = yc - (xc @ yc / (xc @ xc)) * xc
    mad = np.median(np.abs(r - np.median(r))) / 0.6744897501960817
    assert e.huber_delta == pytest.approx(HUBER_K * mad, rel=1e-12)
    assert robust_scale(r) == pytest.approx(mad)
    # Ten times the y spread, ten times δ.
    assert default_huber_delta(x, 10 * y) == pytest.approx(10 * e.huber_delta, rel=1e-12)


def test_limits(outlier_data):
    x, y = outlier_data
    mse = DescentEngine(x, y).stability_limit()
    assert mse.kind == "exact"
    huber = DescentEngine(x, y, loss="huber").stability_limit()
    assert huber.kind == "bound" and huber.max_stable_lr == pytest.approx(mse.max_stable_lr)
    assert huber.local_lr >= huber.max_stable_lr  # fewer points in the band: less curved
    mae = DescentEngine(x, y, loss="mae").stability_limit()
    assert mae.kind == "none" and mae.max_stable_lr is None and "no fixed limit" in mae.text


def test_huber_bound_is_safe_and_mse_limit_is_sharp(outlier_data):
    x, y = outlier_data
    limit = DescentEngine(x, y).stability_limit().max_stable_lr
    huber = DescentEngine(x, y, loss="huber", learning_rate=0.99 * limit, max_iter=5000)
    huber.run(5000)
    assert huber.status.value != "diverged"
    mse = DescentEngine(x, y, learning_rate=1.05 * limit, max_iter=5000)
    mse.run(5000)
    assert mse.status.value == "diverged"


def test_set_loss_resets_the_run(outlier_data):
    e = DescentEngine(*outlier_data)
    e.run(10)
    version = e.version
    e.set_loss("mae")
    assert e.loss == "mae" and e.iteration == 0 and e.version > version
    assert isinstance(e.model(), DataCost) and isinstance(e.model(not e.standardize), DataCost)
    e.set_loss("mse")
    assert isinstance(e.model(), Quadratic)


def test_fit_with_each_loss(capsys):
    for loss in ("mae", "huber"):
        assert main(["fit", "noisy-linear", "--loss", loss, "--json", "--iterations",
                     "3000", "--schedule", "inverse", "--lr", "0.5"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["cost"] == pytest.approx(out["reference"]["cost"], rel=1e-4)


@pytest.mark.parametrize("argv, words", [
    (["--huber-delta", "2"], "--huber-delta applies to --loss huber"),
    (["--loss", "mae", "--model", "logistic"], "is for the line"),
    (["--loss", "l2"], "invalid choice"),
    (["--loss", "huber", "--huber-delta", "0"], "must be a positive finite number"),
])
def test_bad_loss_options_are_one_line(capsys, argv, words):
    assert main(["fit", "noisy-linear", *argv]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1


def test_json_names_the_problem_and_its_reference(capsys):
    assert main(["fit", "noisy-linear", "--json", "--iterations", "50"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["model"], out["loss"]) == ("line", "mse")
    assert out["closed_form"] == {k: out["reference"][k] for k in ("m", "b", "cost")}
    assert out["reference"]["method"] == "closed form (least squares)"
    assert main(["fit", "noisy-linear", "--json", "--loss", "huber", "--huber-delta", "2.5",
                 "--iterations", "50"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["loss"], out["huber_delta"]) == ("huber", 2.5) and "closed_form" not in out
    assert out["reference"]["exact"] is True and "Newton" in out["reference"]["method"]


def test_summary_says_which_reference(capsys):
    assert main(["fit", "noisy-linear", "--loss", "mae", "--iterations", "50"]) == 0
    out = capsys.readouterr().out
    assert "reference: exact L1 descent" in out and "least squares" not in out
    assert main(["fit", "noisy-linear", "--iterations", "50"]) == 0
    assert "least squares" in capsys.readouterr().out


def test_command_line_writes_the_problem_back():
    from gdtui.cli import build_parser, setup_from_args
    from gdtui.run import command_line, make_engine

    args = build_parser("fit").parse_args(["noisy-linear", "--loss", "huber"])
    setup = setup_from_args(args)
    engine = make_engine(setup)
    line = command_line(setup, engine, "gdtui fit")
    assert f"--loss huber --huber-delta {engine.huber_delta!r}" in line
    again = make_engine(setup_from_args(build_parser("fit").parse_args(line.split()[2:])))
    assert (again.loss, again.huber_delta) == ("huber", engine.huber_delta)
    plain = setup_from_args(build_parser("fit").parse_args(["noisy-linear"]))
    assert "--loss" not in command_line(plain) and "--model" not in command_line(plain)


def test_mini_batch_runs_record_the_cost_of_a_fixed_sample_past_ten_thousand():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 10, 25_000)
    y = 2 * x + 1 + rng.standard_t(3, x.size)
    e = DescentEngine(x, y, loss="huber", batch_size=16, max_iter=50)
    model = e.model()
    assert model.monitoring_sample
    e.run(5)
    snap = e.snapshot()
    idx = np.linspace(0, x.size - 1, 10_000).round().astype(int)
    p, q = model.to_coordinates(snap.m, snap.b)
    sample = DataCost(x[idx], y[idx], "huber", model.shift, model.scale, e.huber_delta)
    assert snap.cost == pytest.approx(sample.evaluate(p, q)[0], rel=1e-12)
    e.set_batch_size(0)  # full batch: every point again
    assert not model.monitoring_sample
    assert model.evaluate(p, q)[0] == pytest.approx(direct_cost(
        "huber", x, y, snap.m, snap.b, e.huber_delta), rel=1e-9)
    small = DescentEngine(x[:500], y[:500], loss="mae", batch_size=8).model()
    assert small.grid_points == 500  # at most 10,000 points the sample is the data


@pytest.mark.parametrize("n", [1, 511, 512, 513, 5000])
def test_cross_entropy_fast_path_matches_logaddexp(n):
    rng = np.random.default_rng(n)
    x = rng.normal(0, 40, n + 1)
    y = (rng.uniform(size=n + 1) < 0.5).astype(float)
    model = DescentEngine(np.append(x, 1e3), np.append(y, 1 - y[0]), model_name="logistic",
                          standardize=False).model()
    for p, q in [(0.0, 0.0), (0.7, -2.0), (-30.0, 4.0), (1e-12, 0.0)]:
        z = p * model.xs + q
        want = np.mean(np.logaddexp(0.0, z) - model.y * z)
        assert model.evaluate(p, q)[0] == pytest.approx(want, rel=1e-13, abs=1e-300)


def test_history_json_records_the_problem(tmp_path):
    path = tmp_path / "h.json"
    assert main(["fit", "state-murders", "--loss", "huber", "--iterations", "20",
                 "--history", str(path)]) == 0
    settings = json.loads(path.read_text())["settings"]
    assert (settings["model"], settings["loss"]) == ("line", "huber")
    assert settings["huber_delta"] > 0 and "--loss huber --huber-delta" in settings["command"]
