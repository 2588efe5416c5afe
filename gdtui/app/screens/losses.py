"""Why squared: one data set with an outlier, fitted side by side under MSE, MAE and Huber.

The tour's lesson after the cost function opens this screen; each panel is one
loss's run (plain full-batch descent from the same start), so the learner sees
the squared error's line pulled towards the outlier and the others stay with
the crowd.
"""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from gdtui.app.screens.lockstep import LockstepScreen
from gdtui.app.screens.run import FRAME_INTERVAL, RunScreen
from gdtui.app.widgets.compare import ComparePane
from gdtui.app.widgets.footer import KeyFooter
from gdtui.app.widgets.tour_pane import TourPane
from gdtui.data import load_dataset
from gdtui.engine import DescentEngine
from gdtui.engine.reference import least_squares
from gdtui.formulas import num
from gdtui.run import RunSetup, command_line, make_engine

OUTLIER_DATASET = "state-murders"
"""The bundled set with one clear outlier (the District of Columbia)."""
LOSSES = ("mse", "mae", "huber")
LOSS_NAMES = {"mse": "MSE (squared)", "mae": "MAE (absolute)", "huber": "Huber"}


def outlier_setup() -> RunSetup:
    """The outlier data set as a run set-up (auto units, default rate)."""
    return RunSetup(dataset=load_dataset(OUTLIER_DATASET), source=OUTLIER_DATASET)


def loss_engines(setup: RunSetup) -> list[DescentEngine]:
    """One engine per loss, from the same start, with plain full-batch descent."""
    return [make_engine(setup, loss=loss) for loss in LOSSES]


def outlier_index(x: np.ndarray, y: np.ndarray) -> int:
    """The point with the largest least-squares residual."""
    line = least_squares(x, y)
    return int(np.argmax(np.abs(y - (line.m * x + line.b))))


class LossPane(ComparePane):
    """One loss's line over the data."""

    def __init__(self, dataset, run_index: int, caption: str, **kwargs) -> None:
        super().__init__(dataset, run_index, None, **kwargs)
        self.caption = caption

    def titles(self, lr: float) -> list[str]:
        return [self.caption, self.caption.split(",")[0].split(" ")[0]]


class LossesScreen(LockstepScreen):
    """MSE, MAE and Huber side by side on data with an outlier."""

    def __init__(self, setup: RunSetup, engines: list[DescentEngine], guide=None,
                 frame_interval: float = FRAME_INTERVAL) -> None:
        labels = [LOSS_NAMES[e.loss] for e in engines]
        super().__init__(setup, engines, labels, guide, frame_interval)

    def compose_panes(self) -> ComposeResult:
        engines = self.controller.engines
        with Horizontal(id="compare-panels"):
            for i, engine in enumerate(engines):
                caption = LOSS_NAMES[engine.loss]
                if engine.loss == "huber":
                    caption += f", δ = {num(engine.huber_delta, 2)}"
                with Vertical(classes="compare-panel"):
                    yield LossPane(self.setup.dataset, i, caption,
                                   id=f"loss-data-{i}").data_bind(RunScreen.frame)
        d = self.setup.dataset
        i = outlier_index(d.x, d.y)
        yield Static(f"{d.name}: {d.x_label} → {d.y_label}, {d.n} points; the outlier is at "
                     f"x = {num(d.x[i], 1)}, y = {num(d.y[i], 1)}. Each panel: plain full-batch "
                     "gradient descent from the same start.",
                     id="compare-info")
        yield TourPane(classes="tour-side")
        yield KeyFooter()

    def reproduce_command(self) -> str:
        return "\n".join(command_line(self.setup, e, "gdtui") for e in self.controller.engines)
