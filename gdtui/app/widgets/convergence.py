"""The convergence view (``k``): each eigen-direction's per-step factor as a function of α.

After Distill's "Why Momentum Really Works". The curves come from
:mod:`gdtui.engine.convergence`; the eigenvalues from the run's cost model (the
quadratic's constant Hessian for MSE, the Hessian at the optimum for Huber and
cross-entropy). Where the picture does not apply, the pane says why in words.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text

from gdtui.app.widgets.panes import FramePane, Plot
from gdtui.engine.convergence import LINEAR_OPTIMIZERS, convergence_picture

Y_TOP = 1.5
"""Factors above this are drawn at the top edge (the direction grows: divergence)."""
COLORS = ("cyan", "magenta")


def eigenvalues(engine) -> tuple[np.ndarray | None, str]:
    """The Hessian's eigenvalues for the picture and a note on where they hold ("" if exact).

    None when J has no Hessian (MAE).
    """
    if engine.loss == "mse":
        stability = engine.stability()
        return np.array([stability.lambda_min, stability.lambda_max]), ""
    hessian = engine.model().hessian()
    if hessian is None:
        return None, ""
    return np.linalg.eigvalsh(hessian), "λ at optimum"


def no_picture(engine, lams) -> str:
    """Why the picture does not apply to this run, or "" when it does (``lams`` from
    :func:`eigenvalues`)."""
    if engine.optimizer not in LINEAR_OPTIMIZERS:
        return (f"{engine.optimizer} divides each step by a running size of the gradient, so "
                "its step is not a fixed multiple of the error: this picture (one factor per "
                "eigen-direction, from α and λ alone) does not apply to adagrad, rmsprop or "
                "adam. Press o for gd, momentum or nesterov.")
    if lams is None:
        return ("MAE has no Hessian: J is piecewise linear (no curvature between its kinks, "
                "none defined at them), so there are no eigen-directions to shrink at a fixed "
                "rate. A constant α ends bouncing in a band about α wide; a decaying schedule "
                "converges.")
    return ""


class ConvergencePane(FramePane, Plot):
    """Per-step factor of each eigen-direction against α, the run's α marked, 2/λmax drawn."""

    message = ""

    def render(self):
        if self.message:
            return Text(self.message)
        return super().render()

    def draw(self, frame) -> None:
        engine = frame.run.engine
        lams, where = eigenvalues(engine)
        self.message = no_picture(engine, lams)
        optimizer = engine.optimizer
        self.border_title = "Convergence per step vs α"
        if self.message:
            self.border_subtitle = ""
            self.refresh()
            return
        if engine.batch_size:  # the curves are those of the full-batch (mean) step
            where = ", ".join(filter(None, (where, "full-batch step")))
        beta = engine.optimizer_params["beta"] if optimizer != "gd" else 0.0
        alpha = engine.next_learning_rate
        picture = convergence_picture(lams, optimizer, alpha, beta,
                                      points=max(2 * self.size.width, 40))
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        xs = picture.alphas.tolist()
        plt.hline(1.0, "gray")
        plt.vline(picture.gd_limit, "red")
        plt.vline(alpha, "green")
        for i, factors in enumerate(picture.factors):
            plt.plot(xs, np.minimum(factors, Y_TOP).tolist(), marker="braille",
                     color=COLORS[i % 2])
        for i, factor in enumerate(picture.at_alpha):
            plt.scatter([alpha], [min(factor, Y_TOP)], marker="●", color=COLORS[i % 2])
        plt.xlim(0.0, float(picture.alphas[-1]))
        plt.ylim(0.0, Y_TOP)
        plt.yticks([0.0, 0.5, 1.0, 1.5])
        what = "|1−αλ|" if optimizer == "gd" else f"{optimizer}, β {beta:.3g}"
        self.border_title = f"Error ×/step vs α: {what}" + (f" ({where})" if where else "")
        lam_min, lam_max = picture.lambdas[0], picture.lambdas[-1]
        limit = "" if optimizer == "gd" else f" · {optimizer} limit {picture.limit:.3g}"
        self.border_subtitle = (f"green α {alpha:.3g} → ×{picture.rate:.3g} · red 2/λmax "
                                f"{picture.gd_limit:.3g}{limit} · cyan λmin {lam_min:.3g}, "
                                f"magenta λmax {lam_max:.3g}")
        self.refresh()
