"""gdtui.atomic: regular files only, no links, never the input, never overwrite unasked."""

import errno
import os
import socket
import stat
import time
from pathlib import Path

import pytest

from gdtui import atomic
from gdtui.atomic import (
    AtomicFile,
    FileExists,
    WriteError,
    check_target,
    unique_path,
    write_atomically,
    write_unique,
)
from gdtui.errors import GdtuiError


def one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and text
    return text


def leftovers(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.part"))


@pytest.fixture
def umask():
    """Set the umask for one test and put the old one back."""
    old = os.umask(0o022)
    os.umask(old)
    yield lambda mask: os.umask(mask)
    os.umask(old)


@pytest.mark.parametrize("mask, mode, expected", [
    (0o022, 0o666, 0o644), (0o077, 0o666, 0o600), (0o027, 0o666, 0o640),
    (0o022, 0o755, 0o755), (0o077, 0o755, 0o700), (0o002, 0o666, 0o664),
])
def test_new_files_get_mode_minus_umask(tmp_path, umask, mask, mode, expected):
    umask(mask)
    assert atomic.current_umask() == mask
    path = write_atomically(tmp_path / "out.txt", "hello\n", mode)
    assert stat.S_IMODE(path.stat().st_mode) == expected
    assert path.read_text() == "hello\n"
    assert leftovers(tmp_path) == []


def test_existing_file_is_kept_unless_overwrite_and_keeps_its_mode(tmp_path, umask):
    umask(0o022)
    path = tmp_path / "secret.csv"
    path.write_text("old\n")
    path.chmod(0o600)
    with pytest.raises(FileExists) as caught:
        write_atomically(path, "new\n")
    assert str(path) in one_line(caught.value) and "already exists" in str(caught.value)
    assert isinstance(caught.value, GdtuiError) and isinstance(caught.value, OSError)
    assert path.read_text() == "old\n" and leftovers(tmp_path) == []
    write_atomically(path, "new\n", overwrite=True)
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_positional_callers_still_work(tmp_path):
    """The app calls write_atomically(path, text, mode) on a new file."""
    path = write_atomically(tmp_path / "run.sh", "#!/bin/sh\n", 0o755)
    assert os.access(path, os.X_OK)


def test_symlinks_are_refused_not_followed(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("keep\n")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    for target in (link, dangling):
        for overwrite in (False, True):
            with pytest.raises(WriteError) as caught:
                write_atomically(target, "new\n", overwrite=overwrite)
            assert "symbolic link" in one_line(caught.value) and str(target) in str(caught.value)
    assert real.read_text() == "keep\n" and link.is_symlink() and dangling.is_symlink()
    assert not (tmp_path / "nowhere.txt").exists()
    assert leftovers(tmp_path) == []


def test_directories_fifos_sockets_and_devices_are_refused(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    cases = {folder: "a directory", fifo: "FIFO", sock_path: "socket"}
    try:
        os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        cases[tmp_path / "null"] = "a device"
    except PermissionError:
        pass  # not root: the device case is covered on /dev/null below, without writing
    try:
        for target, needle in cases.items():
            before = os.lstat(target)
            with pytest.raises(WriteError) as caught:
                write_atomically(target, "x", overwrite=True)
            assert needle in one_line(caught.value) and str(target) in str(caught.value)
            after = os.lstat(target)
            assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    finally:
        sock.close()
    assert leftovers(tmp_path) == []
    # check_target only looks: safe to ask about the real /dev/null.
    with pytest.raises(WriteError, match="a device"):
        check_target("/dev/null", overwrite=True)


def test_the_input_is_refused_even_with_overwrite(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("x,y\n1,2\n")
    (tmp_path / "sub").mkdir()
    hard = tmp_path / "hard.csv"
    os.link(data, hard)
    spellings = [data, tmp_path / "sub" / ".." / "data.csv", Path("data.csv"), hard]
    for target in spellings:
        with pytest.raises(WriteError) as caught:
            write_atomically(target, "oops\n", overwrite=True, inputs=[data])
        assert "input data file" in one_line(caught.value)
    assert data.read_text() == "x,y\n1,2\n"
    # Another file with the same content is fine.
    other = tmp_path / "other.csv"
    other.write_text("x,y\n1,2\n")
    write_atomically(other, "ok\n", overwrite=True, inputs=[data])
    assert other.read_text() == "ok\n"


def test_missing_folder_and_file_in_the_path(tmp_path):
    with pytest.raises(WriteError) as caught:
        write_atomically(tmp_path / "nope" / "out.csv", "x")
    assert "does not exist" in one_line(caught.value)
    (tmp_path / "file").write_text("")
    with pytest.raises(WriteError) as caught:
        write_atomically(tmp_path / "file" / "out.csv", "x")
    assert "not a folder" in one_line(caught.value)


def test_control_characters_in_a_name_keep_the_message_on_one_line(tmp_path):
    path = tmp_path / "a\nb.csv"
    path.write_text("")
    with pytest.raises(FileExists) as caught:
        write_atomically(path, "x")
    assert "\\n" in one_line(caught.value)


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "no space left"),
                                         (errno.EROFS, "read-only file system"),
                                         (errno.EIO, "Input/output error")])
@pytest.mark.parametrize("existing", [False, True])
def test_a_failing_disk_leaves_nothing_half_written(tmp_path, monkeypatch, code, words,
                                                    existing):
    path = tmp_path / "out.svg"
    if existing:
        path.write_text("previous\n")

    def fail(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.os, "fsync", fail)
    with pytest.raises(WriteError) as caught:
        write_atomically(path, "<svg/>" * 1000, overwrite=True)
    message = one_line(caught.value)
    assert str(path) in message and words in message
    assert leftovers(tmp_path) == []
    if existing:
        assert path.read_text() == "previous\n"
    else:
        assert not path.exists()


def test_a_vanished_folder_is_one_line(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    target = AtomicFile(folder / "h.csv")
    target.write("a,b\n")
    target.tmp.unlink()
    folder.rmdir()
    with pytest.raises(WriteError) as caught:
        target.commit()
    assert str(folder / "h.csv") in one_line(caught.value)


def test_deleted_working_directory(tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    with pytest.raises(WriteError) as caught:
        unique_path(".", "gdtui", ".svg")
    assert "does not exist" in one_line(caught.value)
    with pytest.raises(WriteError):
        write_atomically("h.csv", "x")


def test_a_name_taken_while_writing_is_not_clobbered(tmp_path):
    path = tmp_path / "h.csv"
    target = AtomicFile(path)
    target.write("mine\n")
    path.write_text("someone else's\n")
    with pytest.raises(FileExists):
        target.commit()
    assert path.read_text() == "someone else's\n" and leftovers(tmp_path) == []


def test_context_manager_commits_or_abandons(tmp_path):
    with AtomicFile(tmp_path / "a.txt") as f:
        f.write("whole\n")
    assert (tmp_path / "a.txt").read_text() == "whole\n"
    with pytest.raises(RuntimeError), AtomicFile(tmp_path / "b.txt") as f:
        f.write("half")
        raise RuntimeError
    assert not (tmp_path / "b.txt").exists() and leftovers(tmp_path) == []


def test_unique_names_never_collide_within_a_second(tmp_path, umask):
    umask(0o022)
    when = 1_700_000_000.0
    names = [unique_path(tmp_path, "gdtui", ".svg", when=when) for _ in range(4)]
    base = names[0].name[: -len(".svg")]
    assert base.startswith("gdtui-") and len(base) == len("gdtui-YYYYmmdd-HHMMSS")
    assert [n.name for n in names] == [f"{base}.svg", f"{base}-2.svg", f"{base}-3.svg",
                                       f"{base}-4.svg"]
    assert all(n.exists() for n in names)
    first = write_unique(tmp_path, "<svg>1</svg>")
    second = write_unique(tmp_path, "<svg>2</svg>")
    assert first != second
    assert (first.read_text(), second.read_text()) == ("<svg>1</svg>", "<svg>2</svg>")
    assert stat.S_IMODE(first.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []


def test_record_refuses_its_target_before_recording(tmp_path, capsys):
    from gdtui.cli import main

    existing = tmp_path / "demo.cast"
    existing.write_text("keep\n")
    for target, needle in ((existing, "already exists"), (tmp_path, "is a directory"),
                           (tmp_path / "nope" / "d.cast", "does not exist")):
        started = time.monotonic()
        assert main(["record", str(target), "--keys", "s:5 q"]) == 2
        assert time.monotonic() - started < 4  # refused at once, not after the 5 s script
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and needle in err[0] and str(target) in err[0]
    assert existing.read_text() == "keep\n"
