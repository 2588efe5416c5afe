"""One ``gdtui serve`` session: its app process, and the relay between it and the browser.

Messages follow textual-serve's protocol: the browser sends JSON envelopes over the
websocket; the app reads packets (kind byte, 4-byte length, payload) on its stdin and
writes the same framing on its stdout, after Textual's web driver announces itself.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Session:
    """One browser session: its websocket and its app process."""

    number: int
    process: asyncio.subprocess.Process
    websocket: object
    folder: Path
    temporary_folder: bool
    started: float = field(default_factory=time.monotonic)
    ending: asyncio.Task | None = None
    stderr: bytearray = field(default_factory=bytearray)
    log: Callable[[str], None] = print
    """Where the server logs (one line each)."""
    stuck_input: float = 5.0
    """Seconds the app may leave a full input pipe unread before the session is ended."""

    @property
    def pid(self) -> int:
        return self.process.pid

    async def send(self, kind: bytes, payload: bytes) -> None:
        """Write one packet to the app's stdin (textual-serve's framing)."""
        stdin = self.process.stdin
        if stdin is None or stdin.is_closing():
            return
        try:
            stdin.write(kind + len(payload).to_bytes(4, "big") + payload)
            # drain() waits only when the pipe and the buffer behind it are full: an
            # app that leaves that much input unread for seconds is stuck.
            await asyncio.wait_for(stdin.drain(), self.stuck_input)
        except asyncio.TimeoutError:  # (before OSError, of which it is a subclass)
            self.log(f"session {self.number}: the app is not reading its input; ending it")
            await self.websocket.close()
        except (OSError, RuntimeError):
            pass  # the app has gone; the output side notices and closes the socket

    async def pump_input(self) -> None:
        """Browser → app, until the websocket closes."""
        from aiohttp import WSMsgType

        async for message in self.websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1]
            except (ValueError, TypeError, KeyError, IndexError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await self.send(b"D", data.encode("utf-8", "surrogateescape"))
            elif kind == "resize" and isinstance(data, dict):
                meta = {"type": "resize",
                        "width": int_in(data.get("width"), 80, 10, 1000),
                        "height": int_in(data.get("height"), 24, 4, 500)}
                await self.send(b"M", json.dumps(meta).encode())
            elif kind in ("focus", "blur"):
                await self.send(b"M", json.dumps({"type": kind}).encode())
            elif kind == "ping":
                await self.websocket.send_json(["pong", data])

    async def pump_output(self) -> None:
        """App → browser, until the app's stdout ends; then close the websocket."""
        stdout = self.process.stdout
        websocket = self.websocket
        started = False
        try:
            for _ in range(100):  # Textual's web driver announces itself first
                line = await stdout.readline()
                if not line or line == b"__GANGLION__\n":
                    started = line == b"__GANGLION__\n"
                    break
            if not started:
                await self.process.wait()
                await asyncio.sleep(0.1)  # let the stderr reader catch up
                text = self.stderr.decode("utf-8", "replace").strip() or "no output"
                self.log(f"session {self.number}: the app did not start: {text}")
                await forward(websocket.send_bytes,
                               ("gdtui could not start: " + text).replace("\n", "\r\n").encode())
                return
            while True:
                head = await stdout.readexactly(5)
                payload = await stdout.readexactly(int.from_bytes(head[1:], "big"))
                kind = head[:1]
                if kind == b"D":
                    await forward(websocket.send_bytes, payload)
                elif kind == b"M":
                    meta = json.loads(payload)
                    if not isinstance(meta, dict):
                        continue
                    if meta.get("type") == "exit":
                        break
                    if meta.get("type") == "open_url":
                        await forward(websocket.send_str, json.dumps(
                            ["open_url", {"url": meta.get("url"),
                                          "new_tab": meta.get("new_tab", True)}]))
                # b"P" (file delivery chunks) is not served: sessions do not hand out files.
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            if not websocket.closed:
                await websocket.close()

    async def collect_stderr(self) -> None:
        """Keep the app's stderr (the last 16 KB) and log its first lines."""
        logged = 0
        while line := await self.process.stderr.readline():
            self.stderr += line
            del self.stderr[:-16384]
            if logged < 20:
                logged += 1
                self.log(f"session {self.number}: "
                         f"{line.decode('utf-8', 'replace').rstrip()}")


async def forward(send, data) -> None:
    """Send to the browser; a socket that has gone is not an error (the app is ended anyway)."""
    try:
        await send(data)
    except (ConnectionError, RuntimeError):
        pass


def int_in(value, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default
