"""Rebuild the bundled real datasets from the packages that ship them (run by hand).

    pip download --no-deps statsmodels==0.15.0 scikit-learn==1.9.1   # or install them
    python data/extract_real.py

Each file keeps the source's numbers as they are (no rounding, no cleaning beyond what
data/README.md says), x first, y second, then any label columns. Only the packages'
data files are read: neither package is imported, so neither needs its dependencies.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent


def package_dir(name: str) -> Path:
    """Where an installed (or unpacked, on PYTHONPATH) package lives, without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed (see this script's docstring)")
    return Path(list(spec.submodule_search_locations)[0])


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(name: str, header: list[str], rows: list[list[str]]) -> None:
    with (HERE / name).open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def main() -> None:
    sm = package_dir("statsmodels") / "datasets"
    macro = read(sm / "macrodata" / "macrodata.csv")
    # 1959Q1 has no previous quarter: statsmodels stores its inflation as 0; it is left out.
    write("inflation-tbill.csv", ["inflation_pct", "tbill_rate_pct", "year", "quarter"],
          [[r["infl"], r["tbilrate"], r["year"].split(".")[0], r["quarter"].split(".")[0]]
           for r in macro[1:]])
    crime = read(sm / "statecrime" / "statecrime.csv")
    write("state-crime.csv", ["murder_per_100k", "violent_per_100k", "state"],
          [[r["murder"], r["violent"], r["state"]] for r in crime])
    longley = read(sm / "longley" / "longley.csv")
    write("longley.csv", ["gnp_million_usd", "employed_thousands", "year"],
          [[r["GNP"], r["TOTEMP"], r["YEAR"].split(".")[0]] for r in longley])
    engel = read(sm / "engel" / "engel.csv")
    write("engel.csv", ["income_bef", "food_expenditure_bef"],
          [[r["income"], r["foodexp"]] for r in engel])

    # For the losses: poverty → murders, where the District of Columbia is the outlier.
    write("state-murders.csv", ["poverty_pct", "murder_per_100k", "state"],
          [[r["poverty"], r["murder"], r["state"]] for r in crime])
    # For the logistic model: 0/1 labels. The file is tab-separated with quoted names.
    with (sm / "anes96" / "anes96.csv").open(newline="", encoding="utf-8") as f:
        votes = list(csv.reader(f, delimiter="\t"))
    names = [n.strip("'") for n in votes[0]]
    self_lr, vote = names.index("selfLR"), names.index("vote")
    write("anes96-vote.csv", ["self_lr", "vote_dole"],
          [[r[self_lr], r[vote]] for r in votes[1:]])

    sk = package_dir("sklearn") / "datasets" / "data"
    with (sk / "iris.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    species = rows[0][2:]
    write("iris-petals.csv", ["petal_length_cm", "petal_width_cm", "species"],
          [[r[2], r[3], species[int(r[4])]] for r in rows[1:]])


if __name__ == "__main__":
    main()
