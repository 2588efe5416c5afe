"""The bundled real datasets: documented, loadable, and their condition numbers as reported."""

from pathlib import Path

import numpy as np
import pytest

from gdtui.data import BUNDLED, load_dataset
from gdtui.engine import DescentEngine

README = Path(__file__).resolve().parents[2] / "data" / "README.md"
REAL = {"iris-petals": (150, 105.2), "inflation-tbill": (202, 69.2), "state-crime": (51, 109.0),
        "longley": (16, 2.75e12), "engel": (235, 5.67e6)}


def kappa_raw(x: np.ndarray) -> float:
    """Independent: the Hessian is (2/N)·XᵀX with X = [x, 1], so κ = cond(X)² (by SVD)."""
    return float(np.linalg.cond(np.column_stack([x, np.ones_like(x)])) ** 2)


def test_every_bundled_dataset_is_documented_with_a_source():
    text = README.read_text(encoding="utf-8")
    for name, bundled in BUNDLED.items():
        assert f"`{name}`" in text and bundled.filename in text
    for name in REAL:
        assert f"- **{name}**:" in text  # a source and licence paragraph


@pytest.mark.parametrize("name", list(REAL))
def test_real_sets_have_the_reported_size_and_condition_numbers(name):
    n, kappa = REAL[name]
    data = load_dataset(name)
    assert data.n == n and not data.warnings
    assert kappa_raw(data.x) == pytest.approx(kappa, rel=0.01)
    engine = DescentEngine(data.x, data.y)
    assert engine.stability(False).condition_number == pytest.approx(kappa_raw(data.x),
                                                                    rel=1e-6)
    assert engine.stability(True).condition_number == pytest.approx(1.0)


def test_iris_petals_is_fisher_s_data():
    data = load_dataset("iris-petals")
    # Published summary statistics of Fisher's iris (petal length, petal width).
    assert data.x.mean() == pytest.approx(3.758, abs=1e-3)
    assert data.y.mean() == pytest.approx(1.199, abs=1e-3)
    assert np.corrcoef(data.x, data.y)[0, 1] == pytest.approx(0.9629, abs=1e-4)
