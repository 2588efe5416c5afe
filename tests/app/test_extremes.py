"""Numbers near the float limits are a state on screen, never a crash of the app."""

import pytest

from tests.conftest import app_for

CASES = [
    (["--start=1e308,1e308"], {}, ["c", "s", "c", "s", "c", "a", "s", "escape", "v", "s",
                                    "escape"]),
    (["--start=1e300,0"], {"mode": "compare"}, ["s", "s", "space"]),
    (["--start=1e300,0"], {"mode": "race"}, ["s", "s", "space"]),
    (["--start=-1e200,1e200", "--no-standardize"], {}, ["c", "s", "s", "c", "l", "s"]),
    (["--lr", "1e10"], {}, ["s", "s", "c", "s", "c", "s", "l"]),
    (["--synthetic", "n=50,slope=1e140,intercept=1e140,noise=1e139"], {},
     ["s", "z", "c", "c", "s", "a", "s"]),
    (["--synthetic", "n=50,slope=1e-140,intercept=1e-140,noise=1e-141"], {},
     ["s", "z", "c", "c", "s", "v", "s"]),
]


@pytest.mark.parametrize("args, options, keys", CASES)
async def test_extreme_numbers_never_crash_the_app(args, options, keys):
    app = app_for(*args, **options)
    async with app.run_test(size=(100, 30)) as pilot:
        for key in keys:
            await pilot.press(key)
            if key == "v":  # the race opens once its rates are tuned (in a thread)
                await app.workers.wait_for_complete()
            await pilot.pause(0.05)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.2)
        assert app.is_running
    assert app.return_code in (None, 0)


@pytest.mark.parametrize("args", [["--loss", "mae"], ["--loss", "huber"],
                                  ["--model", "logistic"]])
async def test_other_losses_draw_every_view(args):
    app = app_for(*args)
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ["s", "s", "c", "s", "c", "s", "c", "a", "s", "escape", "v", "s", "escape"]:
            await pilot.press(key)
            if key == "v":  # the race opens once its rates are tuned (in a thread)
                await app.workers.wait_for_complete()
            await pilot.pause(0.05)
        assert app.is_running
