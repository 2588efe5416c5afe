"""The tick rule: round 1-2-5 steps, equal spacing, integers on iteration axes, labels that fit."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gdtui.app.widgets.ticks import (
    ROW_SLACK,
    fits,
    nice_ticks,
    row_aligned,
    tick_labels,
    tick_step,
    x_ticks,
    y_ticks,
)

finite = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)


def is_125(step: float) -> bool:
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-12)
    return any(math.isclose(mantissa, m, rel_tol=1e-9) for m in (1, 2, 5, 10))


@given(finite, st.floats(1e-6, 1e9), st.integers(2, 10))
def test_ticks_are_equally_spaced_round_multiples_inside_the_range(lo, span, most):
    assume(span > 1e-6 * abs(lo))  # float64 can still tell the ticks apart
    hi = lo + span
    ticks = nice_ticks(lo, hi, most)
    assert 1 <= len(ticks) <= most
    step = tick_step(lo, hi, most)
    assert is_125(step)
    for t in ticks:
        assert lo - 1e-9 * span <= t <= hi + 1e-9 * span
        assert math.isclose(t / step, round(t / step), abs_tol=1e-6)
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    for gap in gaps:
        assert math.isclose(gap, step, rel_tol=1e-6)


def test_the_issue_examples():
    # A 5-row plot of 48.1 … 91.2 read 91.2 / 84.0 / 69.7 / 62.5 / 48.1: now 50, 60 … 90 or fewer.
    ticks, labels = y_ticks(48.1, 91.2, 5)
    assert ticks == [60.0, 80.0]
    assert labels == ["60", "80"]
    ticks, labels = y_ticks(48.1, 91.2, 12)
    assert labels == ["50", "60", "70", "80", "90"]
    # An iteration axis to 6 read 0 2 3 4 6: integer steps only.
    ticks, labels = x_ticks(0, 6, 40, integer=True)
    assert labels == ["0", "1", "2", "3", "4", "5", "6"]
    ticks, labels = x_ticks(0, 2, 40, integer=True)
    assert ticks == [0, 1, 2]


@given(st.integers(1, 10**7), st.integers(8, 200))
def test_an_iteration_axis_has_integer_ticks(last, columns):
    ticks, labels = x_ticks(0, last, columns, integer=True)
    assert all(float(t).is_integer() for t in ticks)
    assert all("." not in s for s in labels)
    assert len(set(ticks)) == len(ticks)


@given(finite, st.floats(1e-6, 1e9), st.integers(12, 200))
def test_x_labels_fit_their_width_and_never_touch(lo, span, columns):
    assume(span > 1e-6 * abs(lo))
    ticks, labels = x_ticks(lo, lo + span, columns)
    assert ticks
    if len(ticks) > 2 or columns >= 40:
        assert fits(ticks, labels, lo, lo + span, columns)


@given(finite, st.floats(1e-6, 1e9), st.integers(2, 10))
def test_labels_are_distinct_and_read_back_as_the_ticks(lo, span, most):
    assume(span > 1e-6 * abs(lo))
    ticks = nice_ticks(lo, lo + span, most)
    labels = tick_labels(ticks)
    assert len(set(labels)) == len(labels)
    step = tick_step(lo, lo + span, most)
    for t, s in zip(ticks, labels, strict=True):
        assert math.isclose(float(s.replace(",", "")), t, abs_tol=step * 1e-3)


@pytest.mark.parametrize(("lo", "hi", "expected"), [
    (0.0, 1.0, ["0.0", "0.5", "1.0"]),
    (-330.8, 347.8, ["-200", "0", "200"]),
    (1e7, 3e7, ["1e7", "2e7", "3e7"]),
    (0.0, 3e-6, ["0", "1e-6", "2e-6", "3e-6"]),
])
def test_labels_share_their_decimals(lo, hi, expected):
    ticks = nice_ticks(lo, hi, 4)
    assert tick_labels(ticks) == expected


def test_ranges_it_cannot_place():
    assert nice_ticks(math.nan, 1.0, 5) == []
    assert nice_ticks(1.0, math.inf, 5) == []
    assert nice_ticks(2.0, 2.0, 5) == [2.0]


@given(finite, st.floats(1e-3, 1e9), st.integers(3, 40))
def test_row_aligned_ticks_fall_on_rows_equally_apart(lo, span, rows):
    assume(span > 1e-6 * abs(lo))
    hi = lo + span
    low, high, ticks, labels = row_aligned(lo, hi, rows)
    assert low <= lo + 1e-9 * span and high >= hi - 1e-9 * span
    assert high - low <= (1 + ROW_SLACK) * span * (1 + 1e-9)
    if (low, high) != (lo, hi):  # aligned: every tick on a row, the same rows apart
        places = [(t - low) / (high - low) * (rows - 1) for t in ticks]
        for place in places:
            assert abs(place - round(place)) < 1e-6
        gaps = {round(b) - round(a) for a, b in zip(places, places[1:], strict=False)}
        assert len(gaps) == 1 and min(gaps) >= 2
    else:  # not aligned: fewer ticks, on rows the same number apart as plotext places them
        rowed = [math.floor(0.5 + (rows - 1) * (t - lo) / span) for t in ticks]
        gaps = {b - a for a, b in zip(rowed, rowed[1:], strict=False)}
        assert len(gaps) <= 1
    assert len(labels) == len(ticks)


def test_row_aligned_on_the_issue_example():
    # A cost from J = 4918 down to J* = 27 on 9 rows: 0 and 5,000 on the bottom and top rows
    # (1000s would need 10 rows two apart; 2000s a range 64% taller than the data).
    assert row_aligned(27.0, 4918.0, 9) == (0.0, 5000.0, [0.0, 5000.0], ["0", "5000"])
    # 17 rows: every 1,000, three rows apart.
    low, high, ticks, _ = row_aligned(27.0, 4918.0, 17)
    assert low == 0.0 and ticks == [0.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0]


def test_a_growing_axis_ends_at_the_next_1_2_5_value():
    from gdtui.app.widgets.ticks import axis_end

    ends = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
    for last in range(0, 5001, 7):
        end = axis_end(last)
        assert end >= max(last, 10) and end in ends
        assert end == min(e for e in ends if e >= max(last, 10))


def test_buckets_fixed_on_the_axis_keep_their_points_as_the_series_grows():
    import numpy as np

    from gdtui.plotdata import minmax_buckets

    rng = np.random.default_rng(3)
    y = rng.normal(size=3000).cumsum()
    x = np.arange(y.size, dtype=float)
    end, buckets = 5000.0, 50
    width = end / buckets
    shown = {}
    for n in (1200, 1500, 2999, 3000):
        xs, ys = minmax_buckets(x[:n], y[:n], buckets, end)
        # Each bucket's lowest and highest value survive (checked by brute force).
        for k in range(int(np.ceil(n / width))):
            inside = (x[:n] >= k * width) & (x[:n] < (k + 1) * width)
            got = [v for u, v in zip(xs, ys, strict=True) if k * width <= u < (k + 1) * width]
            assert min(got) == y[:n][inside].min() and max(got) == y[:n][inside].max()
        # Buckets the series has passed are drawn as before.
        done = [(u, v) for u, v in zip(xs, ys, strict=True) if u < (1200 // width) * width]
        if "first" in shown:
            assert done == shown["first"]
        else:
            shown["first"] = done
