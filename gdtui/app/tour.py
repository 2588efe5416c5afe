"""The guided tour in the app: each lesson sets the app up, asks, lets the learner run, explains.

The texts come from :mod:`gdtui.tour` (Markdown, per language); this module
supplies what only the app knows: how each lesson sets the app up and the
numbers from the learner's own run that fill the texts.
"""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from textual.widgets import Static

from gdtui.app.controller import comparison_rates, iterations_to_reach
from gdtui.coach import is_stalled, verdict
from gdtui.engine import COL, DescentEngine
from gdtui.formulas import names, num
from gdtui.tour import Tour, fill, load_lessons

STEP_TITLES = {"intro": "", "predict": "Predict", "run": "Your turn", "verdict": "What happened"}


class TourPane(Static):
    """The current lesson step, its choices and the keys that move on."""

    text = ""
    """The plain text on show."""

    def show(self, guide: TourGuide) -> None:
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


class TourGuide:
    """Runs the tour against the app: lesson set-ups and the numbers of the learner's run."""

    def __init__(self, app, language: str = "en") -> None:
        self.app = app
        self.tour = Tour(load_lessons(language))
        self.values: dict = {}
        self.active = False
        self._lesson_values: dict = {}

    # -- moving through the tour ----------------------------------------------------
    def start(self, lesson_number: int = 1) -> None:
        self.active = True
        self.tour.go_to(lesson_number - 1)
        self._enter_lesson()

    def leave(self) -> None:
        """Stop touring; the app stays as the lesson left it."""
        self.active = False

    def forward(self) -> str:
        outcome = self.tour.forward()
        if outcome == "lesson":
            self._enter_lesson()
        elif outcome == "step":
            self._refresh_values()
        return outcome

    def back(self) -> str:
        outcome = self.tour.back()
        if outcome == "lesson":
            self._enter_lesson()
        else:
            self._refresh_values()
        return outcome

    def skip(self, delta: int) -> None:
        self.tour.go_to(self.tour.lesson_index + delta)
        self._enter_lesson()

    def answer(self, index: int) -> bool | None:
        result = self.tour.choose(index)
        self._refresh_values()
        return result

    # -- lessons ----------------------------------------------------------------------
    @property
    def engine(self) -> DescentEngine:
        return self.app.engine

    def _enter_lesson(self) -> None:
        number = self.tour.lesson.number
        getattr(self, f"_setup_{number}")()
        self._lesson_values = self._common()
        self._lesson_values.update(getattr(self, f"_intro_{number}", dict)())
        self._refresh_values()

    def _refresh_values(self) -> None:
        values = dict(self._lesson_values)
        values.update(self._common())
        if self.tour.answer is not None:
            choice = self.tour.lesson.choices[self.tour.answer]
            values["picked"] = fill(choice.text, values)
        if self.tour.step == "verdict":
            values.update(getattr(self, f"_verdict_{self.tour.lesson.number}", dict)())
        self.values = values

    def _common(self) -> dict:
        e = self.engine
        snap = e.snapshot()
        cf = e.closed_form
        rows = e.history.rows
        pm, pb = names(e.standardize)
        return {
            "x_label": self.app.dataset.x_label, "y_label": self.app.dataset.y_label,
            "m0": num(e.start[0]), "b0": num(e.start[1]), "steps": f"{snap.iteration:,}",
            "m": num(snap.m), "b": num(snap.b), "cost": num(snap.cost),
            "start_cost": num(float(rows[0, COL["cost"]])), "m_star": num(cf.m),
            "b_star": num(cf.b), "j_star": num(cf.cost), "n": f"{e.n_points:,}",
            "pm": pm, "pb": pb,
        }

    def _main_view(self, view: str = "data", **settings) -> None:
        app = self.app
        while len(app.screen_stack) > 1:
            app.pop_screen()
        app.running = False
        app.controller.configure(**settings)
        app._settings_changed()
        app.show_view(view)
        app.refresh_panes()

    def _setup_1(self) -> None:
        self._main_view("data", optimizer="gd", learning_rate=0.1, batch_size=0,
                        standardize=True)

    _setup_2 = _setup_1

    def _verdict_2(self) -> dict:
        e = self.engine
        snap = e.snapshot()
        x, y = self.app.dataset.x[:3], self.app.dataset.y[:3]
        lines = []
        for xi, yi in zip(x, y, strict=True):
            pred = snap.m * xi + snap.b
            err = yi - pred
            lines.append(f"- x = {num(xi, 2)}: ŷ = {num(pred, 2)}, y = {num(yi, 2)}, "
                         f"error {num(err, 2)}, squared {num(err * err, 2)}")
        return {"cost_rows": "\n".join(lines)}

    def _setup_3(self) -> None:
        self._main_view("slice", optimizer="gd", learning_rate=0.1, batch_size=0,
                        standardize=True)

    def _verdict_3(self) -> dict:
        e = self.engine
        rows = e.history.rows
        p0, p1 = float(rows[0, COL["p"]]), float(rows[-1, COL["p"]])
        return {"g0": num(float(rows[0, COL["grad_p"]])), "p0": num(p0), "p1": num(p1),
                "direction": "up" if p1 > p0 else ("down" if p1 < p0 else "nowhere"),
                "g_now": num(float(rows[-1, COL["grad_p"]]))}

    def _setup_4(self) -> None:
        self._main_view("data", optimizer="gd", learning_rate=0.1, batch_size=0,
                        standardize=True)

    def _intro_4(self) -> dict:
        snap = self.engine.snapshot()
        alpha = self.engine.next_learning_rate
        p0, g0 = snap.p, snap.grad_p
        return {"p0": num(p0), "g0": num(g0), "alpha": num(alpha),
                "choice_right": num(p0 - alpha * g0), "choice_plus": num(p0 + alpha * g0),
                "choice_no_alpha": num(p0 - g0)}

    def _verdict_4(self) -> dict:
        return {"p1": num(self.engine.snapshot().p)}

    def _setup_5(self) -> None:
        self._main_view("data", optimizer="gd", learning_rate=0.1, batch_size=0,
                        standardize=True)
        self.app.action_compare()

    def _intro_5(self) -> dict:
        stability = self.engine.stability()
        small, best, large = comparison_rates(self.engine)
        return {"limit": num(stability.max_stable_lr), "best": num(best), "small": num(small),
                "large": num(large)}

    def _verdict_5(self) -> dict:
        screen = self.app.screen
        engines = getattr(getattr(screen, "controller", None), "engines", None)
        if not engines or len(engines) != 3:
            return {}
        results = []
        for e in engines:
            reached = iterations_to_reach(e)
            if reached is not None:
                results.append(f"came within 1e-6 of J* in {reached:,} steps")
            elif e.status.value == "diverged":
                results.append(f"diverged at step {e.iteration + 1:,}")
            else:
                results.append(f"was still {num(e.snapshot().excess_cost)} above J* "
                               f"after {e.iteration:,} steps")
        return {"small_result": results[0], "right_result": results[1],
                "large_result": results[2]}

    def _setup_6(self) -> None:
        self._main_view("surface", optimizer="gd", batch_size=0, standardize=False)
        self.app.controller.configure(learning_rate=self.engine.stability(False).best_lr)
        self.app.refresh_panes()

    def _intro_6(self) -> dict:
        return {"kappa_raw": num(self.engine.stability(False).condition_number, 1),
                "kappa_std": num(self.engine.stability(True).condition_number, 1),
                "best_raw": num(self.engine.stability(False).best_lr)}

    def _verdict_6(self) -> dict:
        e = self.engine
        best_std = e.stability(True).best_lr
        standardized = self.app.runner(learning_rate=best_std, standardize=True, tol=0,
                                       max_iter=100_000)
        reached = None
        for _ in range(100):
            standardized.run(1000)
            reached = iterations_to_reach(standardized)
            if reached is not None:
                break
        return {"excess": num(e.snapshot().excess_cost), "coach": verdict(e, stalled=is_stalled(e)),
                "best_std": num(best_std),
                "std_steps": f"{reached:,}" if reached is not None else "many"}

    def _setup_7(self) -> None:
        self._main_view("surface", optimizer="gd", learning_rate=0.05, batch_size=1,
                        standardize=True)

    def _verdict_7(self) -> dict:
        cost = self.engine.history.column("cost")
        return {"ups": f"{int((cost[1:] > cost[:-1]).sum()):,}"}

    def _setup_8(self) -> None:
        self._main_view("data", optimizer="gd", learning_rate=0.1, batch_size=0,
                        standardize=True)
        self.app.action_race()

    def _verdict_8(self) -> dict:
        screen = self.app.screen
        engines = getattr(getattr(screen, "controller", None), "engines", None)
        if not engines:
            return {}
        finished = [(iterations_to_reach(e), e.optimizer) for e in engines]
        done = sorted((n, name) for n, name in finished if n is not None)
        picked = {0: "gd", 1: "momentum", 2: "adam"}.get(self.tour.answer)
        if not done:
            return {"winner_line": "no runner has come within 1e-6 of J* yet: run longer."}
        steps, winner = done[0]
        judged = "you were right." if picked == winner else "not the one you picked."
        return {"winner_line": f"the first within 1e-6 of J* was {winner}, after {steps:,} "
                               f"steps: {judged}"}
