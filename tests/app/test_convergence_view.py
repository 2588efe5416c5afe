"""k: the convergence view, its numbers from the run, and plain words where it does not apply."""

import numpy as np
import pytest
from textual.widgets import ContentSwitcher

from gdtui.app.widgets.convergence import ConvergencePane
from tests.conftest import app_for


async def test_k_shows_the_factors_of_the_run_and_k_again_goes_back():
    app = app_for("--synthetic", "n=60", "--no-standardize", "--lr", "0.01")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "k")  # from the surface
        switcher = app.main_screen.query_one(ContentSwitcher)
        assert switcher.current == "convergence"
        pane = app.main_screen.query_one(ConvergencePane)
        engine = app.main_screen.engine
        lam = np.linalg.eigvalsh(engine.model().hessian())
        rate = max(abs(1 - 0.01 * lam))
        assert pane.full_border() == "Error ×/step vs α: |1−αλ|"
        assert f"green α 0.01 → ×{rate:.3g} · red 2/λmax {2 / lam[-1]:.3g}" in \
            pane.full_border("border_subtitle")
        draws = pane.draws
        await pilot.press("plus")  # α doubled: the mark moves
        assert pane.draws > draws
        rate = max(abs(1 - 0.02 * lam))
        assert f"green α 0.02 → ×{rate:.3g}" in pane.full_border("border_subtitle")
        await pilot.press("o")
        assert pane.full_border() == "Error ×/step vs α: momentum, β 0.9"
        await pilot.press("k")
        assert switcher.current == "surface"


@pytest.mark.parametrize("args, words", [
    (("--optimizer", "adam"), "does not apply to adagrad, rmsprop or adam"),
    (("--loss", "mae"), "MAE has no Hessian"),
])
async def test_where_the_picture_does_not_apply_it_says_so(args, words):
    app = app_for("--synthetic", "n=40", *args)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("k")
        pane = app.main_screen.query_one(ConvergencePane)
        assert words in pane.message
        assert words.split()[0] in str(pane.render())
