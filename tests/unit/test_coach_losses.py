"""The coach on losses other than MSE: MAE's kinks, rates judged by each loss's own curvature."""

from gdtui.cli import build_parser, setup_from_args
from gdtui.coach import is_stalled, verdict
from gdtui.fit import advice_in_flags
from gdtui.run import make_engine


def engine_for(*args):
    return make_engine(setup_from_args(build_parser().parse_args(list(args))))


def run_until_stalled(engine, most=20_000):
    while engine.iteration < most and not engine.status.finished and not is_stalled(engine):
        engine.run(50)
    return engine


def test_mae_at_a_constant_rate_ends_oscillating_and_the_coach_says_decay():
    engine = run_until_stalled(engine_for("state-murders", "--loss", "mae"))
    said = verdict(engine)
    assert said.kind == "oscillating" and "does not shrink" in said.text
    assert [(a.setting, a.change) for a in said.advice] == [("schedule", "decay"),
                                                             ("learning_rate", "lower")]
    # Oscillating indeed: J − J* went up on some of the last steps, and stays above 0.
    costs = engine.history.column("cost")[-100:] - engine.closed_form.cost
    assert (costs > 0).all() and (costs[1:] > costs[:-1]).any()
    assert "a decaying --schedule" in said.render(advice_in_flags)


def test_mae_with_a_decaying_rate_is_told_only_the_limit_ends_it():
    engine = engine_for("state-murders", "--loss", "mae", "--schedule", "inverse",
                        "--iterations", "2000")
    engine.run(2000)
    said = verdict(engine)
    assert said.kind == "closing in" and not said.advice and "never falls under tol" in said.text


def test_huber_and_logistic_rates_are_judged_by_the_hessian_at_the_optimum():
    for args in (("state-murders", "--loss", "huber"), ("anes96-vote", "--model", "logistic")):
        engine = run_until_stalled(engine_for(*args, "--lr", "0.002", "--iterations", "3000"))
        near = engine.rate_stability()
        assert near is not None and 0.002 < near.best_lr / 2
        said = verdict(engine, stalled=True)
        assert [(a.setting, a.change) for a in said.advice] == [("learning_rate", "raise")]
        assert "near the optimum" in said.advice[0].why
