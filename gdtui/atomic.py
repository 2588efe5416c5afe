"""Safe writes: the one place where gdtui decides whether and how a file may be written.

Every output of gdtui (histories, scripts, recordings, screenshots) goes through
:class:`AtomicFile`, and these rules hold for all of them:

* Only regular files are written. A target that is a directory, a device, a FIFO
  or a socket is refused with one line.
* **Symbolic links are refused, not written through**: the final component of the
  target must not be a link (a linked *folder* on the way is fine). Writing
  through a link would let a link planted in a shared folder redirect gdtui's
  output anywhere the user can write; naming the real file is always possible.
* An existing file is never overwritten unless ``overwrite=True`` is passed;
  otherwise :class:`~gdtui.errors.FileExists` is raised (the app asks, the CLI
  wants ``--force``). Even then, a new file appears under the final name only by
  a hard link that fails if the name was taken meanwhile.
* A file that is one of the ``inputs`` (the data being fitted) is refused even
  with ``overwrite=True``; hard links and other spellings of the path count.
* A new file gets ``mode & ~umask`` (``mode`` defaults to 0o666, as for any
  program that creates files); an overwritten file keeps its permission bits.
* The text goes to a temporary file in the target's folder, is flushed and
  fsynced, and is then renamed into place. On any failure (a full disk, a
  read-only file system, a folder that vanished) the temporary file is removed
  and :class:`~gdtui.errors.WriteError` says which path and why, in one line;
  nothing half-written is ever left under the final name.

``WriteError`` and ``FileExists`` are :class:`OSError` subclasses as well as
:class:`~gdtui.errors.GdtuiError`, so code that catches a failed write as
``OSError`` keeps working.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import threading
import time
from pathlib import Path

from gdtui.errors import FileExists, WriteError

__all__ = ["AtomicFile", "FileExists", "WriteError", "check_target", "shown", "unique_path",
           "write_atomically", "write_unique"]

_umask_lock = threading.Lock()
# Errors of os.link that mean "this file system has no hard links", not "name taken".
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK,
             errno.EXDEV}


def shown(path) -> str:
    """``path`` for a one-line message: quoted when it holds control characters."""
    text = os.fsdecode(path)
    return text if text.isprintable() else repr(text)


def current_umask() -> int:
    """The process's umask, read without a window in which it is changed if possible."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:  # elsewhere, set and restore at once (other threads must not create files)
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno == errno.EDQUOT:
        return "disk quota exceeded"
    return exc.strerror or str(exc)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return ("a symbolic link; gdtui does not write through links "
                "(name the file it points to)")
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "not a regular file"


def _same_file(target: Path, st: os.stat_result, other) -> bool:
    try:
        other_st = os.stat(other)
    except (OSError, ValueError):
        return os.path.realpath(target) == os.path.realpath(other)
    return (st.st_dev, st.st_ino) == (other_st.st_dev, other_st.st_ino)


def check_target(path, *, overwrite: bool = False, inputs=()) -> os.stat_result | None:
    """Check that ``path`` may be written; return its status if it exists, else None.

    Parameters
    ----------
    path : path-like
        The file to write.
    overwrite : bool
        Allow replacing an existing regular file.
    inputs : iterable of path-like
        Files that must never be written (the data being read).

    Raises
    ------
    WriteError
        If the target is not a regular file, is a symbolic link, is one of
        ``inputs``, or its folder does not exist.
    FileExists
        If the target exists and ``overwrite`` is false.
    """
    target = Path(path)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise WriteError(f"{shown(target)}: a part of the path is not a folder") from None
    except (OSError, ValueError) as exc:
        reason = _reason(exc) if isinstance(exc, OSError) else str(exc)
        raise WriteError(f"{shown(target)}: cannot write here ({reason})") from None
    if st is None:
        folder = target.parent
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            raise WriteError(f"{shown(target)}: folder {shown(folder)} {what}")
        return None
    kind = _kind(st.st_mode)
    if kind:
        raise WriteError(f"{shown(target)}: is {kind}")
    for source in inputs:
        if source is not None and _same_file(target, st, source):
            raise WriteError(f"{shown(target)}: is the input data file; "
                             "give the output another name")
    if not overwrite:
        raise FileExists(target)
    return st


class AtomicFile:
    """A text file written under a temporary name in the target's folder.

    Write with :meth:`write` (or the ``file`` attribute); :meth:`commit` moves
    the file into place, :meth:`abandon` deletes it. Usable as a context
    manager: leaving the block commits, an exception abandons.

    Parameters
    ----------
    path : path-like
        The final name; see the module's rules.
    mode : int
        Permission bits of a new file, before the umask (default 0o666).
    overwrite : bool
        Allow replacing an existing regular file (it keeps its permission bits).
    inputs : iterable of path-like
        Files that must never be written.

    Raises
    ------
    WriteError, FileExists
        As :func:`check_target`, or when the temporary file cannot be created.
    """

    def __init__(self, path, mode: int = 0o666, *, overwrite: bool = False, inputs=()) -> None:
        self.path = Path(path)
        self.overwrite = overwrite
        self._inputs = tuple(inputs)
        existing = check_target(self.path, overwrite=overwrite, inputs=self._inputs)
        if existing is not None:
            self.mode = stat.S_IMODE(existing.st_mode)
        else:
            self.mode = mode & ~current_umask() & 0o7777
        # Keep the temporary name within NAME_MAX whatever the final name's length.
        prefix = f".{self.path.name[:180]}."
        try:
            fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=self.path.parent)
        except OSError as exc:
            raise WriteError(f"{shown(self.path)}: cannot write here ({_reason(exc)})") from None
        self.tmp = Path(tmp)
        self.file = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self.closed = False

    def write(self, text: str) -> None:
        """Append ``text``; a failure abandons the file and raises WriteError."""
        try:
            self.file.write(text)
        except OSError as exc:
            self._fail(exc)

    def _fail(self, exc: OSError):
        self.abandon()
        if isinstance(exc, WriteError):
            raise exc
        raise WriteError(f"{shown(self.path)}: cannot write ({_reason(exc)})") from None

    def commit(self) -> Path:
        """Flush, fsync and move the file to its final name; return that name."""
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            os.fchmod(self.file.fileno(), self.mode)
            self.file.close()
            self.closed = True
            self._place()
        except OSError as exc:
            self._fail(exc)
        _sync_folder(self.path.parent)
        return self.path

    def _place(self) -> None:
        # The target may have changed since it was checked: check again.
        check_target(self.path, overwrite=self.overwrite, inputs=self._inputs)
        if self.overwrite:
            os.replace(self.tmp, self.path)
            return
        try:
            os.link(self.tmp, self.path)  # fails if the name was taken meanwhile
        except FileExistsError:
            raise FileExists(self.path) from None
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            os.replace(self.tmp, self.path)  # no hard links here: checked just above
            return
        try:
            os.unlink(self.tmp)
        except OSError:
            pass

    def abandon(self) -> None:
        """Close and delete the temporary file; the final name is never touched."""
        if not self.closed:
            self.closed = True
            try:
                self.file.close()
            except OSError:
                pass  # a full disk fails the close's flush too; the file goes anyway
        try:
            os.unlink(self.tmp)
        except OSError:
            pass

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abandon()


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(path, text: str, mode: int = 0o666, *, overwrite: bool = False,
                     inputs=()) -> Path:
    """Write ``text`` to ``path`` whole, or leave ``path`` untouched.

    Parameters and errors as :class:`AtomicFile`.
    """
    target = AtomicFile(path, mode, overwrite=overwrite, inputs=inputs)
    try:
        target.write(text)
    except BaseException:
        target.abandon()
        raise
    return target.commit()


def unique_path(folder, stem: str = "gdtui", suffix: str = ".svg", *, when: float | None = None,
                limit: int = 10_000) -> Path:
    """Reserve a new file name ``stem-YYYYmmdd-HHMMSS[-k]suffix`` in ``folder``.

    The name is created empty with ``O_EXCL``, so two calls in the same second
    (or two processes) never get the same name: the second gets ``-2``, then
    ``-3``... Write the content with ``overwrite=True`` (it replaces the empty
    reservation atomically), or use :func:`write_unique`, which does both.

    Raises
    ------
    WriteError
        If the folder is missing (deleted working directory included) or not
        writable, or ``limit`` names are taken.
    """
    folder = Path(folder)
    base = f"{stem}-{time.strftime('%Y%m%d-%H%M%S', time.localtime(when))}"
    for k in range(1, limit + 1):
        candidate = folder / (f"{base}{suffix}" if k == 1 else f"{base}-{k}{suffix}")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                raise WriteError(f"{shown(candidate)}: folder {shown(folder)} does not exist "
                                 "(was it deleted?)") from None
            raise WriteError(f"{shown(candidate)}: cannot write here ({_reason(exc)})") from None
        os.close(fd)
        return candidate
    raise WriteError(f"{shown(folder)}: {limit} files named {base}*{suffix} already exist")


def write_unique(folder, text: str, stem: str = "gdtui", suffix: str = ".svg") -> Path:
    """Write ``text`` atomically under a fresh :func:`unique_path` name; return it."""
    path = unique_path(folder, stem, suffix)
    try:
        return write_atomically(path, text, overwrite=True)
    except BaseException:
        try:
            os.unlink(path)  # the empty reservation
        except OSError:
            pass
        raise
