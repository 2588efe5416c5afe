"""What the screen shows, compared with reviewed SVG snapshots (pytest-textual-snapshot).

Update after a deliberate change of the screen with: python -m pytest tests/test_snapshots.py
--snapshot-update, then look at the new SVGs before committing them.
"""

import pytest

from tests.conftest import app_for

SIZES = {"120x36": (120, 36), "80x24": (80, 24)}


@pytest.mark.parametrize("size", list(SIZES))
def test_after_five_steps(snap_compare, size):
    assert snap_compare(app_for(), terminal_size=SIZES[size], press=["s"] * 5)


@pytest.mark.parametrize("size", list(SIZES))
def test_diverged(snap_compare, size):
    keys = ["plus"] * 4 + ["s"] * 20
    assert snap_compare(app_for(), terminal_size=SIZES[size], press=keys)


@pytest.mark.parametrize("size", list(SIZES))
def test_help(snap_compare, size):
    assert snap_compare(app_for(), terminal_size=SIZES[size], press=["question_mark"])


def test_momentum_log_scale_scrubbed_back(snap_compare):
    keys = ["o"] + ["s"] * 30 + ["l", "left", "left", "left"]
    assert snap_compare(app_for(), terminal_size=(120, 36), press=keys)


def test_unscaled_house_prices(snap_compare):
    app = app_for("house-prices", "--no-standardize", "--lr", "1e-7")
    assert snap_compare(app, terminal_size=(120, 36), press=["s"] * 10)


@pytest.mark.parametrize("size", list(SIZES))
def test_cost_surface(snap_compare, size):
    assert snap_compare(app_for(), terminal_size=SIZES[size], press=["s"] * 4 + ["c"])


def test_slice(snap_compare):
    assert snap_compare(app_for(), terminal_size=(120, 36), press=["s"] * 3 + ["c", "c"])


@pytest.mark.parametrize("size", list(SIZES))
def test_compare_view(snap_compare, size):
    async def steps(pilot):
        await pilot.press("a")
        await pilot.pause()
        for _ in range(6):
            await pilot.press("s")
        await pilot.pause(0.2)  # every panel has drawn its last frame

    assert snap_compare(app_for(), terminal_size=SIZES[size], run_before=steps)


@pytest.mark.parametrize("size", list(SIZES))
def test_race_view(snap_compare, size):
    async def race(pilot):
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()  # the runners' rates are tuned in a thread
        pilot.app.clear_notifications()  # ("Tuning…" stays up or not by how fast it went)
        await pilot.pause()
        await pilot.press(*["s"] * 8)

    assert snap_compare(app_for(), terminal_size=SIZES[size], run_before=race)


def test_reproduce_dialog(snap_compare):
    assert snap_compare(app_for("noisy-linear"), terminal_size=(100, 30), press=["y"])


@pytest.mark.parametrize("size", list(SIZES))
def test_tour_prediction(snap_compare, size):
    app = app_for(mode="tour")
    assert snap_compare(app, terminal_size=SIZES[size], press=["enter", "2"])


def test_slice_80x24(snap_compare):
    assert snap_compare(app_for(), terminal_size=(80, 24), press=["s"] * 3 + ["c", "c"])


@pytest.mark.parametrize("size", list(SIZES))
def test_chinese_tour_prediction(snap_compare, size):
    app = app_for(mode="tour", language="zh")
    assert snap_compare(app, terminal_size=SIZES[size], press=["enter"])


def test_chinese_help(snap_compare):
    assert snap_compare(app_for(language="zh"), terminal_size=(80, 24), press=["question_mark"])


@pytest.mark.parametrize("size", list(SIZES))
def test_reproduce_dialog_sizes(snap_compare, size):
    assert snap_compare(app_for(), terminal_size=SIZES[size], press=["s", "y"])


@pytest.mark.parametrize("size", list(SIZES))
def test_convergence_view(snap_compare, size):
    assert snap_compare(app_for(), terminal_size=SIZES[size], press=["s", "s", "k"])


@pytest.mark.parametrize("size", list(SIZES))
def test_settings_dialog(snap_compare, size):
    assert snap_compare(app_for("--optimizer", "adam"), terminal_size=SIZES[size], press=["i"])


@pytest.mark.parametrize("size", list(SIZES))
def test_adam_update_at_size(snap_compare, size):
    app = app_for("--optimizer", "adam")
    assert snap_compare(app, terminal_size=SIZES[size], press=["s", "s"])
