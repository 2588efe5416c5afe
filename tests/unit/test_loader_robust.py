"""The loader on hostile input: one line for every refusal, correct data for every acceptance."""

import csv
import os
import threading
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdtui import csv_reader as data_module
from gdtui import loading
from gdtui.cli import main
from gdtui.csv_reader import load_csv
from gdtui.data import synthetic_dataset
from gdtui.engine import DescentEngine
from gdtui.errors import ConfigError, DataError


def write(path, text):
    path.write_text(text, encoding="utf-8", newline="")
    return path


def refused(capsys, args) -> str:
    code = main(args)
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def careful(monkeypatch):
    """Send every file down the careful (csv module) path."""
    monkeypatch.setattr(data_module, "_load_numeric_table", lambda *a, **k: None)


# -- long fields, odd column names, extreme synthetic specs --------------------------
def test_fields_longer_than_the_csv_default_are_read(tmp_path):
    long_text = "z" * 300_000  # more than csv's default field limit of 131,072
    path = write(tmp_path / "d.csv", f"note,x,y\n{long_text},1,2\nshort,2,4\nok,3,7\n")
    d = load_csv(path)
    assert (d.x_label, d.y_label, d.n) == ("x", "y", 3)


def test_a_field_over_the_limit_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(data_module, "FIELD_LIMIT", 1000)
    old = csv.field_size_limit(1000)
    try:
        path = write(tmp_path / "d.csv", "x,y\n1,2\n" + "1," + "9" * 5000 + "\n")
        line = refused(capsys, ["fit", str(path)])
    finally:
        csv.field_size_limit(old)
    assert "line 3" in line and "longer than 1,000 characters" in line


def test_a_huge_cell_is_quoted_short(tmp_path, capsys):
    path = write(tmp_path / "d.csv", "x,y\n1,2\n2," + "a" * 200_000 + "\n")
    line = refused(capsys, ["fit", str(path), "--y", "y"])
    assert "line 3" in line and len(line) < 300


@pytest.mark.parametrize("spec, needle", [
    ("²", "no such column"), ("١", "no such column"), ("x\ny", "no such column"),
    ("0", "no column 0"), ("99999999999999999999", "no column"),
])
def test_odd_column_specs(tmp_path, capsys, spec, needle):
    path = write(tmp_path / "d.csv", "x,y\n1,2\n2,4\n3,7\n")
    line = refused(capsys, ["fit", str(path), "--x", spec])
    assert needle in line


def test_column_by_padded_number_and_by_case(tmp_path):
    path = write(tmp_path / "d.csv", "Height,Weight\n1,2\n2,4\n3,7\n")
    d = load_csv(path, x=" 2 ", y="height")
    assert (d.x_label, d.y_label) == ("Weight", "Height")


@pytest.mark.parametrize("spec, needle", [
    ("xmin=-1.7e308,xmax=1.7e308", "too large"), ("slope=1e300", "too large"),
    ("slope=1e150,xmax=1e10", "reaches"), ("xmax=1e-200", "differ by only"),
    ("noise=1e200", "too large"),
])
def test_synthetic_specs_near_the_float_limits(capsys, spec, needle):
    line = refused(capsys, ["fit", "--synthetic", spec])
    assert needle in line and "--synthetic" in line
    with pytest.raises(ConfigError):
        synthetic_dataset(spec)


# -- numbers near the float64 limits ---------------------------------------------------
def test_a_tiny_spread_is_not_called_constant(tmp_path, capsys):
    path = write(tmp_path / "d.csv", "x,y\n0,1\n1e-200,2\n")
    line = refused(capsys, ["fit", str(path)])
    assert "every" not in line and "differ by only 1e-200" in line and "'x'" in line
    path = write(tmp_path / "e.csv", "x,y\n0,1\n1e-160,2\n3e-160,4\n")
    assert "underflow" in refused(capsys, ["fit", str(path)])


@pytest.mark.parametrize("text, needle", [
    ("x,y\n1,1e160\n2,1.0000000001e160\n3,1.0000000003e160\n", "reaches 1e+160"),
    ("x,y\n1,1e-300\n2,2e-300\n3,4e-300\n", "differ by only"),
    ("x,y\n1,1e-300\n2,1e-300\n3,1e-300\n", "underflows"),
    ("x,y\n-1.7e308,1\n1,2\n", "reaches -1.7e+308"),
])
def test_values_float64_cannot_square_are_refused_by_name(tmp_path, capsys, text, needle):
    path = write(tmp_path / "d.csv", text)
    line = refused(capsys, ["fit", str(path), "--json"])
    assert str(path) in line and needle in line


@pytest.mark.parametrize("sx, sy", [(1e-100, 1e100), (1e149, 1.0), (1.0, 1e149),
                                    (1e-140, 1e-140), (1e-140, 1e140)])
def test_accepted_extremes_fit_correctly(tmp_path, sx, sy):
    """Data just inside the limits fit to the least-squares line (reference: lstsq, scaled)."""
    rng = np.random.default_rng(3)
    u = rng.uniform(0, 1, 40)
    v = 2 * u + 1 + rng.normal(0, 0.1, 40)
    path = tmp_path / "d.csv"
    np.savetxt(path, np.c_[u * sx, v * sy], delimiter=",", header="x,y", comments="",
               fmt="%.17g")
    d = load_csv(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning anywhere on the way
        engine = DescentEngine(d.x, d.y, tol=0, max_iter=3000)
        engine.run(3000)
    (m, b), *_ = np.linalg.lstsq(np.c_[d.x / sx, np.ones(40)], d.y / sy, rcond=None)
    snap = engine.snapshot()
    assert snap.m == pytest.approx(m * sy / sx, rel=1e-9)
    assert snap.b == pytest.approx(b * sy, rel=1e-9)


def test_no_runtime_warning_reaches_the_user(tmp_path, capsys):
    cases = ["x,y\n0,1\n1e-200,2\n", "x,y\n1,1e160\n2,2e160\n", "x,y\n-1e150,1\n1e150,2\n",
             "x,y\n1e-150,1e150\n2e-150,-1e150\n3e-150,1e150\n"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i, text in enumerate(cases):
            path = write(tmp_path / f"d{i}.csv", text)
            main(["fit", str(path), "--json"])
        main(["fit", "noisy-linear", "--json", "--start=1e308,1e308"])
    assert [w for w in caught if issubclass(w.category, RuntimeWarning)] == []
    assert "Warning" not in capsys.readouterr().err


# -- records, types, header, delimiters ------------------------------------------------
@pytest.mark.parametrize("force_careful", [False, True])
def test_line_separators_inside_fields_do_not_split_records(tmp_path, monkeypatch,
                                                            force_careful):
    if force_careful:
        careful(monkeypatch)
    text = ('name,x,y\n"a\u2028b",1,2\nc\u2028d,2,4\ne\x0cf,3,7\ng\x85h,4,8.5\n'
            '"two\nlines",5,11\nlast\u2029one,6,12\n')
    d = load_csv(write(tmp_path / "d.csv", text))
    np.testing.assert_array_equal(d.x, [1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(d.y, [2, 4, 7, 8.5, 11, 12])


def test_line_numbers_count_physical_lines(tmp_path, capsys):
    path = write(tmp_path / "d.csv", 'name,x,y\n"two\nlines",1,2\nb,2,oops\n')
    line = refused(capsys, ["fit", str(path), "--y", "y"])
    assert "line 4" in line and "'oops'" in line


def test_numeric_columns_are_decided_from_the_whole_file(tmp_path):
    rows = [f"{i},{i * 0.5},{i * 1.5 + 2}" for i in range(1, 400)]
    rows.append("A17,200,302")  # the id column is text after 400 numeric rows
    d = load_csv(write(tmp_path / "d.csv", "id,x,y\n" + "\n".join(rows) + "\n"))
    assert (d.x_label, d.y_label, d.n) == ("x", "y", 400)


def test_a_file_without_header_keeps_its_first_row_and_says_so(tmp_path, capsys):
    path = write(tmp_path / "d.csv", "1,2\n2,4.5\n3,6\n")
    d = load_csv(path)
    assert d.n == 3 and d.x[0] == 1.0 and (d.x_label, d.y_label) == ("column 1", "column 2")
    assert "no header" in d.warning
    assert main(["fit", str(path), "--json", "--x", "2", "--y", "1"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no header row" in err[0]
    line = refused(capsys, ["fit", str(path), "--x", "height"])
    assert "no header row" in line and "1 to 2" in line


@pytest.mark.parametrize("delimiter, word", [(";", "semicolon"), ("\t", "tab")])
def test_semicolons_and_tabs_are_sniffed_and_said(tmp_path, capsys, delimiter, word):
    text = f"a{delimiter}b\n1{delimiter}2\n2{delimiter}4\n3{delimiter}7\n"
    path = write(tmp_path / "d.csv", text)
    d = load_csv(path)
    assert d.n == 3 and (d.x_label, d.y_label) == ("a", "b")
    assert f"{word}-separated" in d.warning
    assert main(["fit", str(path), "--json"]) == 0
    assert f"{word}-separated" in capsys.readouterr().err
    comma = load_csv(write(tmp_path / "c.csv", "a,b\n1,2\n2,4\n"))
    assert comma.warning is None


def test_semicolons_with_decimal_commas_get_a_hint(tmp_path, capsys):
    path = write(tmp_path / "d.csv", "x;y\n1,5;2\n2,5;4\n3,5;7\n")
    line = refused(capsys, ["fit", str(path)])
    assert "decimal comma" in line


def test_error_messages_stay_short_with_a_million_columns(tmp_path, capsys):
    n = 1_000_000
    header = ",".join(f"c{i}" for i in range(n))
    path = write(tmp_path / "wide.csv", header + "\n" + ",".join(["1"] * n) + "\n")
    line = refused(capsys, ["fit", str(path), "--y", "nope"])
    assert "… and 999990 more" in line and len(line) < 400
    path = write(tmp_path / "ragged.csv", header + "\n" + ",".join(["1"] * n) + "\n1,2\n")
    line = refused(capsys, ["fit", str(path)])
    assert "line 3" in line and len(line) < 400


def test_undecodable_text_far_in_is_located(tmp_path, capsys):
    body = "".join(f"{i},{2 * i}\n" for i in range(20_000))  # past the 64 KiB sniffed
    raw = ("x,y\n" + body).encode() + b"7,\xff\n"
    path = tmp_path / "d.csv"
    path.write_bytes(raw)
    line = refused(capsys, ["fit", str(path)])
    assert "line 20002" in line and "0xff" in line and f"offset {len(raw) - 2}" in line


def test_devices_are_refused_without_reading(capsys):
    assert "is a device" in refused(capsys, ["fit", "/dev/zero"])


def test_a_pipe_is_read_as_a_stream(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    text = "x,y\n" + "".join(f"{i},{3 * i + 1}\n" for i in range(5000))

    def feed():
        with open(fifo, "w") as f:
            f.write(text)

    writer = threading.Thread(target=feed)
    writer.start()
    d = load_csv(fifo)
    writer.join()
    assert d.n == 5000 and d.y[-1] == 3 * 4999 + 1


@pytest.mark.parametrize("force_careful", [False, True])
def test_memory_stays_near_the_final_arrays(tmp_path, monkeypatch, force_careful):
    if force_careful:
        careful(monkeypatch)
    n = 200_000
    rng = np.random.default_rng(0)
    path = tmp_path / "d.csv"
    np.savetxt(path, rng.normal(size=(n, 2)), delimiter=",", header="x,y", comments="",
               fmt="%.17g")
    tracemalloc.start()
    try:
        d = load_csv(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    final = d.x.nbytes + d.y.nbytes
    assert d.n == n
    # The text (9 MB here) is never held whole; the old loader peaked near 20x the arrays.
    assert peak < 3.5 * final, (peak, final)


# -- the fast path and the careful path agree ------------------------------------------
cells = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.integers(-10**6, 10**6),
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.lists(st.tuples(cells, cells, cells), min_size=2, max_size=30),
       delimiter=st.sampled_from([",", ";", "\t"]), header=st.booleans(),
       crlf=st.booleans(), quote=st.booleans(), blank=st.booleans(),
       fmt=st.sampled_from(["{!r}", "{:.6g}", " {} "]))
def test_fast_and_careful_paths_agree(tmp_path_factory, monkeypatch, table, delimiter, header,
                                      crlf, quote, blank, fmt):
    folder = tmp_path_factory.mktemp("agree")
    end = "\r\n" if crlf else "\n"

    def cell(v):
        text = fmt.format(v).replace("'", "")
        return f'"{text}"' if quote else text

    lines = [delimiter.join(cell(v) for v in row) for row in table]
    if blank:
        lines.insert(1, "")
    if header:
        lines.insert(0, delimiter.join(["a", "b", "c"]))
    path = folder / "d.csv"
    path.write_text(end.join(lines) + end, encoding="utf-8", newline="")
    results = []
    # numpy's reader (small files), pandas' reader (large files), the careful reader.
    for reader in ("numpy", "pandas", "careful"):
        with monkeypatch.context() as m:
            if reader == "careful":
                careful(m)
            elif reader == "pandas":
                m.setattr(loading, "PANDAS_FROM", 0)
            try:
                d = load_csv(path)
                results.append((d.x.tolist(), d.y.tolist(), d.x_label, d.y_label, d.warning))
            except DataError as exc:
                results.append(str(exc))
    assert results[0] == results[1] == results[2]


# -- fuzzing -----------------------------------------------------------------------------
_HOSTILE = st.sampled_from(list(',;\t\n\r "\'.-+eE0123456789naifNAIF_x\u2028\x0c\x85\xa0\ufeff#'))
_NEAR_LIMITS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["1e150", "-1e150", "1e-150", "0", "5e-324", "1e-308", "1.7e308", "nan",
                     "", "NA", "inf"]))


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.text(_HOSTILE, max_size=80).map(str.encode), st.binary(max_size=60),
                     st.lists(st.tuples(_NEAR_LIMITS, _NEAR_LIMITS), min_size=1, max_size=8)
                     .map(lambda rows: ("x,y\n" + "".join(f"{a},{b}\n" for a, b in rows))
                          .encode())),
       column=st.sampled_from([None, "1", "2", "x"]))
def test_any_input_loads_finite_data_or_is_one_line(tmp_path_factory, raw, column):
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    path.write_bytes(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            d = load_csv(path, x=column)
        except DataError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)
            return
        assert d.n >= 2 and np.isfinite(d.x).all() and np.isfinite(d.y).all()
        engine = DescentEngine(d.x, d.y, tol=0, max_iter=100)
        engine.run(100)
        snap = engine.snapshot()
        assert np.isfinite([snap.m, snap.b, snap.cost]).all()
