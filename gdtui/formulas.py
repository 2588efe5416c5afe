"""The update a step applied, written out with its numbers, in the seed article's notation.

Pure text from an engine :class:`~gdtui.engine.Snapshot`; no Textual, so the
app, the tour and tests share it.
"""

from __future__ import annotations

from gdtui.engine import COL, Snapshot, Status, batch_label, optimizer_by_code
from gdtui.engine.hyper import make_optimizer
from gdtui.engine.notation import MINUS, num, paren
from gdtui.engine.optimizers import ZERO_STATE, StepRecord
from gdtui.problems import cost_formula, gradient_lines, gradient_note

__all__ = ["MINUS", "WRITINGS", "model_line", "names", "num", "paren", "result_lines",
           "speed_words", "status_words", "update_lines"]


def names(standardized: bool) -> tuple[str, str]:
    """Names of the fitted parameters: m, b in data units; m_z, b_z when standardized."""
    return ("m_z", "b_z") if standardized else ("m", "b")


def model_line(snap: Snapshot) -> str:
    """The model being fitted (and its cost), with the standardization written out."""
    if snap.standardized:
        sign, shift = (MINUS, snap.shift) if snap.shift >= 0 else ("+", -snap.shift)
        # z = (x − s)/σ, so ŷ = (m_z/σ)·x + b_z − (m_z/σ)·s: b = b_z − m·s.
        head = "p = σ(m_z·z + b_z)" if snap.loss == "cross-entropy" else "ŷ = m_z·z + b_z"
        return (f"{head} with z = (x {sign} {num(shift)}) / {num(snap.scale)}"
                f"  →  m = m_z/{num(snap.scale)}, b = b_z {sign} m·{num(shift)}")
    return cost_formula(snap.loss)


def _gradient_lines(snap: Snapshot, grads, count: int | None = None,
                    short: bool = False) -> list[str]:
    """The step's gradient written out for the run's loss (see :func:`gradient_lines`)."""
    pm, pb = names(snap.standardized)
    feature = "z" if snap.standardized else "x"
    return gradient_lines(snap.loss, pm, pb, feature, grads, count or snap.n_points, short)


def whole_data(snap: Snapshot) -> str:
    """What a full-batch sum runs over: every point, or every fitted one beside a test set."""
    if snap.test_cost is None:
        return "Σ over the whole data set"
    return f"Σ over the {snap.n_points:,} fitted points (the held-out ones are not used)"


WRITINGS = ("full", "short", "shorter", "shortest")
"""How :func:`update_lines` writes a step, from the longest to the fewest rows: "full" each
parameter's update in symbols then numbers; "short" the optimizer's rule once in symbols (p
for each parameter), then each parameter's numbers on one line; "shorter" also writes each
gradient as its formula with N and its value (not the sum's); "shortest" also gives the
optimizer's state (v, G, s) by its value, without the sum that made it."""


def update_lines(snap: Snapshot, writing: str = "full") -> list[str]:
    """The lines of the last update (the step into ``snap``), numbers substituted, in one of
    the :data:`WRITINGS`."""
    pm, pb = names(snap.standardized)
    prev = snap.previous
    if prev is None:
        alpha = snap.next_learning_rate
        return [
            "No step yet. At the start "
            + gradient_note(snap.loss, whole_data(snap), snap.huber_delta) + ":",
            *_gradient_lines(snap, (snap.grad_p, snap.grad_q), short=writing in WRITINGS[2:]),
            f"The first step will move {pm} by −α·∂J/∂{pm} = {num(-alpha * snap.grad_p)} "
            f"and {pb} by {num(-alpha * snap.grad_q)} (α = {num(alpha)}). Press s.",
        ]
    if int(prev[COL["iteration"]]) == snap.iteration:  # a row of its own for a data edit
        return [f"The data changed ({snap.n_points:,} points now): the line stays where it "
                f"was, and the next step descends on the new data.", *result_lines(snap)]
    if int(prev[COL["iteration"]]) != snap.iteration - 1:
        return [f"Older history is thinned to bound memory; the step into iteration "
                f"{snap.iteration} was not kept in full.", *result_lines(snap)]
    optimizer = make_optimizer(snap.optimizer, snap.hyperparameters)
    same_coords = bool(prev[COL["standardized"]]) == snap.standardized
    same_opt = optimizer_by_code(prev[COL["optimizer"]]).name == optimizer.name
    fresh = not (same_opt and same_coords)
    before = ZERO_STATE if fresh else tuple(prev[COL["s0"] : COL["s3"] + 1])
    if same_coords:
        olds = (prev[COL["p"]], prev[COL["q"]])
    else:  # the previous line, expressed in the coordinates of this step
        m0, b0 = prev[COL["m"]], prev[COL["b"]]
        olds = (m0 * snap.scale, b0 + m0 * snap.shift)
    lines = []
    if fresh and snap.optimizer != "gd":
        lines.append(f"({'Standardization' if not same_coords else 'The optimizer'} changed "
                     f"before this step: {snap.optimizer} started from zero state.)")
    source = whole_data(snap)
    if snap.batch_size:
        k = snap.batch_size
        source = (f"Σ over N = {k} point{'' if k == 1 else 's'} drawn at random from the "
                  f"{snap.n_points:,}: {batch_label(k)}")
    where = ", at the look-ahead point" if snap.optimizer == "nesterov" else ""
    lines += _gradient_lines(snap, (snap.step_grad_p, snap.step_grad_q), snap.batch_size or None,
                             short=writing in WRITINGS[2:])
    news = (snap.p, snap.q)
    grads = (snap.step_grad_p, snap.step_grad_q)
    if writing != "full":
        lines.append(optimizer.rule((pm, pb), snap.optimizer_step))
    for i, name in enumerate((pm, pb)):
        record = StepRecord(name=name, i=i, old=olds[i], new=news[i], grad=grads[i],
                            before=before, after=snap.state, t=snap.optimizer_step,
                            lr=snap.learning_rate)
        lines += (optimizer.describe(record) if writing == "full"
                  else [optimizer.numbers(record, substituted=writing != "shortest")])
    # What the formulas leave to say comes after the update, which a short pane must keep.
    lines.append(gradient_note(snap.loss, source + where, snap.huber_delta))
    if snap.standardized:
        lines.append(f"In data units: m = {num(snap.m)}, b = {num(snap.b)}")
    return lines


def result_lines(snap: Snapshot) -> list[str]:
    """Where the step landed, in data units."""
    return [f"m = {num(snap.m)}, b = {num(snap.b)}, J = {num(snap.cost)}"]


def status_words(snap: Snapshot, running: bool, symbol: str = "‖∇J‖") -> str:
    """Status with a word of why, short enough for a readout (``symbol``: the run's
    gradient measure, ‖∇J‖/σy or ‖∇J‖)."""
    if not snap.live:
        return f"viewing {snap.iteration} (→ end)"
    words = {Status.CONVERGED: f"converged {symbol}<tol", Status.DIVERGED: "DIVERGED: α large",
             Status.MAX_ITER: "max iterations"}.get(snap.status)
    if words:
        return words
    if running:
        return "running"
    return "paused" if snap.iteration else "ready"


def speed_words(steps_per_frame: float, steps_per_second: int = 0) -> str:
    """Run speed for a readout: "1 step/frame", "8 steps/frame", or at the slow speeds
    "2 steps/s", "1 step/s"."""
    if steps_per_second:
        return "1 step/s" if steps_per_second == 1 else f"{steps_per_second} steps/s"
    n = int(steps_per_frame)
    return f"{n:,} step/frame" if n == 1 else f"{n:,} steps/frame"
