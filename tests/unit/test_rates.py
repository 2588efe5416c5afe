"""The comparison's labels: a stated rule on α against the data's limits, checked by running."""

import numpy as np
import pytest

from gdtui.data import BUNDLED, load_dataset
from gdtui.engine import DescentEngine, Stability, Status, iterations_to_reach
from gdtui.plotdata import clip_line
from gdtui.rates import (
    JUST_RIGHT,
    OSCILLATES,
    TOO_LARGE,
    TOO_SMALL,
    classify_rate,
    oscillating_rate,
    seed_rates,
)


def test_the_issue_s_rates_on_the_default_data_are_labelled_by_their_alpha():
    data = load_dataset("heights-weights")
    stability = DescentEngine(data.x, data.y).stability()
    # Independent: the Hessian of J in standardized units is 2·I, so 2/λmax = 1, best = 1/2.
    assert stability.max_stable_lr == pytest.approx(1.0)
    assert stability.best_lr == pytest.approx(0.5)
    kinds = [classify_rate(stability, a).kind for a in (0.9, 0.5, 0.1)]
    assert kinds == [OSCILLATES, JUST_RIGHT, TOO_SMALL]
    assert classify_rate(stability, 1.5).label == "too large (diverges)"
    assert classify_rate(stability, 1.0).label == "too large (never settles)"


def test_the_rule_s_boundaries():
    s = Stability(1.0, 9.0)  # best = 0.2, limit = 2/9
    best, limit = s.best_lr, s.max_stable_lr
    assert classify_rate(s, best / 2).kind == TOO_SMALL
    assert classify_rate(s, best / 2 * 1.0001).kind == JUST_RIGHT
    assert classify_rate(s, (best + limit) / 2).kind == JUST_RIGHT
    assert classify_rate(s, (best + limit) / 2 * 1.0001).kind == OSCILLATES
    assert classify_rate(s, limit * 0.9999).kind == OSCILLATES
    assert classify_rate(s, limit * 1.0001).kind == TOO_LARGE


@pytest.mark.parametrize("name", list(BUNDLED))
@pytest.mark.parametrize("standardize", [True, False])
def test_default_rates_get_the_labels_they_are_meant_to(name, standardize):
    data = load_dataset(name)
    s = DescentEngine(data.x, data.y, standardize=standardize).stability()
    small, best, large = seed_rates(s)
    assert [classify_rate(s, a).kind for a in (small, best, oscillating_rate(s), large)] == [
        TOO_SMALL, JUST_RIGHT, OSCILLATES, TOO_LARGE]


def test_what_each_label_means_shows_in_a_run():
    # noisy-linear in raw units: κ ≈ 8.6, a bowl where every label can be seen in a few
    # hundred steps.
    data = load_dataset("noisy-linear")
    probe = DescentEngine(data.x, data.y, standardize=False)
    s = probe.stability()
    small, best, large = seed_rates(s)
    oscillating = oscillating_rate(s)

    def run(lr):
        e = DescentEngine(data.x, data.y, standardize=False, learning_rate=lr, tol=0,
                          max_iter=20_000)
        e.run(20_000)
        return e

    steps = {lr: iterations_to_reach(run(lr).history, probe.closed_form.cost)
             for lr in (small, best, oscillating)}
    assert steps[small] > 2 * steps[best]
    assert steps[oscillating] is not None and steps[oscillating] > steps[best]
    assert run(large).status is Status.DIVERGED
    # Oscillates: the error along the steepest eigen-direction (numpy's eigh of the
    # Hessian of the mean squared error, built from the data) changes sign every step.
    x = data.x
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    _, vectors = np.linalg.eigh(hessian)
    e = DescentEngine(data.x, data.y, standardize=False, learning_rate=oscillating, tol=0,
                      max_iter=30)
    e.run(30)
    m_star, b_star = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), data.y,
                                     rcond=None)[0]
    err = np.column_stack([e.history.column("m") - m_star, e.history.column("b") - b_star])
    along = err @ vectors[:, 1]
    assert np.all(np.sign(along[1:]) == -np.sign(along[:-1]))


def test_a_line_off_the_box_is_said_to_be_above_or_below():
    assert clip_line(0.0, 5.0, (0, 1), (0, 10)) == (((0, 5.0), (1, 5.0)), None)
    assert clip_line(0.0, 50.0, (0, 1), (0, 10)) == (None, "top")
    assert clip_line(1000.0, -5000.0, (0, 1), (0, 10)) == (None, "bottom")
    segment, side = clip_line(100.0, 0.0, (0, 1), (0, 10))
    assert side is None and segment == ((0, 0.0), (0.1, 10.0))
    assert clip_line(float("inf"), 0.0, (0, 1), (0, 10)) == (None, "top")
