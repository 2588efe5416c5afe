"""What "reached the optimum" means, in one place: J − J* ≤ TARGET·J*."""

from __future__ import annotations

import numpy as np

TARGET = 1e-6
"""A run has reached the optimum once J − J* ≤ TARGET·J* (≤ TARGET when J* is 0)."""
TARGET_PHRASE = "within " + f"{TARGET:.0e}".replace("e-0", "e-") + " of J*"
"""How the target is said on screen and in the coach's lines."""


def target_excess(j_star: float) -> float:
    """The J − J* at which a run counts as having reached the optimum."""
    return TARGET * (j_star if j_star > 0 else 1.0)


def iterations_to_reach(history, j_star: float) -> int | None:
    """First recorded iteration of ``history`` within the target of ``j_star``, or None."""
    hit = (history.column("cost") - j_star) <= target_excess(j_star)
    if not hit.any():
        return None
    return int(history.column("iteration")[int(np.argmax(hit))])
