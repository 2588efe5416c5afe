"""The guided tour in the app: each lesson sets the app up, asks, lets the learner run, explains.

The texts come from :mod:`gdtui.tour` (Markdown, per language); this module
supplies what only the app knows: how each lesson sets the app up and the
numbers from the learner's own run that fill the texts.
"""

from __future__ import annotations

import functools

import numpy as np

from gdtui.app.controller import comparison_rates
from gdtui.app.widgets.readout_panes import ParametersPane
from gdtui.app.widgets.tour_pane import TourPane
from gdtui.app.words import coach_line
from gdtui.coach import is_stalled, verdict
from gdtui.engine import COL, TARGET_PHRASE, DescentEngine, Status, iterations_to_reach
from gdtui.engine.reference import least_squares
from gdtui.engine.theory import raw_default_rate
from gdtui.formulas import names, num
from gdtui.i18n import steps_phrase, text, times_phrase
from gdtui.run import make_engine
from gdtui.tour import Tour, fill, load_lessons

SLICE_LESSON = 4
"""The lesson that draws the parabola on fixed axes."""
UPDATE_LESSON = 5
"""The lesson whose prediction is the first step's result (the update pane keeps it back)."""


def fixed_slice_window(engine: DescentEngine) -> tuple[float, float, float, float]:
    """Axes that hold the slice J(p) at the start's q for a whole run: p* ± the start's distance."""
    model = engine.model()
    snap = engine.snapshot()
    p_star, _ = model.optimum()
    half = max(abs(snap.p - p_star) * 1.3, abs(p_star) * 0.2, 1e-9)
    js = model.grid(np.linspace(p_star - half, p_star + half, 201), [snap.q])[0]
    low = min(float(js.min()), engine.closed_form.cost)
    return p_star - half, p_star + half, low - 0.05 * (float(js.max()) - low), float(js.max())


class TourGuide:
    """Runs the tour against the app: lesson set-ups and the numbers of the learner's run."""

    def __init__(self, main, language: str = "en") -> None:
        self.main = main  # the main screen: its controller, views, comparison and race
        self.language = language
        self.values: dict = {}
        self.active = False
        self.lesson_values: dict = {}
        self.slice_window: tuple[float, float, float, float] | None = None

    @functools.cached_property
    def tour(self) -> Tour:
        """The lessons and the learner's place in them (read when the tour first opens)."""
        return Tour(load_lessons(self.language))

    # -- moving through the tour ----------------------------------------------------
    def start(self, lesson_number: int = 1) -> None:
        self.active = True
        self.tour.go_to(lesson_number - 1)
        self.enter_lesson()

    def leave(self) -> None:
        """Stop touring; the app stays as the lesson left it."""
        self.active = False

    def frame_modes(self) -> dict:
        """What the lesson on show changes in the main screen's frame (lesson-scoped modes)."""
        if not self.active:
            return {}
        number = self.tour.lesson.number
        fixed = number == SLICE_LESSON and not self.engine.standardize  # the window's units
        return {"slice_window": self.slice_window if fixed else None,
                "hide_next_step": number == UPDATE_LESSON and self.tour.step == "predict"
                and self.tour.answer is None}

    def refresh(self) -> None:
        """Show or hide the tour pane on every screen (it takes the readouts' place) and redraw."""
        self.main.publish()  # the frame carries the lesson's modes
        app = self.main.app
        for screen in app.screen_stack:
            for pane in screen.query(TourPane):
                pane.display = self.active
                if self.active:
                    pane.show(self)
            screen.set_class(self.active, "-touring")  # the styles make room for the lesson
            screen.refresh_bindings()
        self.main.query_one(ParametersPane).display = not self.active

    def forward(self) -> str:
        outcome = self.tour.forward()
        if outcome == "lesson":
            self.enter_lesson()
        elif outcome == "step":
            self.refresh_values()
        return outcome

    def back(self) -> str:
        outcome = self.tour.back()
        if outcome == "lesson":
            self.enter_lesson()
        else:
            self.refresh_values()
        return outcome

    def skip(self, delta: int) -> None:
        self.tour.go_to(self.tour.lesson_index + delta)
        self.enter_lesson()

    def answer(self, index: int) -> bool | None:
        result = self.tour.choose(index)
        self.refresh_values()
        return result

    # -- lessons ----------------------------------------------------------------------
    @property
    def engine(self) -> DescentEngine:
        return self.main.engine

    def enter_lesson(self) -> None:
        number = self.tour.lesson.number
        getattr(self, f"setup_{number}")()
        self.lesson_values = self.common()
        self.lesson_values.update(getattr(self, f"intro_{number}", dict)())
        self.refresh_values()

    def refresh_values(self) -> None:
        values = dict(self.lesson_values)
        values.update(self.common())
        if self.tour.answer is not None:
            choice = self.tour.lesson.choices[self.tour.answer]
            values["picked"] = fill(choice.text, values)
        if self.tour.step == "verdict":
            values.update(getattr(self, f"verdict_{self.tour.lesson.number}", dict)())
        self.values = values

    def common(self) -> dict:
        e = self.engine
        snap = e.snapshot()
        cf = e.closed_form
        rows = e.history.rows
        pm, pb = names(e.standardize)
        return {
            "x_label": self.main.setup.dataset.x_label, "y_label": self.main.setup.dataset.y_label,
            "m0": num(e.start[0]), "b0": num(e.start[1]),
            "steps": steps_phrase(snap.iteration, self.language),
            "m": num(snap.m), "b": num(snap.b), "cost": num(snap.cost),
            "start_cost": num(float(rows[0, COL["cost"]])), "m_star": num(cf.m),
            "b_star": num(cf.b), "j_star": num(cf.cost), "n": f"{e.n_points:,}",
            "pm": pm, "pb": pb,
        }

    def main_view(self, view: str = "data", **settings) -> None:
        main = self.main
        app = main.app
        while app.screen is not main:
            app.pop_screen()
        main.running = False
        main.settings_changed()
        main.controller.configure(**settings)
        main.show_view(view)

    def raw(self, view: str = "data") -> None:
        """Plain full-batch descent in the data's own units at the default rate there (the
        1-2-5 value under 1/λmax): the seed's m and b, until the scaling lesson."""
        self.main_view(view, optimizer="gd", batch_size=0, standardize=False,
                       learning_rate=raw_default_rate(self.engine.stability(False)))

    def setup_1(self) -> None:
        self.raw()

    setup_2 = setup_1

    def verdict_2(self) -> dict:
        e = self.engine
        snap = e.snapshot()
        x, y = self.main.setup.dataset.x[:3], self.main.setup.dataset.y[:3]
        lines = []
        for xi, yi in zip(x, y, strict=True):
            pred = snap.m * xi + snap.b
            err = yi - pred
            lines.append(text("cost_row", self.language, x=num(xi, 2), pred=num(pred, 2),
                              y=num(yi, 2), err=num(err, 2), sq=num(err * err, 2)))
        return {"cost_rows": "\n".join(lines)}

    # The losses lesson's screen is imported when the lesson starts, not with the app.
    def setup_3(self) -> None:
        from gdtui.app.screens.losses import LossesScreen, loss_engines, outlier_setup

        self.raw()
        setup = outlier_setup()
        self.main.app.push_screen(LossesScreen(setup, loss_engines(setup), self,
                                               self.main.frame_interval))

    def intro_3(self) -> dict:
        from gdtui.app.screens.losses import outlier_index, outlier_setup

        d = outlier_setup().dataset
        i = outlier_index(d.x, d.y)
        return {"x_out": num(d.x[i], 1), "y_out": num(d.y[i], 1),
                "outlier_data": f"{d.x_label} → {d.y_label}"}

    def verdict_3(self) -> dict:
        screen = self.main.app.screen
        engines = getattr(getattr(screen, "controller", None), "engines", None)
        if not engines or len(engines) != 3:
            return {}
        from gdtui.app.screens.losses import outlier_index

        d = screen.setup.dataset
        keep = np.arange(d.n) != outlier_index(d.x, d.y)
        m_clean = least_squares(d.x[keep], d.y[keep]).m
        slopes = {e.loss: num(e.snapshot().m, 2) for e in engines}
        return {"m_mse": slopes["mse"], "m_mae": slopes["mae"], "m_huber": slopes["huber"],
                "m_clean": num(float(m_clean), 2),
                "loss_steps": steps_phrase(max(e.iteration for e in engines), self.language)}

    def setup_4(self) -> None:
        self.raw("slice")
        self.slice_window = fixed_slice_window(self.engine)

    def verdict_4(self) -> dict:
        e = self.engine
        rows = e.history.rows
        p0, p1 = float(rows[0, COL["p"]]), float(rows[-1, COL["p"]])
        return {"g0": num(float(rows[0, COL["grad_p"]])), "p0": num(p0), "p1": num(p1),
                "direction": text("direction." + ("up" if p1 > p0 else (
                    "down" if p1 < p0 else "nowhere")), self.language),
                "g_now": num(float(rows[-1, COL["grad_p"]]))}

    def setup_5(self) -> None:
        self.raw()

    def intro_5(self) -> dict:
        snap = self.engine.snapshot()
        alpha = self.engine.next_learning_rate
        p0, g0 = snap.p, snap.grad_p
        return {"p0": num(p0), "g0": num(g0), "alpha": num(alpha),
                "choice_right": num(p0 - alpha * g0), "choice_plus": num(p0 + alpha * g0),
                "choice_no_alpha": num(p0 - g0)}

    def verdict_5(self) -> dict:
        return {"p1": num(self.engine.snapshot().p)}

    def setup_6(self) -> None:
        self.raw()
        self.main.action_compare()

    def intro_6(self) -> dict:
        stability = self.engine.stability()
        small, best, large = comparison_rates(self.engine)
        return {"limit": num(stability.max_stable_lr), "best": num(best), "small": num(small),
                "large": num(large)}

    def verdict_6(self) -> dict:
        screen = self.main.app.screen
        engines = getattr(getattr(screen, "controller", None), "engines", None)
        if not engines or len(engines) != 3:
            return {}
        results = []
        for e in engines:
            reached = iterations_to_reach(e.history, e.closed_form.cost)
            if reached is not None:
                results.append(text("result.reached", self.language, target=TARGET_PHRASE,
                                    steps=steps_phrase(reached, self.language)))
            elif e.status is Status.DIVERGED:
                results.append(text("result.diverged", self.language,
                                    iteration=f"{e.iteration:,}"))
            else:
                results.append(text("result.short", self.language,
                                    excess=num(e.snapshot().excess_cost),
                                    steps=steps_phrase(e.iteration, self.language)))
        return {"small_result": results[0], "right_result": results[1],
                "large_result": results[2]}

    def setup_7(self) -> None:
        self.main_view("surface", optimizer="gd", batch_size=0, standardize=False)
        self.main.controller.configure(learning_rate=self.engine.stability(False).best_lr)

    def intro_7(self) -> dict:
        return {"kappa_raw": num(self.engine.stability(False).condition_number, 1),
                "kappa_std": num(self.engine.stability(True).condition_number, 1),
                "best_raw": num(self.engine.stability(False).best_lr)}

    def verdict_7(self) -> dict:
        e = self.engine
        best_std = e.stability(True).best_lr
        standardized = make_engine(self.main.setup, like=e, learning_rate=best_std,
                                   standardize=True, tol=0, max_iter=100_000)
        reached = None
        for _ in range(100):
            standardized.run(1000)
            reached = iterations_to_reach(standardized.history, standardized.closed_form.cost)
            if reached is not None:
                break
        coach = coach_line(verdict(e, stalled=is_stalled(e), language=self.language),
                           self.language)
        return {"excess": num(e.snapshot().excess_cost), "coach": coach,
                "best_std": num(best_std),
                "std_steps": steps_phrase(reached, self.language) if reached is not None
                else text("many_steps", self.language)}

    def setup_8(self) -> None:
        self.main_view("surface", optimizer="gd", learning_rate=0.05, batch_size=1,
                        standardize=True)

    def verdict_8(self) -> dict:
        cost = self.engine.history.column("cost")
        return {"ups": times_phrase(int((cost[1:] > cost[:-1]).sum()), self.language)}

    def setup_9(self) -> None:
        self.raw()
        self.main.action_race()

    def intro_9(self) -> dict:
        return {"kappa": num(self.engine.stability(False).condition_number, 1)}

    def verdict_9(self) -> dict:
        screen = self.main.app.screen
        engines = getattr(getattr(screen, "controller", None), "engines", None)
        if not engines:
            return {}
        finished = [(iterations_to_reach(e.history, e.closed_form.cost), e.optimizer)
                    for e in engines]
        done = sorted((n, name) for n, name in finished if n is not None)
        picked = {0: "gd", 1: "momentum", 2: "adam"}.get(self.tour.answer)
        if not done:
            return {"winner_line": text("winner.none", self.language, target=TARGET_PHRASE)}
        steps, winner = done[0]
        judged = text("winner.right" if picked == winner else "winner.wrong", self.language)
        return {"winner_line": text("winner.line", self.language, target=TARGET_PHRASE,
                                    winner=winner, steps=steps_phrase(steps, self.language),
                                    judged=judged)}
