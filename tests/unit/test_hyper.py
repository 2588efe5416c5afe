"""Hyper-parameters typed on the command line or set in a run: checked, used, written out."""

import numpy as np
import pytest

from gdtui.cli import build_parser, main, setup_from_args
from gdtui.engine import DescentEngine
from gdtui.errors import ConfigError
from gdtui.run import command_line, make_engine

X = np.linspace(0.0, 10.0, 30)
Y = 3.0 * X - 2.0 + np.sin(7 * X)


def heavy_ball(beta, lr, steps):
    """Momentum by hand on the standardized MSE (an independent reference)."""
    x = (X - X.mean()) / X.std()
    p = q = vp = vq = 0.0
    for _ in range(steps):
        r = Y - (p * x + q)
        gp, gq = -2 * np.mean(x * r), -2 * np.mean(r)
        vp, vq = beta * vp + gp, beta * vq + gq
        p, q = p - lr * vp, q - lr * vq
    return p, q


def test_beta_reaches_the_step():
    engine = DescentEngine(X, Y, optimizer="momentum", learning_rate=0.05, standardize=True,
                           optimizer_params={"beta": 0.5})
    engine.run(20)
    p, q = heavy_ball(0.5, 0.05, 20)
    assert engine.snapshot().p == pytest.approx(p, rel=1e-12)
    assert engine.snapshot().q == pytest.approx(q, rel=1e-12)


def test_changing_beta_mid_run_is_an_event_and_applies_from_the_next_step():
    engine = DescentEngine(X, Y, optimizer="momentum", learning_rate=0.05)
    engine.run(3)
    engine.set_optimizer_parameter("beta", 0.3)
    assert engine.events[-1] == (3, "β 0.9 → 0.3")
    assert engine.optimizer_params["beta"] == 0.3
    with pytest.raises(ConfigError, match="beta must be at least 0 and under 1"):
        engine.set_optimizer_parameter("beta", 1.0)
    assert engine.optimizer_params["beta"] == 0.3
    engine.set_optimizer("adam")
    engine.set_optimizer("momentum")
    assert engine.optimizer_params["beta"] == 0.3  # kept across optimizers


def test_schedule_parameter_only_for_the_schedule_that_has_it():
    engine = DescentEngine(X, Y, learning_rate=0.1, schedule="step",
                           schedule_params={"every": 5})
    assert engine.schedule_params == {"gamma": 0.5, "every": 5}
    engine.run(6)
    assert engine.snapshot().learning_rate == pytest.approx(0.05)  # step 6 is t = 5
    with pytest.raises(ConfigError, match="no parameter 'decay'"):
        engine.set_schedule_parameter("decay", 0.1)


@pytest.mark.parametrize("words", [
    ["--optimizer", "momentum", "--beta", "0.7"],
    ["--optimizer", "adam", "--beta1", "0.8", "--beta2", "0.99", "--eps", "1e-6"],
    ["--optimizer", "rmsprop", "--rho", "0.5", "--schedule", "step", "--gamma", "0.9",
     "--every", "7"],
    ["--schedule", "inverse", "--decay", "0.2"],
    ["--schedule", "warmup-cosine", "--warmup", "0.2"],
])
def test_command_line_round_trip(words):
    setup = setup_from_args(build_parser("fit").parse_args(["--synthetic", "n=40", *words]))
    engine = make_engine(setup)
    command = command_line(setup, engine, "gdtui fit").split()[2:]
    again = make_engine(setup_from_args(build_parser("fit").parse_args(command)))
    assert again.optimizer_params == engine.optimizer_params
    assert again.schedule_params == engine.schedule_params
    engine.run(30)
    again.run(30)
    assert np.array_equal(engine.history.rows, again.history.rows)


@pytest.mark.parametrize("words, message", [
    (["--beta", "0.5"], "--beta applies to --optimizer momentum or nesterov"),
    (["--optimizer", "adam", "--beta2", "1"], "beta2 must be at least 0 and under 1"),
    (["--gamma", "0.5"], "--gamma applies to --schedule step or exponential"),
    (["--schedule", "step", "--every", "2.5"], "every must be a whole number"),
])
def test_bad_parameters_are_one_line_and_exit_2(words, message, capsys):
    assert main(["fit", "--synthetic", "n=20", *words]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_race_s_command_carries_the_parameters_its_runners_use():
    parser = build_parser("race")
    args = parser.parse_args(["--synthetic", "n=30", "--optimizers", "gd,momentum,adam",
                              "--beta", "0.5", "--beta2", "0.99"])
    setup = setup_from_args(args)
    engine = make_engine(setup)
    command = command_line(setup, engine, "gdtui race", optimizers=args.optimizers,
                           same_rate=False)
    assert "--beta 0.5" in command and "--beta2 0.99" in command
    again = setup_from_args(parser.parse_args(command.split()[2:]))
    assert make_engine(again).optimizer_params == engine.optimizer_params
    runner = make_engine(setup, like=engine, optimizer="momentum")
    assert runner.snapshot().hyperparameters["beta"] == 0.5
