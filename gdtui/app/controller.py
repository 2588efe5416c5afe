"""Controllers: what a run screen drives. Widgets never touch an engine.

Every controller offers the same small interface to its screen: ``step``,
``advance`` (one frame of run mode), ``reset``, ``finished``, ``steps_per_frame``
and ``steps_per_second`` with ``faster``/``slower``; a listener hears of every
change, so that the screen publishes a new frame.
"""

from __future__ import annotations

import functools

from gdtui.engine import OPTIMIZERS, DescentEngine, Snapshot, Status
from gdtui.rates import seed_rates
from gdtui.run import DEFAULT_FPS
from gdtui.spool import RowSpool


def notifies(method):
    """Mark a controller method that changes what is on screen: the listener hears of it."""

    @functools.wraps(method)
    def changed(self, *args, **kwargs):
        result = method(self, *args, **kwargs)
        self.after_change()
        if self.listener is not None:
            self.listener()
        return result

    return changed


LEARNING_RATE_FACTOR = 2.0
"""``+`` multiplies the learning rate by this, ``-`` divides by it."""
MAX_STEPS_PER_FRAME = 4096
SLOW_SPEEDS = (10, 5, 2, 1)
"""Below one step per frame, ``[`` goes to these steps per second (to follow or talk over)."""
FRAME_SECONDS = 1 / DEFAULT_FPS
"""The run screen's frame interval unless it says otherwise (slow speeds count in seconds)."""


class RunSpeed:
    """Run speed: ``steps_per_frame`` 1, 2 … 4096, doubled by ``]`` and halved by ``[``;
    below one step per frame, ``steps_per_second`` 10, 5, 2 or 1 (0 while not slow)."""

    steps_per_frame: int = 1
    steps_per_second: int = 0
    frame_seconds: float = FRAME_SECONDS
    """The run screen's frame interval: how much time one frame of run mode stands for."""
    credit = 0.0
    listener = None
    """Called after every change (the run screen publishes a new frame)."""

    def after_change(self) -> None:
        """Hook run after every change, before the listener hears of it."""

    @notifies
    def faster(self) -> int:
        """Double the steps per frame of run mode (from a slow speed, the next faster one)."""
        if self.steps_per_second:
            faster = [s for s in SLOW_SPEEDS if s > self.steps_per_second]
            self.steps_per_second = faster[-1] if faster else 0
            self.credit = 0.0
        else:
            self.steps_per_frame = min(self.steps_per_frame * 2, MAX_STEPS_PER_FRAME)
        return self.steps_per_frame

    @notifies
    def slower(self) -> int:
        """Halve the steps per frame of run mode; below one, 10, 5, 2 and 1 steps a second."""
        if self.steps_per_second:
            slower = [s for s in SLOW_SPEEDS if s < self.steps_per_second]
            self.steps_per_second = slower[0] if slower else SLOW_SPEEDS[-1]
        elif self.steps_per_frame > 1:
            self.steps_per_frame //= 2
        else:
            self.steps_per_second = SLOW_SPEEDS[0]
            self.credit = 0.0
        return self.steps_per_frame

    def steps_this_frame(self) -> int:
        """How many steps this frame of run mode takes (slow speeds step every few frames)."""
        if not self.steps_per_second:
            return self.steps_per_frame
        self.credit += self.steps_per_second * self.frame_seconds
        steps = int(self.credit + 1e-9)
        self.credit -= steps
        return steps

    def advance(self):
        """One frame of run mode: nothing is redrawn on a frame of a slow speed that takes no
        step."""
        steps = self.steps_this_frame()
        return self.run_steps(steps) if steps else None

    def run_steps(self, steps: int):
        """Take ``steps`` steps of run mode (subclasses; the listener hears of it)."""
        raise NotImplementedError


class DescentController(RunSpeed):
    """Drives a :class:`DescentEngine` for the app.

    ``view_index`` is the history row on screen: None follows the live run;
    a number is a past iteration reached by scrubbing. Stepping or changing a
    setting from a past iteration continues from there (the later rows go).
    """

    def __init__(self, engine: DescentEngine) -> None:
        self.engine = engine
        self.view_index: int | None = None
        self.steps_per_frame = 1
        self.spool = RowSpool()  # every row of the run, for exports
        self.spool.sync(engine.history)

    def after_change(self) -> None:
        self.spool.sync(self.engine.history)

    @property
    def engines(self) -> tuple[DescentEngine, ...]:
        """The one engine, as every controller lists its engines."""
        return (self.engine,)

    @property
    def finished(self) -> bool:
        """True when the live run has stopped by itself."""
        return self.engine.status.finished

    # -- time ------------------------------------------------------------------
    @notifies
    def step(self) -> Status:
        """One step from the iteration on screen."""
        self.continue_from_view()
        return self.engine.step()

    @notifies
    def run_steps(self, steps: int) -> Status:
        """``steps`` steps of run mode from the iteration on screen, stopping where the run
        stops."""
        self.continue_from_view()
        return self.engine.run(steps)

    @notifies
    def reset(self) -> None:
        """Back to the start point; the history restarts."""
        self.view_index = None
        self.engine.reset()
        self.spool.truncate(0)

    @notifies
    def scrub(self, delta: int) -> int:
        """Move the view ``delta`` rows through the history; return the row on screen."""
        self.engine.history.flush()
        last = len(self.engine.history) - 1
        current = last if self.view_index is None else self.view_index
        target = min(max(current + delta, 0), last)
        self.view_index = None if target == last else target
        return target

    @notifies
    def scrub_to_end(self) -> None:
        """Follow the live run again."""
        self.view_index = None

    @property
    def viewing_past(self) -> bool:
        """True while an earlier iteration is on screen."""
        return self.view_index is not None

    # -- settings (from the next step on) ---------------------------------------
    @notifies
    def scale_learning_rate(self, factor: float) -> float:
        """Multiply the base learning rate by ``factor``."""
        self.continue_from_view()
        self.engine.set_learning_rate(self.engine.learning_rate * factor)
        return self.engine.learning_rate

    @notifies
    def next_optimizer(self) -> str:
        """Switch to the next optimizer in :data:`OPTIMIZERS`."""
        self.continue_from_view()
        names = list(OPTIMIZERS)
        name = names[(names.index(self.engine.optimizer) + 1) % len(names)]
        self.engine.set_optimizer(name)
        return name

    def batch_modes(self) -> list[int]:
        """Batch sizes ``b`` cycles through: full, mini-batch, stochastic."""
        n = self.engine.n_points
        mini = min(32, max(2, n // 4))
        return [0, mini, 1] if 1 < mini < n else [0, 1]

    @notifies
    def next_batch_mode(self) -> int:
        """Switch to the next batch mode."""
        self.continue_from_view()
        modes = self.batch_modes()
        current = self.engine.batch_size
        k = modes[(modes.index(current) + 1) % len(modes)] if current in modes else 0
        self.engine.set_batch_size(k)
        return k

    @notifies
    def toggle_standardize(self) -> bool:
        """Fit in standardized units or in data units."""
        self.continue_from_view()
        self.engine.set_standardize(not self.engine.standardize)
        return self.engine.standardize

    @notifies
    def configure(self, optimizer: str | None = None, learning_rate: float | None = None,
                  batch_size: int | None = None, standardize: bool | None = None) -> None:
        """Apply the given settings and reset to the start point (the tour uses this)."""
        self.view_index = None
        engine = self.engine
        if optimizer is not None:
            engine.set_optimizer(optimizer)
        if standardize is not None:
            engine.set_standardize(standardize)
        if learning_rate is not None:
            engine.set_learning_rate(learning_rate)
        if batch_size is not None:
            engine.set_batch_size(batch_size)
        engine.reset()
        self.spool.truncate(0)

    @notifies
    def set_problem(self, model: str, loss: str) -> None:
        """Fit ``model`` with ``loss`` (Huber at its default δ); the run resets: the cost is
        another surface, so the path so far says nothing about it."""
        self.view_index = None
        self.engine.set_loss(loss, model_name=model)
        self.spool.truncate(0)

    @notifies
    def set_schedule(self, name: str) -> None:
        """Switch the learning-rate schedule from the next step on."""
        self.continue_from_view()
        self.engine.set_schedule(name)

    @notifies
    def apply_settings(self, values: dict) -> None:
        """Apply values typed in (keys of :func:`gdtui.app.screens.settings.settings_fields`).

        Each applies from the next step; a new start point resets the run there.
        """
        self.continue_from_view()
        engine = self.engine
        for key, value in values.items():
            kind, _, name = key.partition(":")
            if key == "learning_rate":
                engine.set_learning_rate(value)
            elif key == "batch_size":
                engine.set_batch_size(value)
            elif kind == "optimizer":
                engine.set_optimizer_parameter(name, value)
            elif kind == "schedule" and name:
                engine.set_schedule_parameter(name, value)
        if "schedule" in values:  # after the old schedule's parameters (each keeps its own)
            engine.set_schedule(values["schedule"])
        if "start_m" in values or "start_b" in values:
            m, b = engine.start
            self.view_index = None
            engine.set_start(values.get("start_m", m), values.get("start_b", b))
            self.spool.truncate(0)

    @notifies
    def set_start(self, m: float, b: float) -> None:
        """Start from (m, b) in data units; the run resets there."""
        self.view_index = None
        self.engine.set_start(m, b)
        self.spool.truncate(0)

    # -- the data (edited under the live run, which goes on from its line) ---------
    @notifies
    def add_point(self, x: float, y: float) -> int:
        """Add the point (x, y); return its index."""
        self.continue_from_view()
        return self.engine.add_point(x, y)

    @notifies
    def remove_point(self, index: int) -> tuple[float, float]:
        """Remove point ``index``; return its (x, y)."""
        self.continue_from_view()
        return self.engine.remove_point(index)

    @notifies
    def move_point(self, index: int, x: float, y: float, coalesce: bool = False) -> None:
        """Move point ``index`` to (x, y) (``coalesce``: one undo step for a whole drag)."""
        self.continue_from_view()
        self.engine.move_point(index, x, y, coalesce=coalesce)

    @notifies
    def undo_edit(self) -> str | None:
        """Undo the last data edit; what was undone, or None."""
        self.continue_from_view()
        return self.engine.undo_edit()

    @notifies
    def replace_engine(self, engine: DescentEngine) -> None:
        """Run ``engine`` from now on (new data: the run starts again)."""
        self.engine = engine
        self.view_index = None
        self.spool.truncate(0)

    # -- reading -----------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """The iteration on screen."""
        return self.engine.snapshot(self.view_index)

    def continue_from_view(self) -> None:
        if self.view_index is not None:
            self.engine.rewind(self.view_index)
            self.spool.truncate(self.engine.history.appended)
            self.view_index = None


class LockstepController(RunSpeed):
    """Several engines advanced together by the same keys (comparison and race views)."""

    def __init__(self, engines: list[DescentEngine], labels: list[str]) -> None:
        self.engines = engines
        self.labels = labels
        self.steps_per_frame = 1

    @notifies
    def step(self) -> bool:
        """One step of every runner that can still move; True when all have stopped."""
        for engine in self.engines:
            if not engine.status.finished:
                engine.step()
        return self.finished

    @notifies
    def run_steps(self, steps: int) -> bool:
        """``steps`` steps of every runner that can still move; True when all have stopped."""
        for engine in self.engines:
            if not engine.status.finished:
                engine.run(steps)
        return self.finished

    @notifies
    def reset(self) -> None:
        """Every runner back to the start."""
        for engine in self.engines:
            engine.reset()

    @property
    def finished(self) -> bool:
        """True when no runner can move any more."""
        return all(engine.status.finished for engine in self.engines)


def comparison_rates(engine: DescentEngine) -> tuple[float, float, float]:
    """The seed's three rates for this problem: too small, just right, too large.

    Best/10, the best constant rate 2/(λmin + λmax), and 1.1 × the limit 2/λmax
    (:func:`gdtui.rates.seed_rates`); ``o`` in the comparison adds a fourth that
    oscillates but converges. For a loss other than MSE, of :func:`rate_curvature`.
    """
    return seed_rates(rate_curvature(engine))


def rate_curvature(engine: DescentEngine):
    """The curvature a loss's rates are chosen by: MSE's bowl, the Hessian at the optimum for
    Huber and cross-entropy, and MSE's bowl as a scale for MAE (or without an optimum)."""
    return engine.rate_stability() or engine.stability()
