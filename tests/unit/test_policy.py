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
