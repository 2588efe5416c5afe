"""The cost as a function of the parameters, its curvature and the units auto picks.

A mixin of :class:`~gdtui.engine.descent.DescentEngine`: J in either unit system (an O(1)
:class:`Quadratic` for MSE, an O(N) :class:`DataCost` for the other losses), the stability limits
that follow from its curvature, the gradient norm that the convergence test reads, and why
``--standardize auto`` chose the units it did.
"""

from __future__ import annotations

import math

import numpy as np

from gdtui.engine.convergence import LINEAR_OPTIMIZERS
from gdtui.engine.history import COL
from gdtui.engine.losses import DataCost, StabilityLimit
from gdtui.engine.quadratic import Quadratic, Stability
from gdtui.engine.theory import raw_default_rate, steps_to_tolerance

AUTO_STANDARDIZE_KAPPA = 300.0
"""``--standardize auto`` standardizes when the raw κ is above this (stated in the help)."""


class Curvature:
    """J over the parameters, its stability limits and the units auto picks."""

    # -- the cost as a function of the parameters -------------------------------------
    def model(self, standardized: bool | None = None) -> Quadratic | DataCost:
        """J over the parameters of the named units (default: the current ones).

        For MSE a :class:`Quadratic` (O(1)); for the other losses a :class:`DataCost` (O(N)),
        which reads the same way: ``evaluate``, ``cost``, ``gradient``, ``grid``, ``optimum``,
        ``to_coordinates``, ``to_data``, ``gradient_in_data_units``, ``cost_min``.
        """
        if standardized is None:
            standardized = self._standardize
        model = self._models.get(standardized)
        if model is None:
            shift, scale = (self.stats.mean_x, self.stats.std_x) if standardized else (0.0, 1.0)
            model = self.problem.cost_model(self.stats, self.x, self.y, shift, scale,
                                            self._batch > 0)
            self._models[standardized] = model
        return model

    def stability_limit(self, standardized: bool | None = None) -> StabilityLimit:
        """The largest safe constant rate for the current loss, or "no fixed limit" (MAE)."""
        return self.problem.limit(self.stability(standardized).lambda_max,
                                  self.model(standardized))

    def rate_stability(self, standardized: bool | None = None) -> Stability | None:
        """The curvature that classifies constant rates of plain full-batch descent: MSE's
        (exact, everywhere), the Hessian's at the optimum for Huber and cross-entropy (what
        rules once the run is near it), None for MAE (kinks: no curvature to speak of)."""
        model = self.model(standardized)
        if self._loss == "mse":
            return self.stability(standardized)
        return model.local_stability()

    def stability(self, standardized: bool | None = None) -> Stability:
        """Eigenvalues of the (constant) Hessian of MSE's J in the named units (computed once).

        For the other losses this is MSE's curvature, which bounds Huber's and (÷ 8)
        cross-entropy's; see :meth:`stability_limit` for what it means for each loss.
        """
        if standardized is None:
            standardized = self._standardize
        cached = self._stability.get(standardized)
        if cached is None:
            shift, scale = (self.stats.mean_x, self.stats.std_x) if standardized else (0.0, 1.0)
            cached = self._stability[standardized] = self.stats.model(shift, scale).stability()
        return cached

    @property
    def gradient_symbol(self) -> str:
        """How :meth:`gradient_norm` is written (‖∇J‖/σy, or ‖∇J‖ where ∇J has no units)."""
        return self.problem.gradient_symbol

    def gradient_norm(self, p: float | None = None, q: float | None = None) -> float:
        """Full-data gradient norm in standardized units, over σy for MSE and Huber (unit-free)."""
        if p is None:
            p, q = self._p, self._q
        model = self._model
        if self._loss != "mse":
            return self.problem.gradient_norm(model, p, q, self.stats.std_x, self._sigma_y)
        d = (model.mean_y - q) - p * model.mu
        scale = self.stats.std_x / model.scale / self._sigma_y
        return 2.0 * math.hypot((p - model.p_star) * scale, d / self._sigma_y)

    def path(self, standardized: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Every kept history point, in the named units (default: the current ones)."""
        rows = self.history.rows
        return self.model(standardized).to_coordinates(rows[:, COL["m"]], rows[:, COL["b"]])

    def auto_reason(self, budget: bool = True) -> str | None:
        """Why ``standardize="auto"`` standardizes these data, or None when data units will do.

        Data units are hopeless when the raw κ is above AUTO_STANDARDIZE_KAPPA, or (``budget``:
        when no rate was given) when plain descent at the data-unit default rate, the 1-2-5 value
        under 1/λmax, would need more than the iteration limit to pass the convergence test.
        """
        stability = self.stability(False)
        kappa = stability.condition_number
        if kappa > AUTO_STANDARDIZE_KAPPA:
            return f"raw κ {kappa:.2g} > {AUTO_STANDARDIZE_KAPPA:g}"
        if self.model_name == "logistic":
            # Cross-entropy flattens away from the data's middle: in data units descent needs
            # about the whole default budget even on the bundled anes96-vote (κ 227).
            return "logistic model"
        if not budget or \
                self._optimizer.name not in LINEAR_OPTIMIZERS:
            return None
        rate = raw_default_rate(stability)
        steps = steps_to_tolerance(self.stats.model(0.0, 1.0), self.start, rate, self._tol,
                                   self.stats.std_x, self._sigma_y)
        if steps > self._max_iter:
            return f"raw needs > {self._max_iter:,} steps"
        if self._loss == "mse" and self.raw_floor(rate) > 0.5 * self._tol:
            return "data-unit steps finer than float64 resolves"
        return None

    def raw_floor(self, rate: float) -> float:
        """The smallest gradient measure plain descent at ``rate`` can reach in data units.

        A step changes b only when α·|∂J/∂b| is at least half an ulp of b (float64 rounds a
        smaller change away), so descent stops where |∂J/∂b| ≈ ulp(b*)/(2α), and likewise for
        m, whose gradient is 2·mean(x²)·(m − m*) near the optimum. In the convergence test's
        measure (standardized units, over σy) that floor is what this returns.
        """
        st = self.stats
        m_star, b_star = self.closed_form.m, self.closed_form.b
        mean_x2 = st.mean_x * st.mean_x + st.std_x * st.std_x
        floor_b = math.ulp(abs(b_star)) / (2.0 * rate * self._sigma_y)
        floor_m = math.ulp(abs(m_star)) * st.std_x / (2.0 * rate * mean_x2 * self._sigma_y)
        return max(floor_b, floor_m)

    @property
    def auto_words(self) -> str:
        """What auto chose and why: "off (auto: raw κ 105 ≤ 300)"; "" when not auto."""
        if not self.auto_standardize:
            return ""
        if self._standardize:
            return f"on (auto: {self.auto_why})"
        kappa = self.stability(False).condition_number
        return f"off (auto: raw κ {kappa:.3g} ≤ {AUTO_STANDARDIZE_KAPPA:g})"
