"""Which cells of a pane changed between two draws: the spans a frame sends to the terminal.

Textual repaints whatever region a widget marks dirty; a pane that marks only the rows its
draw changed, each up to its last changed cell, sends a few bytes a frame instead of its whole
area. Textual writes a dirty row of a widget from the widget's left edge (its first cell) up
to the span's end, so a span starts at the pane's first column: nothing is lost, and a row
has at most as many distinct regions as columns (Textual keeps the regions a line-drawn
widget marks until it next repaints it whole).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.cells import cell_len
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual, visualize


def cells(strip: Strip) -> list:
    """One (character, style) per cell; a wide character is followed by a None."""
    out: list = []
    for segment in strip:
        text, style = segment.text, segment.style
        if len(text) == cell_len(text):
            out.extend((char, style) for char in text)
        else:
            for char in text:
                out.append((char, style))
                if cell_len(char) == 2:
                    out.append(None)
    return out


def changed_span(old: Strip, new: Strip) -> tuple[int, int] | None:
    """(first, end) columns where ``new`` differs from ``old``, None when they are the same."""
    if old == new:
        return None
    a, b = cells(old), cells(new)
    shortest = min(len(a), len(b))
    first = 0
    while first < shortest and a[first] == b[first]:
        first += 1
    last = 0
    while last < shortest - first and a[-1 - last] == b[-1 - last]:
        last += 1
    end = max(len(a), len(b)) - last
    return (first, end) if end > first else None


def changed_spans(old: list[Strip], new: list[Strip],
                  width: int) -> Iterator[tuple[int, int, int]]:
    """(row, 0, x1) of every changed row, x1 the end of its last changed cell (≤ ``width``)."""
    for y, (a, b) in enumerate(zip(old, new, strict=True)):
        span = changed_span(a, b)
        if span is None:
            continue
        x1 = min(width, span[1])
        if x1 > 0:
            yield y, 0, x1


class LineDiff:
    """Mixin for a widget: what a change (inside :meth:`changing`) sends to the terminal is
    only the rows it changed, each up to its last changed cell (a border row when its title
    changed). A whole repaint Textual asks for by itself (a size, a theme, focus) renders
    afresh. ``render_line`` serves the lines on screen."""

    shown_lines: list[Strip] | None = None
    """The content lines on screen (None: rendered afresh when Textual next paints)."""
    shown_size = None
    collecting = False
    """True inside :meth:`changing`: the refreshes asked for are collected into one diff."""
    content_changed = False
    spans_refreshed = 0
    """How many changed rows the changes sent to the terminal (tests and benchmarks read it)."""

    @contextmanager
    def changing(self):
        """Change the widget's content (and borders) inside; at the end, send what changed."""
        borders = (self.border_title, self.border_subtitle)
        self.collecting, self.content_changed = True, False
        try:
            yield
        finally:
            self.collecting = False
        self.show_changes(borders != (self.border_title, self.border_subtitle))

    @contextmanager
    def unsent(self):
        """Change the content inside while Textual paints the widget: nothing is asked to be
        painted again (the paint under way renders the lines afresh)."""
        self.collecting = True
        try:
            yield
        finally:
            self.collecting = False
        self.shown_lines = self.shown_key = None

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False):
        if self.collecting and repaint and not (regions or layout or recompose):
            self.content_changed = True  # the change's end sends what changed
            return self
        if (repaint and not regions and self.shown_key is not None
                and self.shown_key != self.lines_key()):
            self.forget_lines()  # (the same size and style: what is on screen stays right)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    shown_key = None
    """:meth:`lines_key` of the lines on screen."""

    def lines_key(self) -> tuple:
        """What rendered lines depend on besides the content: the size, the style and the
        theme. A whole repaint with the same key (Textual's after a widget's first layout, a
        focus that changes only the border) keeps the lines on screen."""
        return self.size, self.visual_style, self.app.theme

    def forget_lines(self) -> None:
        """A whole repaint: the lines are rendered afresh when next asked for."""
        self.shown_lines = self.shown_key = None

    def content_lines(self) -> list[Strip]:
        """The content at the widget's size, as lines."""
        return self.rendered_lines()

    def rendered_lines(self) -> list[Strip]:
        """The widget rendered whole at its size, as lines (what Textual would render)."""
        width, height = self.size
        style = self.visual_style.rich_style
        lines = Visual.to_strips(self, visualize(self, self.render()), width, height,
                                 self.visual_style)
        # Every line as wide as the widget: a line that got shorter is then seen to have
        # changed up to where it used to end (or its old end would stay on the screen).
        lines = [line.crop_extend(0, width, style) for line in lines]
        return lines + [Strip.blank(width, style)] * (height - len(lines))

    def show_changes(self, borders_changed: bool) -> None:
        """Send the rows of content a change changed (and a changed border row) to be painted."""
        if self.content_changed or self.shown_lines is None:
            old = self.shown_lines
            new = self.content_lines()
            if old is None or self.shown_size != self.size or len(old) != len(new):
                super().refresh()
                self.spans_refreshed += len(new)
            else:
                for y, x0, x1 in changed_spans(old, new, self.size.width):
                    super().refresh(Region(x0, y, x1 - x0, 1))
                    self.spans_refreshed += 1
            self.shown_lines, self.shown_size, self.shown_key = new, self.size, self.lines_key()
        if borders_changed:
            top, _, _, left = self.gutter
            width, height = self.outer_size
            super().refresh(Region(-left, -top, width, 1),
                            Region(-left, height - 1 - top, width, 1))

    def render_line(self, y: int) -> Strip:
        lines = self.shown_lines
        if lines is None or self.shown_size != self.size:
            lines = self.shown_lines = self.content_lines()  # a whole repaint: render afresh
            self.shown_size, self.shown_key = self.size, self.lines_key()
        return lines[y] if 0 <= y < len(lines) else \
            Strip.blank(self.size.width, self.visual_style.rich_style)
