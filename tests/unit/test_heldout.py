"""Held-out data: a seeded split, the test cost against direct evaluation, the command line."""

import json
import re

import numpy as np
import pytest

from gdtui.cli import main
from gdtui.data import synthetic_dataset
from gdtui.engine import DescentEngine
from gdtui.engine.heldout import split_indices
from gdtui.engine.stats import cost_direct
from gdtui.errors import ConfigError


def test_split_is_seeded_disjoint_and_complete():
    train, test = split_indices(100, 0.25, 3)
    assert test.size == 25 and train.size == 75
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(100))
    again = split_indices(100, 0.25, 3)
    assert np.array_equal(again[1], test)
    assert not np.array_equal(split_indices(100, 0.25, 4)[1], test)
    with pytest.raises(ConfigError, match="need at least 2"):
        split_indices(3, 0.5, 0)


def test_engine_fits_the_rest_and_measures_the_held_out(line_data):
    x, y = line_data
    engine = DescentEngine(x, y, test_fraction=0.3, seed=5)
    _, test = split_indices(x.size, 0.3, 5)
    keep = np.setdiff1d(np.arange(x.size), test)
    assert np.array_equal(engine.x, x[keep]) and engine.n_points == keep.size
    engine.run(25)
    snap = engine.snapshot()
    assert snap.test_cost == pytest.approx(cost_direct(x[test], y[test], snap.m, snap.b),
                                           rel=1e-10)
    mae = DescentEngine(x, y, test_fraction=0.3, seed=5, loss="mae")
    assert mae.snapshot().test_cost == pytest.approx(np.mean(np.abs(y[test])))
    assert DescentEngine(x, y).snapshot().test_cost is None


def test_fit_json_reports_the_test_cost(capsys):
    assert main(["fit", "--synthetic", "n=80,noise=1", "--seed", "2", "--test-fraction",
                 "0.25", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 60 and out["n_test"] == 20 and out["test_cost"] > 0
    d = synthetic_dataset("n=80,noise=1", seed=2)
    _, test = split_indices(80, 0.25, 2)
    assert out["test_cost"] == pytest.approx(cost_direct(d.x[test], d.y[test], out["m"],
                                                         out["b"]), rel=1e-9)
    assert main(["fit", "--synthetic", "n=80,noise=1", "--seed", "2", "--test-fraction",
                 "0.25"]) == 0
    assert re.search(r"test J +[\d.]+ +on 20 held-out points \(60 fitted\)",
                     capsys.readouterr().out)
    assert main(["fit", "--test-fraction", "1", "--json"]) == 2
    assert "test fraction" in capsys.readouterr().err


def test_command_line_and_serve_forward_the_fraction():
    import argparse

    from gdtui.cli import build_parser, setup_from_args
    from gdtui.run import command_line, make_engine
    from gdtui.serve_child import app_arguments

    setup = setup_from_args(build_parser().parse_args(["--synthetic", "n=40",
                                                       "--test-fraction", "0.2"]))
    line = command_line(setup, make_engine(setup))
    assert "--test-fraction=0.2" in line
    args = build_parser("serve").parse_args(["--test-fraction", "0.2"])
    assert "--test-fraction=0.2" in app_arguments(argparse.Namespace(**vars(args)))
