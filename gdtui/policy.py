"""Where the app may write files: the one place that reads the write policy.

``gdtui serve`` starts each browser session's app with the policy in its
environment; an app in a terminal has neither variable and writes where it is
asked to, as before.

``GDTUI_WRITES=off``
    No file writes at all (history export ``e``, the reproduce dialog's ``w``,
    screenshots ``ctrl+s``). This is the default of ``gdtui serve``.
``GDTUI_WRITE_DIR=/abs/folder``
    Writes allowed, confined to that folder (``gdtui serve --allow-writes DIR``).
    A folder that does not exist disables writes: the policy fails closed.

:func:`install_write_guard` also enforces the policy for the whole process,
whatever code asks for the write (Python audit hooks, PEP 578): a served session
cannot write even through a path that does not consult this module (Textual's
own screenshot command, say). It guards a user driving the app; it is not a
sandbox for code that sets out to get around it.
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from gdtui.errors import GdtuiError

WRITES_ENV = "GDTUI_WRITES"
WRITE_DIR_ENV = "GDTUI_WRITE_DIR"


class WriteRefused(GdtuiError):
    """A file write that the session's write policy does not allow."""


@dataclass(frozen=True)
class WritePolicy:
    """The write policy of this process.

    ``allowed`` is False when no file may be written. ``root`` is the folder
    that writes are confined to, or None when they may go anywhere (the
    terminal app's default).
    """

    allowed: bool
    root: Path | None = None


def write_policy() -> WritePolicy:
    """Read the write policy from the environment (see the module docstring)."""
    if os.environ.get(WRITES_ENV, "").strip().lower() == "off":
        return WritePolicy(allowed=False)
    folder = os.environ.get(WRITE_DIR_ENV)
    if folder:
        root = Path(folder).expanduser()
        if not root.is_absolute() or not root.is_dir():
            return WritePolicy(allowed=False)
        return WritePolicy(allowed=True, root=root.resolve())
    return WritePolicy(allowed=True)


def _current_folder() -> Path:
    try:
        return Path.cwd()
    except FileNotFoundError:
        raise WriteRefused("the current folder no longer exists") from None


def writes_allowed() -> bool:
    """Whether this session may write files at all (a view offers its writes only then)."""
    return write_policy().allowed


WRITES_OFF = ("file writes are off in this session (gdtui serve turns them on with "
              "--allow-writes DIR)")
"""Why a write is not offered, said in one line."""


def write_dir() -> Path | None:
    """The folder new files are written in, or None when writes are disabled.

    That is the confinement folder when there is one, else the current folder.

    Raises
    ------
    WriteRefused
        When the current folder has been deleted.
    """
    policy = write_policy()
    if not policy.allowed:
        return None
    return policy.root if policy.root is not None else _current_folder()


def writable_path(name: str | os.PathLike[str]) -> Path:
    """The absolute path a write of ``name`` goes to, if the policy allows it.

    A relative ``name`` is taken in :func:`write_dir`. When writes are confined
    to a folder, the path (symbolic links resolved) must stay inside it.

    Raises
    ------
    WriteRefused
        When writes are disabled, or the path leaves the confinement folder.
    """
    policy = write_policy()
    if not policy.allowed:
        raise WriteRefused("file writes are disabled in this session")
    path = Path(name).expanduser()
    base = policy.root if policy.root is not None else _current_folder()
    if not path.is_absolute():
        path = base / path
    if policy.root is not None:
        resolved = path.resolve()
        if not resolved.is_relative_to(policy.root):
            raise WriteRefused(f"{path}: this session may write only in {policy.root}")
        return resolved
    return path


# Audit events that change the file system: which arguments are the paths changed,
# and which are directory descriptors those paths may be relative to (-1: none).
# https://docs.python.org/3/library/audit_events.html
_WRITE_EVENTS = {
    "os.rename": ((0, 1), (2, 3)), "os.remove": ((0,), (1,)), "os.rmdir": ((0,), (1,)),
    "os.mkdir": ((0,), (2,)), "os.symlink": ((1,), (2,)), "os.link": ((1,), (2, 3)),
    "os.chmod": ((0,), (2,)), "os.chown": ((0,), (3,)), "os.truncate": ((0,), ()),
    "os.utime": ((0,), (3,)), "os.mkfifo": ((0,), (2,)), "os.mknod": ((0,), (3,)),
    "shutil.copyfile": ((1,), ()), "shutil.copymode": ((1,), ()), "shutil.copystat": ((1,), ()),
    "shutil.copytree": ((1,), ()), "shutil.rmtree": ((0,), (1,)), "shutil.move": ((0, 1), ()),
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def install_write_guard(policy: WritePolicy | None = None) -> bool:
    """Make every file write of this process obey ``policy`` (default: :func:`write_policy`).

    A refused write raises ``PermissionError`` (EACCES), which callers already
    report as a failed write. Nothing is installed when the policy allows
    writes anywhere. Returns whether a guard was installed; it cannot be removed.
    """
    policy = write_policy() if policy is None else policy
    if policy.allowed and policy.root is None:
        return False
    root = policy.root

    def refuse(path) -> None:
        if root is None:
            why = "file writes are disabled in this session"
        else:
            why = f"this session may write only in {root}"
        raise PermissionError(errno.EACCES, why, os.fsdecode(path) if path is not None else "")

    def check(path, relative_to_fd: bool = False) -> None:
        if isinstance(path, int) or path is None:
            return  # an open descriptor: opening it was checked
        try:
            name = os.fsdecode(path)
        except TypeError:
            refuse(None)
        if name == os.devnull:
            return
        if root is None or (relative_to_fd and not os.path.isabs(name)):
            refuse(name)  # (a path relative to a directory descriptor is not worked out)
        if not Path(os.path.realpath(name)).is_relative_to(root):
            refuse(name)

    def hook(event: str, args: tuple) -> None:
        if event == "open" and len(args) == 3:
            path, mode, flags = args
            writing = (isinstance(flags, int) and flags & _WRITE_FLAGS) or (
                isinstance(mode, str) and any(c in mode for c in "wax+"))
            if writing:
                check(path)
        elif event in _WRITE_EVENTS:
            paths, fds = _WRITE_EVENTS[event]
            relative = any(isinstance(args[i], int) and args[i] != -1 for i in fds
                           if i < len(args))
            for index in paths:
                if index < len(args):
                    check(args[index], relative)

    sys.addaudithook(hook)
    return True
