"""How the app says the coach's advice: with the keys that make each change."""

from __future__ import annotations

from gdtui.coach import Advice

ADVICE_KEYS = {
    ("learning_rate", "lower"): "lower α with -",
    ("learning_rate", "raise"): "raise α with +",
    ("standardize", "on"): "standardize x with z",
    ("schedule", "decay"): "a decaying schedule (ctrl+p, Next schedule: inverse is 1/t)",
    ("batch_size", "full"): "full batch (b until it says full)",
    ("run", "reset"): "reset with r",
}


ADVICE_KEYS_ZH = {
    ("learning_rate", "lower"): "按 - 降低 α",
    ("learning_rate", "raise"): "按 + 提高 α",
    ("standardize", "on"): "按 z 把 x 标准化",
    ("schedule", "decay"): "换用衰减的学习率计划（ctrl+p，Next schedule：inverse 即 1/t）",
    ("batch_size", "full"): "按 b 换成全批量",
    ("run", "reset"): "按 r 重置",
}


def advice_in_keys(advice: Advice, language: str = "en") -> str:
    """One piece of the coach's advice, in the app's keys (and the tour's language)."""
    table = ADVICE_KEYS_ZH if language == "zh" else ADVICE_KEYS
    return table[(advice.setting, advice.change)]


def coach_line(verdict, language: str = "en") -> str:
    """The coach's verdict with its advice said in keys, in ``language``."""
    return verdict.render(lambda advice: advice_in_keys(advice, language), language)
