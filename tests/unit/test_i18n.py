"""The language: --lang, else the locale, else English; unknown codes fall back with one line."""

import pytest

from gdtui.cli import main
from gdtui.i18n import TEXTS, choose_language, steps_phrase
from gdtui.tour import load_lessons


@pytest.mark.parametrize("option, environ, expected", [
    ("zh", {"LANG": "en_US.UTF-8"}, "zh"),
    ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
    (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
    (None, {"LANG": "zh_TW.UTF-8"}, "zh"),
    (None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
    (None, {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}, "zh"),
    (None, {"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "zh"),
    (None, {}, "en"),
    (None, {"LANG": "C.UTF-8"}, "en"),
])
def test_language_from_option_then_locale(option, environ, expected):
    assert choose_language(option, environ) == (expected, None)


@pytest.mark.parametrize("option, environ", [("fr", {}), (None, {"LANG": "de_DE.UTF-8"})])
def test_unknown_language_falls_back_to_english_with_one_warning(option, environ):
    language, warning = choose_language(option, environ)
    assert language == "en" and "English" in warning and "\n" not in warning


def test_every_language_has_every_text_and_a_full_tour():
    english = load_lessons("en")
    for language in TEXTS:
        assert TEXTS[language].keys() == TEXTS["en"].keys()
        lessons = load_lessons(language)
        assert [lesson.number for lesson in lessons] == [lesson.number for lesson in english]
        for ours, theirs in zip(lessons, english, strict=True):
            assert [c.correct for c in ours.choices] == [c.correct for c in theirs.choices]


def test_steps_are_counted_right():
    assert [steps_phrase(n, "en") for n in (1, 2, 1000)] == ["1 step", "2 steps", "1,000 steps"]
    assert steps_phrase(3, "zh") == "3 步"


def test_unknown_lang_option_warns_once_on_stderr(capsys, monkeypatch):
    started = {}
    monkeypatch.setattr("gdtui.cli._has_terminal", lambda: True)
    monkeypatch.setattr("gdtui.app.run_app", lambda *a, **options: started.update(options) or 0)
    assert main(["--lang", "xx"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'xx'" in err and "English" in err
    assert started["language"] == "en"
