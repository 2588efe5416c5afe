"""The descent engine: pure numpy, no Textual, no plotext, no printing."""

from gdtui.engine.descent import DEFAULT_MAX_ITER, DEFAULT_TOL, DescentEngine
from gdtui.engine.history import COL, COLUMNS, History
from gdtui.engine.losses import LINE_LOSSES, LOGISTIC_LOSS, MODELS, DataCost, StabilityLimit
from gdtui.engine.optimizers import OPTIMIZERS, get_optimizer, optimizer_by_code, optimizer_code
from gdtui.engine.problem import Problem
from gdtui.engine.quadratic import Quadratic, Stability
from gdtui.engine.reference import Reference
from gdtui.engine.schedules import SCHEDULES, get_schedule
from gdtui.engine.state import Snapshot, Status, batch_label
from gdtui.engine.stats import ClosedForm, SufficientStats, cost_direct, gradient_direct
from gdtui.engine.target import TARGET, TARGET_PHRASE, iterations_to_reach, target_excess

__all__ = [
    "COL", "COLUMNS", "DEFAULT_MAX_ITER", "DEFAULT_TOL", "LINE_LOSSES", "LOGISTIC_LOSS",
    "MODELS", "OPTIMIZERS", "SCHEDULES", "TARGET", "DataCost", "Problem", "Reference",
    "StabilityLimit",
    "TARGET_PHRASE", "ClosedForm", "DescentEngine", "History", "Quadratic", "Snapshot",
    "Stability", "Status", "SufficientStats", "batch_label", "cost_direct", "get_optimizer",
    "get_schedule", "gradient_direct", "iterations_to_reach", "optimizer_by_code",
    "optimizer_code", "target_excess",
]
