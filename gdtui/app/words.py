"""How the app says the coach's advice: with the keys that make each change."""

from __future__ import annotations

from gdtui.coach import Advice

ADVICE_KEYS = {
    ("learning_rate", "lower"): "lower α with -",
    ("learning_rate", "raise"): "raise α with +",
    ("standardize", "on"): "standardize x with z",
    ("schedule", "decay"): "a decaying schedule (--schedule inverse)",
    ("batch_size", "full"): "full batch (b until it says full)",
    ("run", "reset"): "reset with r",
}


def advice_in_keys(advice: Advice) -> str:
    """One piece of the coach's advice, in the app's keys."""
    return ADVICE_KEYS[(advice.setting, advice.change)]
