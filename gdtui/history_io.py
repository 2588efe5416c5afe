"""History files: every iteration of a run as CSV, or as JSON with the run's settings.

Writing goes to a temporary file in the same folder, renamed into place when
complete: an interrupted export never leaves a half file under the final name.
Both formats record the command line that reproduces the run.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from gdtui.atomic import AtomicFile
from gdtui.engine import COL, DescentEngine, optimizer_by_code
from gdtui.errors import ConfigError, DataError

COLUMNS = ("iteration", "m", "b", "cost", "grad_m", "grad_b", "lr", "optimizer")
_NUMERIC = COLUMNS[:-1]


def settings_of(engine: DescentEngine, command: str) -> dict:
    """The settings that reproduce ``engine``'s run, with the command line that does it."""
    return {
        "command": command,
        "optimizer": engine.optimizer,
        "lr": engine.learning_rate,
        "schedule": engine.schedule,
        "batch_size": engine.batch_size,
        "iterations": engine.max_iter,
        "tol": engine.tol,
        "seed": engine.seed,
        "standardized": engine.standardize,
        "start": list(engine.start),
        "n": engine.n_points,
    }


class HistoryWriter:
    """Streams rows to ``path`` (CSV, or JSON when the name ends in .json), atomically.

    Parameters
    ----------
    path : path-like
        Final file name; its folder must exist.
    settings : dict
        What reproduces the run (see :func:`settings_of`).
    """

    def __init__(self, path, settings: dict) -> None:
        self.path = Path(path)
        self.json = self.path.suffix.lower() == ".json"
        directory = self.path.parent
        if not directory.is_dir():
            raise ConfigError(f"{self.path}: folder {directory} does not exist")
        if self.path.is_dir():
            raise ConfigError(f"{self.path}: is a directory")
        try:
            self._target = AtomicFile(self.path)
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot write here ({exc.strerror or exc})") from None
        self._file = self._target.file
        self.written = 0
        if self.json:
            head = json.dumps({"settings": settings, "columns": list(COLUMNS)})
            self._file.write(head[:-1] + ', "rows": [\n')
        else:
            self._file.write(f"# {settings['command']}\n")
            self._file.write(",".join(COLUMNS) + "\n")

    def write_rows(self, rows: np.ndarray) -> None:
        """Write history rows (the engine's row layout)."""
        if not len(rows):
            return
        numeric = rows[:, [COL[c] for c in _NUMERIC]].tolist()
        names = [optimizer_by_code(v).name for v in rows[:, COL["optimizer"]]]
        lines = []
        for values, name in zip(numeric, names, strict=True):
            values[0] = int(values[0])
            if self.json:
                lines.append(json.dumps([*values, name]))
            else:
                lines.append(",".join(map(repr, values)) + "," + name)
        sep = ",\n" if self.json else "\n"
        if self.json and self.written:
            self._file.write(",\n")
        self._file.write(sep.join(lines) + ("" if self.json else "\n"))
        self.written += len(rows)

    def write_new(self, engine: DescentEngine) -> None:
        """Write the rows the engine added since the last call."""
        new = len(engine.history) - self.written
        if new > 0:
            self.write_rows(engine.history.rows[-new:])

    def close(self) -> Path:
        """Finish the file and move it into place."""
        if self.json:
            self._file.write("\n]}\n")
        return self._target.commit()

    def abandon(self) -> None:
        """Drop the temporary file; the final name is never touched."""
        self._target.abandon()


def export_history(path, engine: DescentEngine, command: str) -> Path:
    """Write every kept history row of ``engine`` to ``path`` in one go."""
    writer = HistoryWriter(path, settings_of(engine, command))
    try:
        writer.write_rows(engine.history.rows)
    except BaseException:
        writer.abandon()
        raise
    return writer.close()


def read_history(path) -> tuple[dict, np.ndarray, list[str]]:
    """Read a history file back: (settings, numeric rows, optimizer per row).

    For CSV the settings hold only ``command`` (from the first line).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if path.suffix.lower() == ".json":
        doc = json.loads(text)
        rows = doc["rows"]
        numeric = np.array([r[:-1] for r in rows], dtype=np.float64).reshape(-1, len(_NUMERIC))
        return doc["settings"], numeric, [r[-1] for r in rows]
    lines = text.splitlines()
    settings = {"command": lines[0][2:]} if lines and lines[0].startswith("# ") else {}
    body = [line for line in lines if line and not line.startswith("#")][1:]
    cells = [line.split(",") for line in body]
    numeric = np.array([[float(v) for v in c[:-1]] for c in cells], dtype=np.float64)
    return settings, numeric.reshape(-1, len(_NUMERIC)), [c[-1] for c in cells]
