"""Reading a large data file in a second process while this one imports the app.

A file of a million rows takes about a quarter of a second to read (most of it importing the
reader, :func:`gdtui.loading.table_chunks`), and the app's modules (Textual, plotext) as long
again to import: both are Python work that one process does one after the other. On a machine
with a second core, a child process (:func:`os.fork`) reads the file while the parent imports;
the child hands the loaded setup back through a pipe (pickled) and ends.

Whatever goes wrong in the child (a crash, Ctrl-C, a result that cannot be sent) costs only
time: the parent then reads the file itself, as it would have without the child, and says the
same errors in the same words. An error the child met reading the file (a :class:`GdtuiError`)
is raised in the parent as it is.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

from gdtui.errors import GdtuiError
from gdtui.loading import PANDAS_FROM


def worth_it(source: str | None) -> bool:
    """Whether reading ``source`` beside the imports saves time: a regular file large enough
    for the C reader that takes a moment to import, on a machine with a second core and fork."""
    if source is None or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return False
    try:
        path = Path(source).expanduser()
        return path.is_file() and path.stat().st_size >= PANDAS_FROM
    except (OSError, ValueError):
        return False


class Beside:
    """``load()`` run in a child process from the start; :meth:`result` waits for it."""

    def __init__(self, load: Callable[[], object]) -> None:
        self.load = load
        sys.stdout.flush()
        sys.stderr.flush()  # (nothing written before the fork is written twice)
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: load, send, end without the parent's exit handlers
            os.close(read)
            os._exit(self.send(write))
        os.close(write)
        self.read = read

    def send(self, fd: int) -> int:
        """(In the child.) Load and write the pickled outcome to ``fd``; the exit status."""
        try:
            try:
                outcome = ("value", self.load())
            except GdtuiError as exc:
                outcome = ("error", exc)
            with os.fdopen(fd, "wb") as pipe:
                pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            return 0
        except BaseException:  # (the parent loads the file itself and meets the same)
            return 1

    def result(self):
        """What ``load()`` returned (or raised, for a GdtuiError); loaded here if the child
        failed to say."""
        outcome = None
        try:
            with os.fdopen(self.read, "rb") as pipe:
                outcome = pickle.load(pipe)
        except (EOFError, OSError, pickle.UnpicklingError, AttributeError, TypeError,
                ValueError):
            outcome = None
        finally:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
        kind, value = outcome if outcome is not None else (None, None)
        if kind == "value":
            return value
        if kind == "error" and isinstance(value, GdtuiError):
            raise value
        return self.load()
