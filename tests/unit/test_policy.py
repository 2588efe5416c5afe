"""The write policy that `gdtui serve` hands to each session's app, read in gdtui/policy.py."""

import pytest

from gdtui.policy import (
    WRITE_DIR_ENV,
    WRITES_ENV,
    WritePolicy,
    WriteRefused,
    writable_path,
    write_dir,
    write_policy,
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv(WRITES_ENV, raising=False)
    monkeypatch.delenv(WRITE_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)


def test_a_terminal_app_writes_where_it_is_asked(tmp_path):
    assert write_policy() == WritePolicy(allowed=True, root=None)
    assert write_dir() == tmp_path
    assert writable_path("h.csv") == tmp_path / "h.csv"
    assert writable_path("/elsewhere/h.csv").as_posix() == "/elsewhere/h.csv"


@pytest.mark.parametrize("value", ["off", "OFF", " off "])
def test_writes_off_disables_every_write(monkeypatch, tmp_path, value):
    monkeypatch.setenv(WRITES_ENV, value)
    monkeypatch.setenv(WRITE_DIR_ENV, str(tmp_path))  # off wins over a folder
    assert write_policy().allowed is False
    assert write_dir() is None
    with pytest.raises(WriteRefused, match="disabled"):
        writable_path("h.csv")


def test_a_write_dir_confines_writes(monkeypatch, tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "escape").symlink_to(tmp_path)
    monkeypatch.setenv(WRITE_DIR_ENV, str(allowed))
    assert write_dir() == allowed.resolve()
    assert writable_path("h.csv") == allowed.resolve() / "h.csv"
    assert writable_path(allowed / "sub" / "s.svg") == allowed.resolve() / "sub" / "s.svg"
    for outside in ["../h.csv", str(tmp_path / "h.csv"), "escape/h.csv", "/etc/passwd"]:
        with pytest.raises(WriteRefused, match="may write only in"):
            writable_path(outside)


@pytest.mark.parametrize("folder", ["relative/folder", "/no/such/folder"])
def test_a_write_dir_that_is_not_an_absolute_folder_fails_closed(monkeypatch, tmp_path, folder):
    (tmp_path / "relative" / "folder").mkdir(parents=True)
    monkeypatch.setenv(WRITE_DIR_ENV, folder)
    assert write_dir() is None
    with pytest.raises(WriteRefused):
        writable_path("h.csv")


def test_a_deleted_working_folder_is_a_refusal_not_a_crash(monkeypatch, tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    with pytest.raises(WriteRefused, match="no longer exists"):
        write_dir()


GUARDED = r"""
import os, sys, tempfile
from pathlib import Path
from gdtui.policy import install_write_guard
assert install_write_guard()
results = {}
def attempt(name, action):
    try:
        action()
        results[name] = "written"
    except PermissionError as exc:
        results[name] = "refused: " + exc.strerror
inside, outside = Path(sys.argv[1]), Path(sys.argv[2])
for where, folder in (("inside", inside), ("outside", outside)):
    attempt(where + " open", lambda: open(folder / "a.txt", "w").close())
    attempt(where + " append", lambda: open(folder / "a.txt", "a").close())
    attempt(where + " write_text", lambda: (folder / "b.txt").write_text("x"))
    attempt(where + " mkstemp", lambda: os.close(tempfile.mkstemp(dir=folder)[0]))
    attempt(where + " mkdir", lambda: (folder / "d").mkdir())
    attempt(where + " via symlink", lambda: (folder / "link" / "c.txt").write_text("x"))
attempt("replace out of", lambda: os.replace(outside / "keep.txt", inside / "moved.txt"))
attempt("remove", lambda: os.remove(outside / "keep.txt"))
attempt("devnull", lambda: open(os.devnull, "w").close())
results["read"] = (outside / "keep.txt").read_text()
print(repr(results))
"""


def guarded_run(tmp_path, env_update):
    import ast
    import os
    import subprocess
    import sys

    inside, outside = tmp_path / "inside", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    (outside / "keep.txt").write_text("kept", encoding="utf-8")
    (inside / "link").symlink_to(outside)  # a way out of the folder
    (outside / "link").symlink_to(outside)
    env = {k: v for k, v in os.environ.items() if k not in (WRITES_ENV, WRITE_DIR_ENV)}
    env.update(env_update(inside))
    done = subprocess.run([sys.executable, "-c", GUARDED, str(inside), str(outside)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return ast.literal_eval(done.stdout), inside, outside


def test_the_guard_refuses_every_write_when_writes_are_off(tmp_path):
    results, inside, outside = guarded_run(tmp_path, lambda inside: {WRITES_ENV: "off"})
    assert results.pop("devnull") == "written" and results.pop("read") == "kept"
    assert set(results.values()) == {"refused: file writes are disabled in this session"}
    assert sorted(p.name for p in inside.iterdir()) == ["link"]
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt", "link"]


def test_the_guard_confines_writes_to_the_write_dir(tmp_path):
    results, inside, outside = guarded_run(tmp_path, lambda inside: {WRITE_DIR_ENV: str(inside)})
    for action in ("open", "append", "write_text", "mkstemp", "mkdir"):
        assert results[f"inside {action}"] == "written", action
        assert results[f"outside {action}"].startswith("refused: this session may write only")
    assert results["inside via symlink"].startswith("refused")  # resolves to outside
    assert results["replace out of"].startswith("refused") and results["remove"].startswith("ref")
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt", "link"]


def test_no_guard_for_a_terminal_app():
    from gdtui.policy import install_write_guard

    assert install_write_guard(WritePolicy(allowed=True, root=None)) is False
