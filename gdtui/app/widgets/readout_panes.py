"""The readout panes of a run screen: the numbers (Parameters) and the update written out
with them (the maths). Each redraws from the frame bound to it, like every pane."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from gdtui.app.widgets.lines import LineDiff
from gdtui.app.widgets.panes import FramePane
from gdtui.app.widgets.readouts import Readout, fit_readouts, fold
from gdtui.engine import Status, batch_label
from gdtui.engine.curvature import AUTO_STANDARDIZE_KAPPA
from gdtui.engine.hyper import typed_parameters
from gdtui.formulas import (
    MINUS,
    WRITINGS,
    model_line,
    num,
    speed_words,
    status_words,
    update_lines,
)
from gdtui.problems import problem_title

SCHEDULE_SHORT = {"constant": "const.", "exponential": "exp.", "warmup-cosine": "warmup"}
"""Schedules' names where a readout is short of room."""


class ParametersPane(FramePane, Static):
    """Readouts: each a label and its value on one line."""

    text = ""
    """The plain text on show (for tests and screen readers)."""

    def draw(self, frame) -> None:
        """Write the readouts of the iteration on screen."""
        engine, snap = frame.run.engine, frame.run.snap
        running, steps_per_frame = frame.running, frame.steps_per_frame
        cf = snap.closed_form
        # Live, the settings shown are those the next step will use; in the past, the row's.
        if snap.live:
            rate, optimizer = engine.next_learning_rate, engine.optimizer
            typed = typed_parameters(optimizer, engine.optimizer_params)  # β… typed in (i)
            optimizer += f" {typed}" if typed else ""
            batch, standardized = engine.batch_size, engine.standardize
        else:
            rate, optimizer = snap.learning_rate, snap.optimizer
            batch, standardized = snap.batch_size, snap.standardized
        status = status_words(snap, running, engine.gradient_symbol)
        rows = [
            Readout("Iteration", (f"{snap.iteration:,}",)),
            Readout("m", (num(snap.m),)),
            Readout("b", (num(snap.b),)),
            Readout("Cost J", (num(snap.cost),), "J"),
            *([Readout("Test J", (num(snap.test_cost),))] if snap.test_cost is not None
              else []),
            Readout("∂J/∂m", (num(snap.grad_m),)),
            Readout("∂J/∂b", (num(snap.grad_b),)),
            Readout("Rate α", (f"{num(rate)} ({engine.schedule})",
                               f"{num(rate)} {SCHEDULE_SHORT.get(engine.schedule, '')}".strip(),
                               num(rate)), "α"),
            Readout("Optimizer", (optimizer,), ""),
            Readout("Batch", batch_forms(batch, snap.n_points)),
            Readout("Standardize", (("on" if standardized else "off")
                                    + (" (auto)" if engine.auto_standardize and snap.live else ""),
                                    "on" if standardized else "off"), "std"),
            Readout("Status", (status, status.replace(" (→ end)", ""), status.replace(
                " (→ end)", "").replace(f" {engine.gradient_symbol}<tol", "").split(":")[0]), ""),
            Readout("m*", (num(cf.m),)),
            Readout("b*", (num(cf.b),)),
            Readout("J*", (num(cf.cost),)),
            Readout(f"J {MINUS} J*", (num(snap.excess_cost),)),
            Readout("To optimum", (f"{num(snap.distance)} in (m, b)", num(snap.distance)),
                    "to opt."),
            *limit_rows(engine, standardized),
        ]
        size = self.content_size
        text = Text(no_wrap=True)
        for i, (label, value, label_width) in enumerate(
                fit_readouts(rows, size.width, size.height)):
            if i:
                text.append("\n")
            style = ""
            if label == "Status":
                style = {Status.CONVERGED: "bold green", Status.DIVERGED: "bold red"}.get(
                    snap.status, "bold")
            text.append(f"{label:<{label_width}}",
                        style="dim" if label not in ("m*", "b*", "J*") else "dim green")
            text.append(value, style=style)
        self.border_subtitle = speed_words(steps_per_frame, frame.steps_per_second)
        self.border_title = f"Parameters · {problem_title(snap.loss, snap.huber_delta)}"
        self.text = text.plain
        self.update(text, layout=False)  # a fixed-size pane: no layout pass per frame


def limit_rows(engine, standardized: bool) -> list[Readout]:
    """The readouts of which constant rates work, as far as the run's loss allows.

    MSE: the exact limit 2/λmax, the best rate and κ. Huber and cross-entropy: a safe bound
    from MSE's curvature, and the best rate and κ of the Hessian at the optimum (what rules
    near it). MAE: no fixed limit (its kinks) and a decaying rate instead.
    """
    if engine.loss == "mse":
        stability = engine.stability(standardized)
        return [Readout("α limit", (f"{num(stability.max_stable_lr)} (2/λmax)",
                                    num(stability.max_stable_lr))),
                Readout("Best α", (f"{num(stability.best_lr)} (2/(λmin+λmax))",
                                   num(stability.best_lr)), "best"),
                Readout("κ", (num(stability.condition_number, 1),))]
    if engine.loss == "mae":
        return [Readout("α limit", ("none: MAE has kinks", "none (kinks)", "none")),
                Readout("Best α", ("none: a decaying α settles", "none: decay α", "none"),
                        "best"),
                Readout("κ", ("none (no curvature)", "none"))]
    limit = engine.stability_limit(standardized)
    local = engine.rate_stability(standardized)
    factor = "16" if engine.loss == "cross-entropy" else "2"
    rows = [Readout("α limit", (f"{num(limit.max_stable_lr)} safe ({factor}/λmax of MSE)",
                                f"{num(limit.max_stable_lr)} safe", num(limit.max_stable_lr)))]
    if local is None:
        return rows + [Readout("Best α", ("none: no finite optimum", "none"), "best"),
                       Readout("κ", ("none",))]
    return rows + [Readout("Best α", (f"{num(local.best_lr)} near the optimum",
                                      f"{num(local.best_lr)} near ✚", num(local.best_lr)), "best"),
                   Readout("κ", (f"{num(local.condition_number, 1)} near the optimum",
                                 f"{num(local.condition_number, 1)} near ✚",
                                 num(local.condition_number, 1)))]


def batch_forms(k: int, n: int) -> tuple[str, ...]:
    """The batch readout, from its longest form to its shortest: "mini-batch 10 of 1,000"
    … "10 of 1,000"."""
    label = batch_label(k)
    if k == 0:
        return (f"{label} of {n:,}", label)
    if k == 1:
        return (f"{label} of {n:,}", label, f"1 of {n:,}")
    return (f"{label} of {n:,}", f"mini {k} of {n:,}", f"{k} of {n:,}")


HIDDEN_STEP = ("No step yet. The first step's numbers are kept back until you answer the "
               "question.")


def units_why(engine, snap) -> str:
    """Why ``--standardize auto`` chose the run's units (and where the default α comes from)."""
    if engine.standardize:
        return f"Standardized (auto: {engine.auto_why}); z switches units."
    kappa = engine.stability(False).condition_number
    why = f"Data units (auto: raw κ {kappa:.3g} ≤ {AUTO_STANDARDIZE_KAPPA:g})"
    if engine.auto_rate and engine.learning_rate == snap.next_learning_rate:
        limit = 1 / engine.stability(False).lambda_max
        why += f"; α {num(engine.learning_rate)}: 1-2-5 value ≤ 1/λmax = {num(limit)}"
    return why


def folded(parts: list[tuple[str, str]], width: int) -> list[tuple[str, str]]:
    """(row, style) of each (line, style) folded to ``width`` cells."""
    return [(row, style) for line, style in parts for row in fold(line, width)]


def wrapped_lines(text: str, width: int) -> int:
    """Rows ``text`` takes in a pane ``width`` cells wide (an empty text takes none)."""
    if not text:
        return 0
    return sum(max(1, -(-cell_len(line) // width)) for line in text.split("\n"))


class MathText(LineDiff, Static):
    """The maths pane's text: a step sends only the rows it changed. It is at least as high
    as the pane, so that a text that fits never lays the screen out again."""

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(super().get_content_height(container, viewport, width), container.height)


SCROLL_HINT = "scroll ↓ for the rest"
"""The maths pane's subtitle when even its shortest writing is longer than the pane."""


class MathPane(FramePane, VerticalScroll):
    """The update the last step applied, with the numbers substituted, in the fullest writing
    that fits the rows the panes above it leave (their ``min-height`` in the styles); when
    even the shortest does not fit (60×20), it scrolls (↑ ↓ once focused, or the wheel)."""

    pace = 0.1
    """While running, the maths is written ten times a second: lines of numbers that change
    every frame cannot be read at sixty (a step or a pause writes it at once)."""

    lines = -1
    """Rows the text takes on screen (the pane's height follows it)."""

    text = ""
    """The text on show, one line each (before it is folded to the pane's width)."""

    writing = "full"
    """The writing of the update on show (:data:`gdtui.formulas.WRITINGS`)."""

    def compose(self):
        body = MathText(id="math-text")
        body.can_focus = False
        yield body

    def room(self) -> int | None:
        """Rows the text may take: the parent's height less its other children's least heights
        (None when not laid out yet, or maximized: then as many as it needs)."""
        parent = self.parent
        if parent is None or not parent.size.height or self.has_class("-maximized"):
            return None
        return self.room_in(parent.content_size.height)

    def room_in(self, height: int) -> int:
        """Rows for the text in a parent ``height`` rows high (its other children at their
        least heights)."""
        parent = self.parent
        rows = height - self.styles.gutter.height
        for sibling in parent.children:
            if sibling is self or not sibling.display:
                continue
            least = sibling.styles.min_height
            rows -= (int(least.resolve(parent.size, self.app.size)) if least is not None
                     else sibling.outer_size.height)
        return max(rows, 1)

    def get_content_height(self, container, viewport, width: int) -> int:
        # The pane is always as high as its room, whatever the text: a step (the first, whose
        # text is longer) never lays the screen out again, and the first layout is the last.
        if self.parent is not None and container.height and not self.has_class("-maximized"):
            return self.room_in(container.height + self.styles.gutter.height)  # (less ours)
        return super().get_content_height(container, viewport, width)

    def draw(self, frame) -> None:
        """Write the formulas of the step into the iteration on screen, after the coach's line."""
        width = max(self.content_size.width, 2)  # (without a scrollbar)
        room = self.room()
        scroll = False
        for candidate in self.writings(frame):
            writing, parts = candidate
            rows = folded(parts, width)
            if room is None or wrapped_lines("\n".join(row for row, _ in rows), width) <= room:
                break
        else:  # the shortest writing, scrolled: the scrollbar takes a column
            scroll = True
            width -= self.styles.scrollbar_size_vertical
            rows = folded(parts, width)
        # A scrollbar only when the text cannot fit (one that stayed would take a column).
        self.styles.overflow_y = "auto" if scroll else "hidden"
        text = Text()
        for i, (row, style) in enumerate(rows):
            text.append(("\n" if i else "") + row, style=style)
        self.writing = writing
        self.border_title = f"Update into iteration {frame.run.snap.iteration}"
        self.border_subtitle = SCROLL_HINT if scroll else ""
        self.text = "\n".join(line for line, _ in parts)
        lines = wrapped_lines(text.plain, width)
        # A new layout only when the text's laid-out size is not the one it needs (its
        # height may come from an older text: a resize lays out before the redraw).
        body = self.query_one("#math-text", MathText)
        laid_out = (width, max(lines, self.scrollable_content_region.height))
        with body.changing():  # only the rows of maths that changed reach the terminal
            body.update(text, layout=body.size != laid_out)
        self.lines = lines

    def writings(self, frame):
        """(writing, [(line, style)…]) from the fullest to the fewest rows: the coach's word
        always; the model, the last event, "In data units" and the notes in brackets give
        way first, then the update is written shorter (:data:`WRITINGS`)."""
        engine, snap, coach = frame.run.engine, frame.run.snap, frame.coach
        head = []
        if snap.live and snap.status is Status.DIVERGED and coach:
            head.append((f"⚠ {coach}", "bold red"))
        elif snap.live and snap.status is Status.DIVERGED:
            head += [(f"⚠ Diverged: {engine.reason}.", "bold red"),
                     ("The learning rate is too large for this data: press - to lower it, "
                      "or r to reset.", "red")]
        elif coach:
            head.append((f"■ {coach}", "bold green" if snap.status is Status.CONVERGED
                         else "bold yellow"))
        model = [(model_line(snap), "dim")]
        why = ([(units_why(engine, snap), "dim")]
               if snap.previous is None and engine.auto_standardize else [])  # said once
        event = []
        if engine.events and snap.live:
            it, what = engine.events[-1]
            event = [(f"At iteration {it}: {what}", "italic dim")]
        hidden = frame.hide_next_step and snap.previous is None
        for writing in WRITINGS:
            lines = [HIDDEN_STEP] if hidden else update_lines(snap, writing)
            maths = [(line, "") for line in lines]
            if writing == "full":
                yield writing, head + model + maths + why + event
                yield writing, head + maths + why + event
                yield writing, head + maths + why
            # "In data units: m = …, b = …": the readouts show m and b.
            maths = [(line, "") for line in lines if not line.startswith("In data units")]
            yield writing, head + maths + why
            # Notes in brackets (which points, sign(0), δ, a change) give way to the maths.
            maths = [(line, style) for line, style in maths if not line.startswith("(")]
            yield writing, head + maths + why
        yield writing, head + maths
