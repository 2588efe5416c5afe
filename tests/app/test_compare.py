"""The comparison: labels from each α against the limits, lines that leave, shared axes."""

from gdtui.app.screens.lockstep import CompareScreen
from gdtui.app.widgets.compare import ComparePane, SharedCostPane
from gdtui.engine import Status
from tests.conftest import app_for, wait_until


async def test_labels_come_from_alpha_not_from_the_panel_s_place():
    # `gdtui compare --rates 0.9,0.5,0.1`: the issue saw 0.9 called "too small".
    app = app_for("heights-weights", "--standardize", mode="compare", rates=(0.9, 0.5, 0.1))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert [rc.kind for rc in screen.rate_classes] == [
            "oscillates but converges", "just right", "too small"]
        titles = [str(p.border_title) for p in screen.query(ComparePane)]
        assert titles == ["oscillates, α = 0.9", "just right, α = 0.5", "too small, α = 0.1"]
        info = str(screen.query_one("#compare-info").render())
        assert "too small ≤ best/2 < just right ≤ (best+limit)/2" in info
        assert "limit 2/λmax = 1.0000" in info


async def test_o_adds_the_oscillating_rate_and_a_diverging_line_is_said_to_leave():
    app = app_for(mode="compare")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert len(app.screen.controller.engines) == 3
        await pilot.press("o")
        await wait_until(pilot, lambda: len(getattr(app.screen, "rate_classes", [])) == 4)
        screen = app.screen
        assert [rc.kind for rc in screen.rate_classes] == [
            "too small", "just right", "oscillates but converges", "too large"]
        await pilot.press(*["s"] * 12)
        engines = screen.controller.engines
        assert engines[2].status is not Status.DIVERGED
        panes = list(screen.query(ComparePane))
        large = panes[3]
        assert large.where.startswith("line above: y=") or large.where.startswith("line below")
        assert large.where.split("y=")[1] in str(large.border_subtitle)
        # The line's height at mid-range, recomputed from the run's m and b.
        snap = engines[3].snapshot()
        mid = snap.m * sum(large.xlim) / 2 + snap.b
        assert large.where.endswith(f"{mid:.2g}")
        limits = {p.limits for p in screen.query(SharedCostPane)}
        assert len(limits) == 1  # every panel on the same axes
        await pilot.press("o")
        await wait_until(pilot, lambda: len(getattr(app.screen, "rate_classes", [])) == 3)
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_c_shows_each_run_s_steps_on_the_bowl():
    # The seed's picture: too small slides down one side, just right lands at once,
    # oscillates bounces from side to side inwards, too large bounces outwards and leaves.
    from gdtui.app.widgets.compare import BowlPane

    app = app_for("heights-weights", "--standardize", mode="compare")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await wait_until(pilot, lambda: len(getattr(app.screen, "rate_classes", [])) == 4)
        await pilot.press("c", *["s"] * 6)
        panes = list(app.screen.query(BowlPane))
        assert all(p.display for p in panes) and not any(p.display for p in
                                                          app.screen.query(ComparePane))
        small, right, oscillating, large = (p.along for p in panes)

        def pairs(values):
            return zip(values[:-1], values[1:], strict=True)

        assert all(a * b > 0 and abs(b) < abs(a) for a, b in pairs(small))
        assert abs(right[1]) < 1e-9 * abs(right[0])
        assert all(a * b < 0 and abs(b) < abs(a) for a, b in pairs(oscillating))
        assert all(a * b < 0 and abs(b) > abs(a) for a, b in pairs(large))
        assert panes[3].where == "left the bowl" and "left the bowl" in str(
            panes[3].border_subtitle)
        assert str(panes[2].border_title).startswith("oscillates")
        await pilot.press("c")
        assert not any(p.display for p in panes)
