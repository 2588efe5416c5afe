"""Where a run stands: its status (one enum) and the snapshot of one recorded iteration."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

from gdtui.engine.history import COL
from gdtui.engine.optimizers import optimizer_by_code
from gdtui.engine.stats import ClosedForm


class Status(str, Enum):
    """Where a run stands."""

    READY = "ready"
    RUNNING = "running"
    CONVERGED = "converged"
    DIVERGED = "diverged"
    MAX_ITER = "max iterations"

    @property
    def finished(self) -> bool:
        """True for the states at which a run stops by itself."""
        return self in (Status.CONVERGED, Status.DIVERGED, Status.MAX_ITER)


@dataclass(frozen=True)
class Snapshot:
    """Everything a view needs about one recorded iteration, in plain floats.

    ``learning_rate`` is the rate of the step that led to this row;
    ``next_learning_rate`` the rate of the step after it (for the live row, the
    rate the next step will use with the current settings).
    """

    index: int
    live: bool
    iteration: int
    m: float
    b: float
    cost: float
    grad_m: float
    grad_b: float
    p: float
    q: float
    grad_p: float
    grad_q: float
    learning_rate: float
    next_learning_rate: float
    base_learning_rate: float
    schedule: str
    step_grad_p: float
    step_grad_q: float
    state: tuple[float, float, float, float]
    optimizer_step: int
    optimizer: str
    batch_size: int
    standardized: bool
    shift: float
    scale: float
    status: Status
    reason: str
    closed_form: ClosedForm
    n_points: int
    n_rows: int
    history_decimated: bool
    previous: tuple[float, ...] | None = field(default=None, repr=False)
    test_cost: float | None = None
    """J of this line on the held-out points (None without a test set)."""
    loss: str = "mse"
    """The cost fitted: ``mse``, ``mae``, ``huber`` or ``cross-entropy`` (the logistic model)."""
    huber_delta: float | None = None
    """Huber's δ in y's units (None for the other losses)."""
    hyperparameters: dict = field(default_factory=dict, repr=False, compare=False)
    """The engine's optimizer hyper-parameters now (β, ρ, β₁, β₂, ε)."""

    @property
    def distance(self) -> float:
        """Euclidean distance of (m, b) from the least-squares (m*, b*)."""
        return math.hypot(self.m - self.closed_form.m, self.b - self.closed_form.b)

    @property
    def excess_cost(self) -> float:
        """J − J* (never negative)."""
        return max(self.cost - self.closed_form.cost, 0.0)


def batch_label(k: int) -> str:
    """Human name of a batch size: full, stochastic or mini-batch k."""
    return "full" if k == 0 else ("stochastic" if k == 1 else f"mini-batch {k}")


def snapshot_at(engine, index: int | None = None) -> Snapshot:
    """``engine``'s state at history row ``index`` (default: the live state, the last row)."""
    history = engine.history
    history.flush()
    n = len(history)
    live = index is None or index % n == n - 1
    index = n - 1 if index is None else index % n
    row = history.row(index)
    prev = tuple(float(v) for v in history.row(index - 1)) if index > 0 else None
    standardized = bool(row[COL["standardized"]])
    model = engine.model(standardized)
    if live:
        status, reason = engine.status, engine.reason
        next_lr = engine.next_learning_rate
    else:
        status, reason = Status.RUNNING if index else Status.READY, ""
        next_lr = float(history.row(index + 1)[COL["lr"]])
    value = {name: float(row[COL[name]]) for name in (
        "m", "b", "cost", "grad_m", "grad_b", "p", "q", "grad_p", "grad_q",
        "step_grad_p", "step_grad_q")}
    return Snapshot(
        index=index, live=live, iteration=int(row[COL["iteration"]]), **value,
        learning_rate=float(row[COL["lr"]]), next_learning_rate=next_lr,
        base_learning_rate=engine.learning_rate, schedule=engine.schedule,
        state=tuple(float(v) for v in row[COL["s0"] : COL["s3"] + 1]),
        optimizer_step=int(row[COL["opt_t"]]),
        optimizer=optimizer_by_code(row[COL["optimizer"]]).name,
        batch_size=int(row[COL["batch_size"]]), standardized=standardized,
        shift=model.shift, scale=model.scale, status=status, reason=reason,
        closed_form=engine.closed_form, n_points=engine.stats.n, n_rows=n,
        history_decimated=history.decimated, previous=prev,
        test_cost=engine.test_cost(value["m"], value["b"]),
        loss=engine.loss, huber_delta=engine.huber_delta,
        hyperparameters=engine.optimizer_params,
    )
