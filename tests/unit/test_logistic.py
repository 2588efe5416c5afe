"""The logistic model: labels from files, one-line refusals, a stable cross-entropy fit."""

import json
import math

import numpy as np
import pytest

from gdtui.cli import main
from gdtui.engine import DescentEngine
from gdtui.errors import ConfigError, DataError
from gdtui.labels import load_labelled


def write(path, text):
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("labels, one, why", [
    (("no", "yes"), "yes", "yes/no"),
    (("TRUE", "False"), "TRUE", "true/false"),
    (("B", "M"), "M", "sorts later"),
])
def test_text_labels_map_to_0_and_1_with_a_note(tmp_path, labels, one, why):
    zero = labels[0] if labels[1] == one else labels[1]
    rows = [(1.0, zero), (2.0, one), (3.0, zero), (4.0, one)]
    path = write(tmp_path / "l.csv", "x,label\n" + "".join(f"{x},{y}\n" for x, y in rows))
    d = load_labelled(path)
    assert d.y.tolist() == [0.0, 1.0, 0.0, 1.0]
    assert f"{one!r} read as 1" in d.warning and why in d.warning


def test_numeric_labels_and_missing_rows(tmp_path):
    path = write(tmp_path / "l.csv", "x,y\n1,0\n2,1.0\n3,\nNA,1\n5,0\n")
    d = load_labelled(path)
    assert d.y.tolist() == [0.0, 1.0, 0.0] and d.x.tolist() == [1.0, 2.0, 5.0]
    assert "dropped 2 rows" in d.warning


@pytest.mark.parametrize("text, where", [
    ("x,y\n1,0\n2,1\n3,2\n", "line 4, column 2 (y): '2' is not a label 0 or 1"),
    ("x,y\n1,0\n2,0.5\n", "line 3, column 2 (y): '0.5' is not a label 0 or 1"),
    ("x,y\n1,a\n2,b\n3,c\n", "line 4, column 2 (y): 'c' is a third label"),
    ("x,y\n1,a\nten,b\n", "line 3, column 1 (x): 'ten' is not a finite number"),
    ("x,y\n1,a\n2,a\n3,a\n", "holds only the label 'a'"),
])
def test_bad_labels_are_refused_with_file_line_and_column(tmp_path, capsys, text, where):
    path = write(tmp_path / "bad.csv", text)
    with pytest.raises(DataError, match="bad.csv"):
        load_labelled(path)
    assert main(["fit", path, "--model", "logistic"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and where in err, err


def test_engine_refuses_labels_other_than_0_and_1():
    with pytest.raises(ConfigError, match="0 and 1"):
        DescentEngine([0.0, 1.0, 2.0], [0.0, 1.0, 3.0], model_name="logistic")
    with pytest.raises(ConfigError, match="cross-entropy"):
        DescentEngine([0.0, 1.0], [0.0, 1.0], model_name="logistic", loss="mae")


def test_separable_classes_have_no_finite_reference():
    e = DescentEngine([0.0, 1.0, 2.0, 3.0], [0.0, 0.0, 1.0, 1.0], model_name="logistic",
                      learning_rate=1.0, max_iter=2000)
    assert not e.reference.finite and "separated" in e.reference.note
    e.run(2000)
    snap = e.snapshot()
    assert math.isfinite(snap.cost) and snap.cost < 0.05 and snap.m > 2  # steepening, finite


def test_fit_logistic_reaches_the_newton_reference(capsys):
    assert main(["fit", "--synthetic", "n=400,slope=1.5,intercept=-6", "--model", "logistic",
                 "--lr", "4", "--json", "--tol", "1e-10"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "converged"
    ref = out["reference"]
    assert out["m"] == pytest.approx(ref["m"], rel=1e-6)
    assert out["b"] == pytest.approx(ref["b"], rel=1e-6)


def test_logistic_survives_huge_logits():
    rng = np.random.default_rng(2)
    x = rng.normal(0, 1, 100)
    y = (x + rng.normal(0, 1, 100) > 0).astype(float)
    e = DescentEngine(x, y, model_name="logistic", start=(1e6, -1e6))
    assert math.isfinite(e.snapshot().cost) and math.isfinite(e.snapshot().grad_m)


def test_bundled_real_sets(capsys):
    assert main(["datasets"]) == 0
    listing = capsys.readouterr().out
    assert "state-murders" in listing and "anes96-vote" in listing
    d = load_labelled("anes96-vote")
    assert d.n == 944 and set(np.unique(d.y)) == {0.0, 1.0} and not d.warnings
    # The logistic model opens the bundled binary set by default.
    assert main(["fit", "--model", "logistic", "--json", "--lr", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 944 and out["status"] == "converged"


def test_the_outlier_moves_least_squares_but_not_the_robust_fits():
    from gdtui.data import load_dataset

    d = load_dataset("state-murders")
    keep = d.y < 20  # every state but DC
    assert keep.sum() == d.n - 1
    slopes = {loss: DescentEngine(d.x, d.y, loss=loss).reference.m
              for loss in ("mse", "mae", "huber")}
    without = DescentEngine(d.x[keep], d.y[keep]).reference.m
    assert slopes["mse"] > 1.3 * without  # DC pulls least squares up by a third
    assert abs(slopes["huber"] - without) < 0.1 * without
    assert abs(slopes["mae"] - without) < 0.2 * without
