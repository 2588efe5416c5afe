"""What reaches the terminal: frames send only the cells they change (issue 13), and the screen
they leave is exactly the screen a whole repaint draws."""

import pytest

from tests.e2e.test_e2e_tmux import TMUX, Terminal, gdtui_command, iteration

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")


def coloured(term: Terminal) -> str:
    return term.tmux("capture-pane", "-p", "-e")


def settled(term: Terminal) -> str:
    """The screen (with its colours) once two captures 0.4 s apart agree."""
    import time

    last = coloured(term)
    for _ in range(40):
        time.sleep(0.4)
        now = coloured(term)
        if now == last:
            return now
        last = now
    raise AssertionError("the screen never settled")


@pytest.mark.parametrize("keys", [["s"] * 3, ["space", "SLEEP", "space"], ["c", "s", "s"]],
                         ids=["steps", "run", "surface"])
def test_changed_cells_leave_the_screen_a_whole_repaint_draws(tmp_path, keys):
    term = Terminal(f"{gdtui_command()} --tol 0 --iterations 100000000", 80, 24, tmp_path)
    try:
        term.wait_for(lambda s: iteration(s) == 0)
        for key in keys:
            if key == "SLEEP":
                import time

                time.sleep(1.0)
            else:
                term.keys(key)
        term.wait_for(lambda s: iteration(s) > 0 or "Cost surface" in s)
        before = settled(term)
        term.resize(90, 24)  # a new size repaints every cell; back again, the same layout
        term.wait_for(lambda s: len(s.splitlines()[0]) > 80)
        term.resize(80, 24)
        term.wait_for(lambda s: len(s.splitlines()[0]) <= 80)
        after = settled(term)
        assert after == before
    finally:
        term.close()
