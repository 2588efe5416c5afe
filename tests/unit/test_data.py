"""The CSV loader and the `gdtui fit` error paths, each as a user meets them."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from gdtui.cli import main
from gdtui.data import BUNDLED, load_csv, load_dataset, synthetic_dataset
from gdtui.errors import ConfigError, DataError
from tests.conftest import lstsq_line


def write(tmp_path, text, name="d.csv", mode="w"):
    path = tmp_path / name
    if mode == "wb":
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def test_bom_crlf_and_spaces_are_tolerated(tmp_path):
    path = write(tmp_path, "\ufeff h , w \r\n 1 , 2 \r\n2,4.5\r\n 3,  6\r\n")
    d = load_csv(path)
    assert (d.x_label, d.y_label) == ("h", "w")
    np.testing.assert_array_equal(d.x, [1, 2, 3])
    np.testing.assert_array_equal(d.y, [2, 4.5, 6])


def test_columns_by_name_index_and_default_numeric(tmp_path):
    path = write(tmp_path, "name,a,b,c\nann,1,10,100\nbob,2,20,300\ncy,3,35,400\n")
    d = load_csv(path)
    assert (d.x_label, d.y_label) == ("a", "b")
    d = load_csv(path, x="c", y="2")
    assert (d.x_label, d.y_label) == ("c", "a")
    np.testing.assert_array_equal(d.x, [100, 300, 400])
    d = load_csv(path, y="C")
    assert (d.x_label, d.y_label) == ("a", "c")


def test_missing_cells_are_dropped_and_counted(tmp_path):
    path = write(tmp_path, "x,y,z\n1,2,\n2,,5\n3,6,1\nNA,1,1\n4,8,0\n")
    d = load_csv(path)
    assert d.n == 3 and d.dropped_rows == 2
    assert "dropped 2 rows" in d.warning


def test_dropped_rows_are_one_warning_line_on_stderr(tmp_path, capsys):
    path = write(tmp_path, "x,y\n1,2\n2,\n3,6\n,1\n4,8\n")
    assert main(["fit", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        f"gdtui: warning: {path}: dropped 2 rows with a missing x or y value"]
    assert json.loads(captured.out)["n"] == 3


def _fails(tmp_path, capsys, args):
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


CASES = {
    "empty": ("", ["the file is empty"]),
    "blank lines only": ("\n\n  \n", ["the file is empty"]),
    "header only": ("x,y\n", ["no data rows"]),
    "one point": ("x,y\n1,2\n", ["only one data row"]),
    "all x equal": ("x,y\n3,1\n3,2\n3,5\n", ["every value of 'x'", "column 1"]),
    "text": ("x,y\n1,2\n2,abc\n", ["line 3", "column 2 (y)", "'abc' is not a number"]),
    "inf": ("x,y\n1,2\ninf,3\n", ["line 3", "column 1 (x)", "not a finite number"]),
    "ragged": ("x,y,z\n1,2,3\n4,5\n", ["line 3", "2 fields", "header has 3"]),
    "single column": ("x\n1\n2\n", ["need at least two"]),
    "no numeric pair": ("a,b\nfoo,1\nbar,2\n", ["need two numeric columns"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_malformed_files_refused_with_one_line(tmp_path, capsys, case):
    text, needles = CASES[case]
    path = write(tmp_path, text)
    line = _fails(tmp_path, capsys, ["fit", str(path)])
    assert str(path) in line
    for needle in needles:
        assert needle in line


def test_unknown_column_lists_available(tmp_path, capsys):
    path = write(tmp_path, "height,weight\n1,2\n2,3\n")
    line = _fails(tmp_path, capsys, ["fit", str(path), "--y", "mass"])
    assert "'mass'" in line and "available: height, weight" in line
    line = _fails(tmp_path, capsys, ["fit", str(path), "--x", "7"])
    assert "no column 7" in line


def test_missing_directory_binary_and_unreadable(tmp_path, capsys):
    line = _fails(tmp_path, capsys, ["fit", str(tmp_path / "nope.csv")])
    assert "no such file" in line
    line = _fails(tmp_path, capsys, ["fit", str(tmp_path)])
    assert "is a directory" in line
    garbage = write(tmp_path, bytes(range(256)) * 4, "g.csv", mode="wb")
    line = _fails(tmp_path, capsys, ["fit", str(garbage)])
    assert "binary data" in line
    latin = write(tmp_path, "x,y\n1,2\n3,\xe9\n".encode("latin-1"), "l.csv", mode="wb")
    line = _fails(tmp_path, capsys, ["fit", str(latin)])
    assert "not UTF-8" in line and "line 3" in line
    if os.geteuid() != 0:  # root reads anything
        locked = write(tmp_path, "x,y\n1,2\n2,3\n", "locked.csv")
        locked.chmod(0)
        assert "permission denied" in _fails(tmp_path, capsys, ["fit", str(locked)])


@pytest.mark.parametrize("args, needle", [
    (["--lr", "0"], "--lr"), (["--lr", "-1"], "--lr"), (["--lr", "nan"], "--lr"),
    (["--batch-size", "-1"], "--batch-size"), (["--optimizer", "sgdx"], "--optimizer"),
    (["--iterations", "0"], "--iterations"), (["--tol", "-1"], "--tol"),
    (["--schedule", "zigzag"], "--schedule"), (["--start", "1"], "--start"),
    (["--synthetic", "n=1"], "n must be"), (["--synthetic", "slope=x"], "not a number"),
    (["--synthetic", "wobble=2"], "unknown key"), (["--synthetic", "xmin=5,xmax=1"], "xmax"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys, args, needle):
    line = _fails(tmp_path, capsys, ["fit", *args])
    assert needle in line


def test_bundled_datasets_load_and_fit_to_lstsq(capsys):
    for name in BUNDLED:
        d = load_dataset(name)
        assert d.n >= 16  # Longley has 16 years
        assert main(["fit", name, "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        m, b = lstsq_line(d.x, d.y)
        assert out["status"] == "converged"
        assert out["m"] == pytest.approx(m, rel=1e-6)
        assert out["b"] == pytest.approx(b, rel=1e-6)
        assert out["closed_form"]["m"] == pytest.approx(m, rel=1e-10)
    assert load_dataset("noisy-linear").n >= 300


def test_json_has_exactly_the_documented_keys(capsys):
    assert main(["fit", "--synthetic", "n=50", "--json", "--optimizer", "adam", "--lr", "0.5",
                 "--batch-size", "8", "--seed", "3", "--iterations", "300"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("m", "b", "cost", "iterations", "status", "optimizer", "lr", "batch_size",
                "seed", "standardized", "closed_form"):
        assert key in out
    assert (out["optimizer"], out["lr"], out["batch_size"], out["seed"]) == ("adam", 0.5, 8, 3)
    assert set(out["closed_form"]) == {"m", "b", "cost"}


def test_summary_table_names_both_fits(capsys):
    assert main(["fit", "heights-weights"]) == 0
    out = capsys.readouterr().out
    assert "least squares" in out and "converged" in out
    for label in ("m ", "b ", "cost J", "iterations", "status"):
        assert label in out


def test_history_file_has_every_iteration_at_full_precision(tmp_path, capsys):
    hist = tmp_path / "h.csv"
    assert main(["fit", "--synthetic", "n=30", "--tol", "0", "--iterations", "9000",
                 "--history", str(hist)]) == 0
    capsys.readouterr()
    rows = np.loadtxt(hist, delimiter=",", usecols=range(7), skiprows=2)
    lines = hist.read_text().splitlines()
    assert lines[0].startswith("# gdtui fit --synthetic n=30 ")
    assert lines[1] == "iteration,m,b,cost,grad_m,grad_b,lr,data_version,optimizer"
    assert lines[2].endswith(",gd")
    assert rows.shape == (9001, 7)
    np.testing.assert_array_equal(rows[:, 0], np.arange(9001))
    # Replaying the run gives the same floats bit for bit.
    from gdtui.engine import COL, DescentEngine
    d = synthetic_dataset("n=30")
    e = DescentEngine(d.x, d.y, tol=0, max_iter=9000, standardize="auto")  # the defaults
    e.run(9000)
    np.testing.assert_array_equal(rows[-100:, 1], e.history.rows[-100:, COL["m"]])
    assert not list(tmp_path.glob("*.part"))


def test_tol_zero_runs_to_the_iteration_limit(capsys):
    assert main(["fit", "--json", "--tol", "0", "--iterations", "123"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["iterations"] == 123 and out["status"] == "max iterations"


def test_synthetic_is_seeded():
    a, b, c = (synthetic_dataset("n=20,noise=2", seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.y, c.y)
    with pytest.raises(ConfigError):
        synthetic_dataset("n=2.5")


def test_loader_error_types(tmp_path):
    with pytest.raises(DataError):
        load_csv(write(tmp_path, "x,y\n1,2\n"))


def test_fit_does_not_import_textual():
    code = ("import sys\nfrom gdtui.cli import main\nmain(['fit', '--json'])\n"
            "assert 'textual' not in sys.modules\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["status"] == "converged"


def test_datasets_command_lists_bundled(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    for name in BUNDLED:
        assert name in out
