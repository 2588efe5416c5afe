"""One run setup, one engine factory, one command builder; ``gdtui fit`` without the app."""

import json
import subprocess
import sys

from gdtui.cli import build_parser, main, setup_from_args
from gdtui.run import command_line, make_engine, settings_of


def setup_for(*words):
    return setup_from_args(build_parser().parse_args(list(words)))


def test_make_engine_takes_the_setup_then_a_running_engine_then_overrides():
    setup = setup_for("noisy-linear", "--schedule", "cosine", "--batch-size", "8", "--lr", "0.3")
    engine = make_engine(setup)
    assert (engine.schedule, engine.batch_size, engine.learning_rate) == ("cosine", 8, 0.3)
    engine.set_learning_rate(0.05)
    engine.set_standardize(False)
    like = make_engine(setup, like=engine, optimizer="adam")
    assert settings_of(like) == {**settings_of(engine), "optimizer": "adam"}


def test_command_line_round_trips_through_the_parser():
    setup = setup_for("house-prices", "--optimizer", "momentum", "--lr", "1e-07",
                      "--no-standardize", "--start=0.5,-3", "--seed", "9", "--tol", "0")
    engine = make_engine(setup)
    words = command_line(setup, engine).split()[1:]
    again = make_engine(setup_for(*words))
    assert settings_of(again) == settings_of(engine)


def test_comparison_and_race_commands():
    setup = setup_for("noisy-linear")
    engine = make_engine(setup)
    compare = command_line(setup, engine, "gdtui compare", rates=[0.01, 0.1, 1.5])
    assert "--rates 0.01,0.1,1.5" in compare and "--lr" not in compare
    race = command_line(setup, engine, "gdtui race", optimizers=["gd", "adam"], same_rate=False)
    assert "--optimizers gd,adam" in race and "--lr" not in race


def test_fit_runs_with_the_app_and_textual_unimportable(tmp_path):
    code = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'textual' or name.startswith('gdtui.app'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from gdtui.cli import main\n"
        "sys.exit(main(['fit', 'noisy-linear', '--json']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "converged"


def test_fit_says_the_coach_advice_in_flags_not_keys(capsys):
    assert main(["fit", "heights-weights", "--lr", "5"]) == 0
    out = capsys.readouterr().out
    coach = next(line for line in out.splitlines() if line.strip().startswith("coach"))
    assert "Diverged" in coach and "a smaller --lr" in coach
    assert "(-)" not in coach and "(r)" not in coach and " with -" not in coach
