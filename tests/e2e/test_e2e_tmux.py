"""End to end: the installed `gdtui` in a real terminal (tmux), read off the screen."""

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")


def gdtui_command() -> str:
    local = Path(sys.executable).parent / "gdtui"
    found = str(local) if local.exists() else shutil.which("gdtui")
    assert found, "the gdtui command is not installed"
    return found


class Terminal:
    """A private tmux server with one window running a command."""

    def __init__(self, command: str, width: int, height: int, tmp_path: Path) -> None:
        self.socket = f"gdtui-test-{uuid.uuid4().hex[:8]}"
        self.exit_file = tmp_path / "exit-code"
        # Textual draws on stderr, so nothing is redirected: errors show on the screen.
        script = f"{command}; echo $? > {self.exit_file}; sleep 60"
        env = {**os.environ, "TERM": "xterm-256color"}
        self.tmux("new-session", "-d", "-x", str(width), "-y", str(height), script, env=env)

    def tmux(self, *args, env=None) -> str:
        out = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True,
                             env=env, timeout=20)
        return out.stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", key)
            time.sleep(0.05)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def scrollback(self) -> str:
        """Everything printed so far, wrapped lines joined."""
        return self.tmux("capture-pane", "-p", "-J", "-S", "-1000")

    def wait_for(self, predicate, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"screen never matched; last screen:\n{text}")

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-x", str(width), "-y", str(height))

    def wait_exit(self, timeout: float = 10.0) -> str:
        """The exit code of the command once it has ended."""
        deadline = time.monotonic() + timeout
        while not self.exit_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.exit_file.read_text().strip()

    def close(self) -> None:
        self.tmux("kill-server")


def iteration(screen: str) -> int:
    """The Iteration readout on screen, or -1 while it is not drawn."""
    match = re.search(r"Iteration +([\d,]+)", screen)
    return int(match.group(1).replace(",", "")) if match else -1


def test_installed_gdtui_in_tmux(tmp_path):
    term = Terminal(gdtui_command(), 120, 36, tmp_path)
    try:
        screen = term.wait_for(lambda s: "Parameters" in s and "Iteration" in s, timeout=20)
        assert "iris-petals" in screen and iteration(screen) == 0
        term.keys("s", "s")
        term.wait_for(lambda s: iteration(s) == 2)
        term.keys("Space")
        running = term.wait_for(lambda s: "Pause" in s and iteration(s) > 4)
        assert "running" in running
        term.keys("Space")
        paused = term.wait_for(lambda s: "paused" in s or "converged" in s)
        at = iteration(paused)
        time.sleep(0.3)
        assert iteration(term.screen()) == at
        term.keys("r")
        term.wait_for(lambda s: iteration(s) == 0 and "ready" in s)
        term.resize(80, 24)
        term.keys("s")
        # The resize and the key race each other: wait for the 80-column footer as well.
        small = term.wait_for(lambda s: iteration(s) == 1 and "Quit" in s and "palette" not in s)
        assert max(len(line) for line in small.splitlines()) <= 80
        assert "Help" in small and "Quit" in small
        term.resize(40, 12)  # below 60x20: a notice instead of panes; keys still work
        term.wait_for(lambda s: "Make the terminal larger" in s)
        term.keys("s")
        term.resize(120, 36)
        term.wait_for(lambda s: iteration(s) == 2)
        term.keys("q")
        assert term.wait_exit() == "0"
        assert "Traceback" not in term.scrollback()
    finally:
        term.close()


def test_bad_input_is_refused_before_the_terminal_is_taken(tmp_path):
    term = Terminal(f"{gdtui_command()} {tmp_path / 'missing.csv'}", 80, 24, tmp_path)
    try:
        assert term.wait_exit() == "2"
        lines = [line for line in term.scrollback().splitlines() if line.strip()]
        assert len(lines) == 1 and "no such file" in lines[0], lines
    finally:
        term.close()


def test_compare_and_race_in_tmux(tmp_path):
    term = Terminal(gdtui_command(), 120, 36, tmp_path)
    try:
        term.wait_for(lambda s: "Parameters" in s, timeout=20)
        term.keys("a")
        term.wait_for(lambda s: "too small" in s and "just right" in s and "too large" in s)
        term.keys("s", "s")
        term.wait_for(lambda s: "2 steps" in s)
        term.keys("Escape")
        term.wait_for(lambda s: "Parameters" in s)
        term.keys("v")
        term.wait_for(lambda s: "Leaderboard" in s and "momentum" in s)
        term.keys("s")
        term.wait_for(lambda s: "Iteration 1 " in s)
        term.keys("q")
        assert term.wait_exit() == "0"
        assert "Traceback" not in term.scrollback()
    finally:
        term.close()


def test_gdtui_race_command_quits_with_q(tmp_path):
    term = Terminal(f"{gdtui_command()} race --optimizers gd,adam", 80, 24, tmp_path)
    try:
        term.wait_for(lambda s: "Leaderboard" in s, timeout=20)
        term.keys("Space")
        term.wait_for(lambda s: "Pause" in s)
        term.keys("q")
        assert term.wait_exit() == "0"
    finally:
        term.close()


def test_tour_lesson_one_in_tmux(tmp_path):
    term = Terminal(f"{gdtui_command()} tour", 120, 36, tmp_path)
    try:
        term.wait_for(lambda s: "Lesson 1 of 9" in s, timeout=20)
        term.keys("Enter")
        term.wait_for(lambda s: "Where is that line?" in s)
        term.keys("1")
        term.wait_for(lambda s: "Yes. With m = 0" in s)
        term.keys("Enter")
        term.wait_for(lambda s: "Your turn" in s)
        term.keys("s", "s")
        term.wait_for(lambda s: "Update into iteration 2" in s)
        term.keys("Enter")
        term.wait_for(lambda s: "You took 2 steps" in s)
        term.keys("Enter")
        term.wait_for(lambda s: "Lesson 2 of 9" in s)
        term.keys("q")
        assert term.wait_exit() == "0"
        assert "Traceback" not in term.scrollback()
    finally:
        term.close()


@pytest.mark.parametrize("running", [True, False], ids=["running", "idle"])
@pytest.mark.parametrize("signal_name, code", [("TERM", "143"), ("HUP", "129")])
def test_a_signal_ends_the_app_and_gives_the_terminal_back(tmp_path, signal_name, code, running):
    pid_file = tmp_path / "pid"
    term = Terminal(f"sh -c 'echo $$ > {pid_file}; exec {gdtui_command()}'", 100, 30, tmp_path)
    try:
        term.wait_for(lambda s: "Parameters" in s, timeout=20)
        if running:
            term.keys("Space")  # a run in progress
            term.wait_for(lambda s: "Pause" in s)
        else:
            time.sleep(1.0)  # idle: no timer wakes the app, the signal must
        assert term.tmux("display", "-p", "#{alternate_on}").strip() == "1"
        subprocess.run(["kill", f"-{signal_name}", pid_file.read_text().strip()], check=True)
        assert term.wait_exit() == code
        # Back on the main screen, with the cursor shown and mouse reporting off.
        assert term.tmux("display", "-p", "#{alternate_on}").strip() == "0"
        assert term.tmux("display", "-p", "#{cursor_flag}").strip() == "1"
        assert term.tmux("display", "-p", "#{mouse_any_flag}").strip() == "0"
    finally:
        term.close()


def test_without_a_terminal_the_app_refuses_in_one_line(tmp_path):
    done = subprocess.run([gdtui_command()], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=20, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "gdtui fit" in done.stderr


def test_chinese_tour_from_the_locale(tmp_path):
    term = Terminal(f"env LANG=zh_CN.UTF-8 LC_ALL= LC_MESSAGES= {gdtui_command()} tour", 100, 30,
                    tmp_path)
    try:
        screen = term.wait_for(lambda s: "第 1 课" in s, timeout=20)
        assert "数据与直线" in screen
        term.keys("Enter")
        screen = term.wait_for(lambda s: "预测" in s)
        # Wide characters keep the borders in place: no line is wider than the window, and the
        # tour pane's right border is in the same column on every row that has one.
        from rich.cells import cell_len

        lines = screen.splitlines()
        assert all(cell_len(line) <= 100 for line in lines)
        edges = {cell_len(line.rstrip()) for line in lines[:25] if line.rstrip().endswith("│")}
        assert edges == {100}
        term.keys("q")
        assert term.wait_exit() == "0"
    finally:
        term.close()
