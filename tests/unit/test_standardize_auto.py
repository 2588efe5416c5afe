"""--standardize auto|on|off (default auto): data units unless the raw κ is above 300 or
plain descent in data units would not converge within the iteration limit."""

import json
import shlex

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gdtui.cli import build_parser, main, setup_from_args
from gdtui.data import BUNDLED, DEFAULT_DATASET, load_dataset
from gdtui.engine import DescentEngine
from gdtui.engine.curvature import AUTO_STANDARDIZE_KAPPA
from gdtui.errors import ConfigError
from gdtui.run import command_line, make_engine
from tests.conftest import lstsq_line


def raw_kappa_and_lambda_max(x):
    """Independent: singular values of X = [x, 1]; the Hessian is (2/N)·XᵀX."""
    s = np.linalg.svd(np.column_stack([x, np.ones_like(x)]), compute_uv=False)
    return (s[0] / s[1]) ** 2, 2 * s[0] ** 2 / x.size


@pytest.mark.parametrize("name", list(BUNDLED))
def test_auto_standardizes_exactly_when_the_raw_bowl_is_too_narrow(name, capsys):
    data = load_dataset(name)
    kappa, lambda_max = raw_kappa_and_lambda_max(data.x)
    engine = DescentEngine(data.x, data.y, standardize="auto")
    assert engine.auto_standardize
    if kappa > AUTO_STANDARDIZE_KAPPA:
        assert engine.standardize and f"> {AUTO_STANDARDIZE_KAPPA:g}" in engine.auto_why
    if not engine.standardize:
        # The default α in data units: the largest 1-2-5 value not above 1/λmax.
        grid = [m * 10.0**e for e in range(-12, 3) for m in (1, 2, 5)]
        assert engine.learning_rate == pytest.approx(max(g for g in grid
                                                         if g <= 1 / lambda_max * (1 + 1e-9)))
    # All defaults still reach numpy's least-squares line within the default budget.
    assert main(["fit", name, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    m, b = lstsq_line(data.x, data.y)
    assert out["status"] == "converged" and out["iterations"] <= 10_000
    assert out["m"] == pytest.approx(m, rel=1e-6) and out["b"] == pytest.approx(b, rel=1e-6)


def test_the_words_and_the_old_flags():
    parse = build_parser("fit").parse_args
    assert parse([]).standardize == "auto"  # the default
    assert parse(["--standardize"]).standardize == "on"
    assert parse(["--no-standardize"]).standardize == "off"
    assert parse(["--standardize", "auto"]).standardize == "auto"
    words = " ".join(build_parser("fit").format_help().split())
    assert "auto (the default)" in words and "κ is above 300" in words
    with pytest.raises(ConfigError, match="auto, on or off"):
        DescentEngine([0.0, 1.0, 2.0], [1.0, 2.0, 2.5], standardize="sideways")


def test_bad_word_is_one_line_and_exit_2(capsys):
    assert main(["fit", "--standardize", "sometimes"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "invalid choice" in err[0]


def test_an_auto_run_is_reproduced_by_its_command():
    setup = setup_from_args(build_parser("fit").parse_args(["iris-petals", "--standardize",
                                                            "auto"]))
    engine = make_engine(setup)
    engine.run(500)
    command = command_line(setup, engine, "gdtui fit")
    assert "--no-standardize" in command and "--lr 0.02" in command
    again = make_engine(setup_from_args(build_parser("fit").parse_args(
        shlex.split(command)[2:])))
    again.run(500)
    assert np.array_equal(again.history.rows, engine.history.rows)


def test_the_summary_says_why(capsys):
    assert main(["fit", "house-prices", "--standardize", "auto"]) == 0
    assert "standardization on (auto: raw κ 3.7e+07 > 300)," in capsys.readouterr().out
    assert main(["fit"]) == 0
    assert "standardization off (auto: raw κ 105 ≤ 300)" in capsys.readouterr().out


def test_the_default_data_are_iris_in_data_units_at_0_02(capsys):
    assert DEFAULT_DATASET == "iris-petals"
    assert main(["fit", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    data = load_dataset("iris-petals")
    m, b = lstsq_line(data.x, data.y)
    assert out["lr"] == 0.02 and out["standardized"] is False
    assert out["status"] == "converged" and out["m"] == pytest.approx(m, rel=1e-6)


@settings(max_examples=40, deadline=None)
# Found by this test: y ≈ 16 with a spread of 5e-5, where plain descent in data units at
# α 0.002 stalls on float64's resolution of b (|∂J/∂b| ≈ ulp(16)/2α) above the tolerance.
@example(seed=1, n=4, spread=10.0, offset=0.0, slope=0.0, level=16.0, noise=1e-4)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 60),
       spread=st.floats(1e-3, 1e3), offset=st.floats(0, 30), slope=st.floats(-100, 100),
       level=st.floats(-1e5, 1e5), noise=st.floats(1e-4, 100))
def test_defaults_reach_least_squares_on_any_line(seed, n, spread, offset, slope, level, noise):
    """Offsets up to 30 σx put the raw κ on both sides of 300; far levels test the budget."""
    rng = np.random.default_rng(seed)
    x = rng.normal(offset * spread, spread, n)
    x[0] += spread  # never constant
    y = slope * x / spread + level + rng.normal(0, noise, n)
    defaults = setup_from_args(build_parser("fit").parse_args(["--synthetic", "n=2"])).settings()
    engine = DescentEngine(x, y, **defaults)  # every default of the command line
    engine.run(engine.max_iter)
    m, b = lstsq_line(x, y)
    assert engine.status.value == "converged", (engine.auto_why, engine.iteration)
    scale = abs(m) + np.std(y) / np.std(x)
    assert engine.snapshot().m == pytest.approx(m, rel=1e-6, abs=1e-6 * scale)
