"""The guided tour: every lesson walked end to end, answered rightly and wrongly."""

import pytest

from gdtui.app.screens.lockstep import CompareScreen, RaceScreen
from gdtui.app.screens.losses import LossesScreen
from gdtui.app.widgets.readout_panes import ParametersPane
from gdtui.app.widgets.tour_pane import TourPane
from gdtui.tour import LESSON_COUNT, STEPS, Tour, load_lessons, parse_lessons
from tests.conftest import app_for, wait_until

SEED_ORDER = ["The data and a line", "The cost", "Why squared", "The derivative",
              "The update rule",
              "The learning rate", "Feature scaling", "Batch, stochastic and mini-batch",
              "Beyond plain descent"]


def test_lessons_follow_the_seed_article():
    lessons = load_lessons("en")
    assert [lesson.title for lesson in lessons] == SEED_ORDER
    assert len(lessons) == len(load_lessons("zh")) == LESSON_COUNT
    assert [lesson.number for lesson in lessons] == list(range(1, LESSON_COUNT + 1))
    for lesson in lessons:
        assert lesson.intro and lesson.question and lesson.run and lesson.verdict
        assert len(lesson.choices) == 3
        marked = [c.correct for c in lesson.choices]
        assert marked.count(True) == 1 or marked == [None] * 3


def test_tour_state_machine():
    tour = Tour(load_lessons())
    assert tour.step == "intro"
    assert tour.forward() == "step" and tour.awaiting_answer
    assert tour.forward() == "blocked"
    assert tour.choose(1) is False and tour.choose(0) is True
    assert [tour.forward(), tour.forward()] == ["step", "step"] and tour.step == "verdict"
    assert tour.forward() == "lesson" and tour.lesson.number == 2 and tour.step == STEPS[0]
    assert tour.back() == "lesson" and tour.lesson.number == 1 and tour.answer is None


def test_parser_accepts_a_second_language_with_the_same_structure():
    text = ("# 1. 数据和直线\n\n介绍 {m0}\n\n## Predict\n\n问题?\n\n- [x] 对\n- [ ] 错\n\n"
            "> right: 对了\n> wrong: 不对\n\n## Run\n\n按 s\n\n## Verdict\n\n{steps} 步\n")
    (lesson,) = parse_lessons(text)
    assert lesson.title == "数据和直线" and lesson.choices[0].correct is True


async def run_lesson(app, pilot, number):
    """What a learner does at each lesson's 'your turn'."""
    if number in (1, 4):
        await pilot.press("s", "s", "s")
    elif number in (2, 5):
        await pilot.press("s")
    elif number == 3:
        assert isinstance(app.screen, LossesScreen)
        await pilot.press(*["right_square_bracket"] * 6, "s")
    elif number == 6:
        assert isinstance(app.screen, CompareScreen)
        await pilot.press(*["right_square_bracket"] * 10, "space")  # too small takes thousands
        assert await wait_until(pilot, lambda: not app.screen.running, 8.0)
    elif number == 7:
        assert not app.main_screen.engine.standardize
        await pilot.press(*["right_square_bracket"] * 8, "space")
        assert await wait_until(pilot, lambda: not app.main_screen.running, 8.0)
    elif number == 8:
        assert app.main_screen.engine.batch_size == 1
        await pilot.press("space")
        await pilot.pause(0.3)
        await pilot.press("space")
    elif number == 9:
        await app.workers.wait_for_complete()  # the race's rates are tuned in a thread
        await pilot.pause()
        assert isinstance(app.screen, RaceScreen)
        await pilot.press(*["right_square_bracket"] * 6, "space")
        await wait_until(pilot, lambda: app.screen.controller.engines[0].iteration > 60, 8.0)
        await pilot.press("space")


def tour_text(app) -> str:
    return app.screen.query_one(TourPane).text


LESSON_TITLE = {"en": "Lesson {n} of " + str(LESSON_COUNT),
                "zh": "第 {n} 课（共 " + str(LESSON_COUNT) + " 课）"}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("answer_right", [True, False])
async def test_walk_every_lesson(answer_right, language):
    app = app_for(mode="tour", language=language)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        lessons = app.main_screen.guide.tour.lessons
        for lesson in lessons:
            tour = app.main_screen.guide.tour
            assert tour.lesson is lesson and tour.step == "intro"
            title = LESSON_TITLE[language].format(n=lesson.number)
            # (the race opens once tuned, and its tour pane fills after its first refresh)
            assert await wait_until(pilot, lambda title=title: title in tour_text(app), 8.0)
            await pilot.press("enter")
            assert app.main_screen.guide.tour.step == "predict"
            # The usual keys wait for the answer, and so does Enter.
            before = app.main_screen.engine.iteration
            await pilot.press("s", "enter")
            assert app.main_screen.engine.iteration == before
            assert app.main_screen.guide.tour.step == "predict"
            marks = [c.correct for c in lesson.choices]
            if None in marks:
                index = 0
            else:
                index = marks.index(True) if answer_right else marks.index(False)
            await pilot.press(str(index + 1))
            feedback = lesson.feedback.get(
                "any" if marks[index] is None else ("right" if marks[index] else "wrong"))
            assert feedback.split("{")[0].strip()[:20] in tour_text(app)
            await pilot.press("enter")
            assert app.main_screen.guide.tour.step == "run"
            await run_lesson(app, pilot, lesson.number)
            await pilot.press("enter")
            assert app.main_screen.guide.tour.step == "verdict"
            verdict = tour_text(app)
            assert "…" not in verdict and "{" not in verdict, verdict
            if language == "zh":  # the learner's numbers arrive in Chinese sentences
                assert any("\u4e00" <= ch <= "\u9fff" for ch in verdict)
            await pilot.press("enter")
        assert not app.main_screen.guide.active
        assert app.query_one(ParametersPane).display


async def test_verdicts_quote_the_learners_run():
    app = app_for(mode="tour")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", "1", "enter", "s", "s", "enter")
        assert "You took 2 steps" in tour_text(app)
        app.main_screen.action_tour(7)
        await pilot.press("enter", "2", "enter")
        await pilot.press(*["right_square_bracket"] * 8, "space")
        assert await wait_until(pilot, lambda: not app.main_screen.running, 8.0)
        await pilot.press("enter")
        text = " ".join(tour_text(app).split())
        engine = app.main_screen.engine
        assert f"Your run in data units took {engine.iteration:,} steps" in text
        assert "Standardized, the same descent" in text
        assert "comes within 1e-6 of J* in 1 step." in text
        app.main_screen.action_tour(5)
        await pilot.press("enter", "1", "enter", "s", "enter")
        assert "you chose" in tour_text(app)


async def test_escape_leaves_the_tour_with_the_app_as_the_lesson_made_it():
    app = app_for(mode="tour", lesson=8)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.main_screen.engine.batch_size == 1
        assert app.query_one("#view").current == "surface"
        await pilot.press("escape")
        assert not app.main_screen.guide.active
        assert app.main_screen.engine.batch_size == 1
        assert app.query_one("#view").current == "surface"
        assert app.query_one(ParametersPane).display
        await pilot.press("s")
        assert app.main_screen.engine.iteration == 1


async def test_skip_repeat_and_back():
    app = app_for(mode="tour")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert app.main_screen.guide.tour.lesson.number == 4
        assert app.query_one("#view").current == "slice"
        await pilot.press("pageup", "pageup")
        assert app.main_screen.guide.tour.lesson.number == 2
        await pilot.press("enter", "backspace")
        assert app.main_screen.guide.tour.step == "intro"
        await pilot.press("backspace")
        assert app.main_screen.guide.tour.lesson.number == 1
        await pilot.press("t")
        assert app.main_screen.guide.active and app.main_screen.guide.tour.lesson.number == 1


async def test_escape_on_the_comparison_leaves_the_tour_then_the_view():
    app = app_for(mode="tour", lesson=6)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.query_one(TourPane).display
        await pilot.press("escape")
        assert not app.main_screen.guide.active and isinstance(app.screen, CompareScreen)
        assert not app.screen.query_one(TourPane).display
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_a_long_lesson_scrolls_by_key_on_a_small_terminal():
    app = app_for(mode="tour", lesson=2)
    async with app.run_test(size=(60, 20)) as pilot:  # the smallest size with panes
        await pilot.pause()
        await pilot.press("enter", "2", "enter", "s", "enter")  # lesson 2's verdict
        pane = app.screen.query_one(TourPane)
        assert app.main_screen.guide.tour.step == "verdict"
        assert pane.max_scroll_y > 0  # more than the pane holds: the keys scroll it
        await pilot.press(*["down"] * 30)
        assert pane.scroll_y == pane.max_scroll_y > 0
        await pilot.press("up")
        assert pane.scroll_y < pane.max_scroll_y


async def test_the_coach_speaks_the_tours_language():
    app = app_for("--lr", "5", language="zh")
    async with app.run_test(size=(120, 36)) as pilot:
        from gdtui.engine import Status

        for _ in range(60):
            if app.main_screen.engine.status is Status.DIVERGED:
                break
            await pilot.press("s")
        from gdtui.app.widgets.readout_panes import MathPane

        text = app.query_one(MathPane).text
        assert "发散" in text and "按 - 降低 α" in text and "Try" not in text


async def test_lessons_before_scaling_speak_data_units_only():
    app = app_for(mode="tour")  # the default data, iris petals
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        guide = app.main_screen.guide
        for number in range(1, 7):
            guide.start(number)
            guide.refresh()
            await pilot.pause()
            engine = app.main_screen.engine
            assert not engine.standardize and engine.learning_rate == 0.02  # iris petals
            lesson = guide.tour.lesson
            words = " ".join([lesson.intro, lesson.question, lesson.run, lesson.verdict,
                              *[c.text for c in lesson.choices], *lesson.feedback.values()])
            assert "m_z" not in words and "standardiz" not in words.lower()
            if number in (3, 6):  # the losses and the comparison are screens of their own
                await pilot.press("escape")  # leave the comparison's tour, then the view
                await pilot.press("escape")


async def test_lesson_3_slides_the_dot_on_fixed_axes():
    from gdtui.app.widgets.surface import SlicePane

    app = app_for(mode="tour", lesson=4)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        pane = app.query_one(SlicePane)
        window = app.main_screen.frame.slice_window
        assert window is not None and window[0] < window[1] and window[2] < window[3]
        await pilot.press("enter", "1", "enter")
        seen = set()
        for _ in range(4):
            await pilot.press("s")
            await pilot.pause()
            assert app.main_screen.frame.slice_window == window
            seen.add(app.main_screen.engine.snapshot().m)
            assert window[0] <= app.main_screen.engine.snapshot().m <= window[1]
        assert len(seen) == 4 and pane.display
        await pilot.press("escape")  # the window belongs to the lesson
        assert app.main_screen.frame.slice_window is None


async def test_lesson_4_keeps_the_first_step_back_until_answered():
    from gdtui.app.widgets.readout_panes import HIDDEN_STEP, MathPane

    app = app_for(mode="tour", lesson=5)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        values = app.main_screen.guide.values
        math_text = app.query_one(MathPane).text
        assert HIDDEN_STEP in math_text and values["choice_right"] not in math_text
        assert "The first step will move" not in math_text
        await pilot.press("2")
        await pilot.pause()
        assert "The first step will move" in app.query_one(MathPane).text


async def test_why_squared_shows_the_outlier_pulling_the_squared_line():
    app = app_for(mode="tour", lesson=3)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LossesScreen)
        engines = app.screen.controller.engines
        assert [e.loss for e in engines] == ["mse", "mae", "huber"]
        assert {e.stats.n for e in engines} == {51}  # state-murders, with its outlier (DC)
        await pilot.press("enter", "1", "enter")
        for engine in engines:
            engine.run(3000)
        await pilot.press("enter")
        text = " ".join(tour_text(app).split())
        slopes = [e.snapshot().m for e in engines]
        # Squared error is pulled furthest up by DC; numbers quoted from the run.
        assert slopes[0] > slopes[2] and slopes[0] > slopes[1]
        assert f"squared {slopes[0]:.2f}" in text and "Without the outlier" in text
        assert "After 3,000 steps" in text
