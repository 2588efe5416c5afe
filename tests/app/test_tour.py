"""The guided tour: every lesson walked end to end, answered rightly and wrongly."""

import pytest

from gdtui.app.screens.lockstep import CompareScreen, RaceScreen
from gdtui.app.widgets.readout_panes import ParametersPane
from gdtui.app.widgets.tour_pane import TourPane
from gdtui.tour import STEPS, Tour, load_lessons, parse_lessons
from tests.conftest import app_for, wait_until

SEED_ORDER = ["The data and a line", "The cost", "The derivative", "The update rule",
              "The learning rate", "Feature scaling", "Batch, stochastic and mini-batch",
              "Beyond plain descent"]


def test_lessons_follow_the_seed_article():
    lessons = load_lessons("en")
    assert [lesson.title for lesson in lessons] == SEED_ORDER
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
    if number in (1, 3):
        await pilot.press("s", "s", "s")
    elif number in (2, 4):
        await pilot.press("s")
    elif number == 5:
        assert isinstance(app.screen, CompareScreen)
        await pilot.press(*["right_square_bracket"] * 6, "space")
        assert await wait_until(pilot, lambda: not app.screen.running, 8.0)
    elif number == 6:
        assert not app.main_screen.engine.standardize
        await pilot.press(*["right_square_bracket"] * 8, "space")
        assert await wait_until(pilot, lambda: not app.main_screen.running, 8.0)
    elif number == 7:
        assert app.main_screen.engine.batch_size == 1
        await pilot.press("space")
        await pilot.pause(0.3)
        await pilot.press("space")
    elif number == 8:
        await app.workers.wait_for_complete()  # the race's rates are tuned in a thread
        await pilot.pause()
        assert isinstance(app.screen, RaceScreen)
        await pilot.press(*["right_square_bracket"] * 6, "space")
        await wait_until(pilot, lambda: app.screen.controller.engines[0].iteration > 60, 8.0)
        await pilot.press("space")


def tour_text(app) -> str:
    return app.screen.query_one(TourPane).text


LESSON_TITLE = {"en": "Lesson {n} of 8", "zh": "第 {n} 课（共 8 课）"}


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
            assert LESSON_TITLE[language].format(n=lesson.number) in tour_text(app)
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
        app.main_screen.action_tour(6)
        await pilot.press("enter", "2", "enter")
        await pilot.press(*["right_square_bracket"] * 8, "space")
        assert await wait_until(pilot, lambda: not app.main_screen.running, 8.0)
        await pilot.press("enter")
        text = tour_text(app)
        assert "Stalled" in text and "Standardized, the same descent" in text
        assert "comes within 1e-6 of J* in" in text
        app.main_screen.action_tour(4)
        await pilot.press("enter", "1", "enter", "s", "enter")
        assert "you chose" in tour_text(app)


async def test_escape_leaves_the_tour_with_the_app_as_the_lesson_made_it():
    app = app_for(mode="tour", lesson=7)
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
        await pilot.press("pagedown", "pagedown")
        assert app.main_screen.guide.tour.lesson.number == 3
        assert app.query_one("#view").current == "slice"
        await pilot.press("pageup")
        assert app.main_screen.guide.tour.lesson.number == 2
        await pilot.press("enter", "backspace")
        assert app.main_screen.guide.tour.step == "intro"
        await pilot.press("backspace")
        assert app.main_screen.guide.tour.lesson.number == 1
        await pilot.press("t")
        assert app.main_screen.guide.active and app.main_screen.guide.tour.lesson.number == 1


async def test_escape_on_the_comparison_leaves_the_tour_then_the_view():
    app = app_for(mode="tour", lesson=5)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.query_one(TourPane).display
        await pilot.press("escape")
        assert not app.main_screen.guide.active and isinstance(app.screen, CompareScreen)
        assert not app.screen.query_one(TourPane).display
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_a_long_lesson_scrolls_by_key_at_80x24():
    app = app_for(mode="tour", lesson=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "2", "enter", "s", "enter")  # lesson 2's verdict
        pane = app.screen.query_one(TourPane)
        assert app.main_screen.guide.tour.step == "verdict"
        if pane.max_scroll_y == 0:
            pytest.skip("the verdict fits this size")  # nothing to scroll to
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
