"""``gdtui fit``: the run without a terminal, its report (text or strict JSON) and its history.

Never imports Textual: it starts fast and works with no terminal at all.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from gdtui.engine import DescentEngine, batch_label
from gdtui.engine.hyper import SYMBOLS, optimizer_parameter_names
from gdtui.errors import EXIT_OK
from gdtui.run import RunSetup, command_line


def fit(setup: RunSetup, engine: DescentEngine, args: argparse.Namespace) -> int:
    import signal

    from gdtui.errors import FileExists
    from gdtui.history_io import HistoryWriter, settings_of
    from gdtui.strict_json import finite_or_none, non_finite_keys

    # Ctrl-C and SIGTERM stop the run between chunks of steps, never in the middle of a write,
    # so the history file gets every row up to the stop and no .part file is left behind.
    # The handlers go in before the file is opened: no moment leaves a .part file to a signal.
    stopped: list[int] = []
    previous = {}

    def stop(signum, frame):
        stopped.append(signum)

    for signum, default in ((signal.SIGINT, signal.default_int_handler),
                            (signal.SIGTERM, signal.SIG_DFL)):
        try:
            if signal.getsignal(signum) is default:  # not ignored by a shell, not taken
                previous[signum] = signal.signal(signum, stop)
        except ValueError:  # not the main thread: no handlers, KeyboardInterrupt still works
            break
    writer = None
    try:
        if args.history:
            source = setup.dataset.source
            inputs = [] if source.startswith("synthetic:") else [source]
            try:
                writer = HistoryWriter(
                    args.history, settings_of(engine, command_line(setup, engine, "gdtui fit")),
                    overwrite=args.force, inputs=inputs)
            except FileExists as exc:
                raise FileExists(exc.path, "add --force to overwrite it") from None
        # Chunks never longer than the history keeps unthinned: the writer gets every row.
        limit = max(1, min(engine.history.guaranteed, 1 << 16))
        chunk = min(256, limit)
        progress = sys.stderr.isatty() and not args.json
        started = time.perf_counter()
        try:
            while not engine.status.finished and not stopped:
                tick = time.perf_counter()
                engine.run(chunk)
                if writer:
                    writer.write_new(engine)
                if progress:
                    _draw_progress(engine)
                # About 20 chunks a second: a signal is answered within ~50 ms.
                spent = time.perf_counter() - tick
                chunk = min(limit, chunk * 2) if spent < 0.02 else (
                    max(1, chunk // 2) if spent > 0.1 else chunk)
        except KeyboardInterrupt:
            stopped.append(signal.SIGINT)
        if writer:
            writer.write_new(engine)  # the start row too, when stopped before the first chunk
            writer.close()
    except BaseException:
        if writer:
            writer.abandon()
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    elapsed = time.perf_counter() - started
    if progress:
        print("\r\033[K", end="", file=sys.stderr)
    from gdtui.coach import verdict

    snap = engine.snapshot()
    interrupted = stopped[0] if stopped else None
    status = "interrupted" if interrupted else snap.status.value
    reason = snap.reason
    if interrupted == signal.SIGINT:
        coach = "Interrupted (Ctrl-C)."
    elif interrupted:
        coach = f"Stopped by {signal.Signals(interrupted).name}."
        reason = f"stopped by {signal.Signals(interrupted).name}"
    else:
        coach = verdict(engine).render(advice_in_flags)
    m, b = snap.m, snap.b
    bad = non_finite_keys({"m": m, "b": b, "cost": snap.cost})
    if bad:
        if snap.iteration == 0:
            m, b = engine.start  # the run never left the start point: the last finite state
            bad = non_finite_keys({"m": m, "b": b, "cost": snap.cost})
            verb = "overflows" if len(bad) == 1 else "overflow"
            reason = (f"{' and '.join(bad)} at the start point m = {m:g}, b = {b:g} {verb} "
                      "float64 (beyond ±1.8e308); start nearer the data")
        else:
            verb = "is" if len(bad) == 1 else "are"
            reason = (f"{' and '.join(bad)} {verb} not finite at iteration {snap.iteration}"
                      f"{'; ' + reason if reason else ''}")
        coach = f"No result: {reason}."
    cf = engine.closed_form
    ref = engine.reference
    if args.json:
        result = {
            "m": m, "b": b, "cost": snap.cost, "iterations": snap.iteration,
            "status": status, "reason": reason, "verdict": coach, "non_finite": bad,
            "optimizer": engine.optimizer,
            "lr": engine.learning_rate, "schedule": engine.schedule,
            "parameters": used_parameters(engine),
            "batch_size": engine.batch_size, "seed": engine.seed,
            "standardized": engine.standardize, "n": engine.n_points,
            "model": engine.model_name, "loss": engine.loss,
            # m and b are null where no finite optimum exists (separated classes).
            "reference": {"m": ref.m, "b": ref.b, "cost": ref.cost, "method": ref.method,
                          "exact": ref.exact, "note": ref.note},
        }
        if engine.test_set is not None:  # J of the final line on the held-out points
            result["test_cost"] = snap.test_cost
            result["n_test"] = engine.test_set.n
        if engine.loss == "huber":
            result["huber_delta"] = engine.huber_delta
        if engine.loss == "mse":  # the closed form, as before, for existing consumers
            result["closed_form"] = {"m": cf.m, "b": cf.b, "cost": cf.cost}
        print(json.dumps(finite_or_none(result), allow_nan=False))
    else:
        d = setup.dataset
        print(f"gdtui fit: {d.name}, {d.n} points, {d.x_label} → {d.y_label}")
        params = "".join(f", {SYMBOLS[k]} = {v:g}" for k, v in used_parameters(engine).items())
        print(f"  {engine.optimizer}, α = {engine.learning_rate:g} ({engine.schedule}){params}, "
              f"{batch_label(engine.batch_size)} batch, "
              f"standardization {engine.auto_words or ('on' if engine.standardize else 'off')}"
              f", seed {engine.seed}")
        problem = engine.loss if engine.model_name == "line" else "logistic, cross-entropy"
        if engine.loss == "huber":
            problem += f", δ = {engine.huber_delta:.6g}"
        print(f"  {'problem':<12}{problem}; reference: {ref.method}")
        if ref.note:
            print(f"  {'':<12}{ref.note}")
        against = "least squares" if engine.loss == "mse" else "reference"
        print(f"  {'':<12}{'gradient descent':>22}{against:>22}")
        print(f"  {'m':<12}{m:>22.10g}{ref.m:>22.10g}")
        print(f"  {'b':<12}{b:>22.10g}{ref.b:>22.10g}")
        print(f"  {'cost J':<12}{snap.cost:>22.10g}{ref.cost:>22.10g}")
        if engine.test_set is not None:
            print(f"  {'test J':<12}{snap.test_cost:>22.10g}"
                  f"  on {engine.test_set.n:,} held-out points ({engine.n_points:,} fitted)")
        print(f"  {'iterations':<12}{snap.iteration:>22}")
        why = f" ({reason})" if reason else ""
        print(f"  {'status':<12}{status}{why}")
        print(f"  {'coach':<12}{coach}")
        print(f"  {'time':<12}{elapsed:.3f} s")
        if writer:
            print(f"  history written to {writer.path} ({writer.written} rows)")
    if interrupted:
        return 128 + int(interrupted)  # EXIT_INTERRUPTED (130) for Ctrl-C, 143 for SIGTERM
    return EXIT_OK


ADVICE_FLAGS = {
    ("learning_rate", "lower"): "a smaller --lr",
    ("learning_rate", "raise"): "a larger --lr",
    ("standardize", "on"): "--standardize",
    ("schedule", "decay"): "a decaying --schedule (inverse, exponential or step)",
    ("batch_size", "full"): "--batch-size 0 (full batch)",
    ("run", "reset"): "running again",
}
"""How ``gdtui fit`` says the coach's advice: with the flags that make the change."""


def used_parameters(engine: DescentEngine) -> dict:
    """The hyper-parameters the run's optimizer and schedule use (β…, γ…), by name."""
    mine = optimizer_parameter_names(engine.optimizer)
    return {**{k: engine.optimizer_params[k] for k in mine}, **engine.schedule_params}


def advice_in_flags(advice) -> str:
    """One piece of the coach's advice, in command-line flags."""
    return ADVICE_FLAGS[(advice.setting, advice.change)]


def _draw_progress(engine: DescentEngine) -> None:
    frac = engine.iteration / engine.max_iter
    width = 30
    filled = int(frac * width)
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {engine.iteration}/{engine.max_iter} "
          f"J = {engine.snapshot().cost:.6g}", end="", file=sys.stderr, flush=True)
