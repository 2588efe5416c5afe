"""The readout panes of a run screen: the numbers (Parameters) and the update written out
with them (the maths). Each redraws from the frame bound to it, like every pane."""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual.visual import visualize
from textual.widgets import Static

from gdtui.app.widgets.panes import FramePane
from gdtui.app.widgets.readouts import Readout, fit_readouts
from gdtui.engine import Status, batch_label
from gdtui.engine.curvature import AUTO_STANDARDIZE_KAPPA
from gdtui.engine.hyper import typed_parameters
from gdtui.formulas import MINUS, model_line, num, speed_words, status_words, update_lines
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
            Readout("Status", (status, status.replace(" (→ end)", ""),
                               status.replace("converged ‖∇J‖<tol", "converged")), ""),
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


def wrapped_lines(text: str, width: int) -> int:
    """Rows ``text`` takes in a pane ``width`` cells wide (an empty text takes none)."""
    if not text:
        return 0
    return sum(max(1, -(-cell_len(line) // width)) for line in text.split("\n"))


class MathPane(FramePane, Static):
    """The update the last step applied, with the numbers substituted."""

    pace = 0.1
    """While running, the maths is written ten times a second: lines of numbers that change
    every frame cannot be read at sixty (a step or a pause writes it at once)."""

    lines = -1
    """Line count of the text on show (the pane's height follows it)."""

    text = ""
    """The plain text on show."""

    def draw(self, frame) -> None:
        """Write the formulas of the step into the iteration on screen, after the coach's line."""
        width = max(self.content_size.width, 1)
        text = self.math_text(frame, width, self.content_size.height)
        self.border_title = f"Update into iteration {frame.run.snap.iteration}"
        self.text = text.plain
        lines = wrapped_lines(self.text, width)
        self.update(text, layout=lines != self.lines)  # a new layout only when its height changes
        self.lines = lines

    def math_text(self, frame, width: int, height: int | None) -> Text:
        """The coach's line and the formulas of the step, for a pane ``width`` cells wide and
        ``height`` rows high (None: as high as they take)."""
        engine, snap, coach = frame.run.engine, frame.run.snap, frame.coach
        text = Text()
        if snap.live and snap.status is Status.DIVERGED and coach:
            text.append(f"⚠ {coach}\n", style="bold red")
        elif snap.live and snap.status is Status.DIVERGED:
            text.append(f"⚠ Diverged: {engine.reason}.\n", style="bold red")
            text.append("The learning rate is too large for this data: press - to lower it, "
                        "or r to reset.\n", style="red")
        elif coach:
            style = "bold green" if snap.status is Status.CONVERGED else "bold yellow"
            text.append(f"■ {coach}\n", style=style)
        short = self.screen.has_class("-short")
        if not short:
            text.append(model_line(snap) + "\n", style="dim")
        lines = update_lines(snap)
        if frame.hide_next_step and snap.previous is None:
            lines = [HIDDEN_STEP]
        if short and snap.previous is not None:
            # "In data units: m = …, b = …": the readouts show m and b.
            lines = [line for line in lines if not line.startswith("In data units")]
            # Notes in brackets (which points, sign(0), δ, a change) give way to the maths.
            above = wrapped_lines(text.plain, width) - 1 if text.plain else 0  # ends in \n
            room = height - above if height is not None else None
            while room is not None and wrapped_lines("\n".join(lines), width) > room:
                notes = [i for i, line in enumerate(lines) if line.startswith("(")]
                if not notes:
                    break
                del lines[notes[-1]]
        text.append("\n".join(lines))
        if snap.previous is None and engine.auto_standardize:  # why these units, said once
            text.append("\n" + units_why(engine, snap), style="dim")
        if engine.events and snap.live and not short:  # (a short screen keeps the maths)
            it, what = engine.events[-1]
            text.append(f"\nAt iteration {it}: {what}", style="italic dim")
        return text

    def get_content_height(self, container, viewport, width: int) -> int:
        # Before its first draw the pane is as high as its first text will be: the screen's
        # first layout is then its last, and the plots above are drawn once, at their size.
        if self.lines < 0 and self.frame is not None and width:
            try:
                with np.errstate(all="ignore"):
                    text = self.math_text(self.frame, width, None)
            except (OverflowError, ValueError, ZeroDivisionError, FloatingPointError):
                pass  # the draw says so; the height follows then
            else:
                return visualize(self, text).get_height(self.styles, width)
        return super().get_content_height(container, viewport, width)
