"""The first screen (issue 13): the installed ``gdtui`` under a pseudo-terminal paints its panes
drawn in its first frame (not empty frames first), and a large file read beside the app's
imports (gdtui.beside) opens the same app, or fails with the same one-line error."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gdtui.loading import PANDAS_FROM
from tests.e2e.test_e2e_tmux import gdtui_command

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from ptyterm import PtyTerm, ScreenModel  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a pseudo-terminal")

ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")},
       "TERM": "xterm-256color", "COLORTERM": "truecolor"}


def screens(term: PtyTerm, cols: int, rows: int) -> list[str]:
    """The screen's text after each synchronized update that changed it."""
    model, pos, out = ScreenModel(cols, rows), 0, []
    for frame in term.frames:
        changed = model.feed(bytes(term.buf[pos:frame.end]))
        pos = frame.end
        if changed:
            out.append("\n".join("".join(cell[0] for cell in row) for row in model.cells))
    return out


def first_screen(argv: list[str], cwd: Path, marker: str, cols=80, rows=24) -> list[str]:
    term = PtyTerm(argv, cols, rows, ENV, str(cwd), answer_sync=True)
    try:
        assert term.pump(60, lambda: marker in term.text() and term.quiet_for(0.5)), \
            term.text()[-2000:]
        return screens(term, cols, rows)
    finally:
        term.close()


@pytest.mark.parametrize("view, marker, border, drawn", [
    ([], "/frame", "Parameters", ("Iteration", "Cost J", "m*", "points", "┤")),
    (["compare"], "too small", "─ too small", ("just right", "too large", "0 steps", "┤",
                                               "log₁₀(J − J*)")),
], ids=["main", "compare"])
def test_no_frame_shows_a_pane_before_it_is_drawn(tmp_path, view, marker, border, drawn):
    # Textual paints a pane it has just laid out before telling it its size: the panes draw
    # in that paint, so a frame never shows their borders round empty plots and readouts.
    shown = first_screen([gdtui_command(), *view], tmp_path, marker)
    assert shown and border in shown[-1]
    for screen in shown:
        if border in screen:
            for text in drawn:
                assert text in screen, f"{text!r} not in a frame with the panes:\n{screen}"


def large_csv(path: Path, rows: int, tail: str = "") -> Path:
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 10, rows)
    y = 2 * x + 1 + rng.normal(0, 1, rows)
    np.savetxt(path, np.c_[x, y], delimiter=",", header="x,y", comments="", fmt="%.9f")
    if tail:
        with path.open("a") as out:
            out.write(tail)
    assert path.stat().st_size >= PANDAS_FROM  # read beside the imports (gdtui.beside)
    return path


def test_a_large_file_opens_the_app_with_every_point(tmp_path):
    path = large_csv(tmp_path / "big.csv", 420_000)
    shown = first_screen([gdtui_command(), str(path)], tmp_path, "/frame")
    assert "420,000 points" in shown[-1]


def test_a_large_file_with_a_bad_cell_says_where_in_one_line(tmp_path):
    path = large_csv(tmp_path / "bad.csv", 420_000, tail="3.5,oops\n")
    term = PtyTerm([gdtui_command(), str(path)], 80, 24, ENV, str(tmp_path))
    try:
        assert term.pump(60, lambda: not term.alive)
    finally:
        term.close()
    out = term.text().strip()
    assert os.waitstatus_to_exitcode(term.exit_status) == 2
    assert len(out.splitlines()) == 1 and "Traceback" not in out, out
    assert "bad.csv" in out and "line 420002, column 2 (y)" in out, out
    # The same words as a read in one process (gdtui fit never reads beside the app).
    fit = subprocess.run([gdtui_command(), "fit", str(path)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert fit.returncode == 2
    assert out.split("error: ", 1)[1] == fit.stderr.strip().split("error: ", 1)[1]
