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
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from gdtui.engine.history import COL, History
from gdtui.engine.optimizers import OPTIMIZERS, ZERO_STATE, get_optimizer
from gdtui.engine.schedules import get_schedule
from gdtui.engine.stats import ClosedForm, SufficientStats
from gdtui.errors import ConfigError

_OPTIMIZER_NAMES = tuple(OPTIMIZERS)
DEFAULT_TOL = 1e-8
DEFAULT_MAX_ITER = 10_000
DIVERGENCE_FACTOR = 1e10


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
class Stability:
    """Curvature of J in the coordinates being fitted (the Hessian is constant)."""

    lambda_min: float
    lambda_max: float

    @property
    def condition_number(self) -> float:
        """κ = λmax / λmin."""
        return self.lambda_max / self.lambda_min if self.lambda_min > 0 else math.inf

    @property
    def max_stable_lr(self) -> float:
        """Largest rate at which full-batch gradient descent does not diverge: 2/λmax."""
        return 2.0 / self.lambda_max

    @property
    def best_lr(self) -> float:
        """Best constant rate for full-batch gradient descent: 2/(λmin + λmax)."""
        return 2.0 / (self.lambda_min + self.lambda_max)


@dataclass(frozen=True)
class Snapshot:
    """Everything a view needs about one recorded iteration, in plain floats."""

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


class DescentEngine:
    """Gradient descent on y = m·x + b with mean squared error.

    Parameters
    ----------
    x, y : array_like
        The data (float64, equal lengths, at least two points, x not constant).
    optimizer : str
        One of ``gd``, ``momentum``, ``nesterov``, ``adagrad``, ``rmsprop``, ``adam``.
    learning_rate : float, optional
        Base rate α; defaults to the optimizer's own default.
    batch_size : int
        0 (or ≥ N) for full batch, k for mini-batches of k points, 1 for stochastic.
    schedule : str
        Learning-rate schedule: ``constant``, ``step``, ``exponential``, ``inverse``
        (1/t), ``cosine``, ``warmup-cosine``.
    standardize : bool
        Fit in standardized units of x (reported in data units as well).
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

    Raises
    ------
    ConfigError
        For a setting out of range.
    DataError
        For data that cannot define a line (see :class:`SufficientStats`).
    """

    def __init__(
        self,
        x,
        y,
        *,
        optimizer: str = "gd",
        learning_rate: float | None = None,
        batch_size: int = 0,
        schedule: str = "constant",
        standardize: bool = True,
        tol: float = DEFAULT_TOL,
        max_iter: int = DEFAULT_MAX_ITER,
        seed: int = 0,
        start: tuple[float, float] = (0.0, 0.0),
        history_capacity: int = 1 << 16,
    ) -> None:
        self.x = np.ascontiguousarray(x, dtype=np.float64)
        self.y = np.ascontiguousarray(y, dtype=np.float64)
        self.stats = SufficientStats.from_data(self.x, self.y)
        self.closed_form = self.stats.closed_form
        self._optimizer = get_optimizer(optimizer)
        self._optimizer_code = float(_OPTIMIZER_NAMES.index(self._optimizer.name))
        self._lr = validate_learning_rate(
            self._optimizer.default_learning_rate if learning_rate is None else learning_rate
        )
        self._schedule = get_schedule(schedule)
        self._batch = self._validate_batch_size(batch_size)
        self._tol = validate_tol(tol)
        self._max_iter = validate_max_iter(max_iter)
        if not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ConfigError(f"seed must be a non-negative integer, got {seed!r}")
        self.seed = int(seed)
        m0, b0 = (float(v) for v in start)
        if not (math.isfinite(m0) and math.isfinite(b0)):
            raise ConfigError(f"start point must be finite, got ({m0}, {b0})")
        self.start = (m0, b0)
        self._standardize = bool(standardize)
        self._sigma_y = self.stats.std_y if self.stats.syy > 0 else 1.0
        self.history = History(history_capacity)
        self.events: list[tuple[int, str]] = []
        self._stability: dict[bool, Stability] = {}
        self._configure_coordinates()
        self.reset()

    # -- settings --------------------------------------------------------------
    @property
    def optimizer(self) -> str:
        """Name of the current optimizer."""
        return self._optimizer.name

    @property
    def learning_rate(self) -> float:
        """Base learning rate α (before the schedule)."""
        return self._lr

    @property
    def next_learning_rate(self) -> float:
        """The rate the next step will use (base rate through the schedule)."""
        return self._schedule.rate(self._lr, self._iteration, self._max_iter)

    @property
    def schedule(self) -> str:
        """Name of the learning-rate schedule."""
        return self._schedule.name

    @property
    def batch_size(self) -> int:
        """0 for full batch, otherwise the mini-batch size."""
        return self._batch

    @property
    def standardize(self) -> bool:
        """Whether (p, q) are in standardized units of x."""
        return self._standardize

    @property
    def tol(self) -> float:
        """Convergence tolerance on the standardized gradient norm."""
        return self._tol

    @property
    def max_iter(self) -> int:
        """Iteration limit."""
        return self._max_iter

    @property
    def n_points(self) -> int:
        """Number of data points."""
        return self.stats.n

    @property
    def status(self) -> Status:
        """Current status of the live run."""
        return self._status

    @property
    def reason(self) -> str:
        """A few words on why the run is in its status."""
        return self._reason

    @property
    def iteration(self) -> int:
        """Iterations done in the live run."""
        return self._iteration

    def set_learning_rate(self, lr: float) -> None:
        """Change α from the next step on (recorded as an event)."""
        lr = validate_learning_rate(lr)
        if lr != self._lr:
            self._event(f"learning rate {self._lr:.4g} → {lr:.4g}")
            self._lr = lr
        self._unstick()

    def set_optimizer(self, name: str) -> None:
        """Switch optimizer from the next step on; its state starts from zero."""
        opt = get_optimizer(name)
        if opt is not self._optimizer:
            self._event(f"optimizer {self._optimizer.name} → {opt.name}")
            self._optimizer = opt
            self._optimizer_code = float(_OPTIMIZER_NAMES.index(opt.name))
            self._opt_state = ZERO_STATE
            self._opt_t = 0
        self._unstick()

    def set_schedule(self, name: str) -> None:
        """Switch learning-rate schedule from the next step on."""
        sched = get_schedule(name)
        if sched is not self._schedule:
            self._event(f"schedule {self._schedule.name} → {sched.name}")
            self._schedule = sched
        self._unstick()

    def set_batch_size(self, batch_size: int) -> None:
        """Full batch (0), mini-batch (k) or stochastic (1) from the next step on."""
        k = self._validate_batch_size(batch_size)
        if k != self._batch:
            self._event(f"batch {batch_label(self._batch)} → {batch_label(k)}")
            self._batch = k
        self._unstick()

    def set_standardize(self, on: bool) -> None:
        """Fit in standardized (True) or data units from the next step on.

        The current line is kept (converted to the new coordinates); the
        optimizer's state, which lives in the old coordinates, starts from zero.
        """
        on = bool(on)
        if on == self._standardize:
            return
        m, b = self._to_data(self._p, self._q)
        self._standardize = on
        self._configure_coordinates()
        self._p, self._q = self._from_data(m, b)
        self._opt_state = ZERO_STATE
        self._opt_t = 0
        self._event("standardization " + ("on" if on else "off"))
        self._unstick()

    def set_max_iter(self, max_iter: int) -> None:
        """Change the iteration limit."""
        self._max_iter = validate_max_iter(max_iter)
        self._status, self._reason = self._classify()

    def set_tol(self, tol: float) -> None:
        """Change the convergence tolerance (0 disables the test)."""
        self._tol = validate_tol(tol)

    def _validate_batch_size(self, batch_size) -> int:
        if batch_size is None:
            return 0
        if isinstance(batch_size, float) and batch_size.is_integer():
            batch_size = int(batch_size)
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 0:
            raise ConfigError(f"batch size must be a positive integer, got {batch_size!r}")
        k = int(batch_size)
        return 0 if k >= self.stats.n else k

    # -- coordinates -----------------------------------------------------------
    def _configure_coordinates(self) -> None:
        st = self.stats
        self._shift, self._scale = self.coordinates(self._standardize)
        self._mu, self._sxx_n, self._p_star = self._coefficients(self._standardize)
        self._mean_y = st.mean_y
        self._gnorm_scale = st.std_x / self._scale / self._sigma_y

    def _coefficients(self, standardized: bool) -> tuple[float, float, float]:
        """(x̄', Sxx'/N, p*) of J = J* + (Sxx'/N)(p − p*)² + (ȳ − q − p·x̄')² in those units."""
        st = self.stats
        shift, scale = self.coordinates(standardized)
        return ((st.mean_x - shift) / scale, st.sxx / (scale * scale) / st.n,
                (st.sxy / st.sxx) * scale)

    def _to_data(self, p: float, q: float) -> tuple[float, float]:
        m = p / self._scale
        return m, q - m * self._shift

    def _from_data(self, m: float, b: float) -> tuple[float, float]:
        return m * self._scale, b + m * self._shift

    def coordinates(self, standardized: bool | None = None) -> tuple[float, float]:
        """(shift, scale) of the feature x' = (x − shift)/scale."""
        if standardized is None:
            standardized = self._standardize
        if standardized:
            return self.stats.mean_x, self.stats.std_x
        return 0.0, 1.0

    def stability(self, standardized: bool | None = None) -> Stability:
        """Eigenvalues of the (constant) Hessian of J in the fitted coordinates.

        The Hessian depends only on the data and the units, so each is computed once.
        """
        if standardized is None:
            standardized = self._standardize
        cached = self._stability.get(standardized)
        if cached is None:
            shift, scale = self.coordinates(standardized)
            lam = np.linalg.eigvalsh(self.stats.hessian(scale=scale, shift=shift))
            cached = self._stability[standardized] = Stability(float(lam[0]), float(lam[1]))
        return cached

    # -- evaluation (O(1)) -----------------------------------------------------
    def _evaluate(self, p: float, q: float) -> tuple[float, float, float]:
        d = (self._mean_y - q) - p * self._mu
        dp = p - self._p_star
        a = self._sxx_n * dp
        return self.stats.cost_min + a * dp + d * d, 2.0 * a - 2.0 * self._mu * d, -2.0 * d

    def _full_gradient(self, p: float, q: float) -> tuple[float, float]:
        d = (self._mean_y - q) - p * self._mu
        return 2.0 * self._sxx_n * (p - self._p_star) - 2.0 * self._mu * d, -2.0 * d

    def _batch_indices(self, step: int) -> np.ndarray:
        """Indices of the mini-batch used by step ``step`` (a pure function of seed and step)."""
        rng = np.random.default_rng((self.seed, step))
        return rng.integers(0, self.stats.n, size=self._batch)

    def _batch_gradient(self, step: int):
        idx = self._batch_indices(step)
        xb = (self.x[idx] - self._shift) / self._scale
        yb = self.y[idx]

        def gradient(p: float, q: float) -> tuple[float, float]:
            with np.errstate(all="ignore"):
                r = yb - (p * xb + q)
                return float(-2.0 * np.mean(xb * r)), float(-2.0 * np.mean(r))

        return gradient

    def gradient_norm(self, p: float | None = None, q: float | None = None) -> float:
        """Full-data gradient norm in standardized units divided by σy (unit-free)."""
        if p is None:
            p, q = self._p, self._q
        d = (self._mean_y - q) - p * self._mu
        return 2.0 * math.hypot((p - self._p_star) * self._gnorm_scale, d / self._sigma_y)

    # -- the cost surface (O(grid), from the sufficient statistics) ------------------
    def optimum(self, standardized: bool | None = None) -> tuple[float, float]:
        """(p*, q*): the least-squares line in the given coordinates."""
        cf = self.closed_form
        return self.to_coordinates(cf.m, cf.b, standardized)

    def to_coordinates(self, m, b, standardized: bool | None = None):
        """Data-unit (m, b) (floats or arrays) in standardized or data coordinates."""
        shift, scale = self.coordinates(standardized)
        return m * scale, b + m * shift

    def cost_grid(self, p_values, q_values, standardized: bool | None = None) -> np.ndarray:
        """J over a grid: rows follow ``q_values``, columns ``p_values``; O(grid), not O(grid·N).

        Parameters
        ----------
        p_values, q_values : array_like
            Slopes and intercepts in the coordinates ``standardized`` names
            (default: the engine's current ones).

        Returns
        -------
        numpy.ndarray
            Shape (len(q_values), len(p_values)).
        """
        if standardized is None:
            standardized = self._standardize
        st = self.stats
        mu, sxx_n, p_star = self._coefficients(standardized)
        p = np.asarray(p_values, dtype=np.float64)[np.newaxis, :]
        q = np.asarray(q_values, dtype=np.float64)[:, np.newaxis]
        with np.errstate(over="ignore", invalid="ignore"):
            d = (st.mean_y - q) - p * mu
            return st.cost_min + sxx_n * (p - p_star) ** 2 + d * d

    def cost_at(self, p: float, q: float, standardized: bool | None = None) -> float:
        """J at one point given in the named coordinates."""
        return float(self.cost_grid([p], [q], standardized)[0, 0])

    def gradient_at(self, p: float, q: float, standardized: bool | None = None):
        """Full-data (∂J/∂p, ∂J/∂q) at one point given in the named coordinates."""
        shift, scale = self.coordinates(standardized)
        m = p / scale
        gm, gb = self.stats.gradient(m, q - m * shift)
        # Chain rule: m = p/scale and b = q − p·shift/scale, so ∂J/∂p = (∂J/∂m − shift·∂J/∂b)/scale.
        return (gm - shift * gb) / scale, gb

    def path(self, standardized: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Every kept history point, in the named coordinates (default: the current ones)."""
        rows = self.history.rows
        return self.to_coordinates(rows[:, COL["m"]], rows[:, COL["b"]], standardized)

    def peek_next(self) -> tuple[float, float, float, float] | None:
        """Where the next step would land, without taking it: (p, q, ∂J/∂p, ∂J/∂q used).

        The gradient is the one the step would use: the next mini-batch's, or the
        look-ahead's for Nesterov. None when the run cannot step or the step would blow up.
        """
        if self._status is Status.DIVERGED or self._status is Status.MAX_ITER:
            return None
        k = self._iteration + 1
        lr = self._schedule.rate(self._lr, k - 1, self._max_iter)
        gradient = self._full_gradient if self._batch == 0 else self._batch_gradient(k)
        try:
            p, q, _, gp, gq = self._optimizer.step(
                self._p, self._q, self._opt_state, self._opt_t + 1, lr, gradient)
        except (OverflowError, ZeroDivisionError, ValueError):
            return None
        if not math.isfinite(p + q + gp + gq):
            return None
        return p, q, gp, gq

    def set_start(self, m: float, b: float) -> None:
        """Move the start point (data units) and reset the run there."""
        m, b = float(m), float(b)
        if not (math.isfinite(m) and math.isfinite(b)):
            raise ConfigError(f"start point must be finite, got ({m}, {b})")
        self.start = (m, b)
        self.reset()

    # -- running ---------------------------------------------------------------
    def reset(self) -> None:
        """Back to the start point with the current settings; the history restarts."""
        self._p, self._q = self._from_data(*self.start)
        self._opt_state = ZERO_STATE
        self._opt_t = 0
        self._iteration = 0
        self.history.clear()
        self.events.clear()
        cost, _, _ = self._evaluate(self._p, self._q)
        floor = max(cost, self.stats.cost_min, self.stats.syy / self.stats.n, 1e-300)
        self._cost_limit = DIVERGENCE_FACTOR * floor
        self._record(self._schedule.rate(self._lr, 0, self._max_iter), 0.0, 0.0)
        self._status, self._reason = self._classify()

    def step(self) -> Status:
        """Take one step with the current settings and return the new status.

        A diverged run or one at its iteration limit does not move. When a step
        would overflow or push the cost past any sensible bound, it is not
        applied: the last finite state is kept and the status becomes diverged.
        """
        if self._status is Status.DIVERGED or self._status is Status.MAX_ITER:
            return self._status
        k = self._iteration + 1
        lr = self._schedule.rate(self._lr, k - 1, self._max_iter)
        gradient = self._full_gradient if self._batch == 0 else self._batch_gradient(k)
        t = self._opt_t + 1
        try:
            p, q, state, sgp, sgq = self._optimizer.step(
                self._p, self._q, self._opt_state, t, lr, gradient
            )
            cost = self._evaluate(p, q)[0]
            ok = math.isfinite(cost + p + q + sum(state)) and cost <= self._cost_limit
        except (OverflowError, ZeroDivisionError, ValueError):
            ok = False
        if not ok:
            self._status = Status.DIVERGED
            self._reason = self._divergence_reason(k, lr)
            return self._status
        self._p, self._q, self._opt_state, self._opt_t = p, q, state, t
        self._iteration = k
        self._record(lr, sgp, sgq)
        if self._tol > 0.0 and self.gradient_norm(p, q) < self._tol:
            self._status = Status.CONVERGED
            self._reason = f"gradient norm under {self._tol:g} after {k} steps"
        elif k >= self._max_iter:
            self._status = Status.MAX_ITER
            self._reason = f"reached the limit of {self._max_iter} iterations"
        else:
            self._status = Status.RUNNING
            self._reason = ""
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

        The current settings stay; where the row was recorded with another
        optimizer or other coordinates, the optimizer's state starts from zero.
        """
        self.history.flush()
        n = len(self.history)
        if not -n <= index < n:
            raise IndexError(f"history has {n} rows, no row {index}")
        index %= n
        row = self.history.row(index)
        it = int(row[COL["iteration"]])
        same_coords = bool(row[COL["standardized"]]) == self._standardize
        if same_coords:
            self._p, self._q = float(row[COL["p"]]), float(row[COL["q"]])
        else:
            self._p, self._q = self._from_data(float(row[COL["m"]]), float(row[COL["b"]]))
        if same_coords and _OPTIMIZER_NAMES[int(row[COL["optimizer"]])] == self.optimizer:
            self._opt_state = tuple(float(v) for v in row[COL["s0"] : COL["s3"] + 1])
            self._opt_t = int(row[COL["opt_t"]])
        else:
            self._opt_state, self._opt_t = ZERO_STATE, 0
        self._iteration = it
        self.history.truncate(index + 1)
        self.events[:] = [e for e in self.events if e[0] <= it]
        self._status, self._reason = self._classify()

    # -- internals -------------------------------------------------------------
    def _record(self, lr: float, sgp: float, sgq: float) -> None:
        p, q = self._p, self._q
        cost, gp, gq = self._evaluate(p, q)
        m = p / self._scale
        b = q - m * self._shift
        # The gradient in data units follows from the chain rule:
        # ∂J/∂b = ∂J/∂q and ∂J/∂m = scale·∂J/∂p − shift·∂J/∂q.
        s = self._opt_state
        self.history.append((
            float(self._iteration), p, q, cost, gp, gq, m, b,
            self._scale * gp + self._shift * gq, gq, lr, sgp, sgq,
            s[0], s[1], s[2], s[3], float(self._opt_t),
            self._optimizer_code, float(self._batch),
            1.0 if self._standardize else 0.0,
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
        if self._status is Status.DIVERGED or self._status is Status.CONVERGED:
            self._status, self._reason = self._classify()
            if self._status is Status.CONVERGED:
                self._status = Status.RUNNING if self._iteration else Status.READY
                self._reason = ""

    def _divergence_reason(self, step: int, lr: float) -> str:
        limit = self.stability().max_stable_lr
        if self._optimizer.name == "gd" and self._batch == 0 and lr > limit:
            return (f"cost blew up at step {step}: α = {lr:.4g} exceeds the stable "
                    f"limit 2/λmax = {limit:.4g}")
        return f"cost blew up at step {step}: the learning rate {lr:.4g} is too large"

    def _event(self, text: str) -> None:
        self.events.append((self._iteration, text))

    # -- reading ---------------------------------------------------------------
    def snapshot(self, index: int | None = None) -> Snapshot:
        """State at history row ``index`` (default: the live state, the last row)."""
        self.history.flush()
        n = len(self.history)
        live = index is None or index % n == n - 1
        index = n - 1 if index is None else index % n
        row = self.history.row(index)
        prev = tuple(float(v) for v in self.history.row(index - 1)) if index > 0 else None
        standardized = bool(row[COL["standardized"]])
        shift, scale = self.coordinates(standardized)
        if live:
            status, reason = self._status, self._reason
        else:
            status, reason = Status.RUNNING if index else Status.READY, ""
        return Snapshot(
            index=index,
            live=live,
            iteration=int(row[COL["iteration"]]),
            m=float(row[COL["m"]]),
            b=float(row[COL["b"]]),
            cost=float(row[COL["cost"]]),
            grad_m=float(row[COL["grad_m"]]),
            grad_b=float(row[COL["grad_b"]]),
            p=float(row[COL["p"]]),
            q=float(row[COL["q"]]),
            grad_p=float(row[COL["grad_p"]]),
            grad_q=float(row[COL["grad_q"]]),
            learning_rate=float(row[COL["lr"]]),
            base_learning_rate=self._lr,
            schedule=self._schedule.name,
            step_grad_p=float(row[COL["step_grad_p"]]),
            step_grad_q=float(row[COL["step_grad_q"]]),
            state=tuple(float(v) for v in row[COL["s0"] : COL["s3"] + 1]),
            optimizer_step=int(row[COL["opt_t"]]),
            optimizer=_OPTIMIZER_NAMES[int(row[COL["optimizer"]])],
            batch_size=int(row[COL["batch_size"]]),
            standardized=standardized,
            shift=shift,
            scale=scale,
            status=status,
            reason=reason,
            closed_form=self.closed_form,
            n_points=self.stats.n,
            n_rows=n,
            history_decimated=self.history.decimated,
            previous=prev,
        )


def batch_label(k: int) -> str:
    """Human name of a batch size: full, stochastic or mini-batch k."""
    return "full" if k == 0 else ("stochastic" if k == 1 else f"mini-batch {k}")


def validate_learning_rate(lr) -> float:
    """Return ``lr`` as a float, or raise ConfigError if it is not positive and finite."""
    try:
        value = float(lr)
    except (TypeError, ValueError):
        raise ConfigError(f"learning rate must be a number, got {lr!r}") from None
    if not (math.isfinite(value) and value > 0.0):
        raise ConfigError(f"learning rate must be a positive finite number, got {lr!r}")
    return value


def validate_tol(tol) -> float:
    """Return ``tol`` as a float, or raise ConfigError if it is negative or not finite."""
    try:
        value = float(tol)
    except (TypeError, ValueError):
        raise ConfigError(f"tolerance must be a number, got {tol!r}") from None
    if not (math.isfinite(value) and value >= 0.0):
        raise ConfigError(f"tolerance must be zero or a positive number, got {tol!r}")
    return value


def validate_max_iter(max_iter) -> int:
    """Return ``max_iter`` as an int, or raise ConfigError if it is not a positive integer."""
    if isinstance(max_iter, float) and max_iter.is_integer():
        max_iter = int(max_iter)
    if not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ConfigError(f"iterations must be a positive integer, got {max_iter!r}")
    return int(max_iter)
