"""What is fitted: the model (line or logistic), its loss, Huber's δ, and the reference optimum.

The engine holds one :class:`Problem`; everything that depends on the loss and not on the run
(the cost as a function of the parameters in either unit system, the stability limit, how the
gradient norm is scaled) is answered here, so that ``descent.py`` stays about descent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gdtui.engine.losses import (
    DataCost,
    StabilityLimit,
    check_labels,
    default_huber_delta,
    resolve_loss,
    stability_limit,
    validate_delta,
)
from gdtui.engine.quadratic import Quadratic
from gdtui.engine.reference import Reference, reference
from gdtui.engine.stats import ClosedForm, SufficientStats


@dataclass(frozen=True)
class Problem:
    """A model, its loss and the loss's optimum found without descent.

    Attributes
    ----------
    model_name : str
        ``line`` or ``logistic``.
    loss : str
        ``mse``, ``mae``, ``huber`` (the line) or ``cross-entropy`` (logistic).
    delta : float or None
        Huber's δ in y's units (None for the other losses).
    reference : Reference
        The optimum (see :mod:`gdtui.engine.reference`).
    """

    model_name: str
    loss: str
    delta: float | None
    reference: Reference

    @classmethod
    def make(cls, x: np.ndarray, y: np.ndarray, model_name: str = "line",
             loss: str | None = None, huber_delta: float | None = None) -> Problem:
        """Check the choice against the data and compute the reference.

        Raises
        ------
        ConfigError
            For an unknown model or loss, a line loss with the logistic model, labels other
            than 0 and 1 for the logistic model, or a δ that is not positive and finite.
        """
        model_name, loss = resolve_loss(model_name, loss)
        if model_name == "logistic":
            check_labels(y)
        delta = None
        if loss == "huber":
            delta = (default_huber_delta(x, y) if huber_delta is None
                     else validate_delta(huber_delta))
        return cls(model_name, loss, delta, reference(loss, x, y, delta or 1.0))

    @property
    def closed_form(self) -> ClosedForm:
        """The reference as (m, b, cost): least squares' closed form for MSE."""
        ref = self.reference
        return ClosedForm(ref.m, ref.b, ref.cost)

    def cost_model(self, stats: SufficientStats, x: np.ndarray, y: np.ndarray, shift: float,
                   scale: float, sampled: bool) -> Quadratic | DataCost:
        """J over (p, q) on x' = (x − shift)/scale: O(1) for MSE, from the data otherwise.

        ``sampled`` makes a :class:`DataCost` read its fixed sample (mini-batch runs).
        """
        if self.loss == "mse":
            return stats.model(shift, scale)
        ref = self.reference
        optimum = (ref.m * scale, ref.b + ref.m * shift, ref.cost) if ref.finite else None
        model = DataCost(x, y, self.loss, shift, scale, self.delta or 1.0, optimum)
        model.monitor_sample(sampled)
        return model

    def limit(self, mse_lambda_max: float, model) -> StabilityLimit:
        """The stability limit of this loss (MSE's λmax in the same units bounds the others)."""
        local = model.hessian() if isinstance(model, DataCost) else None
        return stability_limit(self.loss, mse_lambda_max, local)

    @property
    def gradient_symbol(self) -> str:
        """How the engine's gradient norm is written: over σy where J has y's units squared
        (MSE) or y's units (Huber), plain where the gradient has none (MAE, cross-entropy)."""
        return "‖∇J‖/σy" if self.loss in ("mse", "huber") else "‖∇J‖"

    def gradient_norm(self, model: DataCost, p: float, q: float, std_x: float,
                      sigma_y: float) -> float:
        """The norm of ∇J in standardized units (chain rule), scaled as :attr:`gradient_symbol`."""
        gp, gq = model.evaluate(p, q)[1:]
        gpz = (model.scale * gp + model.shift * gq) / std_x
        return math.hypot(gpz, gq) / (sigma_y if self.loss == "huber" else 1.0)
