"""One run setup, one engine factory, one command builder: shared by the CLI and the app.

No Textual here: ``gdtui fit`` imports this module, and so does the app.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from gdtui.data import DEFAULT_DATASET, Dataset
from gdtui.engine import DEFAULT_MAX_ITER, DEFAULT_TOL, DescentEngine

ENGINE_SETTINGS = ("optimizer", "learning_rate", "schedule", "batch_size", "standardize", "tol",
                   "max_iter", "seed", "start", "loss", "model_name", "huber_delta")
"""The keyword arguments of :class:`DescentEngine` that a setup or a running engine fixes."""


@dataclass(frozen=True)
class RunSetup:
    """Data and engine settings parsed from the command line (the app factory's input)."""

    dataset: Dataset
    source: str | None = None
    synthetic: str | None = None
    x: str | None = None
    y: str | None = None
    optimizer: str = "gd"
    learning_rate: float | None = None
    schedule: str = "constant"
    batch_size: int = 0
    max_iter: int = DEFAULT_MAX_ITER
    tol: float = DEFAULT_TOL
    seed: int = 0
    standardize: bool | str = "auto"  # the engine decides from the raw bowl; or True, False
    start: tuple[float, float] = (0.0, 0.0)
    loss: str | None = None
    model_name: str = "line"
    huber_delta: float | None = None

    def settings(self) -> dict:
        """The engine settings of this setup, by :class:`DescentEngine` keyword."""
        return {name: getattr(self, name) for name in ENGINE_SETTINGS}


def settings_of(engine: DescentEngine) -> dict:
    """The settings ``engine`` runs with now, by :class:`DescentEngine` keyword."""
    return {name: getattr(engine, name) for name in ENGINE_SETTINGS}


def make_engine(setup: RunSetup, like: DescentEngine | None = None, **overrides) -> DescentEngine:
    """A fresh engine on ``setup``'s data.

    Settings come from ``setup``, or from the engine ``like`` when given (so a
    comparison or a race starts from what the main view runs now), then from
    ``overrides``.
    """
    options = settings_of(like) if like is not None else setup.settings()
    options.update(overrides)
    return DescentEngine(setup.dataset.x, setup.dataset.y, **options)


def data_arguments(setup: RunSetup) -> list[str]:
    """The words that name the data: a file or bundled name with its columns, or --synthetic."""
    if setup.synthetic is not None:
        return ["--synthetic", setup.synthetic]
    words = [setup.source or DEFAULT_DATASET]
    if setup.x is not None:
        words += ["--x", setup.x]
    if setup.y is not None:
        words += ["--y", setup.y]
    return words


def standardize_word(value) -> str:
    """``--standardize``, ``--no-standardize`` or ``--standardize=auto`` for a setting."""
    if isinstance(value, str) and value not in ("on", "off"):
        return f"--standardize={value}"
    return "--standardize" if value in (True, "on") else "--no-standardize"


def run_arguments(settings: dict, *, learning_rate: bool = True) -> list[str]:
    """Every engine setting written out, floats by repr so that they read back exactly.

    ``learning_rate=False`` leaves out ``--lr`` (the comparison gives ``--rates``, a
    race of optimizers at their own default rates gives none).
    """
    m0, b0 = settings["start"]
    words = ["--optimizer", settings["optimizer"]]
    if learning_rate and settings["learning_rate"] is not None:
        words += ["--lr", repr(float(settings["learning_rate"]))]
    words += [
        "--schedule", settings["schedule"], "--batch-size", str(settings["batch_size"]),
        "--iterations", str(settings["max_iter"]), "--tol", repr(float(settings["tol"])),
        "--seed", str(settings["seed"]),
        standardize_word(settings["standardize"]),
        f"--start={float(m0)!r},{float(b0)!r}",
    ]
    # The problem is written out when it is not the seed's (the line with MSE), so that the
    # commands of existing runs read as before.
    if settings.get("model_name", "line") == "logistic":
        words += ["--model", "logistic"]
    elif settings.get("loss") not in (None, "mse"):
        words += ["--loss", settings["loss"]]
        if settings.get("huber_delta") is not None:
            words += ["--huber-delta", repr(float(settings["huber_delta"]))]
    return words


def command_line(setup: RunSetup, engine: DescentEngine | None = None, command: str = "gdtui",
                 *, rates=None, optimizers=None, same_rate: bool = True) -> str:
    """The command that starts this setup (with ``engine``'s current settings) from its start.

    Every setting is written out, so the same command gives the same run whatever
    the defaults become. ``command`` is ``gdtui``, ``gdtui fit``, ``gdtui compare``…;
    ``rates`` adds the comparison's ``--rates``; ``optimizers`` a race's ``--optimizers``
    with ``same_rate=False`` when the runners use their own default rates (no ``--lr``).
    """
    settings = settings_of(engine) if engine is not None else setup.settings()
    words = command.split() + data_arguments(setup)
    words += run_arguments(settings, learning_rate=rates is None and same_rate)
    if rates is not None:
        words += ["--rates", ",".join(repr(float(r)) for r in rates)]
    if optimizers is not None:
        words += ["--optimizers", ",".join(optimizers)]
    return shlex.join(words)
