"""Where a run stands: its status (one enum) and the snapshot of one recorded iteration."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

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
