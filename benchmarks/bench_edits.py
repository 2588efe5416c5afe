"""Data-edit figures, printed in one run: python benchmarks/bench_edits.py

For N = 1e3 ... 1e7 points: the time of one edit under a live full-batch run (add, move or
remove a point: O(1) updates of the statistics, a history row), against recomputing the
statistics from the arrays (SufficientStats.from_data, the O(N) baseline a refit would cost),
and their ratio.
"""

from __future__ import annotations

import time

import numpy as np

from gdtui.engine import DescentEngine
from gdtui.engine.stats import SufficientStats


def per_call(fn, budget: float = 0.3) -> float:
    calls, start = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed > budget and calls >= 3:
            return elapsed / calls


def edit_loop(engine: DescentEngine):
    """One call = one edit, cycling add → move → remove (the run's history is reset when long)."""
    k = 0
    n = engine.n_points

    def edit() -> None:
        nonlocal k
        k += 1
        if k % 3 == 0:
            engine.add_point(5.0, 11.0 + k % 7)
        elif k % 3 == 1:
            engine.move_point(k % n, float(k % 10), 2.0 * (k % 10) + 1.0)
        else:
            engine.remove_point(engine.n_points - 1)
        if len(engine.history) > 60_000:
            engine.reset()

    return edit


def main() -> None:
    rng = np.random.default_rng(0)
    print(f"{'N':>10} {'edit (µs)':>10} {'from_data (µs)':>15} {'ratio':>8}")
    for n in (10**3, 10**4, 10**5, 10**6, 10**7):
        x = rng.uniform(0.0, 10.0, n)
        y = 2.0 * x + 1.0 + rng.normal(0.0, 1.0, n)
        engine = DescentEngine(x, y)
        engine.run(10)
        engine.add_point(1.0, 1.0)  # the first edit copies the arrays into growable buffers
        t_edit = per_call(edit_loop(engine))
        ex, ey = engine.x, engine.y
        t_full = per_call(lambda ex=ex, ey=ey: SufficientStats.from_data(ex, ey))
        print(f"{n:>10,} {t_edit * 1e6:>10.1f} {t_full * 1e6:>15.1f} {t_full / t_edit:>8.0f}x")


if __name__ == "__main__":
    main()
