"""The update a step applied, written out with its numbers, in the seed article's notation.

Pure text from an engine :class:`~gdtui.engine.Snapshot`; no Textual, so the
app, the tour and tests share it.
"""

from __future__ import annotations

import math

from gdtui.engine import COL, OPTIMIZERS, Snapshot, batch_label

MINUS = "\u2212"


def num(value: float, digits: int = 4) -> str:
    """A number for reading: fixed point in the usual range, scientific outside it."""
    if value == 0 or (1e-3 <= abs(value) < 1e6):
        text = f"{value:.{digits}f}"
    else:
        text = f"{value:.{digits - 1}e}"
    return text.replace("-", MINUS)


def paren(value: float, digits: int = 4) -> str:
    """``num`` wrapped in parentheses when negative, for use after an operator."""
    text = num(value, digits)
    return f"({text})" if value < 0 else text


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
        alpha = snap.learning_rate
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
    same_opt = list(OPTIMIZERS)[int(prev[COL["optimizer"]])] == snap.optimizer
    fresh = not (same_opt and same_coords)
    state0 = (0.0, 0.0, 0.0, 0.0) if fresh else tuple(prev[COL["s0"] : COL["s3"] + 1])
    if same_coords:
        olds = (prev[COL["p"]], prev[COL["q"]])
    else:  # the previous line, expressed in the coordinates of this step
        m0, b0 = prev[COL["m"]], prev[COL["b"]]
        olds = (m0 * snap.scale, b0 + m0 * snap.shift)
    a = snap.learning_rate
    lines = []
    if fresh and snap.optimizer != "gd":
        lines.append(f"({'Standardization' if not same_coords else 'The optimizer'} changed "
                     f"before this step: {snap.optimizer} started from zero state.)")
    source = "on the whole data set"
    if snap.batch_size:
        source = f"on a {batch_label(snap.batch_size)} of the data"
    where = " at the look-ahead point" if snap.optimizer == "nesterov" else ""
    lines.append(f"∂J/∂{pm} = {num(snap.step_grad_p)}, ∂J/∂{pb} = {num(snap.step_grad_q)}"
                 f" ({source}{where})")
    news = (snap.p, snap.q)
    grads = (snap.step_grad_p, snap.step_grad_q)
    for i, name in enumerate((pm, pb)):
        old, new, g = olds[i], news[i], grads[i]
        if snap.optimizer == "gd":
            lines.append(f"{name} ← {name} − α·∂J/∂{name} = {num(old)} − {num(a)} × {paren(g)}"
                         f" = {num(new)}")
        elif snap.optimizer in ("momentum", "nesterov"):
            beta = optimizer.beta
            v0, v = state0[i], snap.state[i]
            lines.append(f"v_{name} ← β·v_{name} + ∂J/∂{name} = {num(beta, 2)} × {paren(v0)} + "
                         f"{paren(g)} = {num(v)}")
            lines.append(f"{name} ← {name} − α·v_{name} = {num(old)} − {num(a)} × {paren(v)}"
                         f" = {num(new)}")
        elif snap.optimizer == "adagrad":
            s0, s = state0[i], snap.state[i]
            lines.append(f"G_{name} ← G_{name} + (∂J/∂{name})² = {num(s0)} + {paren(g)}² = "
                         f"{num(s)}")
            lines.append(f"{name} ← {name} − α·∂J/∂{name}/(√G_{name} + ε) = {num(old)} − "
                         f"{num(a)} × {paren(g)}/{num(math.sqrt(s))} = {num(new)}")
        elif snap.optimizer == "rmsprop":
            rho = optimizer.rho
            s0, s = state0[i], snap.state[i]
            lines.append(f"s_{name} ← ρ·s_{name} + (1−ρ)·(∂J/∂{name})² = {num(rho, 2)} × "
                         f"{num(s0)} + {num(1 - rho, 2)} × {paren(g)}² = {num(s)}")
            lines.append(f"{name} ← {name} − α·∂J/∂{name}/(√s_{name} + ε) = {num(old)} − "
                         f"{num(a)} × {paren(g)}/{num(math.sqrt(s))} = {num(new)}")
        elif snap.optimizer == "adam":
            b1, b2, t = optimizer.beta1, optimizer.beta2, snap.optimizer_step
            u, s = snap.state[i], snap.state[i + 2]
            u_hat, s_hat = u / (1 - b1**t), s / (1 - b2**t)
            lines.append(f"u_{name} ← β₁·u_{name} + (1−β₁)·∂J/∂{name} = {num(u)},  "
                         f"s_{name} ← β₂·s_{name} + (1−β₂)·(∂J/∂{name})² = {num(s)}")
            lines.append(f"{name} ← {name} − α·û/(√ŝ + ε) = {num(old)} − {num(a)} × "
                         f"{paren(u_hat)}/{num(math.sqrt(s_hat))} = {num(new)}   (t = {t})")
    if snap.standardized:
        lines.append(f"In data units: m = {num(snap.m)}, b = {num(snap.b)}")
    return lines


def result_lines(snap: Snapshot) -> list[str]:
    """Where the step landed, in data units."""
    return [f"m = {num(snap.m)}, b = {num(snap.b)}, J = {num(snap.cost)}"]


def status_words(snap: Snapshot, running: bool) -> str:
    """Status with a word of why, short enough for a readout."""
    status = snap.status.value
    if not snap.live:
        return f"viewing {snap.iteration} (→ end)"
    if status == "converged":
        return "converged ‖∇J‖<tol"
    if status == "diverged":
        return "DIVERGED: α large"
    if status == "max iterations":
        return "max iterations"
    if running:
        return "running"
    return "paused" if snap.iteration else "ready"
