"""The tour's pane: the current lesson step, its choices and the keys that move on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from gdtui.i18n import text
from gdtui.tour import fill


class TourPane(VerticalScroll, can_focus=False):
    """The current lesson step, its choices and the keys that move on, in the tour's language.

    It scrolls (↑ ↓), so the end of a long lesson is reachable on a short terminal.
    """

    ALLOW_MAXIMIZE = True

    text = ""
    """The plain text on show."""

    def compose(self) -> ComposeResult:
        yield Static(id="tour-text")

    def show(self, guide) -> None:
        """Write the step of the lesson ``guide`` is at."""
        tour, lang = guide.tour, guide.language
        lesson = tour.lesson
        values = guide.values
        title = text("lesson", lang, number=lesson.number, total=len(tour.lessons),
                     title=lesson.title)
        parts = [f"**{title}**"]
        step = tour.step
        if step == "intro":
            parts.append(fill(lesson.intro, values))
            keys = text("keys.intro", lang)
        elif step == "predict":
            parts.append(fill(lesson.question, values))
            for i, choice in enumerate(lesson.choices, 1):
                mark = "→ " if tour.answer == i - 1 else ""
                parts.append(f"{i}. {mark}{fill(choice.text, values)}")
            if tour.answer is None:
                keys = text("keys.answer", lang, count=len(lesson.choices))
            else:
                correct = lesson.choices[tour.answer].correct
                kind = "any" if correct is None else ("right" if correct else "wrong")
                parts.append("*" + fill(lesson.feedback.get(kind, ""), values) + "*")
                keys = text("keys.answered", lang)
        elif step == "run":
            parts.append(fill(lesson.run, values))
            keys = text("keys.run", lang)
        else:
            parts.append(fill(lesson.verdict, values))
            keys = text("keys.last" if tour.at_end else "keys.verdict", lang)
        if step != "intro":
            parts[0] = f"**{title} · {text('step.' + step, lang)}**"
        # The keys go right under the title, where a short terminal still shows them.
        parts.insert(1, f"`{keys}`")
        from rich.markdown import Markdown as RichMarkdown  # (markdown-it: not before a tour)

        markdown = "\n\n".join(parts)
        if markdown != self.text:
            self.scroll_home(animate=False)  # a new step starts at its title and keys
        self.text = markdown
        self.query_one("#tour-text", Static).update(RichMarkdown(markdown))
