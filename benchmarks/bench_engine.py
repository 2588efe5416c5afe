"""Engine figures, printed in one run: python benchmarks/bench_engine.py [--quick]

- full-batch steps per second at N = 1e3 ... 1e7: the engine's O(1) step (history and state
  checks included) against a direct numpy step that reads x and y (the baseline), and their ratio;
- mini-batch (k = 32) steps per second;
- full-batch steps per second of each loss (MAE, Huber, logistic cross-entropy: O(N) a step) at
  N = 1e3 ... 1e6, against the MSE O(1) path measured in the same run (the target is 5,000
  full-batch steps/s at N = 1e4), and mini-batch k = 32 steps for each at N = 1e6;
- time to load a 1,000,000-row CSV.

``--losses`` runs only the loss table.
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


def timed_steps_per_second(engine, budget=0.4):
    """Steps per second of ``engine.run`` over about ``budget`` seconds (at least 20 steps)."""
    steps, chunk, start = 0, 10, time.perf_counter()
    while True:
        engine.run(chunk)
        steps += chunk
        elapsed = time.perf_counter() - start
        if elapsed >= budget and steps >= 20:
            break
        chunk = min(chunk * 2, 5_000)
    assert engine.iteration == steps, engine.status
    return steps / elapsed


LOSSES = (("mae", {"loss": "mae"}), ("huber", {"loss": "huber"}),
          ("cross-entropy", {"model_name": "logistic"}))


def loss_table(rng, sizes, budget) -> None:
    print("\nfull-batch steps/s per loss (MSE: the O(1) path; the others O(N) a step), and "
          "MSE's rate over each; 'numpy' is a bare O(N) numpy step of MSE (residuals, two means, "
          "the cost) measured in the same run: the machine's pace for one pass over the data")
    head = f"{'N':>10} {'mse':>12} {'numpy':>10}" + "".join(f" {name:>14}" for name, _ in LOSSES)
    print(head + "".join(f" {'mse/' + name[:5]:>11}" for name, _ in LOSSES)
          + "".join(f" {name[:5] + '/np':>9}" for name, _ in LOSSES))
    at_1e4 = {}
    for n in sizes:
        x = rng.uniform(0, 10, n)
        y = 2 * x + 1 + rng.standard_t(3, n)
        labels = (x + rng.normal(0, 2, n) > 5).astype(float)
        # A small rate keeps every run moving: a run at its fixed point would repeat a cached
        # evaluation and flatter the figures.
        common = {"tol": 0, "max_iter": 10**9, "learning_rate": 1e-5}
        mse = timed_steps_per_second(DescentEngine(x, y, **common), budget)
        direct = direct_steps_per_second(x, y, budget=budget)
        rates = []
        for name, kw in LOSSES:
            data_y = labels if name == "cross-entropy" else y
            rates.append(timed_steps_per_second(DescentEngine(x, data_y, **common, **kw), budget))
            if n == 10_000:
                at_1e4[name] = rates[-1]
        print(f"{n:>10.0e} {mse:>12,.0f} {direct:>10,.0f}" + "".join(f" {r:>14,.0f}" for r in rates)
              + "".join(f" {mse / r:>10,.0f}x" for r in rates)
              + "".join(f" {r / direct:>8.2f}x" for r in rates))
    if at_1e4:
        verdict = ", ".join(f"{k} {'meets' if v >= 5000 else 'MISSES'} it ({v:,.0f})"
                            for k, v in at_1e4.items())
        print(f"target 5,000 full-batch steps/s at N = 1e4: {verdict}")
    x = rng.uniform(0, 10, 1_000_000)
    y = 2 * x + 1 + rng.standard_t(3, x.size)
    labels = (x + rng.normal(0, 2, x.size) > 5).astype(float)
    words = []
    for name, kw in LOSSES:
        engine = DescentEngine(x, labels if name == "cross-entropy" else y, tol=0,
                               max_iter=10**9, batch_size=32, learning_rate=1e-5, **kw)
        words.append(f"{name} {timed_steps_per_second(engine, budget):,.0f}")
    print("mini-batch k=32 at N=1e6, steps/s (the cost each step recorded on a fixed sample of "
          "10,000 points): " + ", ".join(words))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="N up to 1e6 and shorter runs")
    parser.add_argument("--losses", action="store_true", help="only the table of losses")
    args = parser.parse_args()
    if args.losses:
        loss_table(np.random.default_rng(0), [10**k for k in range(3, 7)],
                   0.25 if args.quick else 0.5)
        return
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

    loss_table(rng, [10**k for k in range(3, 7)], 0.25 if args.quick else 0.5)


if __name__ == "__main__":
    main()
