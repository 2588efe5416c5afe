"""``gdtui serve``: the app in web browsers, one app process per browser session.

The page and its JavaScript terminal are textual-serve's (its template and
static files); the app process speaks textual-serve's protocol through
Textual's web driver. The HTTP side is a small aiohttp server of our own,
because textual-serve's ``Server`` has no place for what a shared machine needs
(see :class:`GdtuiServer`):

- a per-server random token, required by the page (``/?token=...``) and by the
  websocket (``/ws/TOKEN``), printed at start as Jupyter does;
- the websocket's ``Origin`` must be the page's own origin;
- at most ``max_sessions`` app processes at once;
- each session's app gets the write policy of :mod:`gdtui.policy` (no file
  writes unless ``--allow-writes DIR``), enforced for its whole process by
  :func:`gdtui.policy.install_write_guard`, and runs in its own process group that
  is ended, SIGTERM then SIGKILL, when its browser goes away or the server stops;
  it is also killed by the kernel if the server dies without cleaning up.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gdtui.errors import EXIT_OK, EXIT_USAGE
from gdtui.serve_child import app_arguments, child_command, child_environment, kill_group
from gdtui.serve_session import Session, int_in

DEFAULT_MAX_SESSIONS = 4
QUIT_GRACE = 2.0
"""Seconds an app has to quit after being asked (and its stdin closed)."""
TERM_GRACE = 2.0
"""Then seconds it has after SIGTERM to its process group, before SIGKILL."""
STUCK_INPUT = 5.0
"""Seconds an app may leave a full input pipe unread before its session is ended."""
HEARTBEAT = 5.0
"""Websocket ping interval: a browser that vanishes without closing is noticed
after about 1.5 times this."""
LOOPBACK = ("127.0.0.1", "localhost", "::1")
TRY_AGAIN_LATER = 1013  # websocket close code


def same_origin(origin: str | None, host: str | None, scheme: str = "http") -> bool:
    """Whether ``origin`` (an Origin header) is ``scheme://host`` (the request's Host header).

    The page builds its websocket URL from the Host it was loaded from, so a
    page of this server always sends its own origin; a page of another site
    sends that site's. Scheme, host and port must all match; no Origin at all
    is refused.
    """
    from urllib.parse import urlsplit

    if not origin or not host:
        return False
    default = {"http": 80, "https": 443}.get(scheme)
    try:
        theirs, ours = urlsplit(origin), urlsplit(f"{scheme}://{host}")
        return (theirs.scheme == scheme and theirs.path in ("", "/")
                and not theirs.query and not theirs.fragment and theirs.username is None
                and (theirs.hostname or "") == (ours.hostname or "") != ""
                and (theirs.port or default) == (ours.port or default))
    except ValueError:
        return False


def url_host(host: str) -> str:
    """``host`` as it goes in a URL (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class GdtuiServer:
    """Serve the app to browsers: token, Origin check, session cap, process clean-up.

    textual-serve's ``Server`` could not be subclassed for this without its
    private methods: its routes are fixed in ``_make_app`` (``/ws`` with no
    token), its page's JavaScript appends ``?width=..`` to the websocket URL (so
    a ``?token=`` there would be corrupted), its ``handle_websocket`` starts
    every connection's process with no check and no limit, through
    ``/bin/sh -c`` (so the pid it holds is the shell's) in the server's own
    process group, and on disconnect it only sends "quit" and waits, for ever,
    with nothing to stop an app that does not quit. So this server reuses only
    textual-serve's page template and static files, and speaks the same
    protocol to the app process as its ``AppService``.

    Parameters
    ----------
    command
        The app process's command line (see :func:`child_command`).
    host, port
        Where to listen; port 0 picks a free port (see :attr:`port` after
        :meth:`start`).
    max_sessions
        App processes allowed at once; more connections are refused.
    write_root
        The folder sessions may write in, or None for no file writes.
    token
        The secret every URL must carry (default: a new random one).
    quit_grace, term_grace, stuck_input
        Seconds before SIGTERM, then SIGKILL, when an app is asked to end; and
        seconds an app may leave a full input pipe unread before its session ends.
    """

    def __init__(self, command: list[str], *, host: str = "127.0.0.1", port: int = 8000,
                 max_sessions: int = DEFAULT_MAX_SESSIONS, write_root: Path | None = None,
                 token: str | None = None, title: str = "gdtui",
                 quit_grace: float = QUIT_GRACE, term_grace: float = TERM_GRACE,
                 stuck_input: float = STUCK_INPUT,
                 log: Callable[[str], None] | None = None) -> None:
        self.command = list(command)
        self.host = host
        self.port = port
        self.max_sessions = max_sessions
        self.write_root = write_root
        self.token = token or secrets.token_urlsafe(32)
        self.title = title
        self.quit_grace = quit_grace
        self.term_grace = term_grace
        self.stuck_input = stuck_input
        self.log = log or (lambda line: print(f"gdtui serve: {line}", file=sys.stderr,
                                               flush=True))
        self.sessions: dict[int, Session] = {}
        self.active = 0  # connections holding a session slot (counted before any await)
        self.closing = False
        self._numbers = itertools.count(1)
        self._runner = None
        self._template = None

    # -- URLs and checks --------------------------------------------------------
    @property
    def url(self) -> str:
        """The URL to open in a browser, token included."""
        return f"http://{url_host(self.host)}:{self.port}/?token={self.token}"

    def token_ok(self, candidate: str | None) -> bool:
        """Whether ``candidate`` is this server's token (compared in constant time)."""
        return candidate is not None and secrets.compare_digest(
            candidate.encode("utf-8", "surrogateescape"), self.token.encode("utf-8"))

    def full(self) -> bool:
        return self.closing or self.active >= self.max_sessions

    # -- HTTP -------------------------------------------------------------------
    def make_app(self):
        """The aiohttp application: the page, the websocket, textual-serve's static files."""
        from aiohttp import web

        static = Path(_textual_serve_folder()) / "static"
        app = web.Application()
        app.add_routes([
            web.get("/", self.handle_index),
            web.get("/ws", self.handle_websocket),
            web.get("/ws/{token}", self.handle_websocket),
            web.static("/static", static, show_index=False, follow_symlinks=False),
        ])
        return app

    def _forbidden(self, why: str):
        from aiohttp import web

        return web.Response(status=403, text=f"gdtui serve: {why}\n")

    async def handle_index(self, request):
        """The page, when the URL carries the token."""
        from aiohttp import web

        if not self.token_ok(request.query.get("token")):
            return self._forbidden("open the URL with the token that gdtui serve printed "
                                   "when it started (.../?token=...)")
        if self.full():
            return web.Response(status=503, text=self._busy_text() + "\n")
        try:
            font_size = min(max(int(request.query.get("fontsize", "16")), 6), 64)
        except ValueError:
            font_size = 16
        html = self.template().render(
            font_size=font_size,
            app_websocket_url=f"ws://{request.host}/ws/{self.token}",
            config={"static": {"url": "/static/"}},
            application={"name": self.title},
            ping_url="",
        )
        return web.Response(text=html, content_type="text/html", headers={
            "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY",
        })

    def template(self):
        if self._template is None:
            import jinja2

            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(Path(_textual_serve_folder()) / "templates"),
                autoescape=True)
            self._template = env.get_template("app_index.html")
        return self._template

    def _busy_text(self) -> str:
        if self.closing:
            return "the server is stopping"
        return (f"all {self.max_sessions} sessions are in use; "
                "try again when one ends")

    async def handle_websocket(self, request):
        """One browser session: checks, then an app process for as long as the socket lives."""
        from aiohttp import web

        token = request.match_info.get("token", request.query.get("token"))
        if not self.token_ok(token):
            return self._forbidden("wrong or missing token")
        if not same_origin(request.headers.get("Origin"), request.host):
            self.log(f"refused a websocket from origin {request.headers.get('Origin')!r}")
            return self._forbidden("cross-origin websocket refused")
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT, max_msg_size=1 << 20)
        if self.full():
            await websocket.prepare(request)
            reason = self._busy_text()
            self.log(f"refused a session: {reason}")
            await websocket.close(code=TRY_AGAIN_LATER, message=reason.encode())
            return websocket
        self.active += 1
        try:
            await websocket.prepare(request)
            width = int_in(request.query.get("width"), 80, 10, 1000)
            height = int_in(request.query.get("height"), 24, 4, 500)
            await self.run_session(websocket, width, height)
        finally:
            self.active -= 1
        return websocket

    # -- sessions -----------------------------------------------------------------
    async def run_session(self, websocket, width: int, height: int) -> None:
        """Start an app process, pass messages both ways until either side goes, end it."""
        number = next(self._numbers)
        if self.write_root is not None:
            folder, temporary = self.write_root, False
        else:  # no writes: the app runs in an empty folder that is removed afterwards
            folder, temporary = Path(tempfile.mkdtemp(prefix="gdtui-serve-")), True
        try:
            process = await asyncio.create_subprocess_exec(
                *self.command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, cwd=folder, start_new_session=True,
                env=child_environment(self.write_root, width, height))
        except OSError as exc:
            self.log(f"session {number} could not start: {exc}")
            if temporary:
                shutil.rmtree(folder, ignore_errors=True)
            await websocket.close()
            return
        session = Session(number, process, websocket, folder, temporary, log=self.log,
                          stuck_input=self.stuck_input)
        self.sessions[number] = session
        self.log(f"session {number} started: pid {process.pid} "
                 f"({self.active} of {self.max_sessions})")
        output = asyncio.create_task(session.pump_output())
        errors = asyncio.create_task(session.collect_stderr())
        try:
            await session.pump_input()
        finally:
            await self.end(session)
            for task in (output, errors):
                try:
                    await asyncio.wait_for(task, 1.0)
                except Exception:  # a timeout (the task is then cancelled) or its own error
                    task.cancel()
            if not websocket.closed:
                await websocket.close()
            if temporary:
                shutil.rmtree(folder, ignore_errors=True)
            del self.sessions[number]
            self.log(f"session {number} ended after {time.monotonic() - session.started:.1f} s "
                     f"(exit {process.returncode})")

    def end(self, session: Session) -> asyncio.Task:
        """End the session's app (once, however many callers ask); await the result."""
        if session.ending is None:
            session.ending = asyncio.ensure_future(self._end_process(session))
        return session.ending

    async def _end_process(self, session: Session) -> None:
        """Ask the app to quit and close its stdin; then SIGTERM, then SIGKILL its group."""
        process = session.process
        if process.returncode is None:
            if not process.stdin.is_closing():  # "quit", then end of input; no waiting
                quit = json.dumps({"type": "quit"}).encode()
                try:
                    process.stdin.write(b"M" + len(quit).to_bytes(4, "big") + quit)
                    process.stdin.close()
                except (OSError, RuntimeError):
                    pass
            for sig, grace in ((signal.SIGTERM, self.quit_grace),
                               (signal.SIGKILL, self.term_grace)):
                try:
                    await asyncio.wait_for(process.wait(), grace)
                    break
                except asyncio.TimeoutError:
                    self.log(f"session {session.number}: app did not exit, sending {sig.name}")
                    kill_group(process.pid, sig)
            await process.wait()
        # Anything the app started in its group goes with it.
        kill_group(process.pid, signal.SIGKILL)

    # -- life cycle -----------------------------------------------------------------
    async def start(self) -> None:
        """Listen (raises OSError when the address cannot be used)."""
        from aiohttp import web

        self._runner = web.AppRunner(self.make_app(), access_log=None, handle_signals=False,
                                     shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await self._runner.cleanup()
            self._runner = None
            raise
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        """End every session's app, then stop listening."""
        self.closing = True
        sessions = list(self.sessions.values())
        if sessions:
            self.log(f"ending {len(sessions)} session(s)")
        await asyncio.gather(*(self.end(s) for s in sessions), return_exceptions=True)
        deadline = time.monotonic() + 3.0
        while self.sessions and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for session in list(self.sessions.values()):  # should not happen: be sure anyway
            kill_group(session.pid, signal.SIGKILL)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def run(self) -> int:
        """Serve until SIGINT (Ctrl-C), SIGTERM or SIGHUP; return the exit code."""
        try:
            await self.start()
        except OSError as exc:
            print(f"gdtui serve: error: cannot listen on {self.host}:{self.port} "
                  f"({exc.strerror or exc})", file=sys.stderr)
            return EXIT_USAGE
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, stop.set)
        writes = (f"file writes only in {self.write_root}" if self.write_root
                  else "file writes off")
        print(f"gdtui serve: listening on {url_host(self.host)}:{self.port}, "
              f"at most {self.max_sessions} sessions, {writes}. Ctrl-C stops.\n"
              f"gdtui serve: open this URL in a browser (the token in it is the password):\n"
              f"    {self.url}", file=sys.stderr, flush=True)
        try:
            await stop.wait()
        finally:
            await self.close()
        return EXIT_OK


def _textual_serve_folder() -> str:
    import textual_serve

    return os.path.dirname(textual_serve.__file__)


def serve(args: argparse.Namespace) -> int:
    """``gdtui serve``: check the options, print the URL, serve until Ctrl-C."""
    write_root = None
    if args.allow_writes is not None:
        write_root = Path(args.allow_writes).expanduser()
        if not write_root.is_dir():
            print(f"gdtui serve: error: --allow-writes {args.allow_writes}: not a folder",
                  file=sys.stderr)
            return EXIT_USAGE
        write_root = write_root.resolve()
    if args.host not in LOOPBACK:
        print(f"gdtui serve: warning: listening on {args.host}:{args.port}: anyone who can "
              "reach this port and has the URL can use gdtui", file=sys.stderr)
    server = GdtuiServer(child_command(app_arguments(args)), host=args.host, port=args.port,
                         max_sessions=args.max_sessions, write_root=write_root)
    return asyncio.run(server.run())
