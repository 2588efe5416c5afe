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
        "many_steps": "many steps",
        "cost_row": "- x = {x}: ŷ = {pred}, y = {y}, error {err}, squared {sq}",
        "coach.converged": "Converged after {steps}: the gradient's size {symbol} (standardized "
                           "units) is {size}, under the tolerance {tol}.",
        "coach.diverged": "Diverged: the cost blew up in the update after iteration {iteration} "
                          "(α = {lr} is too large).",
        "coach.diverged_limit": "Diverged: the cost blew up in the update after iteration "
                                "{iteration}: α = {lr} exceeds the stable limit 2/λmax = {limit}.",
        "coach.noise_floor": "Noise floor at iteration {step}: each step uses {what} of the "
                             "{n}, so J jumps around J* + {median} (from J* + {low} to "
                             "J* + {high} in the last {window} steps) and gets no closer.",
        "coach.one_point": "1 point",
        "coach.points": "{k} points",
        "coach.stalled": "Stalled at iteration {step}: {pace}; {left}.",
        "coach.out_of_steps": "Out of steps: {iterations} used, J − J* = {excess}",
        "coach.then": "; ",
        "coach.at_floor": " (a mini-batch run at its noise floor)",
        "coach.end": ".",
        "coach.never": "at this pace it would never come {target}",
        "coach.more": "about {amount} more steps to come {target}",
        "coach.more_one": "about 1 more step to come {target}",
        "coach.pace_unknown": "too few steps to measure its pace",
        "coach.pace_theory": "its slowest direction shrinks only by |1 − α·{which}| = {rho} a step "
                             "({which} = {value})",
        "coach.pace_none": "J − J* has not shrunk over the last steps",
        "coach.pace": "each step removes {percent} of J − J*",
        "coach.kappa": "κ falls from {raw} to {std}",
        "coach.limits": "towards the best rate 2/(λmin+λmax) = {best}, limit 2/λmax = {limit}",
        "coach.limits_near": "towards the best rate near the optimum 2/(λmin+λmax) = {best}, "
                             "limit there 2/λmax = {limit}",
        "coach.kinks": "{head}: MAE has kinks, so its subgradient −(1/N)·Σ x·sign(y − ŷ) does "
                       "not shrink near the optimum (‖∇J‖ = {grad} now); every step of the "
                       "constant α = {lr} overshoots the bottom, so the run ends oscillating: "
                       "J − J* between {low} and {high} over the last {window} steps.",
        "coach.kinks_decaying": "{head}: with a decaying α ({schedule}) MAE's run overshoots "
                                "less and less (J − J* = {excess} now), but its subgradient "
                                "never falls under tol, so only the iteration limit ends it.",
        "coach.kinks_head": "Oscillating at step {step}",
        "coach.kinks_out": "Out of steps after {iterations}",
        "coach.decay_why": "a rate that shrinks to 0 shrinks the overshoot with it",
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
        "many_steps": "很多步",
        "cost_row": "- x = {x}：ŷ = {pred}，y = {y}，误差 {err}，平方 {sq}",
        "coach.converged": "已收敛：走了 {steps}，梯度大小 {symbol}（标准化单位）为 {size}，"
                           "低于容差 {tol}。",
        "coach.diverged": "发散：第 {iteration} 次迭代之后的那次更新让代价爆炸（α = {lr} 太大）。",
        "coach.diverged_limit": "发散：第 {iteration} 次迭代之后的那次更新让代价爆炸："
                                "α = {lr} 超过了稳定上限 2/λmax = {limit}。",
        "coach.noise_floor": "到了噪声底（第 {step} 次迭代）：每一步只用 {n} 个点中的 "
                             "{what}，所以 J 在 J* + {median} 附近跳动"
                             "（最近 {window} 步里从 J* + {low} 到 J* + {high}），不再靠近。",
        "coach.one_point": "1 个点",
        "coach.points": "{k} 个点",
        "coach.stalled": "停滞（第 {step} 次迭代）：{pace}；{left}。",
        "coach.out_of_steps": "步数用完：已用 {iterations}，J − J* = {excess}",
        "coach.then": "；",
        "coach.at_floor": "（小批量运行已到噪声底）",
        "coach.end": "。",
        "coach.never": "照这个速度永远到不了 J − J* ≤ 1e-6·J*",
        "coach.more": "大约还要 {amount} 步才能达到 J − J* ≤ 1e-6·J*",
        "coach.more_one": "大约还要 1 步才能达到 J − J* ≤ 1e-6·J*",
        "coach.pace_unknown": "步数太少，还量不出速度",
        "coach.pace_theory": "最慢的方向每步只缩小为 |1 − α·{which}| = {rho} 倍"
                             "（{which} = {value}）",
        "coach.pace_none": "最近几步 J − J* 没有变小",
        "coach.pace": "每一步只消去 J − J* 的 {percent}",
        "coach.kappa": "κ 从 {raw} 降到 {std}",
        "coach.limits": "朝向最佳学习率 2/(λmin+λmax) = {best}，上限 2/λmax = {limit}",
        "coach.limits_near": "朝向最优点附近的最佳学习率 2/(λmin+λmax) = {best}，"
                             "那里的上限 2/λmax = {limit}",
        "coach.kinks": "{head}：MAE 有折点，它的次梯度 −(1/N)·Σ x·sign(y − ŷ) 在最优点附近不会变小"
                       "（现在 ‖∇J‖ = {grad}）；常数 α = {lr} 的每一步都越过谷底，"
                       "所以运行最后在谷底两侧来回振荡："
                       "最近 {window} 步里 J − J* 在 {low} 与 {high} 之间。",
        "coach.kinks_decaying": "{head}：用衰减的 α（{schedule}），MAE 的运行越过谷底越来越少"
                                "（现在 J − J* = {excess}），但次梯度永远不会低于 tol，"
                                "只有迭代上限能让它停下。",
        "coach.kinks_head": "振荡（第 {step} 步）",
        "coach.kinks_out": "步数用完（{iterations}）",
        "coach.decay_why": "学习率衰减到 0，越过谷底的幅度也随之缩小",
    },
}


def steps_phrase(count: int, language: str) -> str:
    """"1 step", "2 steps" or "2 步": a count of steps, said right."""
    if language == "zh":
        return f"{count:,} 步"
    return f"{count:,} step" + ("" if count == 1 else "s")


def times_phrase(count: int, language: str) -> str:
    """"1 time", "2 times" or "2 次"."""
    if language == "zh":
        return f"{count:,} 次"
    return f"{count:,} time" + ("" if count == 1 else "s")


def iterations_phrase(count: int, language: str) -> str:
    """"1 iteration", "2 iterations" or "2 次迭代"."""
    if language == "zh":
        return f"{count:,} 次迭代"
    return f"{count:,} iteration" + ("" if count == 1 else "s")


def text(key: str, language: str = "en", **values) -> str:
    """The text ``key`` in ``language`` (English when it has none), ``values`` filled in."""
    template = TEXTS.get(language, TEXTS["en"]).get(key, TEXTS["en"][key])
    return template.format(**values) if values else template
