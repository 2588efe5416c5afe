"""Where run mode's time and bytes go, pane by pane: python benchmarks/profile_frames.py

Runs ``gdtui`` under a pseudo-terminal as ``bench_frames.py`` does, but through a launcher
(``--child``, run by the Python of the gdtui under test) that measures, by widget class, the
main thread's CPU time (``time.thread_time``, so that waiting for a busy machine's CPUs is
left out) of:

- every method named in ``HOOKS`` that a gdtui class defines (``draw``, ``show``, ``replot``,
  ``redraw``, ``tick``, ``publish``, ...: inclusive times, so ``redraw`` contains ``draw``);
- Textual's ``Widget.render_lines`` (the compositor asking a widget for its lines: Rich or
  plotext rendering included) and ``PlotextPlot.render`` (plotext building its canvas);
- ``App._display`` (turning an update into a string and queueing it) with its size,
  ``Screen._refresh_layout`` and ``Compositor.render_update`` / ``reflow``;

over a window of run mode (``SIGUSR1`` resets, ``SIGUSR2`` writes the figures and every visible
widget's region). The parent replays the window's output on a screen model and charges every byte
to the widget under the cursor: bytes, cells written and cells changed per frame, per pane.

Nothing in gdtui is changed; the launcher only wraps methods in its own process.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

HOOKS = ("draw", "show", "replot", "redraw", "refresh_panes", "tick", "_tick", "publish",
         "advance", "after_advance", "redraw_all")


# -- the launcher, inside the gdtui process ------------------------------------------------
def child(out: str, args: list[str]) -> int:
    from textual._compositor import Compositor
    from textual.app import App
    from textual.dom import DOMNode
    from textual.screen import Screen
    from textual.widget import Widget

    stats: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])

    def waited() -> float:
        """Seconds the main thread spent runnable but waiting for a CPU (Linux schedstat)."""
        try:
            return int(Path("/proc/thread-self/schedstat").read_text().split()[1]) / 1e9
        except (OSError, IndexError, ValueError):
            return 0.0

    marks = {"wall": time.perf_counter(), "cpu": time.process_time(),
             "thread": time.thread_time(), "waited": waited()}
    display = {"calls": 0, "chars": 0}
    current: list[App] = []

    def timed(key, fn):
        @functools.wraps(fn)
        def wrapper(self, *a, **k):
            start = time.thread_time()  # CPU time: waits for a busy machine's CPUs left out
            try:
                return fn(self, *a, **k)
            finally:
                entry = stats[key(self)]
                entry[0] += 1
                entry[1] += time.thread_time() - start
        return wrapper

    def by_class(name):
        return lambda self: f"{type(self).__name__}.{name}"

    Widget.render_lines = timed(by_class("render_lines"), Widget.render_lines)
    Screen._refresh_layout = timed(lambda self: "Screen._refresh_layout",
                                   Screen._refresh_layout)
    Compositor.render_update = timed(lambda self: "Compositor.render_update",
                                     Compositor.render_update)
    Compositor.reflow = timed(lambda self: "Compositor.reflow (layout)", Compositor.reflow)
    try:
        from textual_plotext import PlotextPlot

        PlotextPlot.render = timed(by_class("render (plotext build)"), PlotextPlot.render)
    except ImportError:
        pass
    original_display = App._display

    def _display(self, screen, renderable):
        start = time.thread_time()
        driver = self._driver
        written = []
        if driver is not None and not getattr(driver, "_profiled", False):
            write = driver.write

            def counting(data):
                written.append(len(data))
                return write(data)

            driver.write = counting
            driver._profiled = True
            driver._written = written
        sink = getattr(driver, "_written", written)
        before = sum(sink)
        try:
            return original_display(self, screen, renderable)
        finally:
            stats["App._display"][0] += 1
            stats["App._display"][1] += time.thread_time() - start
            display["calls"] += 1
            display["chars"] += sum(sink) - before
            sink.clear()

    App._display = _display

    def hook_gdtui_classes() -> None:
        seen = set()
        stack = [DOMNode]
        while stack:
            cls = stack.pop()
            for sub in cls.__subclasses__():
                if sub in seen:
                    continue
                seen.add(sub)
                stack.append(sub)
                if not sub.__module__.startswith("gdtui"):
                    continue
                for name in HOOKS:
                    if name in sub.__dict__ and callable(sub.__dict__[name]):
                        setattr(sub, name, timed(by_class(name), sub.__dict__[name]))

    original_run = App.run

    def run(self, *a, **k):
        hook_gdtui_classes()
        current.append(self)
        return original_run(self, *a, **k)

    App.run = run

    def reset(*_):
        stats.clear()
        display.update(calls=0, chars=0)
        marks.update(wall=time.perf_counter(), cpu=time.process_time(),
                     thread=time.thread_time(), waited=waited())

    def dump(*_):
        app = current[0] if current else None
        regions = []
        if app is not None:
            for widget in app.screen.walk_children(with_self=False):
                region = widget.region
                if widget.display and region.area:
                    label = type(widget).__name__ + (f"#{widget.id}" if widget.id else "")
                    regions.append({"label": label, "region": list(region)})
        figures = {
            "wall": time.perf_counter() - marks["wall"],
            "cpu": time.process_time() - marks["cpu"],
            "main_thread_cpu": time.thread_time() - marks["thread"],
            "main_thread_waited": waited() - marks["waited"],
            "stats": dict(stats), "display": display, "regions": regions,
        }
        Path(out).write_text(json.dumps(figures))

    signal.signal(signal.SIGUSR1, reset)
    signal.signal(signal.SIGUSR2, dump)
    from gdtui.cli import main as gdtui_main

    return gdtui_main(args)


# -- the parent ---------------------------------------------------------------------------
def python_of(exe: str) -> str:
    """The interpreter of a console script (its #! line)."""
    first = Path(exe).read_bytes().split(b"\n", 1)[0].decode()
    return first[2:].strip() if first.startswith("#!") else sys.executable


def attribute(term, size, regions, start: int, end: int, frames: int):
    """Bytes, cells written and cells changed per widget for the output in [start, end)."""
    from ptyterm import ScreenModel

    cols, rows = size
    owner = [["(none)"] * cols for _ in range(rows)]
    # Smallest region wins: a pane over its container.
    for item in sorted(regions, key=lambda r: -(r["region"][2] * r["region"][3])):
        x, y, w, h = item["region"]
        for r in range(max(y, 0), min(y + h, rows)):
            for c in range(max(x, 0), min(x + w, cols)):
                owner[r][c] = item["label"]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])

    def observe(row, col, nbytes, written, changed):
        entry = totals[owner[row][col]]
        entry[0] += nbytes
        entry[1] += written
        entry[2] += changed

    model = ScreenModel(cols, rows)
    model.feed(bytes(term.buf[:start]))
    model.observer = observe
    model.feed(bytes(term.buf[start:end]))
    return {k: [v / max(frames, 1) for v in vals] for k, vals in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gdtui", help="the gdtui executable (default: beside this Python)")
    parser.add_argument("--size", default="120x36")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--view", default="main", choices=("main", "compare", "race"))
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    opts, rest = parser.parse_known_args()
    if opts.child:
        sys.exit(child(opts.child, rest[1:] if rest[:1] == ["--"] else rest))

    import bench_frames as bench
    from ptyterm import PtyTerm, kill_all

    exe = opts.gdtui or str(Path(sys.executable).with_name("gdtui"))
    cols, rows = (int(v) for v in opts.size.split("x"))
    with tempfile.TemporaryDirectory(prefix="profile-frames-") as tmp:
        csv = bench.write_csv(Path(tmp), opts.n)
        out = Path(tmp) / "figures.json"
        scenario = bench.Scenario(opts.view, opts.n, (cols, rows))
        args = bench.gdtui_argv(exe, scenario, csv)[1:]
        argv = [python_of(exe), str(Path(__file__).resolve()), "--child", str(out), "--", *args]
        term = PtyTerm(argv, cols, rows, bench.child_env(), tmp)
        try:
            marker = bench.first_marker(opts.view)
            if not term.pump(60, lambda: term.chunks and term.quiet_for(bench.SETTLE)
                             and marker in term.text()):
                sys.exit("no first screen: " + term.text()[-500:])
            term.send(b" ")
            term.pump(0.5)
            os.kill(term.pid, signal.SIGUSR1)
            term.pump(0.05)
            t0, start = time.perf_counter(), len(term.buf)
            term.pump(opts.seconds)
            os.kill(term.pid, signal.SIGUSR2)
            t1, end = time.perf_counter(), len(term.buf)
            term.pump(5, out.exists)
            figures = json.loads(out.read_text())
        finally:
            term.close()
            kill_all()
    window = t1 - t0
    frames = [f for f in term.frames if t0 < f.time <= t1]
    model_result = bench.Result("gdtui", scenario)
    bench.shown_frames(term, (cols, rows), (t0, t1), model_result)
    shown = round(model_result.fps * window)
    ticks = max((v[0] for k, v in figures["stats"].items() if k.endswith(("tick", "_tick"))),
                default=0)
    print(f"{exe} {opts.view} N={opts.n} {cols}x{rows}: window {window:.2f} s, "
          f"{ticks} ticks ({ticks / window:.1f}/s), {len(frames)} updates written, "
          f"{shown} changed the screen; {(end - start) / window / 1000:.0f} kB/s")
    print(f"process CPU {figures['cpu'] / figures['wall'] * 100:.0f}% of the window, "
          f"main thread {figures['main_thread_cpu'] / figures['wall'] * 100:.0f}%, and "
          f"{figures['main_thread_waited'] / figures['wall'] * 100:.0f}% runnable but waiting "
          f"for a CPU (other processes)")
    print(f"main-thread CPU per changing frame: "
          f"{figures['main_thread_cpu'] / max(shown, 1) * 1000:.1f} ms")
    per = max(ticks, 1)
    print(f"\nInclusive CPU times ({per} ticks): ms per tick, calls per tick, ms per call")
    for key, (calls, seconds) in sorted(figures["stats"].items(), key=lambda kv: -kv[1][1]):
        print(f"  {key:<46} {seconds / per * 1000:7.2f} ms/tick  {calls / per:5.1f}  "
              f"{seconds / max(calls, 1) * 1000:7.2f} ms/call")
    d = figures["display"]
    print(f"  App._display wrote {d['chars'] / max(d['calls'], 1) / 1000:.1f} k chars a call, "
          f"{d['calls'] / per:.1f} calls/tick")
    per_widget = attribute(term, (cols, rows), figures["regions"], start, end, shown)
    print("\nPer changing frame, by pane (bytes, cells written, cells changed):")
    area = {r["label"]: r["region"][2] * r["region"][3] for r in figures["regions"]}
    for label, (nbytes, written, changed) in sorted(per_widget.items(), key=lambda kv: -kv[1][0]):
        print(f"  {label:<34} {nbytes / 1000:7.1f} kB  {written:7.0f} written  {changed:6.0f} "
              f"changed  (area {area.get(label, 0)})")


if __name__ == "__main__":
    main()
