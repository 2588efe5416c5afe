"""The guided tour's lessons and its state machine (pure: no Textual).

Lessons are Markdown files in :mod:`gdtui.lessons`, one per language, parsed
into :class:`Lesson` objects. :class:`Tour` walks them: each lesson has four
steps (intro, predict, run, verdict); a prediction must be answered before
the learner moves on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from gdtui.errors import GdtuiError

STEPS = ("intro", "predict", "run", "verdict")
LESSON_COUNT = 9
"""Lessons in every language's file (the command line's --lesson range)."""


@dataclass(frozen=True)
class Choice:
    """One answer to a prediction."""

    text: str
    correct: bool | None  # None: the run decides


@dataclass(frozen=True)
class Lesson:
    """One lesson's texts (templates with {names} from the learner's run)."""

    number: int
    title: str
    intro: str
    question: str
    choices: tuple[Choice, ...]
    feedback: dict[str, str]
    run: str
    verdict: str


def load_lessons(language: str = "en") -> list[Lesson]:
    """Parse the lessons of ``language`` from the packaged Markdown."""
    try:
        text = resources.files("gdtui.lessons").joinpath(f"{language}.md").read_text("utf-8")
    except FileNotFoundError:
        raise GdtuiError(f"no tour in language {language!r}") from None
    return parse_lessons(text)


def parse_lessons(text: str) -> list[Lesson]:
    """Lessons from Markdown (see the comment at the top of ``en.md``)."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    lessons = []
    for block in re.split(r"^# ", text, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        number_text, _, title = heading.partition(". ")
        sections = dict.fromkeys(("Predict", "Run", "Verdict"), "")
        intro, *rest = re.split(r"^## ", body, flags=re.M)
        for part in rest:
            name, _, content = part.partition("\n")
            sections[name.strip()] = content.strip()
        question_lines, choices, feedback = [], [], {}
        for line in sections["Predict"].splitlines():
            mark = re.match(r"- \[([ x])\] (.*)", line)
            note = re.match(r"> (right|wrong|any): (.*)", line)
            if mark:
                choices.append(Choice(mark.group(2).strip(), mark.group(1) == "x"))
            elif note:
                feedback[note.group(1)] = note.group(2).strip()
            elif not choices:
                question_lines.append(line)
        if not any(c.correct for c in choices):
            choices = [Choice(c.text, None) for c in choices]
        lessons.append(Lesson(int(number_text), title.strip(), intro.strip(),
                              "\n".join(question_lines).strip(), tuple(choices), feedback,
                              sections["Run"], sections["Verdict"]))
    return lessons


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def fill(template: str, values: dict) -> str:
    """``template`` with {names} replaced; a name without a value shows as …."""
    return template.format_map(_Blank(values))


@dataclass
class Tour:
    """Where the learner is: lesson, step, and the answers given."""

    lessons: list[Lesson]
    lesson_index: int = 0
    step_index: int = 0
    answers: dict[int, int] = field(default_factory=dict)

    @property
    def lesson(self) -> Lesson:
        return self.lessons[self.lesson_index]

    @property
    def step(self) -> str:
        return STEPS[self.step_index]

    @property
    def answer(self) -> int | None:
        """The choice (0-based) picked in this lesson, if any."""
        return self.answers.get(self.lesson.number)

    @property
    def awaiting_answer(self) -> bool:
        """True on a prediction that has not been answered yet."""
        return self.step == "predict" and self.answer is None

    @property
    def at_end(self) -> bool:
        return self.lesson_index == len(self.lessons) - 1 and self.step == "verdict"

    def choose(self, index: int) -> bool | None:
        """Answer the prediction with choice ``index`` (0-based); returns whether it was right."""
        if self.step != "predict" or not 0 <= index < len(self.lesson.choices):
            raise IndexError(index)
        self.answers[self.lesson.number] = index
        return self.lesson.choices[index].correct

    def forward(self) -> str:
        """Next step, or the next lesson's first. Returns "step", "lesson", "blocked" or "end"."""
        if self.awaiting_answer:
            return "blocked"
        if self.step_index < len(STEPS) - 1:
            self.step_index += 1
            return "step"
        if self.lesson_index < len(self.lessons) - 1:
            self.go_to(self.lesson_index + 1)
            return "lesson"
        return "end"

    def back(self) -> str:
        """Previous step; from a lesson's first step, the previous lesson's start."""
        if self.step_index > 0:
            self.step_index -= 1
            return "step"
        if self.lesson_index > 0:
            self.go_to(self.lesson_index - 1)
            return "lesson"
        return "start"

    def go_to(self, lesson_index: int) -> None:
        """Start lesson ``lesson_index`` (0-based) afresh; its old answer is forgotten."""
        self.lesson_index = max(0, min(lesson_index, len(self.lessons) - 1))
        self.step_index = 0
        self.answers.pop(self.lesson.number, None)
