"""Any sequence of keys leaves the app running: seeded random presses over every binding."""

import math
import os
import random

import pytest

from gdtui.app import make_app
from gdtui.app.screens.dialogs import ExportScreen
from gdtui.cli import build_parser, setup_from_args

KEYS = ["s", "space", "r", "left", "right", "plus", "minus", "o", "b", "z", "l", "c", "w",
        "a", "v", "y", "p", "e", "t", "enter", "backspace", "1", "2", "3", "pagedown", "pageup",
        "escape", "right_square_bracket", "left_square_bracket", "question_mark", "shift+left",
        "home", "end", "up", "down"]


@pytest.mark.parametrize("seed, args, size", [
    (1, [], (120, 36)),
    (2, ["house-prices", "--no-standardize"], (80, 24)),
    (3, ["noisy-linear", "--batch-size", "8"], (40, 12)),
])
async def test_random_keys_never_crash(seed, args, size):
    rnd = random.Random(seed)
    app = make_app(setup_from_args(build_parser().parse_args(args)))
    async with app.run_test(size=size) as pilot:
        for _ in range(150):
            # Keys arrive as from a keyboard, without Pilot waiting for an idle app (a running
            # view is never idle); a short pause lets each one be handled.
            app.simulate_key(rnd.choice(KEYS))
            await pilot.pause(0.02 if rnd.random() > 0.05 else 0.2)
            if isinstance(app.screen, ExportScreen):
                app.simulate_key("escape")  # never write files from a random walk
                await pilot.pause(0.02)
        assert app.is_running
        snap = app.main_screen.engine.snapshot()
        assert all(map(lambda v: v == v, (snap.m, snap.b, snap.cost)))  # no NaN


def check_invariants(app) -> None:
    """What must hold after any key: the live run, its history and its spool agree."""
    main = app.main_screen
    engine = main.engine
    history = engine.history
    assert history.appended == engine.iteration + 1
    assert int(history.row(-1)[0]) == engine.iteration
    if main.controller.spool.complete:
        assert main.controller.spool.count == history.appended
    view = main.controller.view_index
    assert view is None or 0 <= view < len(history)
    snap = engine.snapshot()
    # A diverged run keeps its last finite state: nothing on screen is ever NaN.
    assert all(map(math.isfinite, (snap.m, snap.b)))
    assert not math.isnan(snap.cost)


PRESSES = int(os.environ.get("GDTUI_RANDOM_KEYS", "1000"))
"""Presses in one walk. Issue 10 asks for 5,000 (``GDTUI_RANDOM_KEYS=5000``, about ten
minutes on two cores); CI runs 1,000 to keep its whole run inside its time budget."""


async def test_thousands_of_keys_and_resizes():
    rnd = random.Random(2026)
    app = make_app(setup_from_args(build_parser().parse_args(["noisy-linear"])))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(PRESSES):
            if rnd.random() < 0.03:
                size = (rnd.randint(20, 250), rnd.randint(6, 80))
                await pilot.resize_terminal(*size)
            app.simulate_key(rnd.choice(KEYS))
            await pilot.pause(0.002 if rnd.random() > 0.02 else 0.1)
            if isinstance(app.screen, ExportScreen):
                app.simulate_key("escape")
                await pilot.pause(0.002)
            check_invariants(app)
        await pilot.pause(0.1)
        assert app.is_running
        check_invariants(app)
