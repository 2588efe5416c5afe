"""The tour's pane: the current lesson step, its choices and the keys that move on."""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from textual.widgets import Static

from gdtui.tour import fill

STEP_TITLES = {"intro": "", "predict": "Predict", "run": "Your turn", "verdict": "What happened"}


class TourPane(Static):
    """The current lesson step, its choices and the keys that move on."""

    text = ""
    """The plain text on show."""

    def show(self, guide) -> None:
        """Write the step of the lesson ``guide`` is at."""
        tour = guide.tour
        lesson = tour.lesson
        values = guide.values
        parts = [f"**Lesson {lesson.number} of {len(tour.lessons)}: {lesson.title}**"]
        step = tour.step
        if step == "intro":
            parts.append(fill(lesson.intro, values))
            keys = "Enter: next · PgDn: skip lesson · Esc: leave the tour"
        elif step == "predict":
            parts.append(fill(lesson.question, values))
            for i, choice in enumerate(lesson.choices, 1):
                mark = "→ " if tour.answer == i - 1 else ""
                parts.append(f"{i}. {mark}{fill(choice.text, values)}")
            if tour.answer is None:
                keys = f"Answer with 1–{len(lesson.choices)} · Backspace: back"
            else:
                correct = lesson.choices[tour.answer].correct
                kind = "any" if correct is None else ("right" if correct else "wrong")
                parts.append("*" + fill(lesson.feedback.get(kind, ""), values) + "*")
                keys = "Enter: try it · another number changes the answer"
        elif step == "run":
            parts.append(fill(lesson.run, values))
            keys = "the usual keys work · Enter: what happened · Backspace: back"
        else:
            parts.append(fill(lesson.verdict, values))
            keys = ("Enter: finish the tour" if tour.at_end else "Enter: next lesson") + \
                " · Backspace: back · PgUp: repeat"
        if STEP_TITLES[step]:
            parts[0] += f" · {STEP_TITLES[step]}"
        # The keys go right under the title, where a short terminal still shows them.
        parts.insert(1, f"`{keys}`")
        markdown = "\n\n".join(parts)
        self.text = markdown
        self.update(RichMarkdown(markdown))
