"""Files that appear whole or not at all: written to a temporary file, then renamed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class AtomicFile:
    """A text file written under a temporary name in the target's folder.

    :meth:`commit` renames it into place; :meth:`abandon` deletes it. An
    interrupted writer therefore never leaves a half file under the final name.
    """

    def __init__(self, path, mode: int = 0o644) -> None:
        self.path = Path(path)
        self.mode = mode
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part",
                                   dir=self.path.parent)
        self.tmp = Path(tmp)
        self.file = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def commit(self) -> Path:
        """Close and move the file to its final name."""
        self.file.close()
        os.chmod(self.tmp, self.mode)
        os.replace(self.tmp, self.path)
        return self.path

    def abandon(self) -> None:
        """Close and delete the temporary file."""
        self.file.close()
        self.tmp.unlink(missing_ok=True)


def write_atomically(path, text: str, mode: int = 0o644) -> Path:
    """Write ``text`` to ``path`` whole, or leave ``path`` untouched."""
    target = AtomicFile(path, mode)
    try:
        target.file.write(text)
    except BaseException:
        target.abandon()
        raise
    return target.commit()
