"""The mouse on a plot: from the cell under the pointer to the plotted coordinates.

plotext draws tick labels of varying widths and a frame, so the plotting area is read from the
rendered plot (:func:`gdtui.plotdata.plot_area`); the limits are the ones the pane plotted.
"""

from __future__ import annotations

from textual import events
from textual.message import Message

from gdtui.plotdata import plot_area


def plot_box(pane) -> tuple[int, int, int, int] | None:
    """(left, top, width, height) of ``pane``'s plotting area in its cells, border included
    (as mouse events count them); None when nothing is plotted."""
    if not pane.size.area or pane.frame is None:
        return None
    area = plot_area(getattr(pane.render(), "plain", "").split("\n"))
    if area is None:
        return None
    left, top, width, height = area
    return left + pane.gutter.left, top + pane.gutter.top, width, height


class StartPointer(Message):
    """The mouse on the cost surface or the slice: ``kind`` (press, drag, release) at the
    parameters (p, q) under it, in the units the pane shows (``standardized`` says which)."""

    def __init__(self, kind: str, p: float, q: float, standardized: bool) -> None:
        super().__init__()
        self.kind, self.p, self.q, self.standardized = kind, p, q, standardized


class StartDrag:
    """Mixin for a pane with ``point_at(x, y) -> (p, q) | None``: press, drag and release
    post :class:`StartPointer` (the screen moves the start point and resets the run there)."""

    dragging = False
    shown_standardized = False
    """The units of what the pane plotted last (set by its draw)."""

    def plot_box(self) -> tuple[int, int, int, int] | None:
        """(left, top, width, height) of the plotting area in the pane's cells (border included)."""
        return plot_box(self)

    def post_start(self, kind: str, x: int, y: int) -> bool:
        point = self.point_at(x, y)
        if point is None:
            return False
        self.post_message(StartPointer(kind, *point, self.shown_standardized))
        return True

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button == 1 and self.post_start("press", event.x, event.y):
            event.stop()
            self.dragging = True
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.dragging:
            self.post_start("drag", event.x, event.y)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self.dragging:
            self.dragging = False
            self.release_mouse()
            if not self.post_start("release", event.x, event.y):
                self.post_message(StartPointer("release", float("nan"), float("nan"),
                                               self.shown_standardized))
