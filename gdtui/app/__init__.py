"""The Textual app. Importing this package imports Textual; the engine never does."""

from __future__ import annotations

import signal

from gdtui.app.app import GdtuiApp


def make_app(setup, engine=None, **options) -> GdtuiApp:
    """The app factory, shared by the ``gdtui`` command and the tests.

    ``options`` are passed to :class:`GdtuiApp`: ``mode`` ("main", "compare",
    "race" or "tour"), ``rates`` for the comparison, ``optimizers`` for the race,
    ``lesson`` for the tour, ``driver_class`` to capture output (recording).
    """
    return GdtuiApp(setup, engine, **options)


def run_app(setup, engine=None, **options) -> int:
    """Run the app in the terminal; return the exit code.

    SIGTERM and SIGHUP end the app the way q does, so the terminal is restored
    (main screen, cursor, mouse reporting off); the exit code is then 128 + the signal.
    """
    app = make_app(setup, engine, **options)
    received: list[int] = []

    def stop(signum, _frame) -> None:
        received.append(signum)
        app.exit()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        app.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        return 128 + received[0]
    # Textual sets a non-zero return code when the app stopped on an unhandled error.
    return app.return_code or 0


__all__ = ["GdtuiApp", "make_app", "run_app"]
