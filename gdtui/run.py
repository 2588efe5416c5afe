"""One run setup, one engine factory, one command builder: shared by the CLI and the app.

No Textual here: ``gdtui fit`` imports this module, and so does the app.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from gdtui.cli_params import parameter_arguments
from gdtui.data import DEFAULT_DATASET, Dataset
from gdtui.engine import DEFAULT_MAX_ITER, DEFAULT_TOL, DescentEngine

DEFAULT_FPS = 60
"""Frames a second of the app's run mode (``--fps``); at one step a frame, steps a second."""
ENGINE_SETTINGS = ("optimizer", "learning_rate", "schedule", "batch_size", "standardize", "tol",
                   "max_iter", "seed", "start", "loss", "model_name", "huber_delta",
                   "test_fraction",
                   "optimizer_params", "schedule_params")
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
    test_fraction: float = 0.0
    optimizer_params: dict | None = None  # β, ρ, β₁, β₂, ε given (engine/hyper.py)
    schedule_params: dict | None = None  # γ, every, decay, warm-up given

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
    ``overrides``. When ``like``'s data were edited in the app, the new engine fits them.
    """
    options = settings_of(like) if like is not None else setup.settings()
    options.update(overrides)
    if like is not None and like.data_edited:
        # The data as edited in the app (its fitted points; its held-out points as they are).
        fraction = options.pop("test_fraction")
        engine = DescentEngine(like.x.copy(), like.y.copy(), **options)
        engine.test_fraction, engine.test_set = fraction, like.test_set
        return engine
    return DescentEngine(setup.dataset.x, setup.dataset.y, **options)


def data_arguments(setup: RunSetup, pin: bool = False) -> list[str]:
    """The words that name the data: a file or bundled name with its columns, or --synthetic.

    ``pin`` names both columns even where the setup let the loader pick them: the loaders of
    the line and of the logistic model pick by different rules, so a run whose model is not
    the setup's names them (by the dataset's labels: a header name, or "column k").
    """
    if setup.synthetic is not None:
        return ["--synthetic", setup.synthetic]
    words = [setup.source or DEFAULT_DATASET]
    for flag, given, label in (("--x", setup.x, setup.dataset.x_label),
                               ("--y", setup.y, setup.dataset.y_label)):
        if given is None and pin:
            given = label.removeprefix("column ") if label.startswith("column ") else label
        if given is not None:
            words += [flag, given]
    return words


TEXT_LABELS = " read as 1, "
"""How the logistic model's loader notes that it read y's text labels as 0 and 1."""


def problem_choices(setup: RunSetup, y) -> list[tuple[tuple[str, str], str]]:
    """Each (model, loss) of :data:`gdtui.problems.CYCLE` with "" when this data can take it,
    or the reason it cannot (said when ``j`` skips it).

    The logistic model needs y of 0 and 1 only; and a problem whose loader reads other data
    than the setup's (``--synthetic`` draws labels for the logistic model, text labels are no
    numbers for the line) would give a command that does not reproduce the run.
    """
    from gdtui.problems import CYCLE

    binary = bool(((y == 0.0) | (y == 1.0)).all())
    text_labels = any(TEXT_LABELS in note for note in setup.dataset.notes)
    out = []
    for model, loss in CYCLE:
        why = ""
        if model != setup.model_name and setup.synthetic is not None:
            why = (f"--synthetic draws other data for the {model} model: start with "
                   f"--model {model} to fit it")
        elif model == "logistic" and not binary:
            why = "the logistic model needs y of 0 and 1 only, and this y has other values"
        elif model == "line" and text_labels:
            why = "y holds text labels (read as 0 and 1), which the line cannot load as numbers"
        out.append(((model, loss), why))
    return out


def next_problem(setup: RunSetup, engine: DescentEngine) -> tuple[tuple[str, str] | None,
                                                                 list[str]]:
    """The problem after ``engine``'s in the cycle that this data can take, and the reasons
    of the ones skipped on the way (None when no other problem can be fitted)."""
    choices = problem_choices(setup, engine.y)
    keys = [key for key, _ in choices]
    start = keys.index((engine.model_name, engine.loss))
    skipped = []
    for k in range(1, len(choices)):
        key, why = choices[(start + k) % len(choices)]
        if not why:
            return key, skipped
        skipped.append(f"{key[1] if key[0] == 'line' else key[0]} skipped: {why}")
    return None, skipped


def standardize_word(value) -> str:
    """``--standardize``, ``--no-standardize`` or ``--standardize=auto`` for a setting."""
    if isinstance(value, str) and value not in ("on", "off"):
        return f"--standardize={value}"
    return "--standardize" if value in (True, "on") else "--no-standardize"


def run_arguments(settings: dict, *, learning_rate: bool = True, optimizers=()) -> list[str]:
    """Every engine setting written out, floats by repr so that they read back exactly.

    ``learning_rate=False`` leaves out ``--lr`` (the comparison gives ``--rates``, a
    race of optimizers at their own default rates gives none); ``optimizers`` (a race's
    runners) adds the parameters they use.
    """
    m0, b0 = settings["start"]
    words = ["--optimizer", settings["optimizer"]]
    if learning_rate and settings["learning_rate"] is not None:
        words += ["--lr", repr(float(settings["learning_rate"]))]
    words += ["--schedule", settings["schedule"]]
    words += parameter_arguments(settings, optimizers)
    words += [
        "--batch-size", str(settings["batch_size"]),
        "--iterations", str(settings["max_iter"]), "--tol", repr(float(settings["tol"])),
        "--seed", str(settings["seed"]),
        standardize_word(settings["standardize"]),
        f"--start={float(m0)!r},{float(b0)!r}",
    ]
    if settings.get("test_fraction"):
        words.append(f"--test-fraction={float(settings['test_fraction'])!r}")
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
    words = command.split() + data_arguments(
        setup, pin=settings.get("model_name", "line") != setup.model_name)
    words += run_arguments(settings, learning_rate=rates is None and same_rate,
                           optimizers=optimizers or ())
    if rates is not None:
        words += ["--rates", ",".join(repr(float(r)) for r in rates)]
    if optimizers is not None:
        words += ["--optimizers", ",".join(optimizers)]
    return shlex.join(words)


EXACT_INTRO = "This command starts the same run again, bit for bit:"
SAID_CHANGES = 3
"""The changes :func:`reproduction` lists by name (an export lists them all)."""


def reproduction(engine: DescentEngine) -> tuple[bool, str, list[str]]:
    """What :func:`command_line` can and cannot reproduce of ``engine``'s run, in words.

    Returns (exact, the line before the command, the lines after it). ``exact`` is True
    when no setting changed since the run (re)started: the command then replays every
    row. Otherwise the command starts the current settings from the start, and the
    lines say which iterations ran with other settings (the engine's events).
    """
    changes = list(engine.events)
    if not changes:
        return True, EXACT_INTRO, []
    last = max(it for it, _ in changes)
    intro = ("This command starts a run with the settings this one has now, from its start "
             "point:")
    listed = "; ".join(f"{'before step 1' if it == 0 else f'after step {it:,}'}: {text}"
                       for it, text in changes[:SAID_CHANGES])
    if len(changes) > SAID_CHANGES:
        listed += f"; {len(changes) - SAID_CHANGES:,} more"
    if last == 0:
        return False, intro, [
            f"Settings changed before the first step ({listed}): the command runs them from "
            "the start, but this run's first row (iteration 0) was recorded with the old ones."]
    steps = "step 1" if last == 1 else f"steps 1–{last:,}"
    return False, intro, [
        f"It cannot replay this run: {steps} ran with other settings ({listed}). "
        "No single command replays it.",
    ]
