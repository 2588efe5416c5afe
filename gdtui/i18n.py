"""The language of the tour, its prompts, the help and the coach: chosen once, looked up here.

``--lang en|zh`` wins; otherwise the locale (``LC_ALL``, then ``LC_MESSAGES``, then
``LANG``, as POSIX orders them): ``zh_*`` gives Chinese; anything else English. A
code gdtui has no texts for falls back to English with one line on stderr.
No Textual here: ``gdtui fit`` uses it too.
"""

from __future__ import annotations

import os

LANGUAGES = ("en", "zh")
NEUTRAL_LOCALES = ("", "C", "POSIX")


def choose_language(option: str | None = None, environ=None) -> tuple[str, str | None]:
    """(language, warning or None) from ``--lang`` or the locale."""
    environ = os.environ if environ is None else environ
    if option:
        code = option.strip().lower().replace("-", "_").split("_")[0]
        if code in LANGUAGES:
            return code, None
        return "en", f"no texts in language {option!r}; using English (choose from en, zh)"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            locale_name = value.split(".")[0].split("@")[0]
            if locale_name in NEUTRAL_LOCALES:
                return "en", None
            code = locale_name.split("_")[0].lower()
            if code in LANGUAGES:
                return code, None
            return "en", f"no texts for the locale {value!r} yet; using English"
    return "en", None


TEXTS = {
    "en": {
        "lesson": "Lesson {number} of {total}: {title}",
        "step.predict": "Predict",
        "step.run": "Your turn",
        "step.verdict": "What happened",
        "keys.intro": "Enter: next · ↑↓: scroll · PgDn: skip lesson · Esc: leave the tour",
        "keys.answer": "Answer with 1–{count} · Backspace: back",
        "keys.answered": "Enter: try it · another number changes the answer",
        "keys.run": "the usual keys work · Enter: what happened · Backspace: back",
        "keys.last": "Enter: finish the tour · Backspace: back · PgUp: repeat",
        "keys.verdict": "Enter: next lesson · Backspace: back · PgUp: repeat",
        "notice.answer_first": "Answer the prediction first: press 1, 2 or 3.",
        "notice.tour_done": "Tour complete. Press t to take it again.",
        "direction.up": "up",
        "direction.down": "down",
        "direction.nowhere": "nowhere",
        "result.reached": "came {target} in {steps}",
        "result.diverged": "diverged after iteration {iteration}",
        "result.short": "was still {excess} above J* after {steps}",
        "winner.none": "no runner has come {target} yet: run longer.",
        "winner.line": "the first {target} was {winner}, after {steps}: {judged}",
        "winner.right": "you were right.",
        "winner.wrong": "not the one you picked.",
        "many": "many",
        "cost_row": "- x = {x}: ŷ = {pred}, y = {y}, error {err}, squared {sq}",
    },
    "zh": {
        "lesson": "第 {number} 课（共 {total} 课）：{title}",
        "step.predict": "预测",
        "step.run": "动手试试",
        "step.verdict": "发生了什么",
        "keys.intro": "Enter：下一步 · ↑↓：滚动 · PgDn：跳过本课 · Esc：离开教程",
        "keys.answer": "按 1–{count} 作答 · Backspace：返回",
        "keys.answered": "Enter：试一试 · 按其他数字可改答案",
        "keys.run": "平常的按键都能用 · Enter：看看发生了什么 · Backspace：返回",
        "keys.last": "Enter：结束教程 · Backspace：返回 · PgUp：重来",
        "keys.verdict": "Enter：下一课 · Backspace：返回 · PgUp：重来",
        "notice.answer_first": "请先回答预测题：按 1、2 或 3。",
        "notice.tour_done": "教程结束。按 t 可以再来一遍。",
        "direction.up": "增大",
        "direction.down": "减小",
        "direction.nowhere": "不变",
        "result.reached": "用 {steps} 达到 J − J* ≤ 1e-6·J*",
        "result.diverged": "在第 {iteration} 次迭代之后发散",
        "result.short": "走了 {steps} 后仍比 J* 高 {excess}",
        "winner.none": "还没有哪个优化器达到 J − J* ≤ 1e-6·J*：再多跑一会儿。",
        "winner.line": "最先达到 J − J* ≤ 1e-6·J* 的是 {winner}，用了 {steps}：{judged}",
        "winner.right": "你猜对了。",
        "winner.wrong": "不是你选的那个。",
        "many": "很多",
        "cost_row": "- x = {x}：ŷ = {pred}，y = {y}，误差 {err}，平方 {sq}",
    },
}


def steps_phrase(count: int, language: str) -> str:
    """"1 step", "2 steps" or "2 步": a count of steps, said right."""
    if language == "zh":
        return f"{count:,} 步"
    return f"{count:,} step" + ("" if count == 1 else "s")


def text(key: str, language: str = "en", **values) -> str:
    """The text ``key`` in ``language`` (English when it has none), ``values`` filled in."""
    template = TEXTS.get(language, TEXTS["en"]).get(key, TEXTS["en"][key])
    return template.format(**values) if values else template
