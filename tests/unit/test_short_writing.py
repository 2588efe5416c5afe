"""The update's short writings (a rule once, then each parameter's numbers) and the folding of
a line of maths to a pane's width: the numbers written are the arithmetic of the step, and a
folded line reads as the line."""

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from gdtui.app.widgets.readouts import fold
from gdtui.engine.notation import num
from gdtui.engine.optimizers import OPTIMIZERS, ZERO_STATE, StepRecord


def quadratic(p: float, q: float) -> tuple[float, float]:
    """The gradient of J = (p − 1.5)² + 4·(q + 0.5)² (an independent little bowl)."""
    return 2 * (p - 1.5), 8 * (q + 0.5)


def records(name: str, steps: int = 3) -> list[StepRecord]:
    """Both parameters' records of the last of ``steps`` steps of optimizer ``name``."""
    optimizer = OPTIMIZERS[name]
    p, q, state, lr = 0.2, -1.3, ZERO_STATE, 0.05
    for t in range(1, steps + 1):
        before = state
        new_p, new_q, state, gp, gq = optimizer.step(p, q, state, t, lr, quadratic)
        olds, p, q = (p, q), new_p, new_q
    return [StepRecord(name=n, i=i, old=olds[i], new=(p, q)[i], grad=(gp, gq)[i],
                       before=before, after=state, t=steps, lr=lr)
            for i, n in enumerate(("m", "b"))]


def evaluate(expression: str) -> float:
    """A written expression of numbers (−, ×, ², /, brackets) as Python computes it."""
    code = expression.replace("−", "-").replace("×", "*").replace("²", "**2")
    assert re.fullmatch(r"[-+*/(). 0-9e]+", code), expression
    return eval(code)  # noqa: S307 (digits and operators only, checked above)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("substituted", [True, False])
def test_each_parameter_s_numbers_are_the_step_s_arithmetic(name, substituted):
    optimizer = OPTIMIZERS[name]
    for record in records(name):
        line = optimizer.numbers(record, substituted=substituted)
        *states, update = line.split("; ")
        # The update: old − α × … = new, evaluated from the numbers as written.
        target, written = update.split(" ← ")
        expression, result = written.rsplit(" = ", 1)
        assert target == record.name and result == num(record.new)
        assert math.isclose(evaluate(expression), record.new, rel_tol=1e-3, abs_tol=1e-3)
        assert expression.startswith(f"{num(record.old)} − {num(record.lr)} × ")
        # The optimizer's state: each value the step left, and its sum where written out.
        for statement in (s for part in states for s in part.split(", ")):
            symbol, *chain = statement.split(" = ")
            assert symbol.endswith(f"_{record.name}")
            assert chain[-1] in {num(v) for v in record.after}
            if len(chain) == 2:
                assert substituted
                assert math.isclose(evaluate(chain[0]), float(chain[1].replace("−", "-")),
                                    rel_tol=1e-3, abs_tol=1e-3)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_the_rule_names_every_symbol_the_numbers_use(name):
    optimizer = OPTIMIZERS[name]
    rule = optimizer.rule(("m", "b"), 3)
    assert "for each p (m, b)" in rule and "p ← p − α·" in rule
    for record in records(name):
        for statement in optimizer.numbers(record).split("; ")[:-1]:
            for part in statement.split(", "):
                state = part.split(" = ")[0].removesuffix(f"_{record.name}")
                assert f"{state} ← " in rule, (state, rule)


LINES = [
    "∂J/∂m = −(2/N)·Σ xᵢ(yᵢ − ŷᵢ) = −(2/150) × 711.7895 = −9.4905",
    "s_m = 0.90 × 13.4285 + 0.10 × (−10.2615)² = 22.6155; m ← 0.0316 − 0.0100 × (−10.2615)/4.7556"
    " = 0.0532",
    OPTIMIZERS["adam"].rule(("m_z", "b_z"), 12),
    "(Σ over N = 10 points drawn at random from the 1,000: mini-batch 10; sign(0) = 0)",
    "∂J/∂b = −(1/N)·Σ (σ(m·xᵢ + b) − yᵢ) = (1/4,000) × 1.234e+05 = 30.8500",
]


@settings(max_examples=200, deadline=None)
@given(line=st.sampled_from(LINES), width=st.integers(min_value=24, max_value=100))
def test_a_folded_line_reads_as_the_line_and_fits(line, width):
    rows = fold(line, width)
    assert " ".join(" ".join(rows).split()) == " ".join(line.split())
    for row in rows:
        # Only a word wider than the row itself may stick out (the pane wraps it).
        assert cell_len(row) <= width or " " not in row.strip(), (row, width)
        assert not row.rstrip().endswith(("=", "←")), row  # a sign stays with its value
    for row in rows[1:]:  # a row that goes on with "=" is indented under the one before
        assert not row.lstrip().startswith("= ") or row.startswith("  = "), row


def test_fold_keeps_a_short_line_and_folds_before_a_chained_equals():
    line = "∂J/∂m = −(2/N)·Σ xᵢ(yᵢ − ŷᵢ) = −(2/150) × 711.7895 = −9.4905"
    assert fold(line, 80) == (line,)
    assert fold(line, 48) == ("∂J/∂m = −(2/N)·Σ xᵢ(yᵢ − ŷᵢ)", "  = −(2/150) × 711.7895 = −9.4905")
