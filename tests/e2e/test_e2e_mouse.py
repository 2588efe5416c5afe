"""End to end: SGR mouse reports typed into the installed `gdtui` in tmux edit the data."""

import re
import time

import pytest

from tests.e2e.test_e2e_tmux import TMUX, Terminal, gdtui_command

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")


def sgr(button: int, col: int, row: int, press: bool) -> str:
    """An xterm SGR mouse report at the 0-based screen cell (col, row)."""
    return f"\x1b[<{button};{col + 1};{row + 1}{'M' if press else 'm'}"


def points(screen: str) -> int:
    match = re.search(r"([\d,]+) points", screen)
    return int(match.group(1).replace(",", "")) if match else -1


def j_star(screen: str) -> float:
    match = re.search(r"J\* +(-?[\d.]+)", screen)
    return float(match.group(1)) if match else float("nan")


def plot_corner(screen: str) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) inner cells of the first plot frame on screen."""
    lines = screen.split("\n")
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    left = lines[top].index("┌")
    right = lines[top].index("┐", left)
    bottom = next(i for i in range(top + 1, len(lines)) if lines[i][left : left + 1] == "└")
    return left + 1, top + 1, right - 1, bottom - 1


def test_mouse_adds_a_far_outlier_and_right_click_removes_it(tmp_path):
    term = Terminal(f"{gdtui_command()} --synthetic n=30,noise=0.5 --seed 1", 80, 24, tmp_path)
    try:
        screen = term.wait_for(lambda s: "30 points" in s and "J*" in s)
        before = j_star(screen)
        left, top, right, bottom = plot_corner(screen)
        cell = (right, bottom)  # bottom right: far under a rising line
        term.tmux("send-keys", "-l", sgr(0, *cell, True) + sgr(0, *cell, False))
        # The panes show the edit within a frame or two of each other (each draws in turn).
        screen = term.wait_for(lambda s: "31 points" in s and j_star(s) != before)
        after = j_star(screen)
        assert after > 3 * before, (before, after)
        # The right button on the same cell takes the point away again.
        term.tmux("send-keys", "-l", sgr(2, *cell, True) + sgr(2, *cell, False))
        screen = term.wait_for(lambda s: "30 points" in s and j_star(s) != after)
        assert j_star(screen) == pytest.approx(before, abs=1e-4)
        term.keys("q")
        assert term.wait_exit() == "0"
    finally:
        term.close()
        time.sleep(0.05)
