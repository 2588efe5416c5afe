"""Costs other than mean squared error, evaluated from the data: MAE, Huber and cross-entropy.

Mean squared error keeps its O(1) :class:`~gdtui.engine.quadratic.Quadratic`. The costs here
depend on every point, so :class:`DataCost` evaluates them from the feature x' = (x − shift)/scale
and y in O(N) per full-batch step (vectorised numpy, one pass per step thanks to a one-entry
cache) and O(k) per mini-batch step. It offers the same reading interface as ``Quadratic``
(``evaluate``, ``cost``, ``gradient``, ``grid``, ``optimum``, ``to_coordinates``, ``to_data``,
``gradient_in_data_units``, ``cost_min``, ``excess``, ``shift``, ``scale``), so a view that
draws J for the seed's cost draws it for these too.

Losses, on the residual r = y − ŷ of the line ŷ = p·x' + q (``model="line"``):

- ``mse``:   ρ(r) = r²                                  (the seed's; here for reference only)
- ``mae``:   ρ(r) = |r|, with the subgradient ∂ρ/∂ŷ = −sign(r) and sign(0) = 0: a point the line
  passes through exactly pulls neither way (any value in [−1, 1] is a valid subgradient; 0 is the
  one numpy's ``sign`` gives and the one that makes the subgradient vanish at a kink-free optimum)
- ``huber``: ρ(r) = r² for |r| ≤ δ, 2δ|r| − δ² beyond: squared near the line, linear (slope 2δ)
  in the tails. Scaled so that its curvature is MSE's inside the band and 0 outside, so it is
  never more curved than MSE: 2/λmax of MSE's Hessian is a safe rate for full-batch descent.

and for ``model="logistic"``, p(y = 1 | x) = σ(z), z = p·x' + q, labels y ∈ {0, 1}:

- ``cross-entropy``: ρ(z, y) = log(1 + eᶻ) − y·z = softplus(z) − y·z, computed with
  ``numpy.logaddexp`` so that it never overflows; ∂ρ/∂z = σ(z) − y.

J is the mean of ρ over the data; ∂J/∂p = mean(∂ρ/∂ŷ · x'), ∂J/∂q = mean(∂ρ/∂ŷ).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gdtui.engine.quadratic import Stability, Units
from gdtui.errors import ConfigError

LINE_LOSSES = ("mse", "mae", "huber")
"""Losses for ``model="line"``; ``mse`` is the default and the seed's."""
MODELS = ("line", "logistic")
"""The two-parameter models: the line ŷ = m·x + b, and p(y = 1 | x) = σ(m·x + b)."""
LOGISTIC_LOSS = "cross-entropy"
HUBER_K = 1.345
"""Default Huber δ is HUBER_K times a robust scale of the least-squares residuals (95 % efficiency
under normal errors; the constant statsmodels' ``HuberT`` and scikit-learn's ``epsilon`` use)."""
MAD_NORMAL = 0.6744897501960817
"""Φ⁻¹(3/4): the median absolute deviation divided by it estimates σ for normal errors."""
GRID_EXACT_N = 10_000
"""Up to this many points, a cost grid uses every point (O(grid·N)); beyond, a fixed evenly
spaced subsample of this many points (said by :attr:`DataCost.grid_points`)."""
_CHUNK = 1 << 20
"""Elements per block when a grid is evaluated (bounds memory to a few tens of MB)."""


def resolve_loss(model: str, loss: str | None) -> tuple[str, str]:
    """Check a model and loss pair; return (model, loss) with the model's default loss filled in.

    Raises
    ------
    ConfigError
        For an unknown model or loss, or a line loss given with ``model="logistic"``.
    """
    model = (model or "line").strip().lower()
    if model not in MODELS:
        raise ConfigError(f"unknown model {model!r}; choose one of: {', '.join(MODELS)}")
    if model == "logistic":
        if loss not in (None, LOGISTIC_LOSS):
            raise ConfigError(f"the logistic model is fitted by cross-entropy; --loss {loss} "
                              "applies to the line (--model line)")
        return model, LOGISTIC_LOSS
    loss = "mse" if loss is None else loss.strip().lower()
    if loss not in LINE_LOSSES:
        raise ConfigError(f"unknown loss {loss!r}; choose one of: {', '.join(LINE_LOSSES)}")
    return model, loss


def robust_scale(residuals: np.ndarray) -> float:
    """Median absolute deviation from the median, over Φ⁻¹(3/4) (σ for normal errors)."""
    r = np.asarray(residuals, dtype=np.float64)
    return float(np.median(np.abs(r - np.median(r)))) / MAD_NORMAL


def default_huber_delta(x: np.ndarray, y: np.ndarray) -> float:
    """δ = 1.345 × robust scale (MAD/0.6745) of the least-squares residuals.

    Where more than half the residuals are equal (the MAD is 0) the residuals' standard
    deviation stands in; where every residual is 0, y's spread; and 1 when that is 0 too.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    xc = x - x.mean()
    yc = y - y.mean()
    r = yc - (np.dot(xc, yc) / np.dot(xc, xc)) * xc
    for scale in (robust_scale(r), float(np.std(r)), float(np.std(y))):
        if scale > 0.0 and math.isfinite(scale):
            return HUBER_K * scale
    return 1.0


def validate_delta(delta) -> float:
    """Return δ as a positive finite float, or raise ConfigError."""
    try:
        value = float(delta)
    except (TypeError, ValueError):
        raise ConfigError(f"Huber delta must be a number, got {delta!r}") from None
    if not (math.isfinite(value) and value > 0.0):
        raise ConfigError(f"Huber delta must be a positive finite number, got {delta!r}")
    return value


def check_labels(y: np.ndarray) -> None:
    """Raise ConfigError unless every y is 0 or 1 (the logistic model's labels)."""
    y = np.asarray(y, dtype=np.float64)
    bad = np.flatnonzero((y != 0.0) & (y != 1.0))
    if bad.size:
        raise ConfigError(f"the logistic model needs y of 0 and 1 only; point {bad[0] + 1} has "
                          f"y = {y[bad[0]]:g}")


# -- per-point derivatives and values, on arrays ------------------------------------------
def _dot(u: np.ndarray, v: np.ndarray) -> float:
    """Σ uᵢ·vᵢ without BLAS threads (see :meth:`DataCost.evaluate`)."""
    return float(np.einsum("i,i->", u, v))


def _sigmoid(z):
    """σ(z) without overflow: exp(−softplus(−z))."""
    return np.exp(-np.logaddexp(0.0, -z))


def point_costs(loss: str, yhat, y, delta: float):
    """ρ for each point (arrays broadcast); ``yhat`` is ŷ, or z for cross-entropy."""
    if loss == LOGISTIC_LOSS:
        return np.logaddexp(0.0, yhat) - y * yhat
    r = y - yhat
    if loss == "mse":
        return r * r
    a = np.abs(r)
    if loss == "mae":
        return a
    return np.where(a <= delta, r * r, 2.0 * delta * a - delta * delta)


def point_slopes(loss: str, yhat, y, delta: float):
    """∂ρ/∂ŷ for each point (the subgradient −sign(r), with sign(0) = 0, for MAE)."""
    if loss == LOGISTIC_LOSS:
        return _sigmoid(yhat) - y
    r = y - yhat
    if loss == "mse":
        return -2.0 * r
    if loss == "mae":
        return -np.sign(r)
    return -2.0 * np.clip(r, -delta, delta)


@dataclass(frozen=True)
class StabilityLimit:
    """What is known about the largest safe constant rate of full-batch gradient descent.

    ``kind`` is ``exact`` (MSE: 2/λmax, the limit itself), ``bound`` (a rate below which descent
    cannot diverge, from a bound on the curvature: Huber, cross-entropy) or ``none`` (MAE: the
    cost has kinks, so no constant rate converges in general; descent with any constant rate ends
    oscillating in a band about as wide as the rate, and a decaying schedule is what converges).
    ``local_lr`` is 2/λmax of the Hessian at the reference optimum, where there is one (the limit
    that matters once the run is near the optimum); ``text`` says all this in one line.
    """

    kind: str
    max_stable_lr: float | None
    local_lr: float | None
    text: str


class _Workspace:
    """Arrays that :meth:`DataCost.evaluate` reads and the buffers it writes, for one point set."""

    def __init__(self, xs: np.ndarray, y: np.ndarray) -> None:
        self.xs, self.y, self.n = xs, y, int(y.size)
        self.a, self.b = np.empty(self.n), np.empty(self.n)
        self.c, self.d = np.empty(self.n), np.empty(self.n)
        # Sums that a step of cross-entropy needs and that do not move: Σx', Σy, Σ y·x'.
        self.sx, self.sy, self.syx = float(xs.sum()), float(y.sum()), _dot(y, xs)


class DataCost(Units):
    """J for a non-quadratic loss, over (p, q) on the feature x' = (x − shift)/scale.

    Parameters
    ----------
    x, y : numpy.ndarray
        The data in data units (float64).
    loss : str
        ``mae``, ``huber`` or ``cross-entropy``.
    shift, scale : float
        The feature's shift and scale (0, 1 for data units).
    delta : float
        Huber's δ (ignored by the other losses).
    reference : tuple of (p*, q*, J*) or None
        The optimum in these units (from :mod:`gdtui.engine.reference`), for ``optimum`` and
        ``cost_min``; None (a logistic fit of separable classes) gives no finite optimum.
    """

    def __init__(self, x, y, loss: str, shift: float, scale: float, delta: float = 1.0,
                 reference=None) -> None:
        self.loss = loss
        self.shift = float(shift)
        self.scale = float(scale)
        self.delta = float(delta)
        self.y = np.ascontiguousarray(y, dtype=np.float64)
        self.xs = np.ascontiguousarray((np.asarray(x, dtype=np.float64) - shift) / scale)
        self.n = int(self.y.size)
        if reference is None:
            self.p_star = self.q_star = math.nan
            self.cost_min = 0.0
        else:
            self.p_star, self.q_star, self.cost_min = (float(v) for v in reference)
        if self.n <= GRID_EXACT_N:
            self._grid_idx = None
        else:
            self._grid_idx = np.linspace(0, self.n - 1, GRID_EXACT_N).round().astype(np.intp)
        self._last: tuple[float, float, tuple[float, float, float]] | None = None
        self._full = _Workspace(self.xs, self.y)
        self._sample = (self._full if self._grid_idx is None
                        else _Workspace(self.xs[self._grid_idx], self.y[self._grid_idx]))
        self._active = self._full

    def monitor_sample(self, on: bool) -> None:
        """Evaluate J and its gradient on the fixed sample of :attr:`grid_points` (on) or on
        every point (off, the default).

        The engine turns it on for mini-batch runs, so that the cost and gradient it records
        each step cost O(min(N, 10⁴)) instead of O(N): a mini-batch step then costs O(k) plus a
        bounded constant, whatever N. Exact (the same arrays) up to 10,000 points.
        """
        active = self._sample if on else self._full
        if active is not self._active:
            self._active = active
            self._last = None

    @property
    def monitoring_sample(self) -> bool:
        """True when :meth:`evaluate` reads the sample rather than every point."""
        return self._active is not self._full

    @property
    def grid_points(self) -> int:
        """How many points a cost grid is evaluated on (all, or the subsample past 10,000)."""
        return self.n if self._grid_idx is None else int(self._grid_idx.size)

    # -- values --------------------------------------------------------------------------
    def evaluate(self, p: float, q: float) -> tuple[float, float, float]:
        """(J, ∂J/∂p, ∂J/∂q) at one point, in plain floats: O(N), cached for the last point."""
        last = self._last
        if last is not None and last[0] == p and last[1] == q:
            return last[2]
        # Sums of products by einsum, not np.dot: OpenBLAS's threaded dot is up to 100 times
        # slower on a busy machine with few cores, and these vectors are too short to share.
        w = self._active
        xs, y, n = w.xs, w.y, w.n
        a, b, c = w.a, w.b, w.c
        dot = _dot
        with np.errstate(all="ignore"):
            if self.loss == LOGISTIC_LOSS:
                # One exp and one log1p per point, never overflowing: e = exp(−|z|) ∈ (0, 1],
                # softplus(z) = max(z, 0) + log1p(e), and σ(z) = ½ + ½·tanh(z/2) with
                # tanh(z/2) = sign(z)·(1 − e)/(1 + e). The sums that do not depend on σ are
                # the workspace's constants: Σ max(z, 0) = ½(Σz + Σ|z|), Σz = p·Σx' + q·N,
                # Σ y·z = p·Σ y·x' + q·Σ y; so ∂J/∂p = (½Σx' + ½Σ t·x' − Σ y·x')/N.
                np.multiply(xs, p, out=a)
                a += q                                  # z
                np.abs(a, out=b)
                sum_abs = float(b.sum())                # Σ|z|
                np.negative(b, out=b)
                np.exp(b, out=b)                        # e
                np.log1p(b, out=w.d)
                logs = float(w.d.sum())                 # Σ log1p(e)
                np.add(b, 1.0, out=c)                   # 1 + e
                np.divide(2.0, c, out=b)
                b -= 1.0                                # (1 − e)/(1 + e) = tanh(|z|/2)
                np.copysign(b, a, out=b)                # t = tanh(z/2) = 2σ(z) − 1 (0 at z = 0)
                cost = (logs + 0.5 * (p * w.sx + q * n + sum_abs)
                        - (p * w.syx + q * w.sy)) / n
                value = (cost, (0.5 * w.sx + 0.5 * dot(b, xs) - w.syx) / n,
                         (0.5 * n + 0.5 * float(b.sum()) - w.sy) / n)
            else:
                np.multiply(xs, -p, out=a)
                a += y
                a -= q                                  # r = y − ŷ
                if self.loss == "mae":
                    np.sign(a, out=b)                   # sign(r), 0 at r = 0
                    # Σ|r| = Σ sign(r)·r; ∂ρ/∂ŷ = −sign(r)
                    value = (dot(b, a) / n, -dot(b, xs) / n, -float(b.sum()) / n)
                else:
                    np.clip(a, -self.delta, self.delta, out=b)   # ψ = clip(r, −δ, δ)
                    # ρ = ψ·(2r − ψ): r² inside the band, 2δ|r| − δ² outside; ∂ρ/∂ŷ = −2ψ
                    value = ((2.0 * dot(b, a) - dot(b, b)) / n,
                             -2.0 * dot(b, xs) / n, -2.0 * float(b.sum()) / n)
        self._last = (p, q, value)
        return value

    def batch_gradient(self, idx: np.ndarray):
        """The gradient on the points ``idx`` (a mini-batch) as a ``gradient(p, q)`` callable."""
        xb = self.xs[idx]
        yb = self.y[idx]
        loss, delta = self.loss, self.delta

        def gradient(p: float, q: float) -> tuple[float, float]:
            with np.errstate(all="ignore"):
                g = point_slopes(loss, p * xb + q, yb, delta)
                return float(np.mean(g * xb)), float(np.mean(g))

        return gradient

    def _blocks(self, p, q, points):
        """(J, ∂J/∂p, ∂J/∂q) for arrays p, q of one shape, block by block over the data."""
        p = np.asarray(p, dtype=np.float64)
        q = np.asarray(q, dtype=np.float64)
        p, q = np.broadcast_arrays(p, q)
        shape = p.shape
        pf, qf = p.ravel(), q.ravel()
        xs, y = (self.xs, self.y) if points is None else (self.xs[points], self.y[points])
        n = xs.size
        out = np.empty((3, pf.size))
        rows = max(1, _CHUNK // max(n, 1))
        with np.errstate(all="ignore"):
            for start in range(0, pf.size, rows):
                sl = slice(start, start + rows)
                yhat = pf[sl, None] * xs[None, :] + qf[sl, None]
                out[0, sl] = point_costs(self.loss, yhat, y[None, :], self.delta).mean(axis=1)
                g = point_slopes(self.loss, yhat, y[None, :], self.delta)
                out[1, sl] = (g * xs[None, :]).mean(axis=1)
                out[2, sl] = g.mean(axis=1)
        return out[0].reshape(shape), out[1].reshape(shape), out[2].reshape(shape)

    def cost(self, p, q):
        """J at (p, q): floats or arrays that broadcast (O(size·N), blockwise)."""
        if np.ndim(p) == 0 and np.ndim(q) == 0:
            return self.evaluate(float(p), float(q))[0]
        return self._blocks(p, q, None)[0]

    def gradient(self, p, q):
        """(∂J/∂p, ∂J/∂q) at (p, q): floats or arrays."""
        if np.ndim(p) == 0 and np.ndim(q) == 0:
            return self.evaluate(float(p), float(q))[1:]
        return self._blocks(p, q, None)[1:]

    def grid(self, p_values, q_values) -> np.ndarray:
        """J over a grid: rows follow ``q_values``, columns ``p_values``.

        O(grid·N) in blocks of about a million values; past :data:`GRID_EXACT_N` points it uses
        an evenly spaced subsample of that many (:attr:`grid_points`), so a 60 × 60 surface
        costs about 36 million point evaluations at most, whatever N.
        """
        p = np.asarray(p_values, dtype=np.float64)[np.newaxis, :]
        q = np.asarray(q_values, dtype=np.float64)[:, np.newaxis]
        return self._blocks(p, q, self._grid_idx)[0]

    def hessian(self, p: float | None = None, q: float | None = None) -> np.ndarray | None:
        """The Hessian at (p, q) (default: the optimum); None for MAE (piecewise linear)."""
        if self.loss == "mae":
            return None
        if p is None:
            if not hasattr(self, "_hessian_at_optimum"):  # O(N): computed once
                self._hessian_at_optimum = self.hessian(self.p_star, self.q_star)
            return self._hessian_at_optimum
        if not (math.isfinite(p) and math.isfinite(q)):
            return None
        yhat = p * self.xs + q
        if self.loss == "huber":
            w = 2.0 * (np.abs(self.y - yhat) <= self.delta)
        else:
            s = _sigmoid(yhat)
            w = s * (1.0 - s)
        n = self.n
        h01 = float(np.dot(w, self.xs)) / n
        return np.array([[float(np.dot(w, self.xs * self.xs)) / n, h01],
                         [h01, float(w.sum()) / n]])

    def local_stability(self) -> Stability | None:
        """λmin and λmax of the Hessian at the optimum: the curvature that decides which
        constant rates work once the run is near it (None for MAE, or without an optimum)."""
        h = self.hessian()
        if h is None or not np.isfinite(h).all():
            return None
        lam = np.linalg.eigvalsh(h)
        return Stability(float(lam[0]), float(lam[1])) if lam[0] > 0 else None

    # -- coordinates (as Quadratic) ------------------------------------------------------
    def optimum(self) -> tuple[float, float]:
        """(p*, q*), the reference optimum in these units (NaN when there is none)."""
        return self.p_star, self.q_star



def stability_limit(loss: str, mse_lambda_max: float, local_hessian) -> StabilityLimit:
    """The :class:`StabilityLimit` of ``loss`` given MSE's λmax in the same units.

    Huber's Hessian is MSE's restricted to the points inside the band, so it is at most MSE's:
    2/λmax(MSE) is safe. Cross-entropy's is mean σ'(z)·[x', 1][x', 1]ᵀ with σ' ≤ 1/4, at most
    1/8 of MSE's (whose is 2·mean [x', 1][x', 1]ᵀ): 16/λmax(MSE) is safe. MAE has none.
    """
    local = None
    if local_hessian is not None:
        lam = float(np.linalg.eigvalsh(local_hessian)[-1])
        local = 2.0 / lam if lam > 0 else None
    if loss == "mse":
        limit = 2.0 / mse_lambda_max
        return StabilityLimit("exact", limit, limit,
                              f"full-batch descent diverges above 2/λmax = {limit:.4g}")
    if loss == "mae":
        return StabilityLimit("none", None, None,
                              "no fixed limit: MAE has kinks, so descent with a constant rate "
                              "never settles (it ends oscillating in a band about as wide as "
                              "α); a decaying schedule converges")
    if loss == "huber":
        limit = 2.0 / mse_lambda_max
        near = f"; near the optimum 2/λmax = {local:.4g}" if local else ""
        return StabilityLimit("bound", limit, local,
                              f"safe below 2/λmax of MSE = {limit:.4g} (Huber is never more "
                              f"curved than MSE){near}")
    limit = 16.0 / mse_lambda_max
    near = f"; near the optimum 2/λmax = {local:.4g}" if local else ""
    return StabilityLimit("bound", limit, local,
                          f"safe below 16/λmax of MSE = {limit:.4g} (σ' ≤ 1/4, so cross-entropy "
                          f"is at most 1/8 as curved as MSE){near}")
