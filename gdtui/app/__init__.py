"""The Textual app. Importing this package imports Textual; the engine never does."""

from __future__ import annotations

import asyncio
import os
import signal
import threading

from gdtui.app.app import GdtuiApp

SIGNAL_GRACE = 3.0
"""Seconds the app has to end after SIGTERM or SIGHUP before the process ends regardless."""


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
    A terminal that hung up may take the output with it: if the app has not ended
    :data:`SIGNAL_GRACE` seconds after the signal, the signal ends the process as it
    would by default (so does a second one at once).
    """
    app = make_app(setup, engine, **options)
    received: list[int] = []
    watchdogs: list[threading.Timer] = []

    def stop(signum, _frame) -> None:
        received.append(signum)
        # The handler runs between the event loop's waits: wake it (an idle app has no timer
        # that would), and let it end the app as q does.
        try:
            asyncio.get_running_loop().call_soon_threadsafe(app.exit)
        except RuntimeError:  # no loop running yet (or any more)
            app.exit()
        signal.signal(signum, signal.SIG_DFL)
        watchdog = threading.Timer(SIGNAL_GRACE, os.kill, args=(os.getpid(), signum))
        watchdog.daemon = True
        watchdog.start()
        watchdogs.append(watchdog)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        app.run()
    finally:
        for watchdog in watchdogs:  # the app has ended and restored the terminal
            watchdog.cancel()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        return 128 + received[0]
    # Textual sets a non-zero return code when the app stopped on an unhandled error.
    return app.return_code or 0


__all__ = ["GdtuiApp", "make_app", "run_app"]
