"""Command line: ``gdtui [DATA]`` opens the app, ``gdtui fit`` runs headless.

This module must not import Textual at module level: ``gdtui fit`` and
``gdtui datasets`` start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path

from gdtui import __version__
from gdtui.beside import Beside, worth_it
from gdtui.cli_params import add_parameter_options, parameters_from_args
from gdtui.cli_types import (
    fraction,
    frames_per_second,
    lesson_number,
    non_negative_int,
    optimizer_list,
    port,
    positive_float,
    positive_int,
    rates,
    size,
    start_point,
    tolerance,
)
from gdtui.data import BUNDLED, DEFAULT_DATASET, load_dataset
from gdtui.engine import (
    DEFAULT_MAX_ITER,
    DEFAULT_TOL,
    LINE_LOSSES,
    MODELS,
    OPTIMIZERS,
    SCHEDULES,
    DescentEngine,
)
from gdtui.engine.validation import validate_standardize
from gdtui.errors import EXIT_OK, EXIT_USAGE, ConfigError, FileExists, GdtuiError
from gdtui.loading import StderrProgress
from gdtui.run import DEFAULT_FPS, RunSetup, make_engine
from gdtui.startup import pause_collections, resume_collections
from gdtui.tour import LESSON_COUNT
from gdtui.tuning import RACE_OPTIMIZERS

DEFAULT_LOGISTIC = "anes96-vote"
"""The data the logistic model opens without a file: a bundled set with 0/1 labels."""
COMMANDS = ("fit", "datasets", "compare", "race", "record", "serve", "tour")
APP_COMMANDS = (None, "compare", "race", "tour")
"""The commands that open the app in this terminal (None: plain ``gdtui``)."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    data = parser.add_argument_group("data")
    data.add_argument("source", nargs="?", metavar="PATH|DATASET",
                      help=f"a CSV file with a header row, or a bundled dataset "
                           f"({', '.join(BUNDLED)}); default {DEFAULT_DATASET}")
    data.add_argument("--synthetic", metavar="SPEC",
                      help="generate data instead: key=value,... with keys n, slope, intercept, "
                           "noise, xmin, xmax (e.g. n=1000,slope=2,noise=0.5); seeded by --seed")
    data.add_argument("--x", metavar="COL", help="x column, by name or 1-based index")
    data.add_argument("--y", metavar="COL", help="y column, by name or 1-based index")
    run = parser.add_argument_group("descent")
    run.add_argument("--optimizer", default="gd", choices=list(OPTIMIZERS), metavar="NAME",
                     help=f"one of {', '.join(OPTIMIZERS)} (default gd)")
    run.add_argument("--lr", type=positive_float, metavar="F",
                     help="learning rate α (default: for gd, momentum and nesterov in data "
                          "units, the largest of 1, 2, 5 × 10^k not above 1/λmax; otherwise the "
                          "optimizer's own, 0.1 for gd)")
    run.add_argument("--schedule", default="constant", choices=list(SCHEDULES) + ["1/t"],
                     metavar="NAME", help=f"learning-rate schedule: {', '.join(SCHEDULES)} "
                                          "(default constant)")
    run.add_argument("--batch-size", type=non_negative_int, default=0, metavar="K",
                     help="0 = full batch (default), 1 = stochastic, K = mini-batches of K")
    run.add_argument("--iterations", type=positive_int, default=DEFAULT_MAX_ITER, metavar="N",
                     help=f"iteration limit (default {DEFAULT_MAX_ITER})")
    run.add_argument("--tol", type=tolerance, default=DEFAULT_TOL, metavar="F",
                     help=f"stop when the gradient norm in standardized units, over σy, is "
                          f"under F (default {DEFAULT_TOL:g}; 0 never stops early)")
    run.add_argument("--seed", type=non_negative_int, default=0, metavar="S",
                     help="seed for mini-batch sampling and --synthetic (default 0)")
    run.add_argument("--standardize", nargs="?", const="on", default="auto",
                     choices=("auto", "on", "off"), metavar="auto|on|off",
                     help="auto (the default): fit in data units, unless the raw bowl's "
                          "condition number κ is above 300 or plain descent in data units would "
                          "need more than --iterations steps, or the model is logistic; then in "
                          "standardized units of x. "
                          "on (also --standardize alone): standardized; off: data units. "
                          "Results are in data units")
    run.add_argument("--no-standardize", dest="standardize", action="store_const", const="off",
                     help="the same as --standardize off")
    problem = parser.add_argument_group("problem")
    problem.add_argument("--model", default="line", choices=list(MODELS), metavar="NAME",
                         help="line: y = m·x + b (default); logistic: p(y=1|x) = σ(m·x + b) "
                              "fitted by mean cross-entropy, y of 0/1 or two text labels (a "
                              "warning says which text is 1); --synthetic then draws labels "
                              "y ~ Bernoulli(σ(slope·x + intercept))")
    problem.add_argument("--loss", choices=list(LINE_LOSSES), metavar="NAME",
                         help="the line's cost: mse (default, the seed's: mean squared error), "
                              "mae (mean absolute error; its subgradient at a zero residual is "
                              "taken as 0), huber (squared within δ of the line, linear beyond)")
    problem.add_argument("--huber-delta", type=positive_float, metavar="D",
                         help="Huber's δ in y's units (default 1.345 × MAD/0.6745 of the "
                              "least-squares residuals: a robust σ of the residuals, so δ "
                              "follows the data's spread)")
    data.add_argument("--test-fraction", type=fraction, default=0.0, metavar="F",
                      help="hold this share of the points out of the fit (0 ≤ F < 1, chosen "
                           "by --seed) and report the cost on them too (default 0)")
    add_parameter_options(parser.add_argument_group("hyper-parameters"))
    run.add_argument("--start", type=start_point, default=(0.0, 0.0), metavar="M,B",
                     help="starting slope and intercept in data units (default 0,0)")


def _add_app_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", metavar="CODE",
                        help="language of the tour, its prompts, the help and the coach: en or "
                             "zh (default: from LC_ALL, LC_MESSAGES or LANG; else English)")
    parser.add_argument("--fps", type=frames_per_second, default=DEFAULT_FPS, metavar="N",
                        help=f"frames a second in run mode, 1 to 120 (default {DEFAULT_FPS}); "
                             "at one step a frame, also the steps a second. A slow link "
                             "(SSH over a modem, a phone) may want 20")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for ``gdtui`` (the app) or for one of its commands."""
    if command == "fit":
        parser = _Parser(prog="gdtui fit", description="Fit a line by gradient descent, headless.")
        _add_run_options(parser)
        out = parser.add_argument_group("output")
        out.add_argument("--json", action="store_true",
                         help="print one JSON object on stdout instead of the summary table")
        out.add_argument("--history", metavar="FILE", type=Path,
                         help="write every iteration to FILE as the run goes: CSV, or JSON "
                              "with the run's settings when FILE ends in .json; an existing "
                              "FILE is refused unless --force")
        out.add_argument("--force", action="store_true",
                         help="let --history overwrite an existing file (never the data file)")
        return parser
    if command == "datasets":
        return _Parser(prog="gdtui datasets", description="List the bundled datasets.")
    if command == "compare":
        parser = _Parser(prog="gdtui compare",
                         description="Learning rates side by side, each labelled too small, "
                                     "just right, oscillates but converges or too large by "
                                     "its α against the data's limits (full-batch gradient "
                                     "descent); o adds or removes the oscillating one.")
        _add_run_options(parser)
        parser.add_argument("--rates", type=rates, metavar="A,B,C[,D]",
                            help="three or four rates (default: from the problem's curvature: "
                                 "best/10, best = 2/(λmin+λmax), 1.1 × 2/λmax). Labels: "
                                 "too small up to best/2, just right up to (best + 2/λmax)/2, "
                                 "oscillates but converges up to 2/λmax, too large past it")
        _add_app_options(parser)
        return parser
    if command == "tour":
        parser = _Parser(prog="gdtui tour",
                         description="The seed article as a guided, interactive lesson.")
        _add_run_options(parser)
        parser.add_argument("--lesson", type=lesson_number, default=1, metavar="N",
                            help=f"start at lesson N (1-{LESSON_COUNT})")
        _add_app_options(parser)
        return parser
    if command == "record":
        parser = _Parser(prog="gdtui record",
                         description="Run a scripted demo of the app headless and write an "
                                     "asciicast v2 file (replay it with asciinema play).")
        parser.add_argument("out", metavar="OUT.cast", type=Path, help="the recording to write")
        _add_run_options(parser)
        parser.add_argument("--keys", metavar="SCRIPT",
                            help="key[:seconds] ... (Textual key names), e.g. "
                                 "'s s space:3 space c:2 q' (default: a built-in demo)")
        parser.add_argument("--size", type=size, default=(100, 30), metavar="WxH",
                            help="terminal size of the recording (default 100x30)")
        parser.add_argument("--force", action="store_true",
                            help="replace OUT.cast if it exists (never a file of another kind)")
        _add_app_options(parser)
        return parser
    if command == "serve":
        parser = _Parser(prog="gdtui serve",
                         description="Serve the app to a web browser (textual-serve).")
        parser.add_argument("--host", default="127.0.0.1",
                            help="address to listen on (default 127.0.0.1: this machine only)")
        parser.add_argument("--port", type=port, default=8000, help="port (default 8000)")
        parser.add_argument("--max-sessions", type=positive_int, default=4, metavar="N",
                            help="browser sessions (app processes) at once (default 4)")
        parser.add_argument("--allow-writes", metavar="DIR", type=Path,
                            help="let sessions write files (export, script, screenshot), "
                                 "only inside DIR (default: no file writes)")
        _add_run_options(parser)
        _add_app_options(parser)
        return parser
    if command == "race":
        parser = _Parser(prog="gdtui race",
                         description="Up to four optimizers from the same start on one surface.")
        _add_run_options(parser)
        parser.add_argument("--optimizers", type=optimizer_list, metavar="LIST",
                            default=RACE_OPTIMIZERS,
                            help="comma-separated, up to four "
                                 f"(default {','.join(RACE_OPTIMIZERS)})")
        _add_app_options(parser)
        return parser
    parser = _Parser(
        prog="gdtui",
        description="Gradient descent on linear regression, live in a terminal.",
        epilog="commands: gdtui fit (headless run), gdtui tour (guided lessons), gdtui compare "
               "(three learning rates), gdtui race (optimizers), gdtui record (asciicast), "
               "gdtui serve (web browser), gdtui datasets (bundled data). "
               "In the app press ? for help.",
    )
    parser.add_argument("--version", action="version", version=f"gdtui {__version__}")
    _add_run_options(parser)
    _add_app_options(parser)
    return parser


def setup_from_args(args: argparse.Namespace) -> RunSetup:
    """Load the data and check the settings; raises GdtuiError with a one-line message."""
    if args.synthetic is not None and args.source is not None:
        raise ConfigError("give either a data file or --synthetic, not both")
    if args.model == "logistic" and args.loss is not None:
        raise ConfigError(f"--loss {args.loss} is for the line; the logistic model is fitted "
                          "by cross-entropy")
    if args.huber_delta is not None and args.loss != "huber":
        raise ConfigError("--huber-delta applies to --loss huber")
    optimizer_params, schedule_params = parameters_from_args(args)
    if args.synthetic is not None:
        from gdtui.labels import synthetic_for

        dataset = synthetic_for(args.model, args.synthetic, seed=args.seed)
    elif args.model == "logistic":
        from gdtui.labels import load_labelled

        dataset = load_labelled(args.source or DEFAULT_LOGISTIC, x=args.x, y=args.y)
    else:
        # A large file says how far it has read on stderr (a terminal's), before the app starts.
        progress = StderrProgress(args.source or DEFAULT_DATASET)
        try:
            dataset = load_dataset(args.source or DEFAULT_DATASET, x=args.x, y=args.y,
                                   progress=progress)
        finally:
            progress.finish()
    source = args.source
    if source is not None and Path(source).expanduser().exists():
        source = str(Path(source).expanduser().resolve())
    return RunSetup(
        dataset=dataset, source=source, synthetic=args.synthetic, x=args.x, y=args.y,
        optimizer=args.optimizer, learning_rate=args.lr,
        schedule="inverse" if args.schedule == "1/t" else args.schedule,
        batch_size=args.batch_size, max_iter=args.iterations, tol=args.tol, seed=args.seed,
        standardize=validate_standardize(args.standardize), start=args.start,
        loss=args.loss, model_name=args.model, huber_delta=args.huber_delta,
        test_fraction=args.test_fraction,
        optimizer_params=optimizer_params, schedule_params=schedule_params,
    )


def main(argv: list[str] | None = None) -> int:
    """Run gdtui; return the process exit code."""
    try:
        return _main(argv)
    finally:
        resume_collections(freeze=False)  # (the app resumes them once its screen is up)


def _main(argv: list[str] | None) -> int:
    resume_collections()  # (paused while the `gdtui` command imported this: gdtui.startup)
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and argv[0] in COMMANDS else None
    parser = build_parser(command)
    try:
        args = parser.parse_args(argv[1:] if command else argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        if command == "datasets":
            return _list_datasets()
        if command in APP_COMMANDS and worth_it(args.source) and _has_terminal():
            # A large file is read in a second process while this one imports the app (the
            # child runs setup_from_args as it is, whatever the file holds).
            beside = Beside(lambda: setup_from_args(args))
            pause_collections()  # (as below, for the app's imports)
            import gdtui.app  # noqa: F401
            setup = beside.result()
        else:
            setup = setup_from_args(args)
        # Building the engine validates every setting before the terminal is taken over.
        engine = make_engine(setup)
        if setup.dataset.warning:
            print(f"gdtui: warning: {setup.dataset.warning}", file=sys.stderr)
        if command == "fit":
            from gdtui.fit import fit

            return fit(setup, engine, args)
    except GdtuiError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `gdtui fit | head -1`: the reader left; no traceback, no more output
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a program killed by the broken pipe reports
    if command == "record":
        from gdtui.app.record import DEFAULT_SCRIPT, parse_keys
        from gdtui.atomic import check_target

        try:
            args.presses = parse_keys(args.keys if args.keys is not None else DEFAULT_SCRIPT)
            check_target(args.out, overwrite=args.force)  # refused now, not after recording
        except FileExists as exc:
            print(f"{parser.prog}: error: {exc}; add --force to overwrite it", file=sys.stderr)
            return EXIT_USAGE
        except GdtuiError as exc:
            print(f"{parser.prog}: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if command in APP_COMMANDS and not _has_terminal():
        print(f"{parser.prog}: error: the app needs a terminal on stdin, stdout and stderr; "
              f"for a run without one use: gdtui fit", file=sys.stderr)
        return EXIT_USAGE
    if command != "serve":  # (a server runs for long: its sessions are other processes)
        pause_collections()  # until the app's first screen is laid out (gdtui.startup)
    from gdtui.app import run_app  # Textual is imported only for the app
    from gdtui.i18n import choose_language

    language, warning = choose_language(getattr(args, "lang", None))
    if warning:
        print(f"gdtui: warning: {warning}", file=sys.stderr)
    shown = {"language": language, "frame_interval": 1 / args.fps}

    if command == "compare":
        return run_app(setup, engine, mode="compare", rates=args.rates, **shown)
    if command == "record":
        try:
            return _record(setup, engine, args, language)
        except GdtuiError as exc:  # the file could not be written after all
            print(f"{parser.prog}: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if command == "tour":
        return run_app(setup, engine, mode="tour", lesson=args.lesson, **shown)
    if command == "serve":
        return _serve(args)
    if command == "race":
        return run_app(setup, engine, mode="race", optimizers=args.optimizers, **shown)
    return run_app(setup, engine, **shown)


def _has_terminal() -> bool:
    """True when the app can draw: a terminal on all three streams, or a web session."""
    if os.environ.get("TEXTUAL_DRIVER"):  # textual-serve runs the app with its web driver
        return True
    streams = (sys.stdin, sys.stdout, sys.stderr)
    try:
        return all(stream is not None and stream.isatty() for stream in streams)
    except (AttributeError, ValueError):
        return False


def _record(setup: RunSetup, engine: DescentEngine, args: argparse.Namespace,
            language: str = "en") -> int:
    import asyncio

    from gdtui.app import make_app
    from gdtui.app.record import CaptureDriver, record, write_cast

    width, height = args.size
    writes: list[tuple[float, str]] = []
    # Record for a truecolor terminal, whatever this one is (the app's console reads it).
    saved = os.environ.get("COLORTERM")
    os.environ["COLORTERM"] = "truecolor"
    try:
        app = make_app(setup, engine, driver_class=CaptureDriver.into(writes), language=language)
    finally:
        if saved is None:
            os.environ.pop("COLORTERM", None)
        else:
            os.environ["COLORTERM"] = saved
    total_seconds = sum(p.hold for p in args.presses)
    started = time.monotonic()

    def progress(done: int, total: int, key: str) -> None:
        if sys.stderr.isatty():
            print(f"\r\033[Kgdtui record: key {done + 1} of {total} ({key}), "
                  f"{time.monotonic() - started:.0f} of about {total_seconds:.0f} s",
                  end="", file=sys.stderr, flush=True)

    print(f"gdtui record: recording {len(args.presses)} keys, about {total_seconds:.0f} s "
          f"at {width}x{height}…", file=sys.stderr)
    events = asyncio.run(record(app, writes, args.presses, width, height, progress=progress))
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr)
    path = write_cast(args.out, events, width, height, f"gdtui: {setup.dataset.name}",
                      overwrite=args.force)
    seconds = events[-1][0] if events else 0.0
    print(f"gdtui record: wrote {len(events)} frames ({seconds:.1f} s) to {path}; "
          f"replay with: asciinema play {shlex.quote(str(path))}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from gdtui.serve import serve

    return serve(args)


def _list_datasets() -> int:
    width = max(len(n) for n in BUNDLED)
    for name, info in BUNDLED.items():
        print(f"{name:<{width}}  {info.description}")
    print("\nOpen one with `gdtui NAME`, or fit it headless with `gdtui fit NAME`.")
    return EXIT_OK
