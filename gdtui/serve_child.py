"""One ``gdtui serve`` session's app process: its arguments, its environment, its end.

The server (:mod:`gdtui.serve`) starts :func:`child_command` in a process group of its
own; :func:`child_main` is that process's entry point.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from importlib.metadata import version
from pathlib import Path

from gdtui.cli_params import PARAMETERS, parameters_from_args
from gdtui.policy import WRITE_DIR_ENV, WRITES_ENV
from gdtui.run import run_arguments

PARENT_ENV = "GDTUI_SERVE_PARENT"

# The app's options (gdtui/cli.py) that a session's app is started with. "lang" is the
# app's --lang, forwarded when the parsed options have it (it is on main, not yet here).
FORWARDED = frozenset({
    "source", "synthetic", "x", "y", "optimizer", "lr", "schedule", "batch_size",
    "iterations", "tol", "seed", "standardize", "start", "lang", "loss", "model",
    "huber_delta", "test_fraction", "fps", *PARAMETERS,
})


def app_arguments(args: argparse.Namespace) -> list[str]:
    """The ``gdtui`` app's arguments for the run options parsed in ``args``.

    Built from the parsed values, never from the words typed, so that argparse's
    abbreviations (``--po 8001`` for ``--port 8001``) and serve-only options
    cannot reach the app. A data file is passed by its absolute path, since the
    app runs in another folder.

    The engine settings are written by :func:`gdtui.run.run_arguments`, the one
    command builder.
    """
    optimizer_params, schedule_params = parameters_from_args(args)
    words = run_arguments({
        "optimizer_params": optimizer_params, "schedule_params": schedule_params,
        "optimizer": args.optimizer, "learning_rate": args.lr, "schedule": args.schedule,
        "batch_size": args.batch_size, "max_iter": args.iterations, "tol": args.tol,
        "seed": args.seed, "standardize": args.standardize, "start": args.start,
        "loss": getattr(args, "loss", None), "model_name": getattr(args, "model", "line"),
        "huber_delta": getattr(args, "huber_delta", None),
        "test_fraction": getattr(args, "test_fraction", 0.0)})
    if args.synthetic is not None:
        words.append(f"--synthetic={args.synthetic}")
    if args.x is not None:
        words.append(f"--x={args.x}")
    if args.y is not None:
        words.append(f"--y={args.y}")
    if getattr(args, "lang", None) is not None:
        words.append(f"--lang={args.lang}")
    if getattr(args, "fps", None) is not None:
        words.append(f"--fps={args.fps}")
    if args.source is not None:
        source = Path(args.source).expanduser()
        words += ["--", str(source.resolve()) if source.exists() else args.source]
    return words


def child_command(arguments: list[str]) -> list[str]:
    """The command that starts one session's app (``-P``: nothing imported from its folder)."""
    return [sys.executable, "-P", "-c", "from gdtui.serve_child import child_main; child_main()",
            *arguments]


def child_main() -> None:
    """Entry point of a session's app process: die with the server, guard writes, run the app."""
    parent = os.environ.pop(PARENT_ENV, "")
    if parent.isdigit():
        _end_with_parent(int(parent))
    from gdtui.cli import main
    from gdtui.policy import install_write_guard

    # The app consults gdtui.policy in its dialogs; this makes any other write fail too.
    install_write_guard()

    raise SystemExit(main(sys.argv[1:]))


def _end_with_parent(parent: int) -> None:
    """Ask the kernel (Linux) to SIGKILL this process when the server process dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the server died before the request was in place
        raise SystemExit(0)


def child_environment(write_root: Path | None, width: int, height: int,
                      base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a session's app: Textual's web driver and the write policy."""
    env = dict(os.environ if base is None else base)
    env.pop(WRITES_ENV, None)
    env.pop(WRITE_DIR_ENV, None)
    if write_root is None:
        env[WRITES_ENV] = "off"
    else:
        env[WRITE_DIR_ENV] = str(write_root)
    env.update({
        # What textual-serve's AppService sets, so the app draws for its terminal.
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "TEXTUAL_FPS": "60",
        "TEXTUAL_COLOR_SYSTEM": "truecolor",
        "TERM_PROGRAM": "textual",
        "TERM_PROGRAM_VERSION": version("textual-serve"),
        "COLUMNS": str(width),
        "ROWS": str(height),
        PARENT_ENV: str(os.getpid()),
    })
    return env


def kill_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass
