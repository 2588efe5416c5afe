"""Large files: refused when they cannot fit in memory, and progress said while they load."""

import io

import numpy as np
import pytest

from gdtui import csv_reader, loading
from gdtui.cli import main
from gdtui.csv_reader import load_csv
from gdtui.errors import DataError
from gdtui.loading import StderrProgress, check_memory


def write_table(path, rows: int) -> np.ndarray:
    values = np.column_stack([np.arange(rows, dtype=float), 3.0 * np.arange(rows) + 1.5])
    np.savetxt(path, values, delimiter=",", header="x,y", comments="", fmt="%.17g")
    return values


@pytest.mark.parametrize("reader", ["numpy", "pandas", "careful"])
def test_progress_is_told_in_order_up_to_the_whole_file(tmp_path, monkeypatch, reader):
    path = tmp_path / "d.csv"
    values = write_table(path, 200_000)
    monkeypatch.setattr(loading, "CHUNK_ROWS", 20_000)
    monkeypatch.setattr(loading, "PANDAS_CHUNK_ROWS", 20_000)
    if reader == "pandas":
        monkeypatch.setattr(loading, "PANDAS_FROM", 0)
    if reader == "careful":
        monkeypatch.setattr(csv_reader, "_load_numeric_table", lambda *a, **k: None)
    told = []
    d = load_csv(path, progress=lambda done, total: told.append((done, total)))
    assert np.array_equal(d.x, values[:, 0]) and np.array_equal(d.y, values[:, 1])
    size = path.stat().st_size
    assert len(told) >= 3 and all(total == size for _, total in told)
    done = [b for b, _ in told]
    assert done == sorted(done) and 0 < done[0] < size
    if reader != "careful":  # the careful reader ticks every 65,536 records, not at the end
        assert done[-1] == size


def test_a_file_too_large_for_memory_is_refused_before_reading(tmp_path, monkeypatch, capsys):
    path = tmp_path / "big.csv"
    write_table(path, 100_000)  # about 1.4 MB of text, 1.6 MB of arrays
    monkeypatch.setattr(loading, "available_memory", lambda: 1 << 20)
    with pytest.raises(DataError) as caught:
        load_csv(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: about ") and "1.0 MB available" in message
    assert "\n" not in message
    assert main(["fit", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "more than the 1.0 MB available" in err


def test_the_memory_estimate_follows_the_rows():
    head = b"x,y\n" + b"1.5,2.5\n" * 1000  # 8 bytes a row
    check_memory("f.csv", 8_000_000, head, available=200_000_000)  # 1e6 rows: 48 MB, fits
    with pytest.raises(DataError, match=r"f\.csv: about 1,000,\d+ rows need about 45\.8 MB"):
        check_memory("f.csv", 8_000_000, head, available=40_000_000)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_is_for_large_files_on_a_terminal(monkeypatch):
    quiet = io.StringIO()
    StderrProgress("big.csv", quiet)(50 << 20, 100 << 20)
    assert quiet.getvalue() == ""  # not a terminal
    term = Terminal()
    shown = StderrProgress("small.csv", term)
    shown(1 << 20, 2 << 20)
    assert term.getvalue() == ""  # too small to be worth a line
    shown = StderrProgress("big.csv", term)
    shown(50 << 20, 200 << 20)
    assert term.getvalue().endswith("reading big.csv: 25% (50 of 200 MB)")
    shown.finish()
    assert term.getvalue().endswith("\r\x1b[K")
