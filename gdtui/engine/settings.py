"""A run's settings: reading them, and changing them between steps (mixed into the engine).

Each setter validates its value (:mod:`.validation`), records an event in the run's history
when the value changes, and lets a diverged or converged run go on with the new setting.
"""

from __future__ import annotations

from gdtui.engine.hyper import (
    OPTIMIZER_PARAMETERS,
    SYMBOLS,
    clean_parameters,
    make_optimizer,
    make_schedule,
    parameters_of,
    validate_parameter,
)
from gdtui.engine.losses import DataCost
from gdtui.engine.optimizers import ZERO_STATE, get_optimizer, optimizer_code
from gdtui.engine.problem import Problem
from gdtui.engine.schedules import SCHEDULES, get_schedule
from gdtui.engine.state import Status, batch_label
from gdtui.engine.validation import (
    finite_point,
    validate_batch_size,
    validate_learning_rate,
    validate_max_iter,
    validate_tol,
)
from gdtui.errors import ConfigError


class Settings:
    """The settings half of :class:`~gdtui.engine.descent.DescentEngine`.

    Relies on the engine for ``_model``, ``model()``, ``reset()``, ``_classify()``,
    ``_event()`` and ``_unstick()``.
    """
    @property
    def loss(self) -> str:
        """``mse``, ``mae``, ``huber`` (the line) or ``cross-entropy`` (logistic)."""
        return self._loss

    @property
    def model_name(self) -> str:
        """``line`` or ``logistic``."""
        return self.problem.model_name

    @property
    def huber_delta(self) -> float | None:
        """Huber's δ (y units) with the Huber loss, else None."""
        return self.problem.delta

    def set_loss(self, loss: str | None, *, model_name: str | None = None,
                 huber_delta: float | None = None) -> None:
        """Switch the loss (and model) and reset the run: the cost surface is another one.

        ``model_name`` None keeps the current model; ``huber_delta`` None takes the default δ.

        Raises
        ------
        ConfigError
            For an unknown loss or model, a line loss with the logistic model, labels that
            are not 0 and 1 for the logistic model, or a δ that is not positive.
        """
        self._set_problem(Problem.make(self.x, self.y, model_name or self.model_name, loss,
                                       huber_delta))
        self._models.clear()
        self._model = self.model(self._standardize)
        self.reset()

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
        if opt.name != self._optimizer.name:
            self._event(f"optimizer {self._optimizer.name} → {opt.name}")
            self._optimizer = make_optimizer(opt.name, self._opt_params)
            self._optimizer_code = optimizer_code(opt.name)
            self._opt_state, self._opt_t = ZERO_STATE, 0
        self._unstick()

    def set_schedule(self, name: str) -> None:
        """Switch learning-rate schedule from the next step on."""
        sched = get_schedule(name)
        if sched.name != self._schedule.name:
            self._event(f"schedule {self._schedule.name} → {sched.name}")
            self._schedule = make_schedule(sched.name, self._sched_params[sched.name])
        self._unstick()

    @property
    def optimizer_params(self) -> dict[str, float]:
        """Every optimizer hyper-parameter (β, ρ, β₁, β₂, ε), used by the optimizer or not."""
        return dict(self._opt_params)

    @property
    def schedule_params(self) -> dict[str, float]:
        """The current schedule's parameters (empty for constant and cosine)."""
        return dict(self._sched_params[self._schedule.name])

    def set_optimizer_parameter(self, name: str, value: float) -> None:
        """Change β, ρ, β₁, β₂ or ε from the next step on (the optimizer's state is kept).

        Raises
        ------
        ConfigError
            For an unknown name or a value out of range (:func:`.hyper.validate_parameter`).
        """
        if name not in OPTIMIZER_PARAMETERS:
            raise ConfigError(f"{name!r} is not an optimizer parameter; known: "
                              f"{', '.join(OPTIMIZER_PARAMETERS)}")
        value = validate_parameter(name, value)
        if value != self._opt_params[name]:
            if name in parameters_of(self._optimizer):
                self._event(f"{SYMBOLS[name]} {self._opt_params[name]:.4g} → {value:.4g}")
            self._opt_params[name] = value
            self._optimizer = make_optimizer(self._optimizer.name, self._opt_params)
        self._unstick()

    def set_schedule_parameter(self, name: str, value: float) -> None:
        """Change a parameter of the current schedule from the next step on.

        Raises
        ------
        ConfigError
            For a parameter the current schedule does not have, or a value out of range.
        """
        mine = self._sched_params[self._schedule.name]
        if name not in mine:
            raise ConfigError(f"the {self._schedule.name} schedule has no parameter {name!r}")
        value = validate_parameter(name, value)
        if value != mine[name]:
            self._event(f"{self._schedule.name} {SYMBOLS[name]} {mine[name]:.4g} → {value:.4g}")
            mine[name] = value
            self._schedule = make_schedule(self._schedule.name, mine)
        self._unstick()

    def _init_parameters(self, optimizer: str, optimizer_params: dict | None, schedule: str,
                         schedule_params: dict | None) -> None:
        self._opt_params = dict(OPTIMIZER_PARAMETERS)
        self._opt_params.update({k: v for k, v in clean_parameters(optimizer_params).items()
                                 if k in OPTIMIZER_PARAMETERS})
        self._optimizer = make_optimizer(optimizer, self._opt_params)
        self._sched_params = {name: parameters_of(s) for name, s in SCHEDULES.items()}
        name = get_schedule(schedule).name
        mine = self._sched_params[name]
        mine.update({k: v for k, v in clean_parameters(schedule_params).items() if k in mine})
        self._schedule = make_schedule(name, mine)

    def set_batch_size(self, batch_size: int) -> None:
        """Full batch (0), mini-batch (k) or stochastic (1) from the next step on."""
        k = self._validate_batch_size(batch_size)
        if k != self._batch:
            self._event(f"batch {batch_label(self._batch)} → {batch_label(k)}")
            self._batch = k
            for model in self._models.values():
                if isinstance(model, DataCost):
                    model.monitor_sample(k > 0)
        self._unstick()

    def set_standardize(self, on: bool) -> None:
        """Fit in standardized (True) or data units from the next step on.

        The current line is kept (converted to the new coordinates); the
        optimizer's state, which lives in the old coordinates, starts from zero.
        """
        on = bool(on)
        if on == self._standardize:
            return
        m, b = self._model.to_data(self._p, self._q)
        self._standardize = on
        self.auto_standardize = False  # the learner chose the units now
        self._model = self.model(on)
        self._p, self._q = self._model.to_coordinates(m, b)
        self._opt_state, self._opt_t = ZERO_STATE, 0
        self._event("standardization " + ("on" if on else "off"))
        self._unstick()

    def set_max_iter(self, max_iter: int) -> None:
        """Change the iteration limit."""
        self._max_iter = validate_max_iter(max_iter)
        self._status, self._reason = self._classify()
        self.version += 1

    def set_tol(self, tol: float) -> None:
        """Change the convergence tolerance (0 disables the test)."""
        self._tol = validate_tol(tol)
        self.version += 1

    def set_start(self, m: float, b: float) -> None:
        """Move the start point (data units) and reset the run there."""
        self.start = finite_point((m, b))
        self.reset()

    def _validate_batch_size(self, batch_size) -> int:
        return validate_batch_size(batch_size, self.stats.n)
