"""Modal screens: help, the reproducing command line, the start-point placer, the export name."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Markdown, Static

from gdtui.atomic import shown, write_atomically
from gdtui.errors import ConfigError, FileExists, GdtuiError
from gdtui.formulas import num
from gdtui.policy import WRITES_OFF, writable_path, writes_allowed
from gdtui.run import EXACT_INTRO

SCRIPT_NAME = "gdtui-run.sh"


class HelpScreen(ModalScreen[None]):
    """Keys and the mathematics on screen, from the packaged ``help.md``."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help"),
    ]

    def __init__(self, language: str = "en") -> None:
        super().__init__()
        self.language = language

    def compose(self) -> ComposeResult:
        name = "help.md" if self.language == "en" else f"help.{self.language}.md"
        files = resources.files("gdtui.app")
        if not files.joinpath(name).is_file():
            name = "help.md"
        text = files.joinpath(name).read_text(encoding="utf-8")
        with VerticalScroll(id="help-body"):
            yield Markdown(text)

    @on(Markdown.LinkClicked)
    def ignore_links(self, event: Markdown.LinkClicked) -> None:
        event.prevent_default()


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y answers yes; n or escape answer no."""

    BINDINGS = [
        Binding("y", "dismiss(True)", "Yes"),
        Binding("n,escape", "dismiss(False)", "No"),
    ]

    def __init__(self, question: str, hint: str = "y: yes · n or escape: no") -> None:
        super().__init__()
        self.question = question
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="question")
            yield Static(self.hint, classes="hint")


def write_asking(app, path: Path, write, done) -> None:
    """Write with ``write(path, overwrite)``; if ``path`` exists, ask before overwriting it.

    ``path`` goes through the session's write policy first (:func:`gdtui.policy.writable_path`:
    a served session writes nowhere, or only in its folder). ``write`` raises
    :class:`FileExists` when the file is there and ``overwrite`` is False; ``done(path)`` is
    called once the file is written. Failures are one notice.
    """
    try:
        path = writable_path(path)
    except GdtuiError as exc:
        app.notify(f"Not written: {exc}", severity="error")
        return

    def attempt(overwrite: bool) -> None:
        try:
            written = write(path, overwrite)
        except FileExists:
            app.push_screen(ConfirmScreen(f"{shown(path)} exists. Overwrite it?",
                                          "y: overwrite · n or escape: keep it"), answer)
            return
        except (OSError, GdtuiError) as exc:
            app.notify(f"Not written: {exc}", severity="error")
            return
        done(written)

    def answer(yes: bool | None) -> None:
        if yes:
            attempt(True)
        else:
            app.notify(f"Kept {shown(path)} as it was.")

    attempt(False)


class ReproduceScreen(ModalScreen[None]):
    """The command line that reproduces the current setup; ``w`` writes it to a script."""

    BINDINGS = [
        Binding("w", "write", "Write to " + SCRIPT_NAME),
        Binding("escape,y,q", "dismiss", "Close"),
    ]

    def __init__(self, command: str, intro: str = EXACT_INTRO, caveats=()) -> None:
        super().__init__()
        self.command = command
        self.intro = intro
        self.caveats = list(caveats)
        """What the command cannot reproduce (settings changed during the run), in words."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.intro, classes="hint", id="command-intro")
            yield Static(self.command, id="command")
            for line in self.caveats:
                yield Static(line, classes="caveat")
            yield Static(f"w writes it to ./{SCRIPT_NAME} · escape closes" if writes_allowed()
                         else f"Not written: {WRITES_OFF} · escape closes", classes="hint")

    def action_write(self) -> None:
        path = Path(SCRIPT_NAME)
        notes = "".join(f"# {line}\n" for line in [self.intro, *self.caveats])
        script = "#!/bin/sh\n" + notes + self.command + ' "$@"\n'
        app = self.app

        def done(written: Path) -> None:
            app.notify(f"Wrote {shown(written)}")

        self.dismiss()
        write_asking(app, path, lambda path, overwrite: write_atomically(
            path, script, 0o777, overwrite=overwrite), done)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # No "w" where this session may not write files (gdtui serve without --allow-writes).
        return action != "write" or writes_allowed()


class StartPointScreen(ModalScreen[tuple[float, float] | None]):
    """Place the start point: arrows move it, t types it, enter applies, escape cancels."""


    BINDINGS = [
        Binding("left", "nudge(-1, 0)", "m −", key_display="←"),
        Binding("right", "nudge(1, 0)", "m +", key_display="→"),
        Binding("down", "nudge(0, -1)", "b −", key_display="↓"),
        Binding("up", "nudge(0, 1)", "b +", key_display="↑"),
        Binding("t", "type", "Type M,B"),
        Binding("enter", "apply", "Apply"),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, start: tuple[float, float], steps: tuple[float, float],
                 preview=None) -> None:
        super().__init__()
        self.m, self.b = start
        self.steps = steps
        self.preview = preview  # called with (m, b) as the arrows move the point

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Start point (data units). ← → move m, ↑ ↓ move b (the line and "
                         "the cost follow), t to type, enter to keep it, escape to undo.",
                         classes="hint")
            yield Static(id="start-values")

    def on_mount(self) -> None:
        self.show_values()

    def show_values(self) -> None:
        self.query_one("#start-values", Static).update(f"m = {num(self.m)}    b = {num(self.b)}")

    def action_nudge(self, dm: int, db: int) -> None:
        self.m += dm * self.steps[0]
        self.b += db * self.steps[1]
        self.show_values()
        if self.preview is not None:
            self.preview(self.m, self.b)

    def action_type(self) -> None:
        """Open a text field for M,B (the arrows then edit the text)."""
        fields = self.query(Input)
        if fields:
            fields.first().focus()
            return
        field = Input(value=f"{self.m!r},{self.b!r}", placeholder="M,B  e.g. 0.5,-20",
                      id="start-input")
        self.query_one("#dialog").mount(field)
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            self.m, self.b = parse_start(event.value)
        except ConfigError as exc:
            self.app.notify(str(exc), severity="error")
            return
        self.action_apply()

    def action_apply(self) -> None:
        self.dismiss((self.m, self.b))


def parse_start(text: str) -> tuple[float, float]:
    """Parse ``M,B`` into two finite floats, or raise ConfigError."""
    parts = text.replace(" ", "").split(",")
    try:
        m, b = (float(p) for p in parts)
    except ValueError:
        raise ConfigError(f"expected M,B (two numbers), got {text!r}") from None
    if not all(map(lambda v: v == v and abs(v) != float("inf"), (m, b))):
        raise ConfigError(f"start point must be finite, got {text!r}")
    return m, b


class ExportScreen(ModalScreen[str | None]):
    """Ask for the file name of a history export (.csv, or .json with the settings)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Export every iteration of this run. A name ending in .json also "
                         "records the settings; .csv records them on its first line.",
                         classes="hint")
            yield Input(value=self.default, id="export-name")
            yield Static("enter writes · escape cancels", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        self.dismiss(name or None)
