"""The command-line options of the hyper-parameters: --beta, --rho, --beta1, --beta2, --eps
(optimizers) and --gamma, --every, --decay, --warmup (schedules).

Each option is named after its parameter in :mod:`gdtui.engine.hyper`, which checks the values.
No Textual here.
"""

from __future__ import annotations

import argparse

from gdtui.engine import OPTIMIZERS, SCHEDULES
from gdtui.engine.hyper import (
    OPTIMIZER_PARAMETERS,
    optimizer_parameter_names,
    schedule_parameter_names,
    validate_parameter,
)
from gdtui.errors import ConfigError

SCHEDULE_PARAMETERS = ("gamma", "every", "decay", "warmup")
PARAMETERS = (*OPTIMIZER_PARAMETERS, *SCHEDULE_PARAMETERS)
"""Every hyper-parameter option, by its name (the option is --NAME)."""

_HELP = {
    "beta": "momentum's β for momentum and nesterov: v ← β·v + ∂J/∂p (default 0.9)",
    "rho": "RMSProp's decay ρ of the squared-gradient average (default 0.9)",
    "beta1": "Adam's β₁, the decay of the gradient average (default 0.9)",
    "beta2": "Adam's β₂, the decay of the squared-gradient average (default 0.999)",
    "eps": "ε added to the divisor √G or √s of adagrad, rmsprop and adam (default 1e-08)",
    "gamma": "the decay factor γ of --schedule step (default 0.5) and exponential (0.99)",
    "every": "--schedule step multiplies α by γ every N steps (default 100)",
    "decay": "--schedule inverse: α/(1 + k·t), this is k (default 0.01)",
    "warmup": "--schedule warmup-cosine: the warm-up's fraction of the run (default 0.05)",
}


def _parameter(name: str):
    def parse(text: str):
        try:
            return validate_parameter(name, text)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def add_parameter_options(group) -> None:
    """Add --beta … --warmup to an argparse group."""
    for name in PARAMETERS:
        group.add_argument(f"--{name}", type=_parameter(name), metavar="N" if name == "every"
                           else "F", help=_HELP[name])


def parameters_from_args(args: argparse.Namespace) -> tuple[dict, dict]:
    """The optimizer and schedule parameters given on the command line (only those given).

    Raises
    ------
    ConfigError
        For a parameter that the chosen optimizer or schedule does not use.
    """
    schedule = "inverse" if args.schedule == "1/t" else args.schedule
    # A race's runners (--optimizers) use the parameters too.
    optimizers = (args.optimizer, *(getattr(args, "optimizers", None) or ()))
    used = {n for o in optimizers for n in optimizer_parameter_names(o)}
    given = {n: getattr(args, n, None) for n in PARAMETERS}
    given = {n: v for n, v in given.items() if v is not None}
    for name in given:
        if name in OPTIMIZER_PARAMETERS and name not in used:
            users = [o for o in OPTIMIZERS if name in optimizer_parameter_names(o)]
            raise ConfigError(f"--{name} applies to --optimizer {' or '.join(users)}")
        if name in SCHEDULE_PARAMETERS and name not in schedule_parameter_names(schedule):
            users = [s for s in SCHEDULES if name in schedule_parameter_names(s)]
            raise ConfigError(f"--{name} applies to --schedule {' or '.join(users)}")
    return ({n: v for n, v in given.items() if n in OPTIMIZER_PARAMETERS},
            {n: v for n, v in given.items() if n in SCHEDULE_PARAMETERS})


def parameter_arguments(settings: dict, optimizers=()) -> list[str]:
    """The words that set the current optimizer's and schedule's parameters.

    Those present in ``settings["optimizer_params"]`` and ``settings["schedule_params"]`` are
    written (an engine's settings hold all of them, so its command writes every one out);
    ``optimizers`` adds the parameters a race's other runners use.
    """
    words = []
    opt = settings.get("optimizer_params") or {}
    names = [n for o in (settings["optimizer"], *optimizers) for n in optimizer_parameter_names(o)]
    for name in dict.fromkeys(names):
        if name in opt:
            words += [f"--{name}", repr(float(opt[name]))]
    sched = settings.get("schedule_params") or {}
    for name in schedule_parameter_names(settings["schedule"]):
        if name in sched:
            value = sched[name]
            words += [f"--{name}", str(int(value)) if name == "every" else repr(float(value))]
    return words
