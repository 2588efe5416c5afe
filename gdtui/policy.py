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
"""

from __future__ import annotations

import os
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
