"""A program under a pseudo-terminal, read continuously, with every byte time-stamped.

Used by ``bench_frames.py``. The child gets the pty as its controlling terminal
(``os.login_tty``: its own session, so its process group is its pid and can be
killed as a whole). The reader never lets the child's writes block unless a
link speed is set: then it reads at most that many bytes a second, as a slow
SSH link would drain them.

Frames are counted two ways:

- synchronized updates: the bytes between ``ESC[?2026h`` and ``ESC[?2026l``.
  Textual wraps each screen update in these only when the terminal answers its
  DECRQM query ``ESC[?2026$p``; ``answer_sync=True`` (the default) answers
  ``ESC[?2026;2$y`` ("supported, reset"), as kitty, WezTerm, iTerm2, foot or
  Windows Terminal do;
- bursts: output separated by at least ``BURST_GAP`` seconds of silence.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import re
import select
import signal
import struct
import termios
import time
from dataclasses import dataclass

from rich.cells import cell_len

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"
SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
BURST_GAP = 0.005
"""Seconds of silence that end a burst of output."""
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]"
                  rb"|\x1b[=>78]")

TOKEN = re.compile(r"\x1b\[([0-9;:?<=>]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                   r"|\x1b[()][0-9A-Za-z]|\x1b[^\[\]()]|\r|\n|[^\x1b\r\n]+")

_live: set[int] = set()
"""Process groups started here and not yet reaped (killed on exit)."""


def plain(data: bytes) -> str:
    """Terminal output without its escape sequences, as text."""
    return ANSI.sub(b"", data).decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Frame:
    """One synchronized update: when its end was read, and where it lies in the output."""

    time: float
    start: int
    end: int


class PtyTerm:
    """A child process on a pseudo-terminal of ``cols`` x ``rows``."""

    def __init__(self, argv: list[str], cols: int, rows: int, env: dict[str, str], cwd: str,
                 answer_sync: bool = True, link_bytes_per_s: float | None = None) -> None:
        self.answer_sync = answer_sync
        self.link = link_bytes_per_s
        self.buf = bytearray()
        self.chunks: list[tuple[float, int]] = []  # (read time, end offset in buf)
        self.frames: list[Frame] = []
        self.sync_replies = 0
        self._scan = 0  # where the next search for markers starts
        self._open_start: int | None = None
        self._tokens = 0.0
        self._last_refill = time.perf_counter()
        self.exit_status: int | None = None
        self._texts: dict[tuple[int, int], str] = {}
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.spawned = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: its own session, the pty its controlling terminal
            try:
                os.close(master)
                os.login_tty(slave)
                os.chdir(cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        os.close(slave)
        self.pid = pid
        self.fd = master
        _live.add(pid)
        os.set_blocking(master, False)

    # -- reading ---------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        if self.exit_status is not None:
            return False
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere (kill_all on a signal)
            pid, status = self.pid, -1
        if pid:
            self.exit_status = status
            _live.discard(self.pid)
            return False
        return True

    def pump(self, seconds: float, until=None) -> bool:
        """Read for ``seconds`` (or until ``until()`` is true); return whether ``until`` held."""
        deadline = time.perf_counter() + seconds
        while True:
            if until is not None and until():
                return True
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            if self.fd < 0:
                time.sleep(min(left, 0.01))
                continue
            wait = min(left, 0.05)
            if self.link is not None and self._budget() < 1:
                time.sleep(min(wait, 0.002))
                continue
            ready, _, _ = select.select([self.fd], [], [], wait)
            if ready:
                self._read()

    def _budget(self) -> float:
        now = time.perf_counter()
        self._tokens = min(self._tokens + (now - self._last_refill) * self.link,
                           max(self.link * 0.02, 4096))  # at most 20 ms of link in hand
        self._last_refill = now
        return self._tokens

    def _read(self) -> None:
        size = 65536 if self.link is None else max(1, int(self._budget()))
        try:
            data = os.read(self.fd, size)
        except BlockingIOError:
            return
        except OSError:  # EIO: the child closed its side
            data = b""
        if not data:
            os.close(self.fd)
            self.fd = -1
            return
        if self.link is not None:
            self._tokens -= len(data)
        now = time.perf_counter()
        self.buf += data
        self.chunks.append((now, len(self.buf)))
        self._parse(now)

    def _parse(self, now: float) -> None:
        buf = self.buf
        start = max(self._scan - len(SYNC_QUERY) + 1, 0)
        if self.answer_sync:
            i = buf.find(SYNC_QUERY, start)
            while i >= 0:
                self.send(SYNC_REPLY)
                self.sync_replies += 1
                i = buf.find(SYNC_QUERY, i + 1)
        pos = max(self._scan - len(SYNC_END) + 1, 0)
        while True:
            s = buf.find(SYNC_START, pos) if self._open_start is None else -1
            if s >= 0:
                self._open_start = s
                pos = s + len(SYNC_START)
            if self._open_start is None:
                break
            e = buf.find(SYNC_END, max(pos, self._open_start))
            if e < 0:
                break
            end = e + len(SYNC_END)
            self.frames.append(Frame(now, self._open_start, end))
            self._open_start = None
            pos = end
        self._scan = len(buf)

    # -- writing ---------------------------------------------------------------------
    def send(self, data: bytes) -> float:
        """Write ``data`` as typed keys; return the time it was written."""
        if self.fd >= 0:
            try:
                os.write(self.fd, data)
            except OSError:
                pass
        return time.perf_counter()

    # -- what was read ---------------------------------------------------------------
    def bytes_between(self, t0: float, t1: float) -> int:
        """Bytes read in the interval (t0, t1]."""
        before = after = 0
        for t, end in self.chunks:
            if t <= t0:
                before = end
            if t <= t1:
                after = end
            else:
                break
        return after - before

    def frames_between(self, t0: float, t1: float) -> list[Frame]:
        return [f for f in self.frames if t0 < f.time <= t1]

    def bursts(self) -> list[Frame]:
        """Bursts of output (ended by BURST_GAP of silence), as frames."""
        out = []
        start = 0
        for i, (t, end) in enumerate(self.chunks):
            nxt = self.chunks[i + 1][0] if i + 1 < len(self.chunks) else time.perf_counter()
            if nxt - t >= BURST_GAP:
                out.append(Frame(t, start, end))
                start = end
        return out

    def last_output(self) -> float:
        return self.chunks[-1][0] if self.chunks else self.spawned

    def quiet_for(self, seconds: float) -> bool:
        return time.perf_counter() - self.last_output() >= seconds

    def wait_quiet(self, seconds: float, timeout: float) -> bool:
        """Read until there was no output for ``seconds``; False on timeout."""
        return self.pump(timeout, lambda: self.quiet_for(seconds))

    def text(self, start: int = 0, end: int | None = None) -> str:
        return plain(bytes(self.buf[start:end]))

    def frame_text(self, frame: Frame) -> str:
        """A frame's text without escape sequences (kept: asked again while waiting)."""
        key = (frame.start, frame.end)
        if key not in self._texts:
            self._texts[key] = self.text(frame.start, frame.end)
        return self._texts[key]

    # -- ending ------------------------------------------------------------------------
    def close(self, quit_keys: bytes = b"q", grace: float = 3.0) -> None:
        """Ask the program to quit, then end its process group for sure."""
        try:
            if self.alive and quit_keys:
                self.send(quit_keys)
                self.pump(grace, lambda: not self.alive)
            for sig, wait in ((signal.SIGTERM, 1.0), (signal.SIGKILL, 2.0)):
                try:
                    os.killpg(self.pid, sig)  # the whole group, even if the leader is gone
                except ProcessLookupError:
                    break
                if self.alive:
                    self.pump(wait, lambda: not self.alive)
        finally:
            if self.alive:
                try:
                    os.waitpid(self.pid, 0)
                except ChildProcessError:
                    pass
                _live.discard(self.pid)
            if self.fd >= 0:
                os.close(self.fd)
                self.fd = -1


def kill_all() -> None:
    """End every process group started here that is still about (atexit, signals)."""
    for pid in list(_live):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        _live.discard(pid)


class ScreenModel:
    """Just enough of a terminal to tell whether an update changed what is on screen.

    It knows what Textual writes: absolute and relative cursor moves, SGR styles
    (kept as the raw parameters since the last reset), carriage return, line feed,
    erase in display, and text (widths as Rich, and so Textual, measure them;
    autowrap off). Everything else is skipped.
    """

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.blank = (" ", "")
        self.cells = [[self.blank] * cols for _ in range(rows)]
        self.row = self.col = 0
        self.style = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._carry = ""
        self.observer = None
        """If set, called as observer(row, col, nbytes, written, changed) for every token:
        escape sequences at the cursor they leave, characters at their cell."""

    def feed(self, data: bytes) -> int:
        """Apply ``data``; return how many cells changed."""
        text = self._carry + self._decoder.decode(data)
        self._carry = ""
        last_esc = text.rfind("\x1b")
        if last_esc >= 0 and TOKEN.match(text, last_esc) is None:  # cut short: keep for later
            text, self._carry = text[:last_esc], text[last_esc:]
        changed = 0
        observer = self.observer
        for match in TOKEN.finditer(text):
            token = match.group(0)
            if observer is not None and token[0] in "\x1b\r\n":
                self._observe_after(match, observer)
            if token[0] != "\x1b":
                if token == "\r":
                    self.col = 0
                elif token == "\n":
                    self.row = min(self.row + 1, self.rows - 1)
                else:
                    changed += self._put(token)
                continue
            final = match.group(2)
            if final is None:
                continue
            params = match.group(1)
            if params.startswith(("?", ">", "<", "=")):
                continue
            numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
            first = numbers[0] if numbers else 0
            if final == "m":
                self.style = "" if first == 0 and len(numbers) <= 1 else (
                    self.style + ";" + params if self.style else params)
            elif final in "Hf":
                self.row = min(max((numbers[0] if numbers and numbers[0] else 1) - 1, 0),
                               self.rows - 1)
                self.col = min(max((numbers[1] if len(numbers) > 1 and numbers[1] else 1) - 1,
                                   0), self.cols - 1)
            elif final == "A":
                self.row = max(self.row - max(first, 1), 0)
            elif final == "B":
                self.row = min(self.row + max(first, 1), self.rows - 1)
            elif final == "C":
                self.col = min(self.col + max(first, 1), self.cols - 1)
            elif final == "D":
                self.col = max(self.col - max(first, 1), 0)
            elif final == "G":
                self.col = min(max(first, 1) - 1, self.cols - 1)
            elif final == "d":
                self.row = min(max(first, 1) - 1, self.rows - 1)
            elif final == "J" and first == 2:
                for r in range(self.rows):
                    for c in range(self.cols):
                        if self.cells[r][c] != self.blank:
                            self.cells[r][c] = self.blank
                            changed += 1
        return changed

    def _observe_after(self, match, observer) -> None:
        """Report an escape sequence or line break at the cursor it leaves (a lookahead)."""
        token = match.group(0)
        row, col = self.row, self.col
        if token == "\r":
            col = 0
        elif token == "\n":
            row = min(row + 1, self.rows - 1)
        elif match.group(2) in ("H", "f"):
            numbers = [int(p) if p.isdigit() else 0 for p in match.group(1).split(";")]
            row = min(max((numbers[0] or 1) - 1, 0), self.rows - 1)
            col = min(max((numbers[1] if len(numbers) > 1 and numbers[1] else 1) - 1, 0),
                      self.cols - 1)
        observer(row, col, len(token), 0, 0)

    def _put(self, text: str) -> int:
        changed = 0
        line = self.cells[self.row]
        style = self.style
        observer = self.observer
        for ch in text:
            width = cell_len(ch)
            if width == 0:
                continue
            cell = (ch, style)
            differs = line[self.col] != cell
            if observer is not None:
                observer(self.row, self.col, len(ch.encode()), 1, int(differs))
            if differs:
                line[self.col] = cell
                changed += 1
            if width == 2 and self.col + 1 < self.cols:
                line[self.col + 1] = ("", style)
            self.col = min(self.col + width, self.cols - 1)
        return changed
