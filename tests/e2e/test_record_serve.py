"""gdtui record writes a real asciicast; gdtui serve works in a real browser (Chromium)."""

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from gdtui.cli import main

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def gdtui_command() -> str:
    local = Path(sys.executable).parent / "gdtui"
    return str(local) if local.exists() else shutil.which("gdtui")


def test_record_writes_valid_asciicast_v2_with_real_frames(tmp_path, capsys):
    out = tmp_path / "demo.cast"
    assert main(["record", str(out), "--keys", "s:0.2 s:0.2 c:0.3 q", "--size", "90x28"]) == 0
    assert "asciinema play" in capsys.readouterr().out
    lines = out.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["version"] == 2 and (header["width"], header["height"]) == (90, 28)
    events = [json.loads(line) for line in lines[1:]]
    assert len(events) >= 3
    times = [e[0] for e in events]
    assert times == sorted(times) and all(e[1] == "o" for e in events)
    screens = [ANSI.sub("", e[2]) for e in events]
    # What a terminal receives: the layout first, then the panes' content, then updates.
    assert "Parameters" in screens[0] and any("Iteration   0" in s for s in screens[:6])
    assert any("Iteration   2" in s for s in screens)
    assert any("Cost surface" in s for s in screens)


def test_record_rejects_a_bad_script(tmp_path, capsys):
    assert main(["record", str(tmp_path / "x.cast"), "--keys", "s:soon"]) == 2
    assert "not a number of seconds" in capsys.readouterr().err
    assert not (tmp_path / "x.cast").exists()


def test_serve_warns_when_listening_beyond_this_machine(monkeypatch, capsys):
    served = {}

    async def fake_run(server):
        served.update(command=server.command, host=server.host, port=server.port)
        return 0

    monkeypatch.setattr("gdtui.serve.GdtuiServer.run", fake_run)
    assert main(["serve", "noisy-linear", "--port", str(free_port()), "--lr", "0.2"]) == 0
    err = capsys.readouterr().err
    assert "warning" not in err and served["host"] == "127.0.0.1"
    command = served["command"]
    assert command[-2:] == ["--", "noisy-linear"]
    assert command[command.index("--lr") + 1] == "0.2"
    assert main(["serve", "--host", "0.0.0.0", "--port", str(free_port())]) == 0
    assert "anyone who can reach this port" in capsys.readouterr().err
    assert main(["serve", "--port", "99999"]) == 2


def test_serve_refuses_a_port_in_use_in_one_line(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
        err = capsys.readouterr().err
        assert "cannot listen on 127.0.0.1" in err and "Traceback" not in err


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(CHROMIUM is None,
                    reason="Debian's chromium is not installed (.ci/run installs it)")
def test_served_app_appears_and_answers_a_key_in_chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    port = free_port()
    server = subprocess.Popen([gdtui_command(), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        for line in server.stderr:  # the URL, with its token, is printed once listening
            if "?token=" in line:
                url = line.strip()
                break
        assert url and url.startswith(f"http://127.0.0.1:{port}/?token="), url
        urllib.request.urlopen(url, timeout=5).read()
        received: list[str] = []

        def on_websocket(ws):
            def keep(payload):
                text = payload if isinstance(payload, str) else payload.decode("utf-8", "ignore")
                received.append(ANSI.sub("", text))

            ws.on("framereceived", keep)

        def seen(pattern: str, timeout: float = 20.0) -> bool:
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                if re.search(pattern, "".join(received)):
                    return True
                page.wait_for_timeout(100)
            return False

        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.on("websocket", on_websocket)
            page.goto(url)
            assert seen(r"Parameters"), "the app's panes never reached the page"
            assert seen(r"Iteration\s+0")
            page.mouse.click(600, 400)
            page.keyboard.press("s")
            assert seen(r"Update into iteration 1|Iteration\s+1\b"), "the key had no effect"
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_record_refuses_an_existing_file_unless_forced(tmp_path, capsys):
    out = tmp_path / "demo.cast"
    out.write_text("keep\n")
    assert main(["record", str(out), "--keys", "s:0.1 q"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err
    assert out.read_text() == "keep\n"
    assert main(["record", str(out), "--keys", "s:0.1 q", "--force"]) == 0
    assert out.read_text().startswith('{"version": 2')
