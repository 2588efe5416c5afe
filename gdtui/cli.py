"""Command line: ``gdtui [DATA]`` opens the app, ``gdtui fit`` runs headless.

This module must not import Textual at module level: ``gdtui fit`` and
``gdtui datasets`` start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from gdtui import __version__
from gdtui.data import BUNDLED, DEFAULT_DATASET, Dataset, load_dataset, synthetic_dataset
from gdtui.engine import (
    DEFAULT_MAX_ITER,
    DEFAULT_TOL,
    OPTIMIZERS,
    SCHEDULES,
    DescentEngine,
    batch_label,
)
from gdtui.errors import ConfigError, GdtuiError

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130
COMMANDS = ("fit", "datasets", "compare", "race", "record", "serve", "tour")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _number(cast, ok, requirement: str, noun: str = "a number"):
    """An argparse type: ``cast(text)`` that must satisfy ``ok``, else says ``requirement``."""

    def parse(text: str):
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"{requirement}, got {text}")
        return value

    return parse


_positive_int = _number(int, lambda v: v >= 1, "must be at least 1", "an integer")
_non_negative_int = _number(int, lambda v: v >= 0, "must be 0 or more", "an integer")
_positive_float = _number(float, lambda v: math.isfinite(v) and v > 0,
                          "must be a positive finite number")
_tolerance = _number(float, lambda v: math.isfinite(v) and v >= 0,
                     "must be 0 or a positive number")
_lesson_number = _number(int, lambda v: 1 <= v <= 8, "lessons are numbered 1 to 8",
                         "a lesson number")
_port = _number(int, lambda v: 1 <= v <= 65535, "port must be 1 to 65535", "a port number")


def _start_point(text: str) -> tuple[float, float]:
    parts = text.split(",")
    try:
        m, b = (float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected M,B (two numbers), got {text!r}") from None
    if not (math.isfinite(m) and math.isfinite(b)):
        raise argparse.ArgumentTypeError(f"start point must be finite, got {text!r}")
    return m, b


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH such as 100x30, got {text!r}") from None
    if not (20 <= width <= 500 and 8 <= height <= 200):
        raise argparse.ArgumentTypeError(f"size {text} is outside 20x8 .. 500x200")
    return width, height


def _rates(text: str) -> tuple[float, float, float]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"expected three rates A,B,C, got {text!r}")
    return tuple(_positive_float(p) for p in parts)


def _optimizer_list(text: str) -> tuple[str, ...]:
    names = tuple(p.strip().lower() for p in text.split(",") if p.strip())
    unknown = [n for n in names if n not in OPTIMIZERS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown optimizer {unknown[0]!r}; choose from {', '.join(OPTIMIZERS)}")
    if not 1 <= len(names) <= 4:
        raise argparse.ArgumentTypeError(f"give one to four optimizers, got {len(names)}")
    return names


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
    run.add_argument("--lr", type=_positive_float, metavar="F",
                     help="learning rate α (default: the optimizer's own, 0.1 for gd)")
    run.add_argument("--schedule", default="constant", choices=list(SCHEDULES) + ["1/t"],
                     metavar="NAME", help=f"learning-rate schedule: {', '.join(SCHEDULES)} "
                                          "(default constant)")
    run.add_argument("--batch-size", type=_non_negative_int, default=0, metavar="K",
                     help="0 = full batch (default), 1 = stochastic, K = mini-batches of K")
    run.add_argument("--iterations", type=_positive_int, default=DEFAULT_MAX_ITER, metavar="N",
                     help=f"iteration limit (default {DEFAULT_MAX_ITER})")
    run.add_argument("--tol", type=_tolerance, default=DEFAULT_TOL, metavar="F",
                     help=f"stop when the gradient norm in standardized units, over σy, is "
                          f"under F (default {DEFAULT_TOL:g}; 0 never stops early)")
    run.add_argument("--seed", type=_non_negative_int, default=0, metavar="S",
                     help="seed for mini-batch sampling and --synthetic (default 0)")
    run.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=True,
                     help="fit in standardized units of x (default on); results in data units")
    run.add_argument("--start", type=_start_point, default=(0.0, 0.0), metavar="M,B",
                     help="starting slope and intercept in data units (default 0,0)")


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
                              "with the run's settings when FILE ends in .json")
        return parser
    if command == "datasets":
        return _Parser(prog="gdtui datasets", description="List the bundled datasets.")
    if command == "compare":
        parser = _Parser(prog="gdtui compare",
                         description="Three learning rates side by side: too small, just right, "
                                     "too large (full-batch gradient descent).")
        _add_run_options(parser)
        parser.add_argument("--rates", type=_rates, metavar="A,B,C",
                            help="the three rates (default: from the problem's curvature: "
                                 "best/10, best = 2/(λmin+λmax), 1.1 × 2/λmax)")
        return parser
    if command == "tour":
        parser = _Parser(prog="gdtui tour",
                         description="The seed article as a guided, interactive lesson.")
        _add_run_options(parser)
        parser.add_argument("--lesson", type=_lesson_number, default=1, metavar="N",
                            help="start at lesson N (1-8)")
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
        parser.add_argument("--size", type=_size, default=(100, 30), metavar="WxH",
                            help="terminal size of the recording (default 100x30)")
        return parser
    if command == "serve":
        parser = _Parser(prog="gdtui serve",
                         description="Serve the app to a web browser (textual-serve).")
        parser.add_argument("--host", default="127.0.0.1",
                            help="address to listen on (default 127.0.0.1: this machine only)")
        parser.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
        parser.add_argument("--max-sessions", type=_positive_int, default=4, metavar="N",
                            help="browser sessions (app processes) at once (default 4)")
        parser.add_argument("--allow-writes", metavar="DIR", type=Path,
                            help="let sessions write files (export, script, screenshot), "
                                 "only inside DIR (default: no file writes)")
        _add_run_options(parser)
        return parser
    if command == "race":
        parser = _Parser(prog="gdtui race",
                         description="Up to four optimizers from the same start on one surface.")
        _add_run_options(parser)
        parser.add_argument("--optimizers", type=_optimizer_list, metavar="LIST",
                            default=("gd", "momentum", "rmsprop", "adam"),
                            help="comma-separated, up to four (default gd,momentum,rmsprop,adam)")
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
    return parser


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
    standardize: bool = True
    start: tuple[float, float] = (0.0, 0.0)

    def make_engine(self) -> DescentEngine:
        """A fresh engine for these settings."""
        return DescentEngine(
            self.dataset.x, self.dataset.y, optimizer=self.optimizer,
            learning_rate=self.learning_rate, batch_size=self.batch_size,
            schedule=self.schedule, standardize=self.standardize, tol=self.tol,
            max_iter=self.max_iter, seed=self.seed, start=self.start,
        )


def setup_from_args(args: argparse.Namespace) -> RunSetup:
    """Load the data and check the settings; raises GdtuiError with a one-line message."""
    if args.synthetic is not None and args.source is not None:
        raise ConfigError("give either a data file or --synthetic, not both")
    if args.synthetic is not None:
        dataset = synthetic_dataset(args.synthetic, seed=args.seed)
    else:
        dataset = load_dataset(args.source or DEFAULT_DATASET, x=args.x, y=args.y)
    source = args.source
    if source is not None and Path(source).expanduser().exists():
        source = str(Path(source).expanduser().resolve())
    return RunSetup(
        dataset=dataset, source=source, synthetic=args.synthetic, x=args.x, y=args.y,
        optimizer=args.optimizer, learning_rate=args.lr,
        schedule="inverse" if args.schedule == "1/t" else args.schedule,
        batch_size=args.batch_size, max_iter=args.iterations, tol=args.tol, seed=args.seed,
        standardize=args.standardize, start=args.start,
    )


def command_line(setup: RunSetup, engine: DescentEngine, command: str = "gdtui") -> str:
    """The command that starts ``engine``'s current setup from its start point.

    Every setting is written out (floats at full precision), so that running it
    reproduces the same history bit for bit, whatever the defaults become.
    """
    words = command.split()
    if setup.synthetic is not None:
        words += ["--synthetic", setup.synthetic]
    else:
        words.append(setup.source or DEFAULT_DATASET)
        if setup.x is not None:
            words += ["--x", setup.x]
        if setup.y is not None:
            words += ["--y", setup.y]
    m0, b0 = engine.start
    words += [
        "--optimizer", engine.optimizer, "--lr", repr(engine.learning_rate),
        "--schedule", engine.schedule, "--batch-size", str(engine.batch_size),
        "--iterations", str(engine.max_iter), "--tol", repr(engine.tol),
        "--seed", str(engine.seed), "--standardize" if engine.standardize else "--no-standardize",
        f"--start={m0!r},{b0!r}",
    ]
    return shlex.join(words)


def main(argv: list[str] | None = None) -> int:
    """Run gdtui; return the process exit code."""
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
        setup = setup_from_args(args)
        # Building the engine validates every setting before the terminal is taken over.
        engine = setup.make_engine()
        if setup.dataset.warning:
            print(f"gdtui: warning: {setup.dataset.warning}", file=sys.stderr)
        if command == "fit":
            return _fit(setup, engine, args)
    except GdtuiError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if command == "record":
        from gdtui.app.record import DEFAULT_SCRIPT, parse_keys

        try:
            args.presses = parse_keys(args.keys if args.keys is not None else DEFAULT_SCRIPT)
        except GdtuiError as exc:
            print(f"{parser.prog}: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if not args.out.parent.is_dir() if str(args.out.parent) else False:
            print(f"{parser.prog}: error: {args.out}: folder {args.out.parent} does not exist",
                  file=sys.stderr)
            return EXIT_USAGE
    from gdtui.app import run_app  # Textual is imported only for the app

    if command == "compare":
        return run_app(setup, engine, mode="compare", rates=args.rates)
    if command == "record":
        return _record(setup, engine, args)
    if command == "tour":
        return run_app(setup, engine, mode="tour", lesson=args.lesson)
    if command == "serve":
        return _serve(args)
    if command == "race":
        return run_app(setup, engine, mode="race", optimizers=args.optimizers)
    return run_app(setup, engine)


def _record(setup: RunSetup, engine: DescentEngine, args: argparse.Namespace) -> int:
    import asyncio

    from gdtui.app import make_app
    from gdtui.app.record import record, write_cast

    width, height = args.size
    app = make_app(setup, engine)
    events = asyncio.run(record(app, args.presses, width, height))
    path = write_cast(args.out, events, width, height, f"gdtui: {setup.dataset.name}")
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


# -- gdtui fit -----------------------------------------------------------------
def _fit(setup: RunSetup, engine: DescentEngine, args: argparse.Namespace) -> int:
    from gdtui.history_io import HistoryWriter, settings_of

    writer = None
    if args.history:
        writer = HistoryWriter(args.history, settings_of(engine, command_line(setup, engine,
                                                                             "gdtui fit")))
    # Steps run in chunks small enough that the history never thins out rows not yet written.
    chunk = max(1, min(engine.history.capacity // 4, 4096))
    progress = sys.stderr.isatty() and not args.json
    interrupted = False
    started = time.perf_counter()
    try:
        while not engine.status.finished:
            engine.run(chunk)
            if writer:
                writer.write_new(engine)
            if progress:
                _draw_progress(engine)
    except KeyboardInterrupt:
        interrupted = True
        if writer:
            writer.write_new(engine)
    except BaseException:
        if writer:
            writer.abandon()
        raise
    if writer:
        writer.close()
    elapsed = time.perf_counter() - started
    if progress:
        print("\r\033[K", end="", file=sys.stderr)
    from gdtui.coach import verdict

    snap = engine.snapshot()
    status = "interrupted" if interrupted else snap.status.value
    coach = "Interrupted (Ctrl-C)." if interrupted else verdict(engine)
    cf = engine.closed_form
    if args.json:
        print(json.dumps({
            "m": snap.m, "b": snap.b, "cost": snap.cost, "iterations": snap.iteration,
            "status": status, "reason": snap.reason, "verdict": coach,
            "optimizer": engine.optimizer,
            "lr": engine.learning_rate, "schedule": engine.schedule,
            "batch_size": engine.batch_size, "seed": engine.seed,
            "standardized": engine.standardize, "n": engine.n_points,
            "closed_form": {"m": cf.m, "b": cf.b, "cost": cf.cost},
        }))
    else:
        d = setup.dataset
        print(f"gdtui fit: {d.name}, {d.n} points, {d.x_label} → {d.y_label}")
        print(f"  {engine.optimizer}, α = {engine.learning_rate:g} ({engine.schedule}), "
              f"{batch_label(engine.batch_size)} batch, "
              f"standardization {'on' if engine.standardize else 'off'}, seed {engine.seed}")
        print(f"  {'':<12}{'gradient descent':>22}{'least squares':>22}")
        print(f"  {'m':<12}{snap.m:>22.10g}{cf.m:>22.10g}")
        print(f"  {'b':<12}{snap.b:>22.10g}{cf.b:>22.10g}")
        print(f"  {'cost J':<12}{snap.cost:>22.10g}{cf.cost:>22.10g}")
        print(f"  {'iterations':<12}{snap.iteration:>22}")
        why = f" ({snap.reason})" if snap.reason else ""
        print(f"  {'status':<12}{status}{why}")
        print(f"  {'coach':<12}{coach}")
        print(f"  {'time':<12}{elapsed:.3f} s")
        if writer:
            print(f"  history written to {writer.path} ({writer.written} rows)")
    return EXIT_INTERRUPTED if interrupted else EXIT_OK


def _draw_progress(engine: DescentEngine) -> None:
    frac = engine.iteration / engine.max_iter
    width = 30
    filled = int(frac * width)
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {engine.iteration}/{engine.max_iter} "
          f"J = {engine.snapshot().cost:.6g}", end="", file=sys.stderr, flush=True)
