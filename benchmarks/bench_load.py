"""Loading a large CSV, as a user meets it: python benchmarks/bench_load.py [--rows N]

Writes an N-row two-column CSV (default 10,000,000 rows, about 205 MB) in a temporary folder,
then times, each in its own process, with its peak resident memory:

- the baseline: ``numpy.loadtxt`` of the whole file in a bare Python (no gdtui);
- the installed command: ``gdtui fit FILE --iterations 1 --json`` (load, check, one step, report).

It prints the wall times, the peak RSS, the final arrays' size (16 bytes a row), and the ratios.
The targets (issue 10): the load in at most 5 s, and peak memory at most 3x the final arrays
(on top of the interpreter and its libraries, measured by the same command on a 10-row file).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def write_csv(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    with open(path, "w") as f:
        f.write("x,y\n")
        for start in range(0, rows, 1_000_000):
            n = min(1_000_000, rows - start)
            x = rng.uniform(0, 100, n)
            np.savetxt(f, np.column_stack([x, 3 * x + rng.normal(0, 5, n)]), fmt="%.6f",
                       delimiter=",")


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of ``command`` run to its end in a child process."""
    start = time.perf_counter()
    # RUSAGE_CHILDREN's maximum is over every child so far, so each command runs under a
    # wrapper process of its own that reports its one child's peak.
    wrapper = [sys.executable, "-c",
               "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
               "sys.exit(r.returncode)", *command]
    done = subprocess.run(wrapper, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr}")
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return elapsed, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--gdtui", default=shutil.which("gdtui") or "gdtui",
                        help="the installed command to measure (default: gdtui on PATH)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gdtui-bench-load-"))
    try:
        big, small = folder / "big.csv", folder / "small.csv"
        t = time.perf_counter()
        write_csv(big, args.rows)
        write_csv(small, 10)
        print(f"{args.rows:,} rows, {big.stat().st_size / 1e6:.0f} MB "
              f"(written in {time.perf_counter() - t:.1f} s); {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}")
        final_mb = args.rows * 16 / 2**20
        baseline = [sys.executable, "-c",
                    "import sys, numpy as np; np.loadtxt(sys.argv[1], delimiter=',', "
                    "skiprows=1)", str(big)]
        fit = [args.gdtui, "fit", "--iterations", "1", "--json", "--"]
        rows = [("numpy.loadtxt (baseline)", *measure(baseline)),
                ("gdtui fit, 10 rows (start-up)", *measure(fit + [str(small)])),
                ("gdtui fit", *measure(fit + [str(big)]))]
        print(f"\n{'':32} {'wall s':>8} {'peak RSS MB':>12}")
        for name, wall, rss in rows:
            print(f"{name:32} {wall:8.2f} {rss:12.0f}")
        (_, base_wall, _), (_, _, idle_rss), (_, wall, rss) = rows
        print(f"\nfinal arrays: {final_mb:.0f} MB; gdtui's peak over its start-up: "
              f"{rss - idle_rss:.0f} MB = {(rss - idle_rss) / final_mb:.2f}x the arrays "
              "(target <= 3x)")
        print(f"gdtui fit / numpy.loadtxt wall time: {wall / base_wall:.2f}x; "
              f"gdtui fit {wall:.2f} s (target <= 5 s)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
