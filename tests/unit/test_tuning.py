"""The fair race: each runner's rate by the stated rule, checked by brute force and by running."""

import math

import pytest

from gdtui.app.widgets.multi import RUN_COLORS, RUN_MARKERS, RUN_RGB
from gdtui.cli import build_parser, setup_from_args
from gdtui.engine import DescentEngine, iterations_to_reach
from gdtui.run import make_engine
from gdtui.tuning import (
    NOISY_PROBE_STEPS,
    PROBE_STEPS,
    RACE_OPTIMIZERS,
    SETTLE_STEPS,
    candidate_rates,
    grid_125,
    race_engines,
    settled_at,
    tune,
)


def setup_for(*args):
    return setup_from_args(build_parser("race").parse_args(list(args)))


def test_the_grid_is_1_2_5():
    assert grid_125(0.003, 0.6) == [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5]
    assert grid_125(1, 1) == [1.0]


def test_every_default_runner_reaches_the_target_within_a_few_thousand_steps():
    setup = setup_for()  # the default data, iris petals, in data units
    like = make_engine(setup)
    assert setup.dataset.name == "iris-petals" and not like.standardize
    engines = race_engines(setup, like, RACE_OPTIMIZERS)
    assert [e.optimizer for e in engines] == list(RACE_OPTIMIZERS)
    for engine in engines:
        engine.run(5000)
        reached = iterations_to_reach(engine.history, engine.closed_form.cost)
        assert reached is not None and reached <= 3000, (engine.optimizer, reached)
    # gd's rate is under its stable limit 2/λmax and near the best constant rate 2/(λmin+λmax).
    stability = like.stability()
    assert stability.best_lr / 2 <= engines[0].learning_rate <= stability.max_stable_lr
    # Distinct colour and shape for every runner (checked below for the palette as a whole).
    assert len(set(RUN_COLORS[:len(engines)])) == len(set(RUN_MARKERS[:len(engines)])) == 4


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_the_chosen_rate_is_the_grid_s_fastest_by_brute_force(optimizer):
    setup = setup_for("noisy-linear", "--no-standardize")

    def make(rate):
        return make_engine(setup, optimizer=optimizer, learning_rate=rate)

    tuned = tune(make)
    # Every candidate run in full, with no early stop, judged by the same definition.
    results = {}
    for rate in candidate_rates(make(1.0)):
        e = make(rate)
        e.set_tol(0.0)
        e.set_max_iter(PROBE_STEPS + SETTLE_STEPS)
        e.run(PROBE_STEPS + SETTLE_STEPS)
        at = settled_at(e.history, e.closed_form.cost)
        results[rate] = at if at is not None and at <= PROBE_STEPS else math.inf
    fastest = min(results.values())
    assert fastest < math.inf
    assert tuned.steps == fastest
    assert results[tuned.learning_rate] == fastest


def test_a_lucky_pass_through_the_target_does_not_count():
    class Rows:
        def __init__(self, its, costs):
            self.data = {"iteration": its, "cost": costs}

        def column(self, name):
            import numpy as np

            return np.asarray(self.data[name], dtype=float)

    j = 1.0
    inside, outside = 1.0 + 1e-7, 1.1
    history = Rows(list(range(400)), [outside, inside, outside] + [inside] * 397)
    assert settled_at(history, j) == 3
    assert settled_at(history, j, settle=500) is None


def test_a_rate_given_on_the_command_line_is_every_runner_s():
    setup = setup_for("--lr", "0.02")
    engines = race_engines(setup, make_engine(setup), RACE_OPTIMIZERS)
    assert {e.learning_rate for e in engines} == {0.02}


def test_runners_differ_in_colour_and_shape():
    assert len(set(RUN_COLORS)) == len(set(RUN_MARKERS)) == len(RUN_COLORS) == 4
    # Okabe & Ito's palette for colour-blind readers; no runner wears the optimum's green.
    assert set(RUN_COLORS) <= {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
                               "#D55E00", "#CC79A7"}
    assert RUN_RGB[0] == (230, 159, 0)


def test_tuning_is_deterministic_and_uses_the_race_s_settings():
    setup = setup_for("--batch-size", "8")
    probed = []

    def make(rate):
        engine = make_engine(setup, optimizer="adam", learning_rate=rate)
        probed.append(engine)
        return engine

    first = tune(make)
    assert {e.batch_size for e in probed} == {8}
    # A noisy runner is judged on short probes (it never settles), so tuning stays cheap.
    assert max(e.iteration for e in probed) == NOISY_PROBE_STEPS
    assert first.steps is None
    again = tune(lambda r: make_engine(setup, optimizer="adam", learning_rate=r))
    assert first == again
    assert isinstance(make_engine(setup), DescentEngine)
