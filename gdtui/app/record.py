"""Record a scripted run of the app as an asciicast v2 file (``asciinema play`` replays it).

The app runs at a fixed size with :class:`CaptureDriver`, a Textual
``HeadlessDriver`` whose ``write()`` keeps what a terminal would receive: every
byte Textual writes, with its time. The recording therefore holds the app's real
output (full frames and the partial updates after them), not a mock-up.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from textual.drivers.headless_driver import HeadlessDriver

from gdtui.atomic import write_atomically
from gdtui.errors import ConfigError

DEFAULT_SCRIPT = ("s:0.7 s:0.7 s:0.7 space:3 space:0.7 c:1.5 s:0.7 s:0.7 l:1 "
                  "a:1 s:0.6 s:0.6 s:0.6 space:2.5 escape:1 v:1 space:3 escape:1 q")
"""The built-in demo: step, run, the cost surface, the log scale, the comparison, the race."""


@dataclass(frozen=True)
class KeyPress:
    """One key of a script and how long to keep recording after it."""

    key: str
    hold: float


def parse_keys(script: str, default_hold: float = 0.5) -> list[KeyPress]:
    """Parse ``key[:seconds] ...`` (Textual key names: s, space, left, escape, ctrl+s...).

    Raises
    ------
    ConfigError
        For an empty script or a hold that is not a non-negative number.
    """
    presses = []
    for token in script.split():
        key, _, hold = token.partition(":")
        if not key:
            raise ConfigError(f"--keys: {token!r} has no key before the colon")
        try:
            seconds = float(hold) if hold else default_hold
        except ValueError:
            raise ConfigError(f"--keys: {token!r}: {hold!r} is not a number of seconds") from None
        if not 0 <= seconds <= 600:
            raise ConfigError(f"--keys: {token!r}: hold must be 0 to 600 seconds")
        presses.append(KeyPress(key, seconds))
    if not presses:
        raise ConfigError("--keys: the script is empty")
    return presses


class CaptureDriver(HeadlessDriver):
    """A headless driver that keeps what a terminal would receive, with the time of each write.

    Textual writes to the terminal only when the driver is not headless, so this
    driver says it is not; it still reads no keys and touches no terminal. Make a
    subclass bound to a list with :meth:`into`.
    """

    writes: list[tuple[float, str]] = []
    started = 0.0

    @classmethod
    def into(cls, writes: list[tuple[float, str]]) -> type[CaptureDriver]:
        """A driver class whose writes go to ``writes`` as (seconds, text)."""
        return type("BoundCaptureDriver", (cls,), {"writes": writes,
                                                   "started": time.monotonic()})

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        if data:
            self.writes.append((time.monotonic() - self.started, data))

    def flush(self) -> None:
        """Nothing is buffered."""


async def record(app, writes: list[tuple[float, str]], presses: list[KeyPress], width: int,
                 height: int, settle: float = 0.05, progress=None) -> list[tuple[float, str]]:
    """Run ``app`` (made with ``driver_class=CaptureDriver.into(writes)``) through ``presses``.

    Returns the (seconds, text) events a terminal of ``width``×``height`` would have
    received, each key held for its time. ``progress(done, total, key)`` is called
    before each key.
    """
    async with app.run_test(headless=False, size=(width, height)) as pilot:
        await pilot.pause(settle)
        for done, press in enumerate(presses):
            if not app.is_running:
                break
            if progress is not None:
                progress(done, len(presses), press.key)
            await pilot.press(press.key)
            if not app.is_running:
                break
            await pilot.pause(press.hold)
    return _merge(writes)


_CONTROLS = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-_])")
"""Escape sequences (CSI, OSC, two-byte): what remains after removing them is visible text."""


def _merge(writes, gap: float = 0.005) -> list[tuple[float, str]]:
    """One event per frame: writes closer than ``gap`` seconds (a frame and its cursor
    moves) join the event before them; frames in run mode are 1/60 s apart (``--fps``)."""
    events: list[tuple[float, str]] = []
    last = -1.0
    carry = ""  # settings with nothing to see (pointer shape, modes) go with the next frame
    for t, data in writes:
        if events and t - last <= gap:
            events[-1] = (events[-1][0], events[-1][1] + data)
        elif not _CONTROLS.sub("", data).strip():
            carry += data
            continue
        else:
            events.append((round(t, 3), carry + data))
            carry = ""
        last = t
    if carry:
        events.append((round(last, 3), carry))
    return events


def write_cast(path: Path, events, width: int, height: int, title: str, *,
               overwrite: bool = False) -> Path:
    """Write an asciicast v2 file atomically (an existing file only with ``overwrite``)."""
    header = {"version": 2, "width": width, "height": height, "timestamp": int(time.time()),
              "title": title, "env": {"TERM": "xterm-256color", "SHELL": "/bin/sh"}}
    lines = [json.dumps(header)]
    lines += [json.dumps([t, "o", data]) for t, data in events]
    return write_atomically(path, "\n".join(lines) + "\n", overwrite=overwrite)
