"""Hands on the data and the start: the data mode's keys, the mouse on the plots, undo, save, noise.

Mixed into the main view. Every edit goes through the controller (the run goes on from its line
on the new data; the panes redraw from the frame it publishes); nothing here draws.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from gdtui.app.widgets.data_pane import DataPane
from gdtui.app.widgets.pointer import StartPointer
from gdtui.atomic import shown, write_atomically
from gdtui.errors import GdtuiError
from gdtui.formulas import num
from gdtui.policy import WRITES_OFF, writes_allowed

GRAB_CELLS = 1.5
"""A press within this many cells of a point takes that point (else it adds one)."""


class DataEditing:
    """The main view's hands-on keys and mouse handlers (a mixin of ``MainScreen``)."""

    DATA_BINDINGS = [
        Binding("d", "data_mode", "Edit data", show=False),
        Binding("u", "undo_data", "Undo data edit", show=False),
        Binding("D", "save_data", "Save data", show=False),
        Binding("N", "noise", "Noise", show=False),
    ]

    data_cursor: tuple[float, float] | None = None
    data_holding: int | None = None
    """The point the data mode carries (enter picks up, enter drops), or None."""
    grabbed: int | None = None
    """The point a mouse drag carries, or None."""
    data_saved: tuple[Path, int] | None = None
    """Where the edited data were saved last, and their data version then."""

    def data_modes(self) -> dict:
        """The data mode's part of a frame."""
        return {"data_cursor": self.data_cursor,
                "data_holding": self.data_holding is not None or self.grabbed is not None}

    def data_pane(self) -> DataPane:
        return self.query_one("#data", DataPane)

    def edit(self, method, *args, **kwargs):
        """Apply one edit through the controller; a refused edit is a notice, not a crash."""
        try:
            result = method(*args, **kwargs)
        except (GdtuiError, IndexError) as exc:
            self.notify(f"Data not changed: {exc}", severity="warning", timeout=4)
            return None
        self.settings_changed()
        return result

    def label_y(self, y: float) -> float:
        """y as the model takes it: 0 or 1 under the logistic model."""
        return (1.0 if y >= 0.5 else 0.0) if self.engine.model_name == "logistic" else y

    def point_under(self, x: float, y: float, cell: tuple[float, float]) -> int | None:
        """The point within GRAB_CELLS cells of (x, y), the nearest on screen, or None."""
        engine = self.engine
        i = engine.nearest_point(x, y, cell[0], cell[1])
        d = math.hypot((engine.x[i] - x) / cell[0], (engine.y[i] - y) / cell[1])
        return i if d <= GRAB_CELLS else None

    def data_commands(self) -> list[tuple[str, str, object]]:
        """The command palette's entries for the hands-on actions."""
        return [
            ("Edit data", "A cursor on the scatter: add, move, remove points (d)",
             self.action_data_mode),
            ("Undo data edit", "Undo the last added, moved or removed point (u)",
             self.action_undo_data),
            ("Save data", "Save the data, as edited, to a CSV file (D)", self.action_save_data),
            ("New synthetic data", "Noise level, number of points and seed (N)",
             self.action_noise),
        ]

    # -- the data mode (keys) -------------------------------------------------------------
    def action_data_mode(self) -> None:
        """Show the scatter with a cursor: arrows move it, n adds, x removes, enter carries."""
        self.show_view("data")
        pane = self.data_pane()
        if self.data_cursor is None:
            (x0, x1), (y0, y1) = pane.xlim, pane.ylim
            self.data_cursor = (0.5 * (x0 + x1), 0.5 * (y0 + y1))
        pane.can_focus = True
        pane.focus()
        self.publish()
        self.notify("Data mode: arrows move the cursor +, n adds, x removes, enter carries, "
                    "escape leaves.", timeout=4)

    def action_data_cursor(self, dx: int, dy: int) -> None:
        """Move the cursor one cell (and the point it carries)."""
        if self.data_cursor is None:
            return
        pane = self.data_pane()
        cw, ch = pane.cell_size()
        (x0, x1), (y0, y1) = pane.xlim, pane.ylim
        x, y = self.data_cursor[0] + dx * cw, self.data_cursor[1] + dy * ch
        if self.data_holding is None:  # a carried point may leave the box (it grows to hold it)
            x, y = min(max(x, x0), x1), min(max(y, y0), y1)
        self.data_cursor = (x, y)
        if self.data_holding is not None:
            self.edit(self.controller.move_point, self.data_holding, x, self.label_y(y),
                      coalesce=True)
        else:
            self.publish()

    def action_data_add(self) -> None:
        """Add a point at the cursor."""
        if self.data_cursor is not None:
            x, y = self.data_cursor
            self.edit(self.controller.add_point, x, self.label_y(y))

    def action_data_remove(self) -> None:
        """Remove the point under the cursor."""
        if self.data_cursor is None:
            return
        self.data_holding = None
        i = self.point_under(*self.data_cursor, self.data_pane().cell_size())
        if i is None:
            self.notify("No point under the cursor to remove.", timeout=2)
            return
        self.edit(self.controller.remove_point, i)

    def action_data_pick(self) -> None:
        """Pick up the point under the cursor, or drop the one carried."""
        if self.data_cursor is None:
            return
        if self.data_holding is not None:
            self.data_holding = None
            self.publish()
            return
        i = self.point_under(*self.data_cursor, self.data_pane().cell_size())
        if i is None:
            self.notify("No point under the cursor to pick up.", timeout=2)
            return
        self.data_holding = i
        self.data_cursor = (float(self.engine.x[i]), float(self.engine.y[i]))
        self.publish()

    def action_data_leave(self) -> None:
        """Leave the data mode."""
        self.data_cursor = None
        self.data_holding = None
        pane = self.data_pane()
        pane.can_focus = False
        self.set_focus(None)
        self.publish()

    def action_undo_data(self) -> None:
        """Undo the last data edit."""
        self.data_holding = self.grabbed = None
        what = self.edit(self.controller.undo_edit)
        self.notify(what[0].upper() + what[1:] if what else "No data edit to undo.", timeout=3)

    # -- the mouse ---------------------------------------------------------------------------
    def mouse_allowed(self) -> bool:
        """The mouse edits only where the keys may (not while the tour waits for an answer)."""
        guide = self.guide
        return not (guide is not None and guide.active and guide.tour.awaiting_answer)

    def on_data_pane_pointer(self, event: DataPane.Pointer) -> None:
        """A press on an empty spot adds a point, on a point takes it; a drag moves it; the
        right button (or ctrl) removes the point under the pointer."""
        if not self.mouse_allowed():
            return
        if event.kind == "remove":
            i = self.point_under(event.x, event.y, event.cell)
            if i is None:
                self.notify("No point there to remove.", timeout=2)
            else:
                self.edit(self.controller.remove_point, i)
        elif event.kind == "press":
            self.grabbed = self.point_under(event.x, event.y, event.cell)
            if self.grabbed is None:
                self.edit(self.controller.add_point, event.x, self.label_y(event.y))
            else:
                self.publish()
        elif event.kind == "drag" and self.grabbed is not None:
            self.edit(self.controller.move_point, self.grabbed, event.x, self.label_y(event.y),
                      coalesce=True)
        elif event.kind == "release":
            self.grabbed = None
            self.publish()

    def on_start_pointer(self, event: StartPointer) -> None:
        """Press or drag on the surface or the slice: the start moves there and the run resets
        (the surface shows the first step from it); the release keeps it."""
        if not self.mouse_allowed():
            return
        self.running = False
        if not (math.isfinite(event.p) and math.isfinite(event.q)):
            return
        m, b = self.engine.model(event.standardized).to_data(event.p, event.q)
        self.settings_changed()
        self.controller.set_start(m, b)
        if event.kind == "release":
            self.notify(f"Start point m = {num(m)}, b = {num(b)}: s steps from there.",
                        timeout=3)

    # -- saving and the reproducing command ---------------------------------------------------
    def action_save_data(self) -> None:
        """Save the data (as edited) as CSV; asks before replacing a file."""
        from gdtui.app.screens.dialogs import write_asking

        if not writes_allowed():
            self.notify(f"Data not saved: {WRITES_OFF}.", severity="warning")
            return
        dataset, engine = self.setup.dataset, self.engine
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(dataset.name).stem).strip("-.") or "data"
        path = Path(f"{stem}-edited.csv")
        version = engine.data_version
        xs, ys = [engine.x], [engine.y]
        if engine.test_set is not None:  # every point: the held-out ones after the fitted ones
            xs.append(engine.test_set.x)
            ys.append(engine.test_set.y)
        head = io.StringIO()
        csv.writer(head, lineterminator="\n").writerow([dataset.x_label, dataset.y_label])
        rows = [f"{x!r},{y!r}" for x, y in zip(np.concatenate(xs).tolist(),
                                                 np.concatenate(ys).tolist(), strict=True)]
        text = head.getvalue() + "\n".join(rows) + "\n"
        inputs = [self.setup.source] if self.setup.source else []

        def done(written: Path) -> None:
            self.data_saved = (written, version)
            self.notify(f"Saved {len(rows):,} points to {shown(written)}")

        write_asking(self.app, path, lambda path, overwrite: write_atomically(
            path, text, overwrite=overwrite, inputs=inputs), done)

    def data_note(self) -> str:
        """What the reproducing command must say about edited data ('' when not edited)."""
        if not self.engine.data_edited:
            return ""
        saved = self.data_saved
        if saved is not None and saved[1] == self.engine.data_version:
            held = (" (the points held out are drawn again from it by the seed)"
                    if self.engine.test_set is not None else "")
            return f"# The data were edited in the app and saved as {shown(saved[0])}{held}.\n"
        return ("# The data were edited in the app (not saved: D saves them as CSV); this "
                "command starts from the data as loaded.\n")

    def edited_setup(self):
        """The setup that reproduces the data on screen: the saved CSV when it is current."""
        saved = self.data_saved
        if self.engine.data_edited and saved is not None and \
                saved[1] == self.engine.data_version:
            return replace(self.setup, source=str(saved[0]), x=None, y=None, synthetic=None)
        return self.setup

    # -- noise (synthetic data) ---------------------------------------------------------------
    def action_noise(self) -> None:
        """Change the synthetic data's noise, n and seed; the data are drawn again."""
        from gdtui.data import parse_synthetic_spec

        if self.setup.synthetic is None:
            self.notify("N works on --synthetic data (e.g. gdtui --synthetic noise=2).",
                        timeout=4)
            return
        self.running = False
        values = parse_synthetic_spec(self.setup.synthetic)
        self.app.push_screen(NoiseScreen(values["noise"], int(values["n"]), self.setup.seed),
                             self.apply_noise)

    def apply_noise(self, answer: tuple[float, int, int] | None) -> None:
        from gdtui.data import parse_synthetic_spec
        from gdtui.labels import synthetic_for
        from gdtui.run import make_engine

        if answer is None:
            return
        noise, n, seed = answer
        values = parse_synthetic_spec(self.setup.synthetic)
        values.update(noise=noise, n=n)
        spec = ",".join(f"{k}={int(v) if k == 'n' else repr(float(v))}"
                        for k, v in values.items())
        try:
            dataset = synthetic_for(self.engine.model_name, spec, seed)
            setup = replace(self.setup, synthetic=spec, seed=seed, dataset=dataset)
            engine = make_engine(setup, like=self.engine, seed=seed)
        except GdtuiError as exc:
            self.notify(f"Data not changed: {exc}", severity="error")
            return
        self.setup = setup
        self.data_saved = None
        self.data_holding = self.grabbed = None
        self.data_pane().set_dataset(dataset)
        self.settings_changed()
        self.controller.replace_engine(engine)
        self.notify(f"New data: {n:,} points, noise {noise:g}, seed {seed}. The run starts "
                    "again, since the data changed.", timeout=5)


class NoiseScreen(ModalScreen[tuple[float, int, int] | None]):
    """Ask for the synthetic data's noise level, number of points and seed."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, noise: float, n: int, seed: int) -> None:
        super().__init__()
        self.values = (noise, n, seed)

    def compose(self) -> ComposeResult:
        noise, n, seed = self.values
        with Vertical(id="dialog"):
            yield Static("New synthetic data: noise level (σ of y around the line), number "
                         "of points and seed, as NOISE,N,SEED.", classes="hint")
            yield Input(value=f"{noise:g},{n},{seed}", id="noise-input")
            yield Static("enter draws the data again · escape cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            noise, n, seed = (p.strip() for p in event.value.split(","))
            answer = (float(noise), int(n), int(seed))
        except ValueError:
            self.app.notify(f"Expected NOISE,N,SEED (e.g. 0.5,200,3), got {event.value!r}",
                            severity="error")
            return
        if not (math.isfinite(answer[0]) and answer[0] >= 0 and answer[1] >= 2
                and answer[2] >= 0):
            self.app.notify("Noise must be ≥ 0, n ≥ 2 and the seed ≥ 0.", severity="error")
            return
        self.dismiss(answer)
