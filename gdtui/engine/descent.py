"""The descent engine: a line fitted to (x, y) by gradient descent, one step at a time.

Pure numpy and Python floats; no Textual, no plotext, no printing. The UI reads
:meth:`DescentEngine.snapshot` and calls the engine's methods; nothing else.

Coordinates
-----------
The engine fits ŷ = p·x' + q on the feature x' = (x − shift)/scale. With
standardization on (the default), shift = x̄ and scale = σx, so p and q are the
slope and intercept in standardized units; with it off, shift = 0 and scale = 1
and (p, q) are (m, b) in data units. Every history row carries both.
"""

from __future__ import annotations

import math

import numpy as np

from gdtui.engine.convergence import LINEAR_OPTIMIZERS
from gdtui.engine.curvature import Curvature
from gdtui.engine.edits import DataEdits
from gdtui.engine.heldout import TestSet, split_indices, validate_fraction
from gdtui.engine.history import COL, History
from gdtui.engine.optimizers import ZERO_STATE, optimizer_code
from gdtui.engine.problem import Problem
from gdtui.engine.quadratic import Quadratic, Stability
from gdtui.engine.reference import Reference
from gdtui.engine.settings import Settings
from gdtui.engine.state import Snapshot, Status, snapshot_at
from gdtui.engine.stats import SufficientStats
from gdtui.engine.theory import raw_default_rate
from gdtui.engine.validation import (
    finite_point,
    validate_learning_rate,
    validate_max_iter,
    validate_seed,
    validate_standardize,
    validate_tol,
)

DEFAULT_TOL = 1e-8
DEFAULT_MAX_ITER = 10_000
DIVERGENCE_FACTOR = 1e10
"""``standardize="auto"`` standardizes when the raw bowl's κ = λmax/λmin is above this: past it,
plain descent in data units needs more than the default 10,000 iterations at a rate under 1/λmax.
It also standardizes, whatever κ, when theory says plain descent at the default rate in data units
would not pass the convergence test within the iteration limit (a start far from the optimum)."""


class DescentEngine(Settings, DataEdits, Curvature):
    """Gradient descent on y = m·x + b (MSE, MAE or Huber), or on σ(m·x + b) (cross-entropy).

    Parameters
    ----------
    x, y : array_like
        The data (float64, equal lengths, at least two points, x not constant).
    optimizer : str
        One of ``gd``, ``momentum``, ``nesterov``, ``adagrad``, ``rmsprop``, ``adam``.
    learning_rate : float, optional
        Base rate α; defaults to the optimizer's own default.
    batch_size : int
        0 (or ≥ N) for full batch, k for mini-batches of k points, 1 for stochastic. With a
        loss other than MSE and N > 10,000, a mini-batch run records the cost and gradient of
        a fixed sample of 10,000 points each step (see ``DataCost.monitor_sample``).
    schedule : str
        ``constant``, ``step``, ``exponential``, ``inverse`` (1/t), ``cosine``, ``warmup-cosine``.
    standardize : bool or str
        Fit in standardized units of x (reported in data units as well); ``"auto"``
        standardizes only when the raw κ exceeds AUTO_STANDARDIZE_KAPPA (also ``"on"``, ``"off"``).
    tol : float
        Converged when the gradient norm in standardized units, divided by σy,
        falls under ``tol``; 0 disables the test.
    max_iter : int
        The run stops at this many iterations.
    seed : int
        Seed of the mini-batch sampler; the batch of step t is a pure function of
        (seed, t), so every run and every resumed run is reproducible bit for bit.
    start : (float, float)
        Starting (m, b) in data units.
    history_capacity : int
        Most history rows kept (older ones are thinned out past it).
    loss : str, optional
        ``mse`` (default, the seed's: O(1) steps), ``mae`` or ``huber`` for the line (O(N)
        full-batch steps, O(k) mini-batch); ``cross-entropy`` (the only one, and the default)
        for the logistic model. See :mod:`gdtui.engine.losses`.
    model_name : str
        ``line`` (ŷ = m·x + b) or ``logistic`` (p(y = 1 | x) = σ(m·x + b), y of 0 and 1).
    huber_delta : float, optional
        Huber's δ in y's units; default 1.345 × MAD/0.6745 of the least-squares residuals.
    test_fraction : float
        Share of the points held out of the fit (0 ≤ F < 1), chosen by ``seed``
        (:mod:`gdtui.engine.heldout`); ``x`` and ``y`` then hold the rest, ``test_set`` these.
    optimizer_params, schedule_params : dict, optional
        Hyper-parameters by name (β, ρ, β₁, β₂, ε; γ, every, decay, warm-up), see
        :mod:`.hyper`; those the optimizer or schedule does not use are kept for later.

    Raises
    ------
    ConfigError
        For a setting out of range.
    DataError
        For data that cannot define a line (see :class:`SufficientStats`).
    """

    def __init__(self, x, y, *, optimizer: str = "gd", learning_rate: float | None = None,
                 batch_size: int = 0, schedule: str = "constant", standardize: bool | str = True,
                 tol: float = DEFAULT_TOL, max_iter: int = DEFAULT_MAX_ITER, seed: int = 0,
                 start: tuple[float, float] = (0.0, 0.0), history_capacity: int = 1 << 16,
                 loss: str | None = None, model_name: str = "line",
                 huber_delta: float | None = None, test_fraction: float = 0.0,
                 optimizer_params: dict | None = None,
                 schedule_params: dict | None = None) -> None:
        self.x = np.ascontiguousarray(x, dtype=np.float64)
        self.y = np.ascontiguousarray(y, dtype=np.float64)
        self.test_fraction = validate_fraction(test_fraction)
        self.test_set: TestSet | None = None
        """The held-out points (``test_fraction`` of them, split by the seed), or None."""
        if self.test_fraction > 0.0:
            train, test = split_indices(self.x.size, self.test_fraction, validate_seed(seed))
            self.test_set = TestSet(self.x[test], self.y[test])
            self.x, self.y = self.x[train], self.y[train]
        self.stats = SufficientStats.from_data(self.x, self.y)
        self._init_edits()
        self._set_problem(Problem.make(self.x, self.y, model_name, loss, huber_delta))
        self._init_parameters(optimizer, optimizer_params, schedule, schedule_params)
        self._optimizer_code = optimizer_code(self._optimizer.name)
        self._lr = validate_learning_rate(
            self._optimizer.default_learning_rate if learning_rate is None else learning_rate)
        self._batch = self._validate_batch_size(batch_size)
        self._tol = validate_tol(tol)
        self._max_iter = validate_max_iter(max_iter)
        self.seed = validate_seed(seed)
        self.start = finite_point(start)
        standardize = validate_standardize(standardize)
        self._set_sigma_y()
        self.history = History(history_capacity)
        self.events: list[tuple[int, str]] = []
        self.version = 0
        """Counts every change to the run or its settings (views redraw when it moves)."""
        self._models: dict[bool, Quadratic] = {}
        self._stability: dict[bool, Stability] = {}
        self.auto_standardize = standardize == "auto"
        """True when ``standardize="auto"`` chose the units (from the raw κ)."""
        raw_rate = learning_rate is None and self._optimizer.name in LINEAR_OPTIMIZERS
        self.auto_why: str | None = None
        """Why ``standardize="auto"`` standardized (e.g. "raw κ 1.08e+07 > 300"), else None."""
        if self.auto_standardize:
            self.auto_why = self.auto_reason(budget=learning_rate is None)
            standardize = self.auto_why is not None
        self._standardize = bool(standardize)
        self.auto_rate = self.auto_standardize and raw_rate and not self._standardize
        """True when α is auto's data-unit default, the largest 1-2-5 value under 1/λmax."""
        if self.auto_rate:
            # In data units the optimizer's default may be past the limit: take 1/λmax, rounded.
            self._lr = raw_default_rate(self.stability(False))
        self._model = self.model(self._standardize)
        self.reset()

    def _set_problem(self, problem: Problem) -> None:
        self.problem = problem
        """The model, its loss, Huber's δ and the reference optimum (:mod:`.problem`)."""
        self._loss = problem.loss
        self.reference: Reference = problem.reference
        """The optimum of the current cost, computed without descent."""
        self.closed_form = problem.closed_form
        """The reference as (m, b, cost): least squares' closed form for MSE (the name is kept
        so that views and consumers of J* work for every loss)."""

    def _full_gradient(self, p: float, q: float) -> tuple[float, float]:
        return self._model.evaluate(p, q)[1:]

    def batch_indices(self, step: int) -> np.ndarray:
        """Indices of step ``step``'s mini-batch (a pure function of seed and step)."""
        return np.random.default_rng((self.seed, step)).integers(0, self.stats.n, size=self._batch)

    def _batch_gradient(self, step: int):
        idx = self.batch_indices(step)
        if self._loss != "mse":
            return self._model.batch_gradient(idx)
        xb = (self.x[idx] - self._model.shift) / self._model.scale
        yb = self.y[idx]

        def gradient(p: float, q: float) -> tuple[float, float]:
            with np.errstate(all="ignore"):
                r = yb - (p * xb + q)
                return float(-2.0 * np.mean(xb * r)), float(-2.0 * np.mean(r))

        return gradient

    def _try_step(self):
        """The next step, computed but not applied: (p, q, state, t, lr, ∂p, ∂q) or None."""
        k = self._iteration + 1
        lr = self._schedule.rate(self._lr, k - 1, self._max_iter)
        gradient = self._full_gradient if self._batch == 0 else self._batch_gradient(k)
        t = self._opt_t + 1
        try:
            p, q, state, gp, gq = self._optimizer.step(self._p, self._q, self._opt_state, t, lr,
                                                       gradient)
        except (OverflowError, ZeroDivisionError, ValueError):
            return None
        return p, q, state, t, lr, gp, gq

    def peek_next(self) -> tuple[float, float, float, float] | None:
        """Where the next step would land, without taking it: (p, q, ∂J/∂p, ∂J/∂q used).

        The gradient is the one the step would use: the next mini-batch's, or the
        look-ahead's for Nesterov. None when the run cannot step or the step would blow up.
        """
        if self._status is Status.DIVERGED or self._status is Status.MAX_ITER:
            return None
        step = self._try_step()
        if step is None or not math.isfinite(step[0] + step[1] + step[5] + step[6]):
            return None
        return step[0], step[1], step[5], step[6]

    # -- running ---------------------------------------------------------------
    def reset(self) -> None:
        """Back to the start point with the current settings; the history restarts."""
        self._p, self._q = self._model.to_coordinates(*self.start)
        self._opt_state, self._opt_t = ZERO_STATE, 0
        self._iteration = 0
        self.history.clear()
        self.events.clear()
        self._set_cost_limit()
        self._record(self._schedule.rate(self._lr, 0, self._max_iter), 0.0, 0.0)
        self._status, self._reason = self._classify()
        self.version += 1

    def _set_cost_limit(self) -> None:
        """A step that pushes J past this is a divergence (far above any cost of the data)."""
        cost = self._model.evaluate(self._p, self._q)[0]
        floor = max(cost, self.closed_form.cost, 1e-300)
        if self._loss == "mse":
            floor = max(floor, self.stats.cost_min, self.stats.syy / self.stats.n)
        self._cost_limit = DIVERGENCE_FACTOR * floor

    def step(self) -> Status:
        """Take one step with the current settings and return the new status.

        A diverged run or one at its iteration limit does not move. When a step
        would overflow or push the cost past any sensible bound, it is not
        applied: the last finite state is kept and the status becomes diverged.
        """
        if self._status is Status.DIVERGED or self._status is Status.MAX_ITER:
            return self._status
        self.version += 1
        k = self._iteration + 1
        step = self._try_step()
        ok = False
        if step is not None:
            p, q, state, t, lr, sgp, sgq = step
            cost = self._model.evaluate(p, q)[0]
            ok = math.isfinite(cost + p + q + sum(state)) and cost <= self._cost_limit
        if not ok:
            lr = self._schedule.rate(self._lr, k - 1, self._max_iter)
            self._status, self._reason = Status.DIVERGED, self._divergence_reason(k, lr)
            return self._status
        self._p, self._q, self._opt_state, self._opt_t = p, q, state, t
        self._iteration = k
        self._record(lr, sgp, sgq)
        if self._tol > 0.0 and self.gradient_norm(p, q) < self._tol:
            self._status = Status.CONVERGED
            self._reason = (f"{self.gradient_symbol} = {self.gradient_norm(p, q):.2g} fell "
                            f"under tol {self._tol:g} after {k:,} step{'' if k == 1 else 's'}")
        elif k >= self._max_iter:
            self._status = Status.MAX_ITER
            self._reason = f"reached the limit of {self._max_iter} iterations"
        else:
            self._status, self._reason = Status.RUNNING, ""
        return self._status

    def run(self, n: int) -> Status:
        """Take up to ``n`` steps, stopping early at converged, diverged or the limit."""
        step = self.step
        for _ in range(int(n)):
            if step().finished:
                break
        return self._status

    def rewind(self, index: int) -> None:
        """Make history row ``index`` the live state and forget the rows after it.

        The current settings stay (changes made after the row are kept in ``events``, now
        at iteration ``it``); where the row was recorded with another
        optimizer or other coordinates, the optimizer's state starts from zero.
        """
        self.history.flush()
        n = len(self.history)
        if not -n <= index < n:
            raise IndexError(f"history has {n} rows, no row {index}")
        index %= n
        row = self.history.row(index)
        it = int(row[COL["iteration"]])
        same_data = row[COL["data_version"]] == self.data_version
        same_coords = bool(row[COL["standardized"]]) == self._standardize and same_data
        if same_coords:
            self._p, self._q = float(row[COL["p"]]), float(row[COL["q"]])
        else:
            self._p, self._q = self._model.to_coordinates(float(row[COL["m"]]),
                                                          float(row[COL["b"]]))
        if same_coords and row[COL["optimizer"]] == self._optimizer_code:
            self._opt_state = tuple(float(v) for v in row[COL["s0"] : COL["s3"] + 1])
            self._opt_t = int(row[COL["opt_t"]])
        else:
            self._opt_state, self._opt_t = ZERO_STATE, 0
        self._iteration = it
        self.history.truncate(index + 1)
        # A change made after row ``index`` still holds (the settings stay): it now takes
        # effect from the step after ``it``, so it is kept, stamped at ``it``.
        self.events[:] = [(min(e_it, it), what) for e_it, what in self.events]
        if not same_data:  # the row's cost was on other data: record it on these
            self._record(float(row[COL["lr"]]), 0.0, 0.0)
        self._status, self._reason = self._classify()
        self.version += 1

    # -- internals -------------------------------------------------------------
    def _record(self, lr: float, sgp: float, sgq: float) -> None:
        p, q = self._p, self._q
        model = self._model
        cost, gp, gq = model.evaluate(p, q)
        m, b = model.to_data(p, q)
        gm, gb = model.gradient_in_data_units(gp, gq)
        s = self._opt_state
        self.history.append((
            float(self._iteration), p, q, cost, gp, gq, m, b, gm, gb, lr, sgp, sgq,
            s[0], s[1], s[2], s[3], float(self._opt_t), self._optimizer_code,
            float(self._batch), 1.0 if self._standardize else 0.0, float(self.data_version),
        ))

    def _classify(self) -> tuple[Status, str]:
        if self._tol > 0.0 and self.gradient_norm() < self._tol:
            return Status.CONVERGED, f"gradient norm under {self._tol:g}"
        if self._iteration >= self._max_iter:
            return Status.MAX_ITER, f"reached the limit of {self._max_iter} iterations"
        if self._iteration == 0:
            return Status.READY, ""
        return Status.RUNNING, ""

    def _unstick(self) -> None:
        self.version += 1
        if self._status is Status.DIVERGED or self._status is Status.CONVERGED:
            self._status, self._reason = self._classify()
            if self._status is Status.CONVERGED:
                self._status = Status.RUNNING if self._iteration else Status.READY
                self._reason = ""

    def _divergence_reason(self, step: int, lr: float) -> str:
        limit = self.stability().max_stable_lr
        where = (f"the update into iteration {step} would blow the cost up, so iteration "
                 f"{step - 1} is the last kept")
        if (self._loss == "mse" and self._optimizer.name == "gd" and self._batch == 0
                and lr > limit):
            return f"{where}: α = {lr:.4g} exceeds the stable limit 2/λmax = {limit:.4g}"
        return f"{where}: the learning rate {lr:.4g} is too large"

    def _set_sigma_y(self) -> None:
        # The convergence test is relative to y's spread, but never finer than float64 can
        # resolve around y's level (a constant y, or one whose spread is mere rounding).
        st = self.stats
        self._sigma_y = max(st.std_y, 1e-7 * abs(st.mean_y)) or 1.0

    def _event(self, text: str) -> None:
        self.events.append((self._iteration, text))

    def test_cost(self, m, b):
        """J of the line(s) (m, b) on the held-out points; None without a test set."""
        if self.test_set is None:
            return None
        return self.test_set.cost(m, b, self._loss, self.problem.delta or 1.0)

    # -- reading ---------------------------------------------------------------
    def snapshot(self, index: int | None = None) -> Snapshot:
        """State at history row ``index`` (default: the live state, the last row)."""
        return snapshot_at(self, index)
