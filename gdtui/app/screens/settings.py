"""Values typed in: the run's settings (``i`` in the main view) and the comparison's rates.

Each field is checked as it is typed by the engine's own rule (:mod:`gdtui.engine.validation`,
:mod:`gdtui.engine.hyper`), and says under itself, in one line, what is wrong. Enter applies
every changed field, or nothing while any field is wrong; escape cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label, Static

from gdtui.engine import DescentEngine, get_schedule
from gdtui.engine.hyper import (
    SYMBOLS,
    optimizer_parameter_names,
    schedule_parameter_names,
    validate_parameter,
)
from gdtui.engine.validation import validate_batch_size, validate_learning_rate
from gdtui.errors import ConfigError

_WHAT = {"beta": "momentum", "rho": "decay of s", "beta1": "decay of u", "beta2": "decay of s",
         "eps": "added to divisor", "gamma": "decay factor", "every": "steps per decay",
         "decay": "1/(1 + k·t)", "warmup": "fraction of the run"}


@dataclass(frozen=True)
class Field:
    """One value to type: its key, its label, the text it starts with, its rule."""

    key: str
    label: str
    value: str
    parse: Callable[[str], object]
    """Text → value; raises ConfigError with a one-line message naming what is wrong."""


class Rule(Validator):
    """A Textual validator that applies one of the engine's rules to the text."""

    def __init__(self, parse: Callable[[str], object]) -> None:
        super().__init__()
        self.parse = parse

    def validate(self, value: str) -> ValidationResult:
        try:
            self.parse(value)
        except ConfigError as exc:
            return self.failure(str(exc))
        return self.success()


def number(text: str, what: str) -> float:
    """``text`` as a float, or ConfigError naming ``what``."""
    try:
        return float(text.strip())
    except ValueError:
        raise ConfigError(f"{what} must be a number, got {text.strip()!r}") from None


def whole(text: str, what: str) -> int:
    """``text`` as an int, or ConfigError naming ``what``."""
    try:
        return int(text.strip())
    except ValueError:
        raise ConfigError(f"{what} must be a whole number, got {text.strip()!r}") from None


def finite(text: str, what: str) -> float:
    """``text`` as a finite float, or ConfigError naming ``what``."""
    value = number(text, what)
    if value != value or abs(value) == float("inf"):
        raise ConfigError(f"{what} must be a finite number, got {text.strip()!r}")
    return value


def shown_value(value) -> str:
    """A value as the field shows it (short, and read back to the same float)."""
    return str(value) if isinstance(value, int) else repr(float(value))


def settings_fields(engine: DescentEngine) -> list[Field]:
    """The fields of the settings dialog for ``engine``'s optimizer and schedule now."""
    fields = [Field("learning_rate", "α  learning rate", shown_value(engine.learning_rate),
                    lambda t: validate_learning_rate(t.strip()))]
    params = engine.optimizer_params
    for name in optimizer_parameter_names(engine.optimizer):
        fields.append(Field(f"optimizer:{name}", f"{SYMBOLS[name]}  {_WHAT[name]}",
                            shown_value(params[name]),
                            lambda t, n=name: validate_parameter(n, t.strip())))
    n = engine.n_points
    fields.append(Field("batch_size", "batch size (0 = full)", str(engine.batch_size),
                        lambda t: validate_batch_size(whole(t, "batch size"), n)))
    fields.append(Field("schedule", "schedule of α", engine.schedule,
                        lambda t: get_schedule(t.strip()).name))
    sched = engine.schedule_params
    for name in schedule_parameter_names(engine.schedule):
        fields.append(Field(f"schedule:{name}", f"{SYMBOLS[name]}  {_WHAT[name]}",
                            shown_value(sched[name]),
                            lambda t, n=name: validate_parameter(n, t.strip())))
    m, b = engine.start
    fields += [Field("start_m", "start m (resets)", shown_value(m), lambda t: finite(t, "m")),
               Field("start_b", "start b (resets)", shown_value(b), lambda t: finite(t, "b"))]
    return fields


class FieldsScreen(ModalScreen[dict | None]):
    """Type values: returns {key: value} of the fields whose text changed, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, fields: list[Field], hint: str) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, classes="hint")
            for field in self.fields:
                with Horizontal(classes="field-row"):
                    yield Label(field.label, classes="field-label")
                    yield Input(field.value, id=f"field-{field.key.replace(':', '-')}",
                                validators=[Rule(field.parse)], compact=True)
                message = Static("", classes="field-message", id=self.message_id(field))
                message.display = False
                yield message
            yield Static(self.hint, classes="hint")

    @staticmethod
    def message_id(field: Field) -> str:
        return f"message-{field.key.replace(':', '-')}"

    def field_input(self, field: Field) -> Input:
        return self.query_one(f"#field-{field.key.replace(':', '-')}", Input)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        for field in self.fields:
            if self.field_input(field) is event.input:
                self.say(field, event.validation_result)

    def say(self, field: Field, result: ValidationResult | None) -> None:
        """Show or clear the one-line message under ``field``."""
        message = self.query_one(f"#{self.message_id(field)}", Static)
        wrong = result is not None and not result.is_valid
        message.update(result.failure_descriptions[0] if wrong else "")
        message.display = wrong

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        changes, first_wrong = {}, None
        for field in self.fields:
            field_input = self.field_input(field)
            result = field_input.validate(field_input.value)
            self.say(field, result)
            if result is not None and not result.is_valid:
                first_wrong = first_wrong or field_input
            elif field_input.value.strip() != field.value:
                changes[field.key] = field.parse(field_input.value)
        if first_wrong is not None:
            first_wrong.focus()  # nothing changes while a field is wrong
            return
        self.dismiss(changes)


def settings_screen(engine: DescentEngine) -> FieldsScreen:
    """The settings dialog for ``engine`` (``i`` in the main view)."""
    return FieldsScreen(
        f"Settings of this run ({engine.optimizer}, {engine.schedule} schedule). Type new "
        "values; they apply from the next step.",
        settings_fields(engine),
        "tab: next field · enter: apply all · escape: cancel. Another optimizer (o in the "
        "main view) or schedule shows its own parameters here next time.")


def rates_screen(rates) -> FieldsScreen:
    """The comparison's rates to type (``i`` in the comparison)."""
    fields = [Field(f"rate{i}", f"α of panel {i + 1}", shown_value(rate),
                    lambda t: validate_learning_rate(t.strip()))
              for i, rate in enumerate(rates)]
    return FieldsScreen(
        "The comparison's learning rates. Each panel's label (too small, just right, …) "
        "is worked out from its α; the comparison restarts with them.",
        fields, "tab: next field · enter: restart with these rates · escape: cancel")
