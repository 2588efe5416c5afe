"""What reaches the terminal (issue 13): python benchmarks/bench_frames.py [--quick] [--gdtui PATH]

Runs the installed ``gdtui`` under a pseudo-terminal (``TERM=xterm-256color``,
``COLORTERM=truecolor``) and measures what a user gets:

- first screen: seconds from spawning the command until the last frame that changed what is
  on screen before the first screen settled (0.3 s of silence once the view's text is on
  screen): frames that write the same cells again are not counted, as in frames/s ("settled
  s": the last byte of them, duplicates included);
- step mode: bytes written for one ``s`` (until 0.3 s of silence), median of several;
- run mode: ``space``, then frames per second and bytes per second over a fixed window
  (``--link KBIT/S`` drains the terminal no faster than a slow link would);
- keys while running: ms from writing ``]`` or ``[`` to the end of the first frame that shows the
  new steps-per-frame ("key→shown"; the comparison view shows no such text, so there it is the
  next frame), and to the end of the next frame whatever it holds ("key→frame");

for N = 1e2, 1e4, 1e6 points (CSV files written in a temporary folder) at 80x24 and 120x36, and
for ``gdtui compare`` and ``gdtui race`` at 120x36 with N = 1e4. The baseline, measured in the same
run on the same files: a naive three-pane textual-plotext app contained in this file (every point
scattered with the line, the whole cost history, a readout ``Static``; one step of plain numpy
gradient descent per frame at 30 frames a second, all three panes redrawn every frame).

Frames: the benchmark answers Textual's query ``ESC[?2026$p`` with ``ESC[?2026;2$y``, as kitty,
WezTerm, iTerm2, foot or Windows Terminal do, so Textual wraps each update it writes in
``ESC[?2026h`` ... ``ESC[?2026l``; with ``--bursts`` it does not answer, and an update is a burst
of output ended by >= 5 ms of silence. "updates/s" counts the updates written. "frames/s" counts
only those that changed what is on screen: after the run the output is replayed on a small screen
model (cursor moves, SGR, text measured as Rich measures it), so an update that repaints the same
cells again is written (and paid for in bytes) but is not a frame the user sees.

Every run starts ``gdtui PATH --tol 0 --iterations 100000000 --lr 0.01`` so that it neither
converges nor stalls inside the window. ``--gdtui LABEL=PATH`` may be given several times to
measure several builds in one run (interleaved, so they share the machine's load). Each figure is
the median over ``--repeat`` runs with the range beside it. Children run in a temporary folder in
their own session; their process groups are ended at the end, on errors and on Ctrl-C.

``--ssh`` runs every measured command (gdtui and the naive app) through ``ssh -t -t localhost`` to
a private sshd on 127.0.0.1 (``ssh_localhost.py``: its own keys and config in a temporary folder;
``openssh-server`` is installed with apt-get only if ``sshd`` is missing), so every figure is what
reaches a user's terminal over SSH; the first screen then includes logging in.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import resource
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ptyterm import Frame, PtyTerm, ScreenModel, kill_all, plain  # noqa: E402

SIZES = ((80, 24), (120, 36))
NS = (100, 10_000, 1_000_000)
RUN_ARGS = ["--tol", "0", "--iterations", "100000000", "--lr", "0.01"]
LEARNING_RATE = 0.01
SETTLE = 0.3
"""Seconds of silence that end the first screen and a step."""

# Issue 13's targets, checked in the summary.
TARGET_FPS_MAIN, TARGET_FPS_MULTI, TARGET_RATIO = 50.0, 30.0, 3.0
TARGET_FIRST, TARGET_KBPS_80, TARGET_STEP_KB, TARGET_KEY_MS = 0.5, 100.0, 10.0, 100.0


@dataclass(frozen=True)
class Scenario:
    view: str  # main, compare, race
    n: int
    size: tuple[int, int]


@dataclass
class Result:
    app: str
    scenario: Scenario
    error: str = ""
    first_screen: float | None = None  # the last frame that changed the screen
    first_settled: float | None = None  # the last byte of the first screen
    first_bytes: int | None = None  # bytes written up to then
    step_bytes: list[int] = field(default_factory=list)
    fps: float | None = None  # frames that changed the screen, per second
    updates_per_s: float | None = None  # synchronized updates (or bursts) written per second
    cells_per_frame: float | None = None
    bursts_per_s: float | None = None
    reader_cpu: float | None = None  # CPU share this benchmark used reading the window
    bytes_per_s: float | None = None
    window: float | None = None
    frame_gap_p95: float | None = None
    key_shown: list[float | None] = field(default_factory=list)
    key_frame: list[float | None] = field(default_factory=list)
    sync: bool = False


# -- the naive baseline app (run in a child process) ----------------------------------------
def naive_app(csv_path: str, learning_rate: float) -> None:
    """Three panes redrawn in full every frame: scatter + line, cost history, readout."""
    import numpy as np
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.containers import Horizontal, Vertical
    from textual.widgets import Static
    from textual_plotext import PlotextPlot

    data = np.loadtxt(csv_path, delimiter=",", skiprows=1, dtype=np.float64)
    x, y = data[:, 0], data[:, 1]
    mu, sd = x.mean(), x.std()
    z = (x - mu) / sd

    class Naive(App):
        CSS = """
        #plots { width: 1fr; }
        #scatter { height: 3fr; }
        #cost { height: 2fr; }
        #readout { width: 34; padding: 0 1; }
        """
        BINDINGS = [
            Binding("space", "toggle", "Run"),
            Binding("s", "step", "Step"),
            Binding("right_square_bracket", "faster", "Faster"),
            Binding("left_square_bracket", "slower", "Slower"),
            Binding("q", "quit", "Quit"),
        ]

        def compose(self) -> ComposeResult:
            with Horizontal():
                with Vertical(id="plots"):
                    yield PlotextPlot(id="scatter")
                    yield PlotextPlot(id="cost")
                yield Static(id="readout")

        def on_mount(self) -> None:
            self.w = self.c = 0.0
            self.k = 1
            self.costs = [float(np.mean(y**2))]
            self.timer = self.set_interval(1 / 30, self.tick, pause=True)
            self.running = False
            self.draw()

        def descend(self, steps: int) -> None:
            for _ in range(steps):
                r = self.w * z + self.c - y
                self.w -= learning_rate * 2.0 * float(np.mean(r * z))
                self.c -= learning_rate * 2.0 * float(np.mean(r))
                self.costs.append(float(np.mean((self.w * z + self.c - y) ** 2)))

        def draw(self) -> None:
            m = self.w / sd
            b = self.c - self.w * mu / sd
            with self.batch_update():
                scatter = self.query_one("#scatter", PlotextPlot)
                plt = scatter.plt
                plt.clear_data()
                plt.scatter(x.tolist(), y.tolist(), marker="hd")
                xs = [float(x.min()), float(x.max())]
                plt.plot(xs, [m * v + b for v in xs], color="red")
                scatter.refresh()
                cost = self.query_one("#cost", PlotextPlot)
                plt = cost.plt
                plt.clear_data()
                plt.plot(list(range(len(self.costs))), self.costs)
                cost.refresh()
                steps = f"{self.k} step{'s' if self.k > 1 else ''}/frame"
                self.query_one("#readout", Static).update(
                    f"Iteration {len(self.costs) - 1}\nm {m:.6g}\nb {b:.6g}\n"
                    f"Cost J {self.costs[-1]:.6g}\n{steps}")

        def tick(self) -> None:
            self.descend(self.k)
            self.draw()

        def action_toggle(self) -> None:
            self.running = not self.running
            self.timer.resume() if self.running else self.timer.pause()

        def action_step(self) -> None:
            self.descend(1)
            self.draw()

        def action_faster(self) -> None:
            self.k *= 2
            self.draw()

        def action_slower(self) -> None:
            self.k = max(1, self.k // 2)
            self.draw()

    Naive().run()


# -- one measurement -------------------------------------------------------------------------
def first_marker(view: str) -> str:
    """Text that the view's first screen holds (the readouts' or the comparison's labels)."""
    return "too small" if view == "compare" else "/frame"


def shown_markers(view: str, steps: int) -> tuple[str, ...] | None:
    """Texts that show ``steps`` steps per frame in the view (either wording gdtui has used),
    or None if the view shows none."""
    if view == "compare":
        return None
    return (f"{steps} step(s)/frame", f"{steps} step{'s' if steps > 1 else ''}/frame")


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TEXTUAL") and k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    return env


def units(term: PtyTerm) -> list[Frame]:
    """Frames: the synchronized updates if the app sends them, else bursts of output."""
    return term.frames if term.frames else term.bursts()


def measure(app: str, argv: list[str], scenario: Scenario, opts, cwd: str) -> Result:
    result = Result(app, scenario)
    window = None
    cols, rows = scenario.size
    term = PtyTerm(argv, cols, rows, child_env(), cwd, answer_sync=not opts.bursts,
                   link_bytes_per_s=opts.link * 1000 / 8 if opts.link else None)
    try:
        marker = first_marker(scenario.view)
        settled = term.pump(opts.start_timeout, lambda: not term.alive or (
            term.chunks and term.quiet_for(SETTLE) and marker in term.text()))
        if not term.alive:
            raise RuntimeError(f"{argv[0]} exited before its first screen")
        if not settled:
            raise RuntimeError(f"no settled first screen with {marker!r} in "
                               f"{opts.start_timeout:.0f} s")
        settled = term.last_output()
        result.first_settled = settled - term.spawned
        result.first_screen = last_change(term, scenario.size, settled) - term.spawned
        result.first_bytes = term.bytes_between(term.spawned, settled)
        result.sync = bool(term.frames)
        if scenario.view == "surface":  # c: the cost surface, drawn in colour, in the view pane
            shown = len(term.buf)
            term.send(b"c")
            if not term.pump(opts.frame_timeout, lambda: term.quiet_for(SETTLE)
                             and "Cost surface" in term.text(shown)):
                raise RuntimeError("c did not show the cost surface")

        # Step mode: bytes for one `s`, from a quiet screen to the next quiet.
        for _ in range(opts.steps):
            sent = term.send(b"s")
            if not term.pump(opts.frame_timeout, lambda sent=sent: term.last_output() > sent
                             and term.quiet_for(SETTLE)):
                raise RuntimeError("the screen did not settle after a step")
            result.step_bytes.append(term.bytes_between(sent, term.last_output()))

        # Run mode: frames and bytes in a fixed window after a warm-up.
        term.send(b" ")
        term.pump(opts.warmup)
        own = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        term.pump(opts.window)
        # A slow app gets more time: at least three frames, or the longest window allowed.
        term.pump(max(opts.max_window - opts.window, 0),
                  lambda: len([f for f in units(term) if f.time > t0]) >= 3)
        t1 = time.perf_counter()
        window = (t0, t1)
        result.window = t1 - t0
        result.updates_per_s = len([f for f in units(term) if t0 < f.time <= t1]) / result.window
        result.bursts_per_s = len([f for f in term.bursts() if t0 < f.time <= t1]) / result.window
        result.bytes_per_s = term.bytes_between(t0, t1) / result.window
        used = resource.getrusage(resource.RUSAGE_SELF)
        result.reader_cpu = (used.ru_utime + used.ru_stime - own.ru_utime - own.ru_stime) \
            / result.window

        # Keys while running: `]` and `[` in turn (1 -> 2 -> 1 steps a frame).
        steps, budget_end = 1, time.perf_counter() + opts.key_budget
        for i in range(opts.keys):
            if i and time.perf_counter() > budget_end:
                break
            term.pump(0.05 + 0.037 * (i % 5))  # land at different phases of the frame clock
            key, steps = (b"]", 2) if steps == 1 else (b"[", 1)
            shown = shown_markers(scenario.view, steps)
            sent = term.send(key)

            def after(sent=sent):
                return [f for f in units(term) if f.time > sent]

            def shows(frame, shown=shown):
                return shown is None or any(m in term.frame_text(frame) for m in shown)

            term.pump(opts.frame_timeout, lambda after=after, shows=shows: any(
                shows(f) for f in after()))
            later = after()
            result.key_frame.append(later[0].time - sent if later else None)
            hit = [f for f in later if shows(f)]
            result.key_shown.append(hit[0].time - sent if hit else None)
        if not term.alive:
            raise RuntimeError("the program ended during the measurement")
    except RuntimeError as exc:
        tail = " ".join(plain(bytes(term.buf[-2000:])).split())[-300:]
        result.error = f"{exc}; last output: {tail!r}"
    finally:
        term.close()
    if window is not None:
        shown_frames(term, scenario.size, window, result)
    return result


def replayed(term: PtyTerm, size: tuple[int, int]):
    """Every frame in order, with the cells it changed when replayed on a screen model."""
    model, pos = ScreenModel(*size), 0
    for frame in units(term):
        yield frame, model.feed(bytes(term.buf[pos:frame.end]))
        pos = frame.end


def last_change(term: PtyTerm, size: tuple[int, int], until: float) -> float:
    """When the last frame up to ``until`` that changed the screen was read; ``until`` if
    none did."""
    changing = [frame.time for frame, changed in replayed(term, size)
                if changed and frame.time <= until]
    return changing[-1] if changing else until


def shown_frames(term: PtyTerm, size: tuple[int, int], window, result: Result) -> None:
    """Replay the output on a screen model: which frames of the window changed the screen."""
    t0, t1 = window
    shown, cells = [], []
    for frame, changed in replayed(term, size):
        if t0 < frame.time <= t1 and changed:
            shown.append(frame.time)
            cells.append(changed)
    result.fps = len(shown) / (t1 - t0)
    result.cells_per_frame = statistics.median(cells) if cells else 0
    gaps = sorted(b - a for a, b in zip(shown, shown[1:], strict=False))
    if gaps:
        result.frame_gap_p95 = gaps[min(len(gaps) - 1, int(0.95 * len(gaps)))]


# -- data, scenarios, table --------------------------------------------------------------------
def write_csv(folder: Path, n: int) -> Path:
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.uniform(0.0, 10.0, n)
    y = 2.0 * x + 1.0 + rng.normal(0.0, 2.0, n)
    path = folder / f"points-{n}.csv"
    np.savetxt(path, np.column_stack([x, y]), fmt="%.6f", delimiter=",", header="x,y",
               comments="")
    return path


def gdtui_argv(exe: str, scenario: Scenario, csv: Path) -> list[str]:
    command = [] if scenario.view in ("main", "surface") else [scenario.view]
    return [exe, *command, str(csv), *RUN_ARGS]


def naive_argv(csv: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--naive-app", str(csv),
            "--naive-lr", str(LEARNING_RATE)]


def spread(values: list[float], fmt: str) -> str:
    """Median, with the range when there are several values."""
    if not values:
        return "-"
    med = statistics.median(values)
    if len(values) == 1:
        return format(med, fmt)
    return f"{format(med, fmt)} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def ms(values: list[float | None]) -> str:
    """Median and worst of latencies, in ms; '>' when a key was not answered in time."""
    got = [v for v in values if v is not None]
    if not values:
        return "-"
    if not got:
        return "none"
    text = f"{statistics.median(got) * 1000:.0f}/{max(got) * 1000:.0f}"
    return text + (f" ({len(values) - len(got)} lost)" if len(got) < len(values) else "")


def median_of(results: list[Result], attr: str) -> float | None:
    values = [getattr(r, attr) for r in results if getattr(r, attr) is not None]
    return statistics.median(values) if values else None


def print_table(results: list[Result], apps: list[str]) -> None:
    groups: dict[tuple[str, Scenario], list[Result]] = {}
    for r in results:
        groups.setdefault((r.app, r.scenario), []).append(r)
    header = ("view", "N", "size", "app", "frames/s", "updates/s", "kB/s", "×naive",
              "first s", "settled s", "first kB", "step kB", "key→shown ms", "key→frame ms",
              "p95 gap ms", "cells/frame")
    lines = [header]
    order = sorted({s for _, s in groups}, key=lambda s: (s.view != "main", s.view,
                                                          s.size, s.n))
    for scenario in order:
        naive = groups.get(("naive", Scenario("main", scenario.n, scenario.size)), [])
        naive_fps = median_of(naive, "fps")
        for app in apps:
            rs = [r for r in groups.get((app, scenario), []) if not r.error]
            errors = [r.error for r in groups.get((app, scenario), []) if r.error]
            if app == "naive" and scenario.view != "main":
                continue
            size = f"{scenario.size[0]}x{scenario.size[1]}"
            if not rs:
                if errors:
                    lines.append((scenario.view, f"{scenario.n:.0e}", size, app,
                                  "error: " + errors[0][:60], *[""] * 11))
                continue
            fps = median_of(rs, "fps")
            ratio = "" if app == "naive" or not naive_fps else f"{fps / naive_fps:.1f}"
            step_kb = [statistics.median(r.step_bytes) / 1000 for r in rs if r.step_bytes]
            gap = [r.frame_gap_p95 * 1000 for r in rs if r.frame_gap_p95 is not None]
            lines.append((
                scenario.view, f"{scenario.n:.0e}", size, app,
                spread([r.fps for r in rs], ".1f"),
                spread([r.updates_per_s for r in rs], ".1f"),
                spread([r.bytes_per_s / 1000 for r in rs], ".0f"),
                ratio,
                spread([r.first_screen for r in rs], ".2f"),
                spread([r.first_settled for r in rs], ".2f"),
                spread([r.first_bytes / 1000 for r in rs if r.first_bytes is not None], ".0f"),
                spread(step_kb, ".1f"),
                ms([v for r in rs for v in r.key_shown]),
                ms([v for r in rs for v in r.key_frame]),
                spread(gap, ".0f"),
                spread([r.cells_per_frame for r in rs], ".0f"),
            ))
            lines.extend(("", "", "", "", "  ! " + e[:150], *[""] * 11) for e in errors)
    widths = [max(len(str(line[i])) for line in lines if not str(line[4]).startswith(("  !",
              "error"))) for i in range(len(header))]
    for line in lines:
        if str(line[4]).startswith(("  !", "error")):
            print("  ".join(str(c).ljust(w) for c, w in zip(line[:4], widths, strict=False))
                  + "  " + line[4])
            continue
        print("  ".join(str(c).rjust(w) if i >= 4 else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(line, widths, strict=True))))


def print_targets(results: list[Result], apps: list[str]) -> None:
    """Issue 13's targets, per build: met or not, with the worst figure."""
    for app in apps:
        if app == "naive":
            continue
        mine = [r for r in results if r.app == app and not r.error]
        if not mine:
            continue
        checks = []

        def worst(rs, attr, fn=min):
            values = [getattr(r, attr) for r in rs if getattr(r, attr) is not None]
            return fn(values) if values else None

        main120 = [r for r in mine if r.scenario.view == "main" and r.scenario.size == (120, 36)]
        multi = [r for r in mine if r.scenario.view in ("compare", "race")]
        surface = [r for r in mine if r.scenario.view == "surface"
                   and r.scenario.size == (120, 36)]
        main80 = [r for r in mine if r.scenario.view == "main" and r.scenario.size == (80, 24)]
        if main120:
            v = worst(main120, "fps")
            checks.append((f"run mode >= {TARGET_FPS_MAIN:.0f} frames/s at 120x36", v,
                           v >= TARGET_FPS_MAIN, f"{v:.1f}"))
        if surface:
            v = worst(surface, "fps")
            checks.append((f"cost surface (colour field) >= {TARGET_FPS_MAIN:.0f} frames/s "
                           "at 120x36", v, v >= TARGET_FPS_MAIN, f"{v:.1f}"))
        if multi:
            v = worst(multi, "fps")
            checks.append((f"compare/race >= {TARGET_FPS_MULTI:.0f} frames/s", v,
                           v >= TARGET_FPS_MULTI, f"{v:.1f}"))
        for size in SIZES:
            ours = [r.fps for r in mine if r.scenario == Scenario("main", 10_000, size)]
            base = [r.fps for r in results if r.app == "naive" and not r.error
                    and r.scenario == Scenario("main", 10_000, size)]
            if ours and base:
                ratio = statistics.median(ours) / statistics.median(base)
                checks.append((f">= {TARGET_RATIO:.0f}x naive at N=1e4 {size[0]}x{size[1]}",
                               ratio, ratio >= TARGET_RATIO, f"{ratio:.1f}x"))
        v = worst(mine, "first_screen", max)
        checks.append((f"first screen <= {TARGET_FIRST} s", v, v <= TARGET_FIRST, f"{v:.2f} s"))
        if main80:
            v = worst(main80, "bytes_per_s", max) / 1000
            checks.append((f"run mode at 80x24 <= {TARGET_KBPS_80:.0f} kB/s", v,
                           v <= TARGET_KBPS_80, f"{v:.0f} kB/s"))
        steps = [max(r.step_bytes) / 1000 for r in mine if r.step_bytes]
        if steps:
            v = max(steps)
            checks.append((f"a step <= {TARGET_STEP_KB:.0f} kB", v, v <= TARGET_STEP_KB,
                           f"{v:.1f} kB"))
        keys = [k for r in mine for k in r.key_shown]
        if keys:
            lost = any(k is None for k in keys)
            v = max(k for k in keys if k is not None) * 1000 if not all(
                k is None for k in keys) else float("inf")
            checks.append((f"keys shown <= {TARGET_KEY_MS:.0f} ms", v,
                           not lost and v <= TARGET_KEY_MS,
                           f"{v:.0f} ms" + (" (some lost)" if lost else "")))
        print(f"\nTargets, {app} (worst case over the runs):")
        for what, _, ok, shown in checks:
            print(f"  {'met ' if ok else 'MISS'}  {what}: {shown}")


def parse_apps(values: list[str] | None) -> list[tuple[str, str]]:
    if not values:
        exe = Path(sys.executable).with_name("gdtui")
        return [("gdtui", str(exe) if exe.exists() else "gdtui")]
    apps = []
    for value in values:
        label, _, path = value.rpartition("=")
        apps.append((label or ("gdtui" if len(values) == 1 else path), path))
    return apps


def start_sshd():
    """The private sshd for --ssh; one line on stderr and exit 2 if it cannot be had."""
    import subprocess

    from ssh_localhost import LocalSshd, SshError

    sshd = LocalSshd()
    try:
        return sshd.start()
    except (SshError, OSError, subprocess.SubprocessError) as exc:
        sshd.stop()
        print(f"bench_frames: --ssh: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gdtui", action="append", metavar="[LABEL=]PATH",
                        help="the gdtui executable (default: the one beside this Python); "
                             "repeat to measure several builds in one run")
    parser.add_argument("--quick", action="store_true",
                        help="short windows, one repeat, fewer keys")
    parser.add_argument("--repeat", type=int, help="runs of every measurement (default 2)")
    parser.add_argument("--window", type=float, help="seconds of run mode counted (default 3)")
    parser.add_argument("--n", help="comma-separated data sizes (default 100,10000,1000000)")
    parser.add_argument("--sizes", help="comma-separated terminal sizes (default 80x24,120x36)")
    parser.add_argument("--views", default="main,surface,compare,race",
                        help="views to measure (surface: the main view's cost surface, its "
                             "colour field on, at N = 1e4 and every size; compare and race at "
                             "120x36, N = 1e4)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument("--bursts", action="store_true",
                        help="do not answer the synchronized-output query: frames are bursts")
    parser.add_argument("--link", type=float, metavar="KBIT/S",
                        help="drain the terminal at this many kbit/s, as a slow link would")
    parser.add_argument("--ssh", action="store_true",
                        help="run every command through ssh -t to a private sshd on 127.0.0.1")
    parser.add_argument("--json", metavar="PATH", help="also write every result as JSON")
    parser.add_argument("--load", action="append", metavar="JSON",
                        help="print the tables of earlier runs' --json files (repeat to pool "
                             "them) instead of measuring")
    parser.add_argument("--naive-app", metavar="CSV", help=argparse.SUPPRESS)
    parser.add_argument("--naive-lr", type=float, default=LEARNING_RATE, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.naive_app:
        naive_app(opts.naive_app, opts.naive_lr)
        return

    if opts.load:
        results = []
        for path in opts.load:
            try:
                for item in json.loads(Path(path).read_text()):
                    sc = item.pop("scenario")
                    results.append(Result(**item, scenario=Scenario(sc["view"], sc["n"],
                                                                    tuple(sc["size"]))))
            except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError,
                    AttributeError) as exc:
                print(f"bench_frames: error: {path}: not results this benchmark wrote with "
                      f"--json ({type(exc).__name__}: {exc})", file=sys.stderr)
                sys.exit(2)
        labels = list(dict.fromkeys(r.app for r in results if r.app != "naive"))
        labels += ["naive"] if any(r.app == "naive" for r in results) else []
        print_table(results, labels)
        print_targets(results, labels)
        return

    quick = opts.quick
    opts.repeat = opts.repeat or (1 if quick else 2)
    opts.window = opts.window or (1.5 if quick else 3.0)
    opts.warmup = 0.3 if quick else 0.5
    opts.max_window = max(opts.window, 8.0 if quick else 20.0)
    opts.steps = 2 if quick else 3
    opts.keys = 4 if quick else 8
    opts.key_budget = 10.0 if quick else 25.0
    opts.frame_timeout = 20.0
    opts.start_timeout = 60.0
    ns = [int(float(v)) for v in opts.n.split(",")] if opts.n else list(NS)
    sizes = ([tuple(int(v) for v in s.split("x")) for s in opts.sizes.split(",")]
             if opts.sizes else list(SIZES))
    views = opts.views.split(",")
    apps = parse_apps(opts.gdtui)
    for _, exe in apps:
        if not os.access(exe, os.X_OK) and not any(
                os.access(os.path.join(d, exe), os.X_OK)
                for d in os.environ.get("PATH", "").split(os.pathsep)):
            parser.error(f"not an executable: {exe}")

    scenarios = [Scenario("main", n, size) for size in sizes for n in ns]
    for view in ("surface", "compare", "race"):
        if view in views:
            scenarios += [Scenario(view, 10_000, size) for size in
                          (sizes if view == "surface" else [(120, 36)])]
    if "main" not in views:
        scenarios = [s for s in scenarios if s.view != "main"]
    runners = list(apps) + ([] if opts.no_naive else [("naive", "")])

    atexit.register(kill_all)
    def stop(signum, _frame):
        kill_all()
        print(f"\nbench_frames: stopped by signal {signum}; children ended", file=sys.stderr)
        raise SystemExit(128 + signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)

    sshd = start_sshd() if opts.ssh else None
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-frames-") as tmp:
        folder = Path(tmp)
        csvs = {n: write_csv(folder, n) for n in sorted({s.n for s in scenarios})}
        print(f"bench_frames: {len(scenarios)} scenarios x {len(runners)} apps x "
              f"{opts.repeat} repeats, window {opts.window:g} s, frames counted by "
              f"{'bursts (>= 5 ms gaps)' if opts.bursts else 'synchronized updates'}"
              + (f", link {opts.link:g} kbit/s" if opts.link else "")
              + (f", through ssh -t localhost (sshd on 127.0.0.1:{sshd.port})" if sshd else ""),
              flush=True)
        for label, exe in apps:
            print(f"  {label}: {exe}", flush=True)
        for rep in range(opts.repeat):
            for scenario in scenarios:
                for label, exe in runners:
                    if label == "naive" and scenario.view != "main":
                        continue
                    argv = (naive_argv(csvs[scenario.n]) if label == "naive"
                            else gdtui_argv(exe, scenario, csvs[scenario.n]))
                    if sshd is not None:
                        argv = sshd.wrap(argv, child_env(), tmp)
                    r = measure(label, argv, scenario, opts, tmp)
                    results.append(r)
                    if sshd is not None and sshd.end_commands():
                        print(f"  note: {label} was still running on the ssh side after it was "
                              "closed; ended", flush=True)
                    status = (f"error: {r.error[:100]}" if r.error else
                              f"{r.fps:.1f} frames/s, {r.bytes_per_s / 1000:.0f} kB/s, first "
                              f"{r.first_screen:.2f} s")
                    print(f"  [{rep + 1}/{opts.repeat}] {scenario.view:<7} N={scenario.n:<8} "
                          f"{scenario.size[0]}x{scenario.size[1]:<3} {label:<10} {status}",
                          flush=True)
        ok = [r for r in results if not r.error]
        if ok and not opts.bursts and not any(r.sync for r in ok):
            print("note: no synchronized updates seen; frames were counted as bursts")
    print()
    print_table(results, [a for a, _ in runners])
    print("\nframes/s: updates that changed the screen, per second; updates/s: updates written "
          "(synchronized\nupdates, or bursts with --bursts); p95 gap: between changing frames; "
          "cells/frame: cells a\nchanging frame changed. Median (min–max) over the runs. key ms: "
          "median/worst over every key\nof every run. ×naive: frames/s over the naive app's at "
          "the same N and size.")
    cpu = [r.reader_cpu for r in results if r.reader_cpu is not None]
    if cpu:
        print(f"This benchmark's own reading used {statistics.median(cpu) * 100:.0f}% of a core "
              f"during the windows (median; worst {max(cpu) * 100:.0f}%).")
    print_targets(results, [a for a, _ in runners])
    if opts.json:
        Path(opts.json).write_text(json.dumps(
            [{**r.__dict__, "scenario": r.scenario.__dict__} for r in results], indent=1))


if __name__ == "__main__":
    main()
