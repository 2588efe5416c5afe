"""The descent engine: pure numpy, no Textual, no plotext, no printing."""

from gdtui.engine.descent import (
    DEFAULT_MAX_ITER,
    DEFAULT_TOL,
    DescentEngine,
    Snapshot,
    Stability,
    Status,
    batch_label,
)
from gdtui.engine.history import COL, COLUMNS, History
from gdtui.engine.optimizers import OPTIMIZERS, get_optimizer
from gdtui.engine.schedules import SCHEDULES, get_schedule
from gdtui.engine.stats import ClosedForm, SufficientStats, cost_direct, gradient_direct

__all__ = [
    "COL", "COLUMNS", "DEFAULT_MAX_ITER", "DEFAULT_TOL", "OPTIMIZERS", "SCHEDULES",
    "ClosedForm", "DescentEngine", "History", "Snapshot", "Stability", "Status",
    "SufficientStats", "batch_label", "cost_direct", "get_optimizer", "get_schedule",
    "gradient_direct",
]
