"""gdtui fit --history: every iteration, however long; --force; signals; strict JSON."""

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time

import numpy as np
import pytest

from gdtui.cli import main
from gdtui.data import load_dataset
from gdtui.engine import COL, DescentEngine
from gdtui.engine.history import N_COLUMNS, History
from gdtui.engine.stats import cost_direct
from gdtui.history_io import read_history
from gdtui.strict_json import loads as strict_loads


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def data_rows(path):
    """The numeric rows of a history CSV, read with numpy (not with gdtui's reader)."""
    return np.loadtxt(path, delimiter=",", usecols=range(7), comments="#", skiprows=2)


# -- History.since: the engine-side guarantee ---------------------------------------
def test_since_returns_every_row_or_raises():
    h = History(256)
    row = lambda i: (float(i),) + (0.0,) * (N_COLUMNS - 1)  # noqa: E731
    seen, mark = [], 0
    for i in range(5000):
        h.append(row(i))
        if i % h.guaranteed == h.guaranteed - 1:
            seen.extend(h.since(mark)[:, 0])
            mark = h.appended
    seen.extend(h.since(mark)[:, 0])
    assert h.decimated and len(h) < 256
    assert seen == list(range(5000))
    # A reader that waits too long is told, never handed a gap.
    mark = h.appended
    for i in range(5000, 5000 + 4 * h.guaranteed):
        h.append(row(i))
    with pytest.raises(LookupError, match="thinned"):
        h.since(mark)


def test_since_after_truncate_and_clear():
    h = History(64)
    for i in range(10):
        h.append((float(i),) + (0.0,) * (N_COLUMNS - 1))
    assert h.appended == 10
    h.truncate(6)
    assert h.appended == 6
    h.append((99.0,) + (0.0,) * (N_COLUMNS - 1))
    assert list(h.since(5)[:, 0]) == [5.0, 99.0]
    h.clear()
    assert h.appended == 0 and len(h.since(0)) == 0


# -- every iteration ------------------------------------------------------------------
def test_200000_iterations_are_all_in_the_file(tmp_path, capsys):
    hist = tmp_path / "h.csv"
    assert main(["fit", "noisy-linear", "--tol", "0", "--iterations", "200000",
                 "--history", str(hist)]) == 0
    assert "(200001 rows)" in capsys.readouterr().out
    rows = data_rows(hist)
    assert rows.shape == (200_001, 7)
    np.testing.assert_array_equal(rows[:, 0], np.arange(200_001))
    # Rows the thinned history used to lose (61,441-85,824) hold the right numbers:
    # the cost column agrees with J computed from the data directly.
    d = load_dataset("noisy-linear")
    for i in (61_441, 70_000, 85_824, 150_000, 200_000):
        m, b, cost = rows[i, 1:4]
        assert cost == pytest.approx(cost_direct(d.x, d.y, m, b), rel=1e-12)
    # And the file's last rows are the engine's, bit for bit.
    e = DescentEngine(d.x, d.y, tol=0, max_iter=200_000, standardize="auto")  # the defaults
    e.run(200_000)
    np.testing.assert_array_equal(rows[-50:, 1], e.history.rows[-50:, COL["m"]])
    assert not list(tmp_path.glob(".*.part"))


def test_json_history_has_every_row_too(tmp_path, capsys):
    hist = tmp_path / "h.json"
    assert main(["fit", "--synthetic", "n=40", "--tol", "0", "--iterations", "70000",
                 "--optimizer", "momentum", "--history", str(hist)]) == 0
    doc = strict_loads(hist.read_text())
    assert [r[0] for r in doc["rows"]] == list(range(70_001))


def _interrupt_at(monkeypatch, iteration, how):
    """Make DescentEngine.run stop the fit once ``iteration`` is passed, as Ctrl-C does."""
    run = DescentEngine.run
    fired = []

    def patched(self, n):
        if self.iteration + n < iteration or fired:
            return run(self, n)
        fired.append(True)
        if how == "signal":  # a real SIGINT: the handler of gdtui fit takes it
            status = run(self, n)
            os.kill(os.getpid(), signal.SIGINT)
            return status
        run(self, max(0, iteration - self.iteration))  # mid-chunk, as a KeyboardInterrupt
        raise KeyboardInterrupt

    monkeypatch.setattr(DescentEngine, "run", patched)


@pytest.fixture
def interruptible():
    """SIGINT as a terminal's foreground job has it (a shell's background job, as CI may be,
    starts with it ignored, and gdtui fit rightly leaves an ignored SIGINT ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("how", ["signal", "exception"])
@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_ctrl_c_partway_keeps_every_row_so_far(tmp_path, capsys, monkeypatch, how, suffix,
                                               interruptible):
    hist = tmp_path / f"h{suffix}"
    handler = signal.getsignal(signal.SIGINT)
    _interrupt_at(monkeypatch, 100_000, how)
    code = main(["fit", "--synthetic", "n=50", "--tol", "0", "--iterations", "1000000",
                 "--json", "--history", str(hist)])
    out = capsys.readouterr().out
    assert code == 130
    result = strict_loads(out)
    assert result["status"] == "interrupted"
    done = result["iterations"]
    assert 100_000 <= done < 1_000_000
    _, numeric, _ = read_history(hist)
    np.testing.assert_array_equal(numeric[:, 0], np.arange(done + 1))
    assert not list(tmp_path.glob(".*.part"))
    assert signal.getsignal(signal.SIGINT) is handler  # put back


def _start_fit(tmp_path, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "gdtui", "fit", "--synthetic", "n=100", "--tol", "0",
         "--iterations", "100000000", "--json", "--history", str(tmp_path / "h.csv"), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _wait_for_part(tmp_path, size=200_000):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        parts = list(tmp_path.glob(".h.csv.*.part"))
        if parts and parts[0].stat().st_size > size:
            return
        time.sleep(0.05)
    raise AssertionError("the history file did not grow")


def test_sigterm_during_fit_history_leaves_no_part_file(tmp_path):
    proc = _start_fit(tmp_path)
    _wait_for_part(tmp_path)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))
    result = strict_loads(out)
    assert result["status"] == "interrupted" and "SIGTERM" in result["reason"]
    rows = data_rows(tmp_path / "h.csv")
    np.testing.assert_array_equal(rows[:, 0], np.arange(result["iterations"] + 1))


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path):
    """RLIMIT_FSIZE makes the kernel refuse writes past 300 kB (EFBIG), as a full disk does."""

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

    proc = subprocess.run(
        [sys.executable, "-m", "gdtui", "fit", "--synthetic", "n=100", "--tol", "0",
         "--iterations", "100000", "--history", str(tmp_path / "h.csv")],
        capture_output=True, text=True, cwd=tmp_path, preexec_fn=limit, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert str(tmp_path / "h.csv") in lines[0] and "too large" in lines[0].lower()
    assert list(tmp_path.iterdir()) == []


# -- --force, the input, special files ------------------------------------------------
def test_existing_history_needs_force_and_keeps_its_mode(tmp_path, capsys):
    hist = tmp_path / "h.csv"
    hist.write_text("precious\n")
    hist.chmod(0o600)
    assert main(["fit", "--iterations", "5", "--history", str(hist)]) == 2
    line = one_error_line(capsys)
    assert str(hist) in line and "already exists" in line and "--force" in line
    assert hist.read_text() == "precious\n"
    assert main(["fit", "--iterations", "5", "--tol", "0", "--history", str(hist),
                 "--force"]) == 0
    assert data_rows(hist).shape == (6, 7)
    assert stat.S_IMODE(hist.stat().st_mode) == 0o600


def test_the_data_file_is_never_the_history(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("x,y\n1,2\n2,4.5\n3,6\n")
    os.link(data, tmp_path / "same.csv")
    for target in (data, tmp_path / "same.csv", tmp_path / "." / "data.csv"):
        assert main(["fit", str(data), "--history", str(target), "--force"]) == 2
        assert "input data file" in one_error_line(capsys)
    assert data.read_text() == "x,y\n1,2\n2,4.5\n3,6\n"


def test_bundled_data_file_is_refused_too(capsys):
    source = load_dataset("noisy-linear").source
    before = os.stat(source)
    assert main(["fit", "noisy-linear", "--history", source, "--force"]) == 2
    assert "input data file" in one_error_line(capsys)
    assert os.stat(source).st_mtime_ns == before.st_mtime_ns


def test_special_files_are_refused(tmp_path, capsys):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "elsewhere.csv")
    targets = {fifo: "FIFO", tmp_path: "directory", link: "symbolic link",
               tmp_path / "nope" / "h.csv": "does not exist"}
    try:
        os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        targets[tmp_path / "null"] = "device"
    except PermissionError:
        pass
    for target, needle in targets.items():
        assert main(["fit", "--iterations", "3", "--history", str(target), "--force"]) == 2
        assert needle in one_error_line(capsys)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and link.is_symlink()
    assert not (tmp_path / "elsewhere.csv").exists()


# -- strict JSON ----------------------------------------------------------------------
@pytest.mark.parametrize("start", ["1e308,1e308", "-1e308,0", "0,1e308", "1e200,-1e200",
                                   "1e154,1e154", "3,4"])
def test_fit_json_is_strict_whatever_the_start(capsys, start):
    code = main(["fit", "noisy-linear", "--json", f"--start={start}", "--iterations", "500"])
    assert code == 0
    out = capsys.readouterr().out
    result = strict_loads(out)  # raises on NaN / Infinity
    for key in ("m", "b", "cost"):
        value = result[key]
        assert (value is None) == (key in result["non_finite"])
    if result["non_finite"]:
        assert result["status"] == "diverged"
        assert "overflow" in result["reason"] and "start point" in result["reason"]
        assert result["verdict"].startswith("No result")
    else:
        d = load_dataset("noisy-linear")
        assert result["cost"] == pytest.approx(cost_direct(d.x, d.y, result["m"], result["b"]),
                                               rel=1e-9)


def test_overflowing_start_reports_the_start_point_and_null_cost(capsys):
    assert main(["fit", "noisy-linear", "--json", "--start=1e308,1e308"]) == 0
    result = strict_loads(capsys.readouterr().out)
    assert (result["m"], result["b"], result["cost"]) == (1e308, 1e308, None)
    assert result["non_finite"] == ["cost"]
    assert "learning rate" not in result["reason"]


def test_history_json_writes_null_not_infinity(tmp_path, capsys):
    hist = tmp_path / "h.json"
    assert main(["fit", "noisy-linear", "--start=1e308,1e308", "--history", str(hist)]) == 0
    text = hist.read_text()
    doc = strict_loads(text)
    assert doc["rows"][0][3] is None  # the cost at the start
    settings, numeric, _ = read_history(hist)
    assert np.isnan(numeric[0, 3]) and settings["start"] == [1e308, 1e308]
    with pytest.raises(ValueError):
        strict_loads('{"cost": NaN}')
    assert json.loads(text) == doc


def test_a_closed_pipe_is_no_traceback(tmp_path):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before gdtui writes a byte (as `| head -0`)
    proc = subprocess.run([sys.executable, "-m", "gdtui", "fit", "noisy-linear"],
                          stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60)
    os.close(write_end)
    assert proc.returncode == 141 and proc.stderr == ""


def test_a_signal_while_the_file_is_opened_still_gives_a_whole_file(tmp_path):
    """SIGTERM right after the history file is created: a whole file, no .part (subprocess,
    so that a regression kills a child, not the test run)."""
    script = """if True:
        import os, signal, sys
        from gdtui import history_io
        from gdtui.cli import main
        init = history_io.HistoryWriter.__init__
        def opened_then_signalled(self, *args, **kwargs):
            init(self, *args, **kwargs)
            os.kill(os.getpid(), signal.SIGTERM)
        history_io.HistoryWriter.__init__ = opened_then_signalled
        code = main(["fit", "--json", "--history", "h.csv"])
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        sys.exit(code)
    """
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert strict_loads(proc.stdout)["iterations"] == 0
    assert data_rows(tmp_path / "h.csv").reshape(-1, 7)[:, 0].tolist() == [0.0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.csv"]
