"""The Textual app. Importing this package imports Textual; the engine never does."""

from __future__ import annotations

from gdtui.app.app import GdtuiApp


def make_app(setup, engine=None) -> GdtuiApp:
    """The app factory, shared by the ``gdtui`` command and the tests."""
    return GdtuiApp(setup, engine)


def run_app(setup, engine=None) -> int:
    """Run the app in the terminal; return the exit code."""
    app = make_app(setup, engine)
    result = app.run()
    return 0 if result is None else int(result)


__all__ = ["GdtuiApp", "make_app", "run_app"]
