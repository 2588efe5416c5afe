"""App figures, printed in one run: python benchmarks/bench_tui.py

- the time to build one full frame of every pane at 120x36 (snapshot, replot, and each pane's
  render, where plotext builds its canvas) for 100, 10,000 and 1,000,000 points, against a
  naive baseline that hands the whole scatter and the whole cost history to plotext;
- in run mode (the real timer, 30 frames a second): redraws per second and steps per second;
- how long a key takes to be answered while running;
- time from starting `gdtui` in a terminal (tmux) to the first frame on screen.
Targets (issue 3): frame < 33 ms at every N, >= 25 redraws/s, keys < 100 ms, first frame < 1 s.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from gdtui.app import make_app
from gdtui.app.screens.lockstep import RaceScreen
from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.multi import Leaderboard, OverlayCostPane, RaceSurfacePane
from gdtui.app.widgets.panes import CostPane
from gdtui.app.widgets.readout_panes import MathPane, ParametersPane
from gdtui.app.widgets.surface import CostSurfacePane, LandscapePane
from gdtui.cli import build_parser, setup_from_args

SIZE = (120, 36)


def make(*args):
    return make_app(setup_from_args(build_parser().parse_args(list(args))))


def render(pane) -> None:
    """What the compositor asks of a pane: its renderable, or every line of a Line-API pane."""
    if isinstance(pane, LandscapePane):
        for y in range(pane.content_size.height):
            pane.render_line(y)
    else:
        pane.render()


def render_all(app, first=DataPane) -> None:
    for pane_type in (first, CostPane, ParametersPane, MathPane):
        render(app.query_one(pane_type))


async def view_frame_times(n: int, history: int) -> tuple[float, float]:
    """Median frame of the main screen showing the cost surface, and of the race view."""
    app = make("--synthetic", f"n={n},noise=2", "--tol", "0", "--iterations", "10000000",
               "--lr", "0.01")
    async with app.run_test(size=SIZE) as pilot:
        app.main_screen.controller.engine.run(history)
        await pilot.press("c")
        surface = []
        for _ in range(15):
            start = time.perf_counter()
            app.main_screen.controller.step()  # the screen publishes a frame; panes redraw
            render_all(app, CostSurfacePane)
            surface.append(time.perf_counter() - start)
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, RaceScreen)
        for engine in screen.controller.engines:
            engine.run(history)
        race = []
        for _ in range(15):
            start = time.perf_counter()
            screen.controller.step()
            for pane_type in (RaceSurfacePane, Leaderboard, OverlayCostPane):
                render(screen.query_one(pane_type))
            race.append(time.perf_counter() - start)
    return statistics.median(surface), statistics.median(race)


def naive_frame(app) -> None:
    """What an app without downsampling would do: every point and every history row."""
    data = app.query_one(DataPane)
    cost = app.query_one(CostPane)
    snap = app.main_screen.controller.snapshot()
    plt = data.plt
    plt.clear_data()
    plt.scatter(app.setup.dataset.x.tolist(), app.setup.dataset.y.tolist(), marker="hd")
    plt.plot([data.xlim[0], data.xlim[1]],
             [snap.m * data.xlim[0] + snap.b, snap.m * data.xlim[1] + snap.b])
    data.render()
    rows = app.main_screen.engine.history.rows
    cost.plt.clear_data()
    cost.plt.plot(rows[:, 0].tolist(), rows[:, 3].tolist())
    cost.render()


async def frame_times(n: int, history: int) -> tuple[float, float]:
    app = make("--synthetic", f"n={n},noise=2", "--tol", "0", "--iterations", "10000000")
    async with app.run_test(size=SIZE) as pilot:
        app.main_screen.controller.engine.run(history)
        await pilot.pause()
        times = []
        for _ in range(15):
            start = time.perf_counter()
            app.main_screen.controller.step()  # the screen publishes a frame; panes redraw
            render_all(app)
            times.append(time.perf_counter() - start)
        naive = []
        for _ in range(3 if n > 100_000 else 8):
            start = time.perf_counter()
            app.main_screen.controller.step()
            naive_frame(app)
            naive.append(time.perf_counter() - start)
    return statistics.median(times), statistics.median(naive)


async def run_mode(steps_per_frame: int) -> tuple[float, float, float]:
    app = make("--synthetic", "n=10000,noise=2", "--tol", "0", "--iterations", "100000000",
               "--lr", "0.001")
    async with app.run_test(size=SIZE) as pilot:
        main = app.main_screen
        main.controller.steps_per_frame = steps_per_frame
        await pilot.press("space")
        frames0, steps0, t0 = main.frames_published, main.engine.iteration, time.perf_counter()
        await asyncio.sleep(3.0)
        elapsed = time.perf_counter() - t0
        frames = main.frames_published - frames0
        steps = main.engine.iteration - steps0
        latencies = []
        for _ in range(10):
            lr = main.engine.learning_rate
            start = time.perf_counter()
            app.simulate_key("minus")  # queued like a real key press, without Pilot's waits
            while main.engine.learning_rate == lr:
                await asyncio.sleep(0.001)
            latencies.append(time.perf_counter() - start)
            await asyncio.sleep(0.05)
        await pilot.press("space")
    return frames / elapsed, steps / elapsed, max(latencies)


def first_frame_seconds() -> float | None:
    tmux = shutil.which("tmux")
    if tmux is None:
        return None
    gdtui = Path(sys.executable).parent / "gdtui"
    sock = f"bench-{uuid.uuid4().hex[:6]}"
    start = time.perf_counter()
    subprocess.run([tmux, "-L", sock, "new-session", "-d", "-x", "120", "-y", "36", str(gdtui)],
                   check=True)
    try:
        while time.perf_counter() - start < 10:
            screen = subprocess.run([tmux, "-L", sock, "capture-pane", "-p"],
                                    capture_output=True, text=True).stdout
            if "Iteration" in screen and "Cost J" in screen:
                return time.perf_counter() - start
            time.sleep(0.005)
        return None
    finally:
        subprocess.run([tmux, "-L", sock, "kill-server"], capture_output=True)


async def main() -> None:
    print(f"full frame at {SIZE[0]}x{SIZE[1]} (median; 5,000 history rows)")
    print(f"{'N points':>10} {'gdtui ms':>10} {'naive ms':>10} {'ratio':>8}")
    for n in (100, 10_000, 1_000_000):
        fast, naive = await frame_times(n, 5_000)
        print(f"{n:>10,} {fast * 1e3:>10.1f} {naive * 1e3:>10.1f} {naive / fast:>7.1f}x")
    print(f"{'N points':>10} {'surface ms':>11} {'race ms':>9}   (same 120x36 frame)")
    for n in (100, 10_000, 1_000_000):
        surface, race = await view_frame_times(n, 5_000)
        print(f"{n:>10,} {surface * 1e3:>11.1f} {race * 1e3:>9.1f}")
    for spf in (1, 64, 4096):
        fps, sps, latency = await run_mode(spf)
        print(f"run mode (N=10,000, {spf} steps/frame): {fps:.1f} redraws/s, {sps:,.0f} steps/s,"
              f" key answered in {latency * 1e3:.0f} ms at worst (of 10)")
    first = first_frame_seconds()
    print("time to first frame:", "tmux missing" if first is None else f"{first:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
