"""Switching problems: the cycle j follows, what it skips and why, the command that reproduces."""

import shlex

import numpy as np

from gdtui.cli import build_parser, setup_from_args
from gdtui.run import command_line, make_engine, next_problem, settings_of


def setup_for(*args):
    return setup_from_args(build_parser().parse_args(list(args)))


def cycle(setup, steps=4):
    engine = make_engine(setup)
    seen, reasons = [], []
    for _ in range(steps):
        target, skipped = next_problem(setup, engine)
        reasons += skipped
        if target is None:
            break
        engine.set_loss(target[1], model_name=target[0])
        seen.append(engine.loss)
    return seen, reasons


def test_the_line_s_losses_cycle_and_logistic_is_skipped_where_y_is_not_binary():
    seen, reasons = cycle(setup_for("state-murders"))
    assert seen == ["mae", "huber", "mse", "mae"]
    assert reasons and all(r.startswith("logistic skipped") and "0 and 1" in r for r in reasons)


def test_binary_data_cycles_through_the_logistic_model():
    seen, reasons = cycle(setup_for("anes96-vote"), 5)
    assert seen == ["mae", "huber", "cross-entropy", "mse", "mae"] and not reasons


def test_synthetic_labels_and_text_labels_keep_their_model_and_say_why(tmp_path):
    seen, reasons = cycle(setup_for("--synthetic", "n=50", "--model", "logistic"))
    assert seen == [] and len(reasons) == 3 and "--synthetic draws other data" in reasons[0]
    data = tmp_path / "pass.csv"
    data.write_text("hours,result\n1,fail\n2,fail\n3,pass\n4,fail\n5,pass\n6,pass\n")
    seen, reasons = cycle(setup_for(str(data), "--model", "logistic"))
    assert seen == [] and "text labels" in reasons[0]


def test_the_command_of_a_switched_run_reproduces_it():
    for args, target in ((("anes96-vote",), ("logistic", "cross-entropy")),
                         (("anes96-vote", "--model", "logistic"), ("line", "huber")),
                         (("state-murders",), ("line", "mae"))):
        setup = setup_for(*args)
        engine = make_engine(setup)
        engine.set_loss(target[1], model_name=target[0])
        words = shlex.split(command_line(setup, engine))[1:]
        again = setup_for(*words)
        assert np.array_equal(again.dataset.x, setup.dataset.x)
        assert np.array_equal(again.dataset.y, setup.dataset.y)
        assert settings_of(make_engine(again)) == settings_of(engine)
