"""Shared fixtures: every test runs in its own temporary folder; small deterministic data sets."""

import tempfile
from pathlib import Path

import numpy as np
import pytest


def pytest_configure(config):
    """The snapshot plugin writes its failure report to the current folder: send it to /tmp."""
    if getattr(config.option, "snapshot_report", None) == "snapshot_report.html":
        config.option.snapshot_report = str(Path(tempfile.gettempdir()) /
                                            "gdtui-snapshot-report.html")


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Run each test in a fresh temporary folder, so no test can write into the repository."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def line_data():
    """60 noisy points around y = 2x − 3 (seeded)."""
    rng = np.random.default_rng(7)
    x = rng.uniform(-4.0, 6.0, 60)
    y = 2.0 * x - 3.0 + rng.normal(0.0, 0.7, 60)
    return x, y


def lstsq_line(x, y):
    """Independent reference: numpy.linalg.lstsq on [x, 1]."""
    a = np.column_stack([x, np.ones_like(x)])
    (m, b), *_ = np.linalg.lstsq(a, y, rcond=None)
    return float(m), float(b)


def app_for(*args, **options):
    """The app as `gdtui ARGS` builds it (options: mode, rates, optimizers, lesson)."""
    from gdtui.app import make_app
    from gdtui.cli import build_parser, setup_from_args

    return make_app(setup_from_args(build_parser().parse_args(list(args))), **options)


async def wait_until(pilot, predicate, seconds: float = 5.0) -> bool:
    """Let the app run until ``predicate()`` holds or ``seconds`` pass; return the predicate."""
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return True
        await pilot.pause(0.05)
    return predicate()
