"""History export (e, --history), screenshots (ctrl+s) and Ctrl-C during gdtui fit."""

import json
import os
import shlex
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from gdtui.app.screens.dialogs import ExportScreen
from gdtui.cli import build_parser, main, setup_from_args
from gdtui.engine import COL
from gdtui.history_io import HistoryWriter, read_history, settings_of
from gdtui.run import make_engine
from tests.conftest import app_for


def replay(command: str, iterations: int):
    words = shlex.split(command)
    words = words[2:] if words[1] == "fit" else words[1:]
    engine = make_engine(setup_from_args(build_parser().parse_args(words)))
    engine.run(iterations)
    return engine


@pytest.mark.parametrize("suffix", [".csv", ".json"])
async def test_export_key_writes_a_file_that_reproduces_the_run(tmp_path, monkeypatch, suffix):
    monkeypatch.chdir(tmp_path)
    app = app_for("noisy-linear", "--optimizer", "momentum", "--batch-size", "16", "--seed", "4")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*["s"] * 30, "e")
        assert isinstance(app.screen, ExportScreen)
        field = app.screen.query_one("#export-name")
        field.value = f"run{suffix}"
        await pilot.press("enter")
        await pilot.pause()
        rows = app.main_screen.engine.history.rows.copy()
    settings, numeric, optimizers = read_history(tmp_path / f"run{suffix}")
    assert numeric.shape == (31, 8) and optimizers == ["momentum"] * 31
    assert not numeric[:, 7].any()  # data_version: the data as loaded
    np.testing.assert_array_equal(numeric[:, 0], rows[:, COL["iteration"]])
    np.testing.assert_array_equal(numeric[:, 1], rows[:, COL["m"]])
    np.testing.assert_array_equal(numeric[:, 3], rows[:, COL["cost"]])
    if suffix == ".json":
        assert settings["optimizer"] == "momentum" and settings["batch_size"] == 16
        assert settings["seed"] == 4
    again = replay(settings["command"], 30)
    np.testing.assert_array_equal(again.history.rows[:, COL["m"]], numeric[:, 1])
    assert not list(tmp_path.glob("*.part"))


def test_fit_history_json_streams_and_reloads(tmp_path, capsys):
    path = tmp_path / "h.json"
    assert main(["fit", "heights-weights", "--optimizer", "adam", "--lr", "2",
                 "--iterations", "300", "--tol", "0", "--history", str(path)]) == 0
    capsys.readouterr()
    doc = json.loads(path.read_text())
    assert doc["columns"][-1] == "optimizer" and len(doc["rows"]) == 301
    settings, numeric, _ = read_history(path)
    again = replay(settings["command"], 300)
    np.testing.assert_array_equal(again.history.rows[:, COL["b"]], numeric[:, 2])


def test_interrupted_writer_leaves_no_file(tmp_path, line_data):
    from gdtui.engine import DescentEngine

    engine = DescentEngine(*line_data)
    engine.run(5)
    writer = HistoryWriter(tmp_path / "h.csv", settings_of(engine, "gdtui"))
    writer.write_new(engine)
    writer.abandon()
    assert list(tmp_path.iterdir()) == []


async def test_ctrl_s_saves_an_svg_with_the_panes_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_for()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("s", "s", "ctrl+s")
        await pilot.pause()
    svgs = list(tmp_path.glob("gdtui-*.svg"))
    assert len(svgs) == 1
    root = ET.parse(svgs[0]).getroot()
    text = "".join(root.itertext()).replace("\xa0", " ")
    for needle in ("Parameters", "Iteration", "Cost J", "iris-petals"):
        assert needle in text


def test_ctrl_c_during_fit_prints_partial_result_and_exits_130(tmp_path):
    hist = tmp_path / "h.csv"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gdtui", "fit", "--synthetic", "n=100", "--tol", "0",
         "--iterations", "100000000", "--json", "--history", str(hist)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # A shell's background jobs start with SIGINT ignored (as CI may run us); a terminal's
        # Ctrl-C reaches a foreground process, which this restores.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        parts = list(tmp_path.glob(".h.csv.*.part"))
        if parts and parts[0].stat().st_size > 100_000:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    result = json.loads(out)
    assert result["status"] == "interrupted" and result["iterations"] > 0
    settings, numeric, _ = read_history(hist)
    assert numeric[-1, 0] == result["iterations"]
    assert not list(tmp_path.glob("*.part"))
