"""History files: every iteration of a run as CSV, or as JSON with the run's settings.

Files are written by :class:`gdtui.atomic.AtomicFile` (its rules: regular files
only, no links, never the input, never an existing file unless asked), to a
temporary file renamed into place when complete: an interrupted export never
leaves a half file under the final name. Both formats record the command line
that reproduces the run. JSON is strict: a non-finite number is ``null``.

Settings changed during a run (α, optimizer, β…, batch, standardization) are recorded as
segment lines: in CSV, comment lines after the command (``# changed at iteration K: …``)
and a line saying the command cannot replay the file; in JSON, ``settings.changes`` (a
list of ``{"iteration", "change"}``), ``settings.replayable`` and ``settings.note``. Each
row's ``lr`` and ``optimizer`` columns also show what that step used.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from gdtui import strict_json
from gdtui.atomic import AtomicFile
from gdtui.engine import COL, DescentEngine, optimizer_by_code
from gdtui.errors import DataError
from gdtui.run import reproduction

COLUMNS = ("iteration", "m", "b", "cost", "grad_m", "grad_b", "lr", "data_version", "optimizer")
"""``data_version`` is 0 for the data as loaded and counts the edits made in the app since
(a row at the same iteration with a new version is the cost on the edited data)."""
_NUMERIC = COLUMNS[:-1]
_VERSION = COLUMNS.index("data_version")


def settings_of(engine: DescentEngine, command: str) -> dict:
    """The settings that reproduce ``engine``'s run, with the command line that does it.

    ``changes`` lists the settings changed during the run; when there are any,
    ``replayable`` is False and ``note`` says what the command does and does not replay.
    """
    exact, intro, caveats = reproduction(engine)
    return {
        "replayable": exact,
        "note": " ".join([intro.rstrip(":") + " (the command above).", *caveats]
                         + ([] if exact else ["Every change is listed with its iteration."])),
        "changes": [{"iteration": it, "change": text} for it, text in engine.events],
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
        "model": engine.model_name,
        "loss": engine.loss,
        "huber_delta": engine.huber_delta,
        "optimizer_params": engine.optimizer_params,
        "schedule_params": engine.schedule_params,
    }


class HistoryWriter:
    """Streams rows to ``path`` (CSV, or JSON when the name ends in .json), atomically.

    Parameters
    ----------
    path : path-like
        Final file name; its folder must exist.
    settings : dict
        What reproduces the run (see :func:`settings_of`).
    overwrite : bool
        Replace an existing file (otherwise :class:`~gdtui.errors.FileExists`).
    inputs : iterable of path-like
        Files never to write over (the data file).

    Raises
    ------
    WriteError, FileExists
        See :class:`gdtui.atomic.AtomicFile`; a failed write abandons the file.
    """

    def __init__(self, path, settings: dict, *, overwrite: bool = False, inputs=()) -> None:
        self.path = Path(path)
        self.json = self.path.suffix.lower() == ".json"
        self._target = AtomicFile(self.path, overwrite=overwrite, inputs=inputs)
        self._mark = 0  # the engine history's ``appended`` count already written
        self.written = 0
        if self.json:
            head = strict_json.dumps({"settings": settings, "columns": list(COLUMNS)})
            self._target.write(head[:-1] + ', "rows": [\n')
        else:
            command = " ".join(str(settings["command"]).splitlines())
            notes = "".join(f"# changed at iteration {c['iteration']}: {c['change']}\n"
                            for c in settings.get("changes", ()))
            if not settings.get("replayable", True):
                notes += f"# {settings['note']}\n"
            self._target.write(f"# {command}\n" + notes + ",".join(COLUMNS) + "\n")

    def write_rows(self, rows: np.ndarray) -> None:
        """Write history rows (the engine's row layout)."""
        if not len(rows):
            return
        numeric = rows[:, [COL[c] for c in _NUMERIC]]
        finite = bool(np.isfinite(numeric).all())
        values = numeric.tolist()
        names = [optimizer_by_code(v).name for v in rows[:, COL["optimizer"]]]
        lines = []
        for row, name in zip(values, names, strict=True):
            row[0] = int(row[0])
            row[_VERSION] = int(row[_VERSION])
            if not self.json:
                lines.append(",".join(map(repr, row)) + "," + name)
            elif finite:
                lines.append(json.dumps([*row, name], allow_nan=False))
            else:
                lines.append(strict_json.dumps([*row, name]))
        if self.json:
            text = (",\n" if self.written else "") + ",\n".join(lines)
        else:
            text = "\n".join(lines) + "\n"
        self._target.write(text)
        self.written += len(rows)

    def write_new(self, engine: DescentEngine) -> None:
        """Write every row the engine added since the last call (none is ever skipped).

        Call at least every ``engine.history.guaranteed`` steps; the history
        raises LookupError if rows were thinned out before they were written.
        """
        history = engine.history
        self.write_rows(history.since(self._mark))
        self._mark = history.appended

    def close(self) -> Path:
        """Finish the file and move it into place."""
        if self.json:
            self._target.write("\n]}\n")
        return self._target.commit()

    def abandon(self) -> None:
        """Drop the temporary file; the final name is never touched."""
        self._target.abandon()


def export_history(path, engine: DescentEngine, command: str, *,
                   overwrite: bool = False, inputs=(), blocks=None) -> Path:
    """Write the rows of ``engine``'s run to ``path`` in one go.

    ``blocks`` yields the rows (every iteration, from a :class:`~gdtui.spool.RowSpool`);
    by default the rows the history kept. Raises :class:`~gdtui.errors.FileExists`
    for an existing ``path`` unless ``overwrite``; see :class:`HistoryWriter`.
    """
    writer = HistoryWriter(path, settings_of(engine, command), overwrite=overwrite,
                           inputs=inputs)
    try:
        for rows in (blocks if blocks is not None else [engine.history.rows]):
            writer.write_rows(rows)
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
        try:
            doc = strict_json.loads(text)
            rows = doc["rows"]
            numeric = np.array([[np.nan if v is None else v for v in r[:-1]] for r in rows],
                               dtype=np.float64).reshape(-1, len(_NUMERIC))
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{path}: not a gdtui history file ({exc})") from None
        return doc["settings"], numeric, [r[-1] for r in rows]
    lines = text.splitlines()
    settings = {"command": lines[0][2:]} if lines and lines[0].startswith("# ") else {}
    body = [line for line in lines if line and not line.startswith("#")][1:]
    cells = [line.split(",") for line in body]
    numeric = np.array([[float(v) for v in c[:-1]] for c in cells], dtype=np.float64)
    return settings, numeric.reshape(-1, len(_NUMERIC)), [c[-1] for c in cells]
