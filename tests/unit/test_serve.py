"""gdtui serve's pieces: the app's arguments, the child's environment, the Origin rule, the CLI."""

import argparse
import sys

import pytest

from gdtui.cli import build_parser, main
from gdtui.policy import WRITE_DIR_ENV, WRITES_ENV
from gdtui.serve import same_origin
from gdtui.serve_child import (
    FORWARDED,
    PARENT_ENV,
    app_arguments,
    child_command,
    child_environment,
)

SERVE_ONLY = {"host", "port", "max_sessions", "allow_writes"}


@pytest.fixture(autouse=True)
def in_tmp_path(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)


def dests(parser: argparse.ArgumentParser) -> set[str]:
    return set(vars(parser.parse_args([])))


def test_every_app_option_is_forwarded_and_nothing_else():
    # An option added to the app but not to app_arguments, or not to serve, fails here.
    app = dests(build_parser())
    assert app <= FORWARDED
    assert dests(build_parser("serve")) == app | SERVE_ONLY


@pytest.mark.parametrize("words", [
    [],
    ["--po", "18742", "--opt", "momentum", "--lr", "0.05", "--it", "500", "--sy", "n=30"],
    ["noisy-linear", "--lr", "0.123456789012345678", "--tol", "0", "--seed", "7"],
    ["--synthetic", "n=50,slope=-2,noise=0.1", "--start=-1.5,2e-3", "--no-standardize"],
    ["--schedule", "1/t", "--batch-size", "5", "--max-sessions", "2", "--host", "::1"],
    ["state-murders", "--loss", "huber", "--huber-delta", "2.5"],
    ["--model", "logistic"],
])
def test_app_arguments_reproduce_the_parsed_run_options(words):
    served = build_parser("serve").parse_args(words)
    forwarded = app_arguments(served)
    again = build_parser().parse_args(forwarded)
    for name in dests(build_parser()):
        assert getattr(again, name) == getattr(served, name), name
    assert not any(w.startswith(("--po", "--host", "--max")) for w in forwarded)


def test_a_data_file_is_forwarded_by_absolute_path_and_odd_column_names_survive(tmp_path):
    (tmp_path / "d.csv").write_text("-a,b\n1,2\n2,4\n3,7\n", encoding="utf-8")
    served = build_parser("serve").parse_args(["d.csv", "--x=-a", "--y", "b"])
    forwarded = app_arguments(served)
    assert forwarded[-2:] == ["--", str(tmp_path / "d.csv")]
    again = build_parser().parse_args(forwarded)
    assert (again.source, again.x, again.y) == (str(tmp_path / "d.csv"), "-a", "b")


def test_the_child_is_python_without_a_shell_and_without_its_folder_on_the_path():
    command = child_command(["--seed", "1"])
    assert command[:3] == [sys.executable, "-P", "-c"]
    assert command[-2:] == ["--seed", "1"]


def test_sessions_write_nothing_by_default_whatever_the_server_inherited(tmp_path):
    base = {"PATH": "/bin", WRITE_DIR_ENV: "/somewhere", "TEXTUAL": "devtools"}
    env = child_environment(None, 100, 30, base=base)
    assert env[WRITES_ENV] == "off" and WRITE_DIR_ENV not in env
    assert env["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"
    assert (env["COLUMNS"], env["ROWS"]) == ("100", "30") and env[PARENT_ENV].isdigit()
    env = child_environment(tmp_path, 80, 24, base={WRITES_ENV: "off"})
    assert env[WRITE_DIR_ENV] == str(tmp_path) and WRITES_ENV not in env


@pytest.mark.parametrize("origin, host, ok", [
    ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
    ("http://LOCALHOST:8000", "localhost:8000", True),
    ("http://[::1]:8000", "[::1]:8000", True),
    ("http://example.org", "example.org:80", True),
    ("http://127.0.0.1:8001", "127.0.0.1:8000", False),
    ("https://127.0.0.1:8000", "127.0.0.1:8000", False),
    ("http://evil.example", "127.0.0.1:8000", False),
    ("http://localhost:8000", "127.0.0.1:8000", False),
    ("null", "127.0.0.1:8000", False),
    ("", "127.0.0.1:8000", False),
    (None, "127.0.0.1:8000", False),
    ("http://127.0.0.1:8000/path", "127.0.0.1:8000", False),
    ("http://u@127.0.0.1:8000", "127.0.0.1:8000", False),
    ("http://127.0.0.1:8000", "", False),
    ("http://[bad", "127.0.0.1:8000", False),
])
def test_only_the_pages_own_origin_may_open_the_websocket(origin, host, ok):
    assert same_origin(origin, host) is ok


def test_bad_serve_options_are_one_line_and_exit_2(tmp_path, capsys):
    assert main(["serve", "--allow-writes", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a folder" in err and "Traceback" not in err
    assert main(["serve", "--max-sessions", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "must be at least 1" in err
