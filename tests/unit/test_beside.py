"""gdtui.beside: a large file read in a child process while the parent imports the app."""

import os

import numpy as np
import pytest

from gdtui.beside import Beside, worth_it
from gdtui.errors import DataError
from gdtui.loading import PANDAS_FROM

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def test_the_child_loads_and_the_parent_gets_what_it_loaded():
    parent = os.getpid()

    def load():
        return os.getpid(), np.arange(300_000, dtype=np.float64)  # (2.4 MB through the pipe)

    pid, values = Beside(load).result()
    assert pid != parent  # loaded in the child
    np.testing.assert_array_equal(values, np.arange(300_000, dtype=np.float64))


def test_an_error_the_child_met_is_raised_in_the_parent_in_the_same_words():
    def load():
        raise DataError("data.csv: line 7, column 2 (y): 'oops' is not a number")

    with pytest.raises(DataError, match=r"^data.csv: line 7, column 2 \(y\): 'oops'"):
        Beside(load).result()


@pytest.mark.parametrize("failure", ["crash", "unpicklable", "killed"])
def test_a_child_that_cannot_say_leaves_the_parent_to_load_itself(failure):
    parent = os.getpid()

    def load():
        if os.getpid() == parent:
            return "loaded in the parent"
        if failure == "crash":
            raise RuntimeError("a bug in the child")
        if failure == "killed":
            os.kill(os.getpid(), 9)
        return lambda: None  # (a function cannot be pickled)

    assert Beside(load).result() == "loaded in the parent"


def test_only_a_large_regular_file_is_worth_a_second_process(tmp_path):
    small = tmp_path / "small.csv"
    small.write_text("x,y\n1,2\n")
    large = tmp_path / "large.csv"
    with large.open("wb") as out:
        out.truncate(PANDAS_FROM)  # (sparse: no time to write)
    assert not worth_it(None)
    assert not worth_it(str(small))
    assert not worth_it(str(tmp_path))
    assert not worth_it(str(tmp_path / "missing.csv"))
    assert worth_it(str(large)) == ((os.cpu_count() or 1) >= 2)
