"""gdtui serve on real sockets and real app processes: who gets in, how many, who is left."""

import asyncio
import json
import os
import re
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from gdtui.serve import TRY_AGAIN_LATER, GdtuiServer
from gdtui.serve_child import child_command

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="process checks read /proc (Linux)")

APP = child_command(["--", "noisy-linear"])
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(autouse=True)
def in_tmp_path(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for a reaper counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


async def eventually(predicate, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


@pytest.fixture
async def serve():
    """Start an in-process GdtuiServer on a free port; its log lines are in ``server.lines``."""
    servers = []

    async def start(command=APP, **options):
        lines: list[str] = []
        server = GdtuiServer(command, host="127.0.0.1", port=0, log=lines.append, **options)
        server.lines = lines
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.close()


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


def origin(server) -> str:
    return f"http://127.0.0.1:{server.port}"


def ws_url(server, token: str | None = None) -> str:
    return f"http://127.0.0.1:{server.port}/ws/{token or server.token}?width=100&height=30"


async def read_until(ws, pattern: str, seconds: float = 30.0) -> str:
    """The terminal output (escape codes removed) up to where ``pattern`` appears."""
    text = ""
    deadline = time.monotonic() + seconds
    while not re.search(pattern, text):
        left = deadline - time.monotonic()
        assert left > 0, f"no {pattern!r} on the screen; it ends with {text[-400:]!r}"
        try:  # (receive's own timeout restarts at every ping from the server's heartbeat)
            message = await asyncio.wait_for(ws.receive(), left)
        except asyncio.TimeoutError:
            continue
        assert message.type == aiohttp.WSMsgType.BINARY, (message.type, message.data)
        text += ANSI.sub("", message.data.decode("utf-8", "ignore"))
    return text


async def test_the_page_needs_the_token(serve, http):
    server = await serve(command=["false"])
    base = f"http://127.0.0.1:{server.port}/"
    for query in ("", "?token=", "?token=x" + server.token, "?token=" + server.token[:-1]):
        async with http.get(base + query) as response:
            assert response.status == 403, query
            assert "token" in await response.text()
    async with http.get(server.url) as response:
        assert response.status == 200
        assert response.headers["Cache-Control"] == "no-store"
        page = await response.text()
    # The page's own websocket URL carries the token, on the host the page came from.
    assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws/{server.token}"' in page
    async with http.get(f"http://127.0.0.1:{server.port}/static/js/textual.js") as response:
        assert response.status == 200


async def test_the_websocket_needs_the_token_and_the_pages_origin(serve, http):
    server = await serve()
    port = server.port
    refused = [
        (f"http://127.0.0.1:{port}/ws", origin(server)),
        (f"http://127.0.0.1:{port}/ws?token=nope", origin(server)),
        (ws_url(server, "nope"), origin(server)),
        (ws_url(server), "http://evil.example"),
        (ws_url(server), f"http://127.0.0.1:{port + 1}"),
        (ws_url(server), f"https://127.0.0.1:{port}"),
        (ws_url(server), "null"),
        (ws_url(server), None),
    ]
    for url, their_origin in refused:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refusal:
            headers = {"Origin": their_origin} if their_origin else {}
            async with http.ws_connect(url, headers=headers, autoping=False):
                pass
        assert refusal.value.status == 403, (url, their_origin)
    assert server.sessions == {} and not any("started" in line for line in server.lines)
    assert sum("refused a websocket from origin" in line for line in server.lines) == 5


async def test_the_right_token_gets_the_app_which_may_not_write(serve, http):
    server = await serve()
    async with http.ws_connect(ws_url(server), origin=origin(server)) as ws:
        assert "Parameters" in await read_until(ws, "Parameters")
        await ws.send_str(json.dumps(["stdin", "s"]))
        await read_until(ws, r"Update into iteration 1|Iteration\s+1\b")
        (session,) = server.sessions.values()
        environ = Path(f"/proc/{session.pid}/environ").read_bytes().split(b"\0")
        assert b"GDTUI_WRITES=off" in environ
        assert not any(v.startswith(b"GDTUI_WRITE_DIR=") for v in environ)
        folder = Path(os.readlink(f"/proc/{session.pid}/cwd"))
        assert folder != Path.cwd() and list(folder.iterdir()) == []
    assert await eventually(lambda: not folder.exists() and not server.sessions)


REFUSALS = {  # the keys of each write, and the app's notice that it was refused
    # A served session offers no write: e says why instead of asking for a name, the
    # command's dialog says it instead of offering w (pressed anyway), ctrl+s says it.
    "export": (["e"], r"Nothing exported: file writes are off"),
    "script": (["y", "w"], r"Not written: file writes are off"),
    "screenshot": (["\x13"], r"Could not save the screenshot|Screenshot not saved"),
}


@pytest.mark.parametrize("write", REFUSALS)
async def test_a_served_app_cannot_export_write_a_script_or_save_a_screenshot(serve, http,
                                                                            tmp_path, write):
    server = await serve()
    presses, refused = REFUSALS[write]
    async with http.ws_connect(ws_url(server), origin=origin(server)) as ws:
        await read_until(ws, "Parameters")
        (session,) = server.sessions.values()
        folder = Path(os.readlink(f"/proc/{session.pid}/cwd"))
        for keys in presses[:-1]:  # typed apart, as a browser sends them
            await ws.send_str(json.dumps(["stdin", keys.format(target=tmp_path / "h.csv")]))
            await read_until(ws, ".")  # handled: the screen changed
        await ws.send_str(json.dumps(["stdin", presses[-1]]))
        await read_until(ws, refused)
        assert session.process.returncode is None  # refused, not crashed
        assert list(folder.iterdir()) == []
    assert list(tmp_path.iterdir()) == []


async def test_allow_writes_gives_the_app_its_folder(serve, http, tmp_path):
    server = await serve(write_root=tmp_path)
    async with http.ws_connect(ws_url(server), origin=origin(server)) as ws:
        await read_until(ws, "Parameters")
        (session,) = server.sessions.values()
        environ = Path(f"/proc/{session.pid}/environ").read_bytes().split(b"\0")
        assert f"GDTUI_WRITE_DIR={tmp_path}".encode() in environ
        assert not any(v.startswith(b"GDTUI_WRITES=") for v in environ)
        assert Path(os.readlink(f"/proc/{session.pid}/cwd")) == tmp_path
    assert await eventually(lambda: not server.sessions)
    assert tmp_path.is_dir()


async def test_sessions_beyond_the_cap_are_refused_without_a_process(serve, http):
    server = await serve(max_sessions=1)
    async with http.ws_connect(ws_url(server), origin=origin(server)) as first:
        await read_until(first, "Parameters")
        async with http.ws_connect(ws_url(server), origin=origin(server)) as second:
            message = await second.receive(timeout=10)
            assert message.type == aiohttp.WSMsgType.CLOSE
            assert second.close_code == TRY_AGAIN_LATER
            assert "all 1 sessions are in use" in message.extra
        async with http.get(server.url) as page:
            assert page.status == 503 and "in use" in await page.text()
        assert len(server.sessions) == 1
        assert sum("started" in line for line in server.lines) == 1
    assert await eventually(lambda: server.active == 0)
    async with http.ws_connect(ws_url(server), origin=origin(server)) as again:
        await read_until(again, "Parameters")  # the slot is free again


async def test_a_closed_browser_ends_its_app_within_seconds(serve, http):
    server = await serve()
    async with http.ws_connect(ws_url(server), origin=origin(server)) as ws:
        await read_until(ws, "Parameters")
        await ws.send_str(json.dumps(["stdin", " "]))  # running when the browser goes
        (session,) = server.sessions.values()
        pid = session.pid
        assert alive(pid)
    gone = time.monotonic()
    assert await eventually(lambda: not alive(pid), 5.0)
    assert time.monotonic() - gone < 3.0


async def test_a_browser_that_vanishes_without_closing_ends_its_app(serve):
    server = await serve()
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write((f"GET /ws/{server.token}?width=80&height=24 HTTP/1.1\r\n"
                  f"Host: 127.0.0.1:{server.port}\r\nOrigin: {origin(server)}\r\n"
                  "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    assert (await reader.readline()).startswith(b"HTTP/1.1 101")
    assert await eventually(lambda: len(server.sessions) == 1)
    (session,) = server.sessions.values()
    await reader.readuntil(b"Parameters")  # the app is up
    writer.transport.abort()  # no close frame: the TCP connection is reset
    assert await eventually(lambda: not alive(session.pid), 5.0)


STUBBORN = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
helper = subprocess.Popen([sys.executable, "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"])
payload = ("helper %d" % helper.pid).encode()
sys.stdout.buffer.write(b"__GANGLION__\\n" + b"D" + len(payload).to_bytes(4, "big") + payload)
sys.stdout.flush()
while True:
    time.sleep(1)
"""


async def test_an_app_that_ignores_quit_and_sigterm_is_killed_with_its_group(serve, http,
                                                                            tmp_path):
    script = tmp_path / "stubborn.py"
    script.write_text(STUBBORN, encoding="utf-8")
    server = await serve(command=[sys.executable, str(script)], quit_grace=0.5, term_grace=0.5)
    async with http.ws_connect(ws_url(server), origin=origin(server)) as ws:
        message = await ws.receive(timeout=20)
        helper = int(message.data.decode().split()[1])
        (session,) = server.sessions.values()
        pid = session.pid
    assert await eventually(lambda: not alive(pid) and not alive(helper), 4.0)
    log = "\n".join(server.lines)
    assert "sending SIGTERM" in log and "sending SIGKILL" in log


async def test_an_app_that_stops_reading_its_input_is_ended(serve, http, tmp_path):
    script = tmp_path / "stubborn.py"
    script.write_text(STUBBORN, encoding="utf-8")  # it never reads stdin
    server = await serve(command=[sys.executable, str(script)], quit_grace=0.5, term_grace=0.5,
                         stuck_input=0.5)
    async with http.ws_connect(ws_url(server), origin=origin(server)) as ws:
        await ws.receive(timeout=20)
        (session,) = server.sessions.values()
        for _ in range(8):  # 512 KB of keys: more than the pipe and its buffer hold
            await ws.send_str(json.dumps(["stdin", "s" * 65536]))
        message = await asyncio.wait_for(ws.receive(), 10)
        assert message.type == aiohttp.WSMsgType.CLOSE
    assert await eventually(lambda: not alive(session.pid), 4.0)
    assert any("not reading its input" in line for line in server.lines)


async def test_closing_the_server_ends_every_app(serve, http):
    server = await serve()
    sockets = [await http.ws_connect(ws_url(server), origin=origin(server)) for _ in range(2)]
    for ws in sockets:
        await read_until(ws, "Parameters")
    pids = [s.pid for s in server.sessions.values()]
    assert len(pids) == 2 and all(map(alive, pids))
    await server.close()
    assert not any(map(alive, pids)) and server.sessions == {}
    for ws in sockets:
        await ws.close()


async def start_gdtui_serve(*words: str):
    """``python -m gdtui serve WORDS`` as a process, its URL, and its stderr lines as they come.

    Its sessions' temporary folders go in the test's folder (a killed server leaves them).
    """
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gdtui", "serve", *words,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "TMPDIR": os.getcwd()})
    lines: list[str] = []

    async def collect():
        while line := await process.stderr.readline():
            lines.append(line.decode())

    collector = asyncio.create_task(collect())
    assert await eventually(lambda: any("?token=" in line for line in lines), 30.0), lines
    url = next(line.strip() for line in lines if "?token=" in line)
    return process, url, lines, collector


def free_port() -> int:
    """A port that was free a moment ago (bind port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def started_pids(lines: list[str]) -> list[int]:
    return [int(m[1]) for line in lines if (m := re.search(r"started: pid (\d+)", line))]


async def test_gdtui_serve_takes_abbreviations_and_ctrl_c_ends_every_app(http):
    port = free_port()
    process, url, lines, collector = await start_gdtui_serve(
        "--po", str(port), "--max-s", "2", "--opt", "momentum")  # abbreviations
    try:
        assert url.startswith(f"http://127.0.0.1:{port}/?token=")
        token = url.split("token=")[1]
        here = f"http://127.0.0.1:{port}"
        sockets = [await http.ws_connect(f"{here}/ws/{token}", origin=here) for _ in range(2)]
        for ws in sockets:
            await read_until(ws, "Parameters")  # no "unrecognized arguments"
        pids = started_pids(lines)
        assert len(pids) == 2 and all(map(alive, pids))
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 10) == 0
        assert not any(map(alive, pids))
        for ws in sockets:
            await ws.close()
    finally:
        if process.returncode is None:
            process.kill()
        await collector


async def test_a_killed_server_takes_its_apps_with_it(http):
    port = free_port()
    process, url, lines, collector = await start_gdtui_serve("--port", str(port))
    try:
        here = f"http://127.0.0.1:{port}"
        async with http.ws_connect(f"{here}/ws/{url.split('token=')[1]}", origin=here) as ws:
            await read_until(ws, "Parameters")
            (pid,) = started_pids(lines)
            process.kill()  # SIGKILL: the server cleans nothing up
            await process.wait()
            assert await eventually(lambda: not alive(pid), 3.0)
    finally:
        if process.returncode is None:
            process.kill()
        await collector
