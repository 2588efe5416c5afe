"""The update a step applied, written out with its numbers, in the seed article's notation.

Pure text from an engine :class:`~gdtui.engine.Snapshot`; no Textual, so the
app, the tour and tests share it.
"""

from __future__ import annotations

from gdtui.engine import COL, OPTIMIZERS, Snapshot, Status, batch_label, optimizer_by_code
from gdtui.engine.notation import MINUS, num, paren
from gdtui.engine.optimizers import ZERO_STATE, StepRecord

__all__ = ["MINUS", "model_line", "names", "num", "paren", "result_lines", "speed_words",
           "status_words", "update_lines"]


def names(standardized: bool) -> tuple[str, str]:
    """Names of the fitted parameters: m, b in data units; m_z, b_z when standardized."""
    return ("m_z", "b_z") if standardized else ("m", "b")


def model_line(snap: Snapshot) -> str:
    """The model being fitted, with the standardization written out."""
    if snap.standardized:
        sign, shift = (MINUS, snap.shift) if snap.shift >= 0 else ("+", -snap.shift)
        # z = (x − s)/σ, so ŷ = (m_z/σ)·x + b_z − (m_z/σ)·s: b = b_z − m·s.
        return (f"ŷ = m_z·z + b_z with z = (x {sign} {num(shift)}) / {num(snap.scale)}"
                f"  →  m = m_z/{num(snap.scale)}, b = b_z {sign} m·{num(shift)}")
    return "ŷ = m·x + b,  J = (1/N)·Σ(yᵢ − ŷᵢ)²"


def update_lines(snap: Snapshot) -> list[str]:
    """The lines of the last update (the step into ``snap``), numbers substituted."""
    pm, pb = names(snap.standardized)
    prev = snap.previous
    if prev is None:
        alpha = snap.next_learning_rate
        return [
            f"No step yet. At the start ∂J/∂{pm} = {num(snap.grad_p)}, "
            f"∂J/∂{pb} = {num(snap.grad_q)}.",
            f"The first step will move {pm} by −α·∂J/∂{pm} = {num(-alpha * snap.grad_p)} "
            f"and {pb} by {num(-alpha * snap.grad_q)} (α = {num(alpha)}). Press s.",
        ]
    if int(prev[COL["iteration"]]) != snap.iteration - 1:
        return [f"Older history is thinned to bound memory; the step into iteration "
                f"{snap.iteration} was not kept in full.", *result_lines(snap)]
    optimizer = OPTIMIZERS[snap.optimizer]
    same_coords = bool(prev[COL["standardized"]]) == snap.standardized
    same_opt = optimizer_by_code(prev[COL["optimizer"]]) is optimizer
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
    source = "on the whole data set"
    if snap.batch_size:
        k = snap.batch_size
        source = (f"on {k} point{'' if k == 1 else 's'} drawn at random from the "
                  f"{snap.n_points:,}: {batch_label(k)}")
    where = " at the look-ahead point" if snap.optimizer == "nesterov" else ""
    lines.append(f"∂J/∂{pm} = {num(snap.step_grad_p)}, ∂J/∂{pb} = {num(snap.step_grad_q)}"
                 f" ({source}{where})")
    news = (snap.p, snap.q)
    grads = (snap.step_grad_p, snap.step_grad_q)
    for i, name in enumerate((pm, pb)):
        lines += optimizer.describe(StepRecord(
            name=name, i=i, old=olds[i], new=news[i], grad=grads[i], before=before,
            after=snap.state, t=snap.optimizer_step, lr=snap.learning_rate))
    if snap.standardized:
        lines.append(f"In data units: m = {num(snap.m)}, b = {num(snap.b)}")
    return lines


def result_lines(snap: Snapshot) -> list[str]:
    """Where the step landed, in data units."""
    return [f"m = {num(snap.m)}, b = {num(snap.b)}, J = {num(snap.cost)}"]


def status_words(snap: Snapshot, running: bool) -> str:
    """Status with a word of why, short enough for a readout."""
    if not snap.live:
        return f"viewing {snap.iteration} (→ end)"
    words = {Status.CONVERGED: "converged ‖∇J‖<tol", Status.DIVERGED: "DIVERGED: α large",
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
