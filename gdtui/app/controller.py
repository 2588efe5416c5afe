"""The one owner of time: step, run ticks, reset, scrub and setting changes.

Widgets never touch the engine; the app calls these methods from its key
actions and from its single run timer, then redraws from :meth:`snapshot`.
"""

from __future__ import annotations

from gdtui.engine import OPTIMIZERS, DescentEngine, Snapshot, Status

LEARNING_RATE_FACTOR = 2.0
"""``+`` multiplies the learning rate by this, ``-`` divides by it."""
MAX_STEPS_PER_FRAME = 4096


class RunSpeed:
    """Steps per frame of run mode, doubled by ``]`` and halved by ``[``."""

    steps_per_frame = 1

    def faster(self) -> int:
        """Double the steps per frame of run mode."""
        self.steps_per_frame = min(self.steps_per_frame * 2, MAX_STEPS_PER_FRAME)
        return self.steps_per_frame

    def slower(self) -> int:
        """Halve the steps per frame of run mode."""
        self.steps_per_frame = max(self.steps_per_frame // 2, 1)
        return self.steps_per_frame


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

    # -- time ------------------------------------------------------------------
    def step(self) -> Status:
        """One step from the iteration on screen."""
        self._continue_from_view()
        return self.engine.step()

    def advance(self) -> Status:
        """One frame of run mode: ``steps_per_frame`` steps, stopping where the run stops."""
        self._continue_from_view()
        return self.engine.run(self.steps_per_frame)

    def reset(self) -> None:
        """Back to the start point; the history restarts."""
        self.view_index = None
        self.engine.reset()

    def scrub(self, delta: int) -> int:
        """Move the view ``delta`` rows through the history; return the row on screen."""
        self.engine.history.flush()
        last = len(self.engine.history) - 1
        current = last if self.view_index is None else self.view_index
        target = min(max(current + delta, 0), last)
        self.view_index = None if target == last else target
        return target

    def scrub_to_end(self) -> None:
        """Follow the live run again."""
        self.view_index = None

    @property
    def viewing_past(self) -> bool:
        """True while an earlier iteration is on screen."""
        return self.view_index is not None

    # -- settings (from the next step on) ---------------------------------------
    def scale_learning_rate(self, factor: float) -> float:
        """Multiply the base learning rate by ``factor``."""
        self._continue_from_view()
        self.engine.set_learning_rate(self.engine.learning_rate * factor)
        return self.engine.learning_rate

    def next_optimizer(self) -> str:
        """Switch to the next optimizer in :data:`OPTIMIZERS`."""
        self._continue_from_view()
        names = list(OPTIMIZERS)
        name = names[(names.index(self.engine.optimizer) + 1) % len(names)]
        self.engine.set_optimizer(name)
        return name

    def batch_modes(self) -> list[int]:
        """Batch sizes ``b`` cycles through: full, mini-batch, stochastic."""
        n = self.engine.n_points
        mini = min(32, max(2, n // 4))
        return [0, mini, 1] if 1 < mini < n else [0, 1]

    def next_batch_mode(self) -> int:
        """Switch to the next batch mode."""
        self._continue_from_view()
        modes = self.batch_modes()
        current = self.engine.batch_size
        k = modes[(modes.index(current) + 1) % len(modes)] if current in modes else 0
        self.engine.set_batch_size(k)
        return k

    def toggle_standardize(self) -> bool:
        """Fit in standardized units or in data units."""
        self._continue_from_view()
        self.engine.set_standardize(not self.engine.standardize)
        return self.engine.standardize

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

    def set_start(self, m: float, b: float) -> None:
        """Start from (m, b) in data units; the run resets there."""
        self.view_index = None
        self.engine.set_start(m, b)

    # -- reading -----------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """The iteration on screen."""
        return self.engine.snapshot(self.view_index)

    def _continue_from_view(self) -> None:
        if self.view_index is not None:
            self.engine.rewind(self.view_index)
            self.view_index = None


class LockstepController(RunSpeed):
    """Several engines advanced together by the same keys (comparison and race views)."""

    def __init__(self, engines: list[DescentEngine], labels: list[str]) -> None:
        self.engines = engines
        self.labels = labels
        self.steps_per_frame = 1

    def step(self) -> bool:
        """One step of every runner that can still move; True when all have stopped."""
        for engine in self.engines:
            if not engine.status.finished:
                engine.step()
        return self.all_finished

    def advance(self) -> bool:
        """One frame of run mode; True when every runner has stopped."""
        for engine in self.engines:
            if not engine.status.finished:
                engine.run(self.steps_per_frame)
        return self.all_finished

    def reset(self) -> None:
        """Every runner back to the start."""
        for engine in self.engines:
            engine.reset()

    @property
    def all_finished(self) -> bool:
        """True when no runner can move any more."""
        return all(engine.status.finished for engine in self.engines)


def iterations_to_reach(engine: DescentEngine, relative: float = 1e-6) -> int | None:
    """First recorded iteration with J − J* ≤ ``relative``·J* (or ≤ relative when J* is 0)."""
    cost = engine.history.column("cost")
    j_star = engine.closed_form.cost
    target = relative * (j_star if j_star > 0 else 1.0)
    hit = (cost - j_star) <= target
    if not hit.any():
        return None
    return int(engine.history.column("iteration")[int(hit.argmax())])


def comparison_rates(engine: DescentEngine) -> tuple[float, float, float]:
    """Too small, just right and too large rates for full-batch descent on this problem.

    Just right is the best constant rate 2/(λmin + λmax); too small is a tenth
    of it; too large is 10 % past the stable limit 2/λmax, so it diverges.
    """
    stability = engine.stability()
    best = stability.best_lr
    return best / 10.0, best, 1.1 * stability.max_stable_lr
