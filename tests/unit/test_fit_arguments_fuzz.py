"""Hostile arguments to gdtui fit: a finished run with strict JSON, or one line and exit 2."""

import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdtui.cli import main

NUMBERS = st.sampled_from(["0", "-1", "1e-320", "1e308", "nan", "inf", "-inf", "0.1", "2",
                           "1e-9", "abc", "", "1,2", "3x", "١", "²", "1e999", "7"])
OPTIONS = st.sampled_from(["--lr", "--tol", "--iterations", "--seed", "--batch-size",
                           "--start", "--optimizer", "--schedule", "--x", "--y", "--synthetic",
                           "--standardize", "--huber-delta", "--loss", "--model", "--nope"])
WORDS = st.sampled_from(["noisy-linear", "heights-weights", "no-such-dataset", "gd", "adam",
                         "cosine", "1/t", "n=5", "n=1", "slope=1e308", "x", "y", "--json",
                         "--no-standardize", "auto", "mae", "logistic", "-"])


examples: list[list[str]] = []


def strict(text):
    def refuse(name):
        raise ValueError(f"non-strict JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.tuples(OPTIONS, NUMBERS), st.tuples(OPTIONS, WORDS),
                          st.tuples(WORDS)), max_size=5))
def test_fit_arguments_never_crash(capsys, pairs):
    words = ["fit", "--json", "--iterations", "300"]
    for pair in pairs:
        words += list(pair)
    capsys.readouterr()  # the fixture is shared by every example: start from empty
    started = time.monotonic()
    code = main(words)
    examples.append(words)
    out, err = capsys.readouterr()
    assert time.monotonic() - started < 20, words
    assert code in (0, 2), (words, code, err)
    if code == 2:
        assert err.strip() and err.rstrip("\n").count("\n") <= 1 and "Traceback" not in err, \
            (words, err)
    else:
        doc = strict(out)  # one strict JSON object, whatever the numbers did
        assert isinstance(doc, dict) and "status" in doc, (words, out)


def test_the_fuzz_ran_many_distinct_argument_lists():
    assert len({tuple(w) for w in examples}) >= 50 or not examples
