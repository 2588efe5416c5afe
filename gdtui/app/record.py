"""Record a scripted run of the app as an asciicast v2 file (``asciinema play`` replays it).

The app runs headless at a fixed size; after every key and every frame interval
the screen is rendered exactly as a terminal would receive it (the same
compositor output Textual writes to a real terminal), so the recording holds
real frames of the app, not a mock-up.
"""

from __future__ import annotations

import io
import json
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

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


def render_frame(app, width: int, height: int) -> str:
    """The screen as the escape sequences a terminal of this size would receive."""
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", legacy_windows=False, safe_box=False)
    update = app.screen._compositor.render_update(full=True,
                                                  screen_stack=app._background_screens)
    console.print(update, end="")
    return "\x1b[H" + console.file.getvalue()


async def record(app, presses: list[KeyPress], width: int, height: int,
                 fps: float = 8.0) -> list[tuple[float, str]]:
    """Run ``app`` headless through ``presses`` and return (seconds, frame) events."""
    events: list[tuple[float, str]] = []
    last = None
    start = time.monotonic()

    def capture() -> None:
        nonlocal last
        frame = render_frame(app, width, height)
        if frame != last:
            events.append((round(time.monotonic() - start, 3), frame))
            last = frame

    async with app.run_test(size=(width, height)) as pilot:
        await pilot.pause()
        capture()
        for press in presses:
            if not app.is_running:
                break
            await pilot.press(press.key)
            if not app.is_running:
                break
            capture()
            ticks = int(press.hold * fps)
            for _ in range(ticks):
                await pilot.pause(1.0 / fps)
                capture()
    return events


def write_cast(path: Path, events, width: int, height: int, title: str) -> Path:
    """Write an asciicast v2 file atomically."""
    header = {"version": 2, "width": width, "height": height, "timestamp": int(time.time()),
              "title": title, "env": {"TERM": "xterm-256color", "SHELL": "/bin/sh"}}
    lines = [json.dumps(header)]
    lines += [json.dumps([t, "o", data]) for t, data in events]
    return write_atomically(path, "\n".join(lines) + "\n")
