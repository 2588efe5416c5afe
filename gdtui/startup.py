"""Opening the app without the cyclic garbage collector's passes.

Importing Textual and opening the first screen makes a few hundred thousand objects that live
as long as the app (modules, classes, styles, widgets) and frees almost none: the collector's
passes over them, a tenth of the start-up, find nothing. The command line pauses the collector
before it imports the app; the app resumes it once its first screen is laid out, freezing what
the start-up made (:func:`gc.freeze`) so that later passes, in run mode too, skip it.

The ``gdtui`` command starts here (:func:`main`), so that the command line's own imports (numpy,
the engine) are made without the passes too.
"""

from __future__ import annotations

import gc

paused = False
"""True while :func:`pause_collections` holds the collector off."""


def pause_collections() -> None:
    """Stop the cyclic garbage collector's automatic passes (if they run)."""
    global paused
    if gc.isenabled():
        gc.disable()
        paused = True


def main() -> int:
    """The ``gdtui`` command: :func:`gdtui.cli.main`, imported with the collector paused (the
    command line starts it again for what does not open the app)."""
    pause_collections()
    from gdtui.cli import main as command_line

    return command_line()


def resume_collections(freeze: bool = True) -> None:
    """Start the passes again if :func:`pause_collections` stopped them; with ``freeze``, the
    objects made so far are kept out of every later pass (they live as long as the app)."""
    global paused
    if paused:
        paused = False
        if freeze:
            gc.freeze()
        gc.enable()
