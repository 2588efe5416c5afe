"""Engine figures, printed in one run: python benchmarks/bench_engine.py [--quick]

- full-batch steps per second at N = 1e3 ... 1e7: the engine's O(1) step (history and state
  checks included) against a direct numpy step that reads x and y (the baseline), and their ratio;
- mini-batch (k = 32) steps per second;
- time to load a 1,000,000-row CSV.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from gdtui.data import load_csv
from gdtui.engine import DescentEngine


def direct_steps_per_second(x, y, lr=0.01, budget=0.5):
    m = b = 0.0
    mu, sd = x.mean(), x.std()
    z = (x - mu) / sd
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < budget or steps < 3:
        r = y - (m * z + b)
        gm = -2.0 * np.mean(z * r)
        gb = -2.0 * np.mean(r)
        cost = float(np.mean(r * r))
        m, b = m - lr * gm, b - lr * gb
        steps += 1
    assert np.isfinite(cost)
    return steps / (time.perf_counter() - start)


def engine_steps_per_second(engine, steps):
    start = time.perf_counter()
    engine.run(steps)
    elapsed = time.perf_counter() - start
    assert engine.iteration == steps, engine.status
    return steps / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="N up to 1e6 and shorter runs")
    args = parser.parse_args()
    sizes = [10**k for k in range(3, 7 if args.quick else 8)]
    steps = 50_000 if args.quick else 200_000
    rng = np.random.default_rng(0)
    print(f"{'N':>10} {'engine steps/s':>16} {'direct steps/s':>16} {'ratio':>10}")
    first = None
    for n in sizes:
        x = rng.uniform(0, 10, n)
        y = 2 * x + 1 + rng.normal(0, 1, n)
        engine = DescentEngine(x, y, tol=0, max_iter=10**9, learning_rate=0.01)
        fast = engine_steps_per_second(engine, steps)
        slow = direct_steps_per_second(x, y)
        first = first or fast
        print(f"{n:>10.0e} {fast:>16,.0f} {slow:>16,.1f} {fast / slow:>10,.0f}x")
    print(f"engine step time from N=1e3 to N={sizes[-1]:.0e}: x{first / fast:.2f} "
          "(flat means about 1)")

    x = rng.uniform(0, 10, 1_000_000)
    y = 2 * x + 1 + rng.normal(0, 1, x.size)
    engine = DescentEngine(x, y, tol=0, max_iter=10**9, batch_size=32, learning_rate=0.01)
    print(f"mini-batch k=32 at N=1e6: {engine_steps_per_second(engine, 20_000):,.0f} steps/s")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        np.savetxt(path, np.column_stack([x, y]), delimiter=",", header="x,y", comments="",
                   fmt="%.6f")
        start = time.perf_counter()
        d = load_csv(path)
        elapsed = time.perf_counter() - start
        print(f"load 1,000,000-row CSV ({path.stat().st_size / 1e6:.0f} MB): {elapsed:.2f} s "
              f"({d.n} points)")


if __name__ == "__main__":
    main()
