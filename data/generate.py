"""Regenerate the bundled synthetic datasets (deterministic: fixed seeds).

    python data/generate.py

The three files this writes are synthetic and documented as such in data/README.md;
the real datasets come from data/extract_real.py.
"""

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def write(name: str, header: str, columns, fmt: str) -> None:
    rows = "\n".join(fmt.format(*values) for values in zip(*columns, strict=True))
    (HERE / name).write_text(header + "\n" + rows + "\n", encoding="utf-8")


def main() -> None:
    rng = np.random.default_rng(20260101)
    heights = rng.normal(170.0, 9.0, 40)
    weights = 0.9 * heights - 85.0 + rng.normal(0.0, 6.0, 40)
    write("heights-weights.csv", "height_cm,weight_kg", (heights, weights), "{:.1f},{:.1f}")

    rng = np.random.default_rng(20260102)
    x = rng.uniform(-5.0, 5.0, 500)
    y = 3.0 * x + 4.0 + rng.normal(0.0, 4.0, 500)
    write("noisy-linear.csv", "x,y", (x, y), "{:.4f},{:.4f}")

    rng = np.random.default_rng(20260103)
    size = rng.uniform(600.0, 3500.0, 120)
    price = 0.15 * size + 40.0 + rng.normal(0.0, 35.0, 120)
    write("house-prices.csv", "size_sqft,price_k", (size, price), "{:.0f},{:.1f}")


if __name__ == "__main__":
    main()
