"""Optimizers on the two parameters (p, q) of a line, in plain Python floats.

Each optimizer is stateless itself; its state is a tuple of four floats that
the engine stores in the history, so that any past iteration can be resumed
exactly. ``step`` receives a ``gradient(p, q)`` callable so that Nesterov can
evaluate the gradient at its look-ahead point.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from gdtui.engine.notation import num, paren
from gdtui.errors import ConfigError

Gradient = Callable[[float, float], tuple[float, float]]
State = tuple[float, float, float, float]
ZERO_STATE: State = (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class StepRecord:
    """One parameter's part of a step that was taken, for writing the update out.

    ``name`` is the parameter (m, b, m_z or b_z), ``i`` its index (0 slope,
    1 intercept); ``before`` and ``after`` are the optimizer's whole state.
    """

    name: str
    i: int
    old: float
    new: float
    grad: float
    before: State
    after: State
    t: int
    lr: float


@dataclass(frozen=True)
class Optimizer:
    """Base class: plain gradient descent, p ← p − α·∂J/∂p."""

    name = "gd"
    title = "gradient descent"
    default_learning_rate = 0.1
    state_names = ()

    def step(
        self, p: float, q: float, state: State, t: int, lr: float, gradient: Gradient
    ) -> tuple[float, float, State, float, float]:
        """Take step number ``t`` (1-based); return new p, q, state and the gradient used."""
        gp, gq = gradient(p, q)
        return p - lr * gp, q - lr * gq, state, gp, gq

    def hyperparameters(self) -> dict[str, float]:
        """The optimizer's hyper-parameters by name (for display and reproduction)."""
        return {}

    def describe(self, r: StepRecord) -> list[str]:
        """The update of one parameter written out with its numbers."""
        n = r.name
        return [f"{n} ← {n} − α·∂J/∂{n} = {num(r.old)} − {num(r.lr)} × {paren(r.grad)}"
                f" = {num(r.new)}"]

    def rule(self, names: tuple[str, str], t: int) -> str:
        """The update once in symbols, p standing for each parameter (the short writing)."""
        return f"Gradient descent, for each p ({names[0]}, {names[1]}): p ← p − α·∂J/∂p"

    def numbers(self, r: StepRecord, substituted: bool = True) -> str:
        """One parameter's update as numbers in the order of :meth:`rule` (the short writing);
        ``substituted`` False: the optimizer's state by its value alone (the shortest)."""
        return self.update_numbers(r, r.grad)

    @staticmethod
    def update_numbers(r: StepRecord, *factors: float) -> str:
        """``name ← old − α × factor/divisor = new`` with the numbers (divisor if given)."""
        step = paren(factors[0]) + "".join(f"/{num(f)}" for f in factors[1:])
        return f"{r.name} ← {num(r.old)} − {num(r.lr)} × {step} = {num(r.new)}"


class GradientDescent(Optimizer):
    """Plain gradient descent, the seed article's update."""


@dataclass(frozen=True)
class Momentum(Optimizer):
    """Heavy-ball momentum: v ← β·v + ∂J/∂p; p ← p − α·v."""

    beta: float = 0.9
    name = "momentum"
    title = "momentum"
    default_learning_rate = 0.05
    state_names = ("v_m", "v_b")

    def step(self, p, q, state, t, lr, gradient):
        gp, gq = gradient(p, q)
        vp = self.beta * state[0] + gp
        vq = self.beta * state[1] + gq
        return p - lr * vp, q - lr * vq, (vp, vq, 0.0, 0.0), gp, gq

    def hyperparameters(self):
        return {"beta": self.beta}

    def describe(self, r):
        n, v0, v = r.name, r.before[r.i], r.after[r.i]
        return [f"v_{n} ← β·v_{n} + ∂J/∂{n} = {num(self.beta, 2)} × {paren(v0)} + "
                f"{paren(r.grad)} = {num(v)}",
                f"{n} ← {n} − α·v_{n} = {num(r.old)} − {num(r.lr)} × {paren(v)} = {num(r.new)}"]

    def rule(self, names, t):
        return (f"{self.title[0].upper()}{self.title[1:]} (β = {num(self.beta, 2)}), for each "
                f"p ({names[0]}, {names[1]}): v ← β·v + ∂J/∂p, p ← p − α·v")

    def numbers(self, r, substituted=True):
        v0, v = r.before[r.i], r.after[r.i]
        how = f"{num(self.beta, 2)} × {paren(v0)} + {paren(r.grad)} = " if substituted else ""
        return f"v_{r.name} = {how}{num(v)}; {self.update_numbers(r, v)}"


@dataclass(frozen=True)
class Nesterov(Optimizer):
    """Nesterov momentum: the gradient is taken at the look-ahead point p − α·β·v."""

    beta: float = 0.9
    name = "nesterov"
    title = "Nesterov momentum"
    default_learning_rate = 0.05
    state_names = ("v_m", "v_b")

    def step(self, p, q, state, t, lr, gradient):
        gp, gq = gradient(p - lr * self.beta * state[0], q - lr * self.beta * state[1])
        vp = self.beta * state[0] + gp
        vq = self.beta * state[1] + gq
        return p - lr * vp, q - lr * vq, (vp, vq, 0.0, 0.0), gp, gq

    def hyperparameters(self):
        return {"beta": self.beta}

    describe = Momentum.describe  # the same update; the gradient is the look-ahead's
    numbers = Momentum.numbers

    def rule(self, names, t):
        return (f"Nesterov (β = {num(self.beta, 2)}), for each p ({names[0]}, {names[1]}): "
                "v ← β·v + ∂J/∂p at the look-ahead p − α·β·v, p ← p − α·v")


@dataclass(frozen=True)
class AdaGrad(Optimizer):
    """AdaGrad: G ← G + g²; p ← p − α·g/(√G + ε)."""

    eps: float = 1e-8
    name = "adagrad"
    title = "AdaGrad"
    default_learning_rate = 0.5
    state_names = ("G_m", "G_b")

    def step(self, p, q, state, t, lr, gradient):
        gp, gq = gradient(p, q)
        sp = state[0] + gp * gp
        sq = state[1] + gq * gq
        p = p - lr * gp / (math.sqrt(sp) + self.eps)
        q = q - lr * gq / (math.sqrt(sq) + self.eps)
        return p, q, (sp, sq, 0.0, 0.0), gp, gq

    def hyperparameters(self):
        return {"eps": self.eps}

    def describe(self, r):
        n, s0, s = r.name, r.before[r.i], r.after[r.i]
        return [f"G_{n} ← G_{n} + (∂J/∂{n})² = {num(s0)} + {paren(r.grad)}² = {num(s)}",
                f"{n} ← {n} − α·∂J/∂{n}/(√G_{n} + ε) = {num(r.old)} − {num(r.lr)} × "
                f"{paren(r.grad)}/{num(math.sqrt(s))} = {num(r.new)}"]

    def rule(self, names, t):
        return (f"AdaGrad, g = ∂J/∂p for each p ({names[0]}, {names[1]}): G ← G + g², "
                "p ← p − α·g/(√G + ε)")

    def numbers(self, r, substituted=True):
        s0, s = r.before[r.i], r.after[r.i]
        how = f"{num(s0)} + {paren(r.grad)}² = " if substituted else ""
        return f"G_{r.name} = {how}{num(s)}; {self.update_numbers(r, r.grad, math.sqrt(s))}"


@dataclass(frozen=True)
class RMSProp(Optimizer):
    """RMSProp: s ← ρ·s + (1 − ρ)·g²; p ← p − α·g/(√s + ε)."""

    rho: float = 0.9
    eps: float = 1e-8
    name = "rmsprop"
    title = "RMSProp"
    default_learning_rate = 0.01
    state_names = ("s_m", "s_b")

    def step(self, p, q, state, t, lr, gradient):
        gp, gq = gradient(p, q)
        rho = self.rho
        sp = rho * state[0] + (1.0 - rho) * gp * gp
        sq = rho * state[1] + (1.0 - rho) * gq * gq
        p = p - lr * gp / (math.sqrt(sp) + self.eps)
        q = q - lr * gq / (math.sqrt(sq) + self.eps)
        return p, q, (sp, sq, 0.0, 0.0), gp, gq

    def hyperparameters(self):
        return {"rho": self.rho, "eps": self.eps}

    def describe(self, r):
        n, s0, s = r.name, r.before[r.i], r.after[r.i]
        return [f"s_{n} ← ρ·s_{n} + (1−ρ)·(∂J/∂{n})² = {num(self.rho, 2)} × {num(s0)} + "
                f"{num(1 - self.rho, 2)} × {paren(r.grad)}² = {num(s)}",
                f"{n} ← {n} − α·∂J/∂{n}/(√s_{n} + ε) = {num(r.old)} − {num(r.lr)} × "
                f"{paren(r.grad)}/{num(math.sqrt(s))} = {num(r.new)}"]

    def rule(self, names, t):
        return (f"RMSProp (ρ = {num(self.rho, 2)}), g = ∂J/∂p for each p ({names[0]}, "
                f"{names[1]}): s ← ρ·s + (1−ρ)·g², p ← p − α·g/(√s + ε)")

    def numbers(self, r, substituted=True):
        s0, s = r.before[r.i], r.after[r.i]
        how = (f"{num(self.rho, 2)} × {num(s0)} + {num(1 - self.rho, 2)} × {paren(r.grad)}² = "
               if substituted else "")
        return f"s_{r.name} = {how}{num(s)}; {self.update_numbers(r, r.grad, math.sqrt(s))}"


@dataclass(frozen=True)
class Adam(Optimizer):
    """Adam: first and second moment estimates with bias correction."""

    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    name = "adam"
    title = "Adam"
    default_learning_rate = 0.05
    state_names = ("u_m", "u_b", "s_m", "s_b")

    def step(self, p, q, state, t, lr, gradient):
        gp, gq = gradient(p, q)
        b1, b2 = self.beta1, self.beta2
        m1p = b1 * state[0] + (1.0 - b1) * gp
        m1q = b1 * state[1] + (1.0 - b1) * gq
        v2p = b2 * state[2] + (1.0 - b2) * gp * gp
        v2q = b2 * state[3] + (1.0 - b2) * gq * gq
        c1 = 1.0 - b1**t
        c2 = 1.0 - b2**t
        p = p - lr * (m1p / c1) / (math.sqrt(v2p / c2) + self.eps)
        q = q - lr * (m1q / c1) / (math.sqrt(v2q / c2) + self.eps)
        return p, q, (m1p, m1q, v2p, v2q), gp, gq

    def hyperparameters(self):
        return {"beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def describe(self, r):
        n, t = r.name, r.t
        u, s = r.after[r.i], r.after[r.i + 2]
        u_hat, s_hat = u / (1 - self.beta1**t), s / (1 - self.beta2**t)
        return [f"u_{n} ← β₁·u_{n} + (1−β₁)·∂J/∂{n} = {num(u)},  "
                f"s_{n} ← β₂·s_{n} + (1−β₂)·(∂J/∂{n})² = {num(s)}",
                f"{n} ← {n} − α·û/(√ŝ + ε) = {num(r.old)} − {num(r.lr)} × "
                f"{paren(u_hat)}/{num(math.sqrt(s_hat))} = {num(r.new)}   (t = {t})"]

    def rule(self, names, t):
        return (f"Adam (t = {t}), g = ∂J/∂p for each p ({names[0]}, {names[1]}): "
                "u ← β₁·u + (1−β₁)·g, s ← β₂·s + (1−β₂)·g², û = u/(1−β₁ᵗ), ŝ = s/(1−β₂ᵗ), "
                "p ← p − α·û/(√ŝ+ε)")

    def numbers(self, r, substituted=True):
        u, s = r.after[r.i], r.after[r.i + 2]
        u_hat, s_hat = u / (1 - self.beta1**r.t), s / (1 - self.beta2**r.t)
        return (f"u_{r.name} = {num(u)}, s_{r.name} = {num(s)}; "
                f"{self.update_numbers(r, u_hat, math.sqrt(s_hat))}")


OPTIMIZERS: dict[str, Optimizer] = {
    cls.name: cls() for cls in (GradientDescent, Momentum, Nesterov, AdaGrad, RMSProp, Adam)
}
"""Every optimizer by its command-line name, in the order ``o`` cycles them."""
_BY_CODE = tuple(OPTIMIZERS.values())


def optimizer_code(name: str) -> float:
    """The number that stands for optimizer ``name`` in a history row."""
    return float(list(OPTIMIZERS).index(name))


def optimizer_by_code(code: float) -> Optimizer:
    """The optimizer a history row's code stands for."""
    return _BY_CODE[int(code)]


def get_optimizer(name: str) -> Optimizer:
    """Return the optimizer called ``name``.

    Raises
    ------
    ConfigError
        If no optimizer has that name.
    """
    try:
        return OPTIMIZERS[name.strip().lower()]
    except KeyError:
        raise ConfigError(
            f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}"
        ) from None
