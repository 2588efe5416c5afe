"""The app's defaults: iris petals in data units, and auto's choice said on screen."""

from gdtui.app.widgets.readout_panes import MathPane, ParametersPane
from tests.conftest import app_for


async def test_the_default_run_is_in_data_units_and_says_why():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        engine = app.main_screen.engine
        assert app.main_screen.setup.dataset.name == "iris-petals" and not engine.standardize
        text = " ".join(app.query_one(MathPane).text.split())
        limit = 1 / engine.stability(False).lambda_max
        assert "Data units (auto: raw κ 105 ≤ 300); α 0.0200: 1-2-5 value ≤ 1/λmax = " \
               f"{limit:.4f}" in text
        assert "m_z" not in text and "∂J/∂m =" in text
        assert "off (auto)" in app.query_one(ParametersPane).render().plain
        await pilot.press("s")
        assert "Data units" not in app.query_one(MathPane).text  # said once, at the start
        # y's command names the rate and the units it resolved to, so it reproduces the run.
        command = app.main_screen.reproduce_command()
        assert "--lr 0.02" in command and "--no-standardize" in command


async def test_auto_standardizing_says_so_on_screen():
    app = app_for("heights-weights")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.main_screen.engine.standardize
        text = " ".join(app.query_one(MathPane).text.split())
        assert "Standardized (auto: raw κ 1.1e+07 > 300); z switches units." in text
