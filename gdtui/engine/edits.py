"""Editing the data under a live run: add, move or remove a point, and undo (mixed into the engine).

Each edit changes the sufficient statistics in O(1) (:meth:`SufficientStats.added` and
:meth:`~SufficientStats.removed`: Welford's updates, and the rank-one update of the residual sum
of squares for J*), so nothing is refitted from scratch for a least-squares run. The arrays
stay consistent with the statistics (mini-batches and the other losses read them): they live
in buffers that grow by doubling, a point is appended at the end, and a removed point's place
is taken by the last one, so every edit is O(1) amortised. Only when an update would lose its
digits to cancellation (a removal leaving x almost constant, or an almost perfect fit) are the
statistics recomputed from the arrays, in O(N); the losses other than MSE recompute their
reference optimum from the arrays (O(N)) after each edit.

The run continues from its current (m, b) in data units on the new data. The optimizer's state
starts from zero (standardized coordinates move with x̄ and σx). The history records the change:
a new row at the same iteration carries the cost on the new data (before the first step, the
start row is recorded afresh instead), every row carries ``data_version`` (0 as loaded, one more
for each edit or undo), and the edit is an event.
"""

from __future__ import annotations

import math

import numpy as np

from gdtui.engine.history import COL
from gdtui.engine.optimizers import ZERO_STATE
from gdtui.engine.problem import Problem
from gdtui.engine.reference import least_squares_from
from gdtui.engine.stats import SufficientStats
from gdtui.errors import DataError


def _point(x, y) -> tuple[float, float]:
    x, y = float(x), float(y)
    if not (math.isfinite(x) and math.isfinite(y)):
        raise DataError(f"a point needs finite coordinates, got ({x!r}, {y!r})")
    return x, y


class DataEdits:
    """The data-editing half of :class:`~gdtui.engine.descent.DescentEngine`."""

    def _init_edits(self) -> None:
        self.data_version = 0
        """0 for the data as loaded; one more after every edit or undo (history column too)."""
        self._undo: list[tuple] = []
        self._buffers: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def data_edited(self) -> bool:
        """True while edits are in force (undoing all of them gives the data as loaded)."""
        return bool(self._undo)

    # -- the edits ------------------------------------------------------------------------
    def add_point(self, x: float, y: float) -> int:
        """Add the point (x, y); return its index. The run goes on from its (m, b).

        Raises
        ------
        DataError
            For a coordinate that is not finite, or a y other than 0 or 1 under the logistic model.
        """
        x, y = self._check_point(x, y)
        before = self.stats
        index = self._append(x, y)
        self._commit(before.added(x, y), f"point added at ({x:.4g}, {y:.4g})",
                     lambda: self._view(before.n))
        self._undo.append(("add",))
        return index

    def remove_point(self, index: int) -> tuple[float, float]:
        """Remove point ``index`` (the last point takes its place); return its (x, y).

        Raises
        ------
        DataError
            When two points would be left fewer, or every x left would be the same.
        IndexError
            For an index out of range.
        """
        i = self._index(index)
        x, y = float(self.x[i]), float(self.y[i])
        n = self.stats.n
        stats = self.stats.removed(x, y)  # raises when fewer than two points would be left
        self._swap_remove(i)

        def rollback() -> None:
            bx, by = self._buffers
            bx[n - 1], by[n - 1] = bx[i], by[i]
            bx[i], by[i] = x, y
            self._view(n)

        self._commit(stats, f"point removed from ({x:.4g}, {y:.4g})", rollback)
        self._undo.append(("remove", i, x, y))
        return x, y

    def move_point(self, index: int, x: float, y: float, *, coalesce: bool = False) -> None:
        """Move point ``index`` to (x, y); ``coalesce`` makes a drag's moves of one point one edit.

        Raises
        ------
        DataError
            For a coordinate that is not finite, or a move that leaves every x the same.
        """
        i = self._index(index)
        x, y = self._check_point(x, y)
        x0, y0 = float(self.x[i]), float(self.y[i])
        self._move(i, x, y, f"point moved from ({x0:.4g}, {y0:.4g}) to ({x:.4g}, {y:.4g})")
        last = self._undo[-1] if self._undo else None
        if not (coalesce and last is not None and last[:2] == ("move", i)):
            self._undo.append(("move", i, x0, y0))

    def undo_edit(self) -> str | None:
        """Undo the last edit; return what was undone in a few words, or None if none was left."""
        if not self._undo:
            return None
        entry = self._undo.pop()
        if entry[0] == "add":
            x, y = float(self.x[-1]), float(self.y[-1])
            before = self.stats
            self._swap_remove(self.stats.n - 1)
            what = f"undo: point at ({x:.4g}, {y:.4g}) taken out again"
            self._commit(before.removed(x, y), what, lambda: self._view(before.n))
        elif entry[0] == "remove":
            _, i, x, y = entry
            before = self.stats
            bx, by = self._grow()
            n = before.n
            bx[n], by[n] = bx[i], by[i]  # the point that took its place goes back to the end
            bx[i], by[i] = x, y
            self._view(n + 1)
            self._commit(before.added(x, y), f"undo: point at ({x:.4g}, {y:.4g}) put back",
                         lambda: None)
        else:
            _, i, x, y = entry
            self._move(i, x, y, f"undo: point moved back to ({x:.4g}, {y:.4g})")
        return self.events[-1][1]

    def nearest_point(self, x: float, y: float, x_unit: float = 1.0,
                      y_unit: float = 1.0) -> int:
        """Index of the point nearest (x, y), distances measured in units of ``x_unit``,
        ``y_unit`` (a plot's cell size: the nearest point on screen). O(N)."""
        d = ((self.x - x) / x_unit) ** 2 + ((self.y - y) / y_unit) ** 2
        return int(np.argmin(d))

    # -- internals ----------------------------------------------------------------------
    def _check_point(self, x, y) -> tuple[float, float]:
        x, y = _point(x, y)
        if self.problem.model_name == "logistic" and y not in (0.0, 1.0):
            raise DataError(f"the logistic model needs y of 0 or 1, got {y:g}")
        return x, y

    def _index(self, index: int) -> int:
        n = self.stats.n
        if not -n <= index < n:
            raise IndexError(f"there are {n} points, no point {index}")
        return int(index) % n

    def _move(self, i: int, x: float, y: float, what: str) -> None:
        x0, y0 = float(self.x[i]), float(self.y[i])
        with_new = self.stats.added(x, y)
        stats = with_new.removed(x0, y0) if with_new is not None else None
        bx, by = self._grow(0)
        bx[i], by[i] = x, y
        self._view(self.stats.n)

        def rollback() -> None:
            bx[i], by[i] = x0, y0

        self._commit(stats, what, rollback)

    def _commit(self, stats: SufficientStats | None, what: str, rollback) -> None:
        """Adopt the changed arrays, or put them back (``rollback``) when they cannot be fitted."""
        if stats is None:
            try:
                stats = SufficientStats.from_data(self.x, self.y)
            except DataError:
                rollback()
                raise
        self._changed(stats, what)

    def _grow(self, extra: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """The buffers behind ``x`` and ``y``, with room for ``extra`` more points."""
        n = self.stats.n
        if self._buffers is None or self._buffers[0].size < n + extra:
            size = max(2 * (n + extra), 16)
            bx, by = np.empty(size), np.empty(size)
            bx[:n], by[:n] = self.x, self.y  # the first edit copies: the loaded data stay as read
            self._buffers = (bx, by)
        return self._buffers

    def _view(self, n: int) -> None:
        bx, by = self._buffers
        self.x, self.y = bx[:n], by[:n]

    def _append(self, x: float, y: float) -> int:
        n = self.stats.n
        bx, by = self._grow()
        bx[n], by[n] = x, y
        self._view(n + 1)
        return n

    def _swap_remove(self, i: int) -> None:
        n = self.stats.n
        bx, by = self._grow(0)
        bx[i], by[i] = bx[n - 1], by[n - 1]
        self._view(n - 1)

    def _changed(self, stats: SufficientStats, what: str) -> None:
        """The arrays changed and ``stats`` are theirs: the run goes on from its (m, b)."""
        m, b = self._model.to_data(self._p, self._q)
        self.stats = stats
        self.data_version += 1
        problem = self.problem
        if problem.loss == "mse":
            problem = Problem(problem.model_name, "mse", None, least_squares_from(stats))
        else:
            problem = Problem.make(self.x, self.y, problem.model_name, problem.loss,
                                   problem.delta)
        self._set_problem(problem)
        self._set_sigma_y()
        if self._batch >= stats.n:
            self._batch = 0
        self._models.clear()
        self._stability.clear()
        self._model = self.model(self._standardize)
        self._p, self._q = self._model.to_coordinates(m, b)
        self._opt_state, self._opt_t = ZERO_STATE, 0
        limit = self._cost_limit
        self._set_cost_limit()
        self._cost_limit = max(limit, self._cost_limit)
        self.history.flush()
        lr = float(self.history.row(-1)[COL["lr"]])
        if self._iteration == 0:  # no step yet: the run starts on the new data
            self.history.clear()
            self.events.clear()
        self._event(f"data changed: {what}")
        self._record(lr, 0.0, 0.0)
        self._status, self._reason = self._classify()
        self.version += 1
