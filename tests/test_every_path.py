"""Every path holds (issue 12): each question, in each language, with each kind of answer.

The paths come from tests/walk/paths.py (the engine, the catalogs, the NLU data); each is walked
through the real model and the real actions in one process (tests/walk/inprocess.py), and
tests/walk/walker.py checks every step. The default run walks a fixed-seed sample of them;
`make walk` (WALK=all) walks every one.
"""

from __future__ import annotations

import os
import random
import time

import pytest

from walk.paths import all_paths

pytestmark = pytest.mark.slow

#: share of the paths the default run walks; WALK=all walks all of them
SAMPLE = float(os.environ.get("WALK_SAMPLE", "0.12"))
SEED = 12


def chosen_paths(today):
    paths = list(all_paths(today))
    if os.environ.get("WALK") == "all":
        return paths, len(paths)
    rng = random.Random(SEED)
    # every (language, question) keeps its button path; the other kinds are sampled
    first_buttons = {}
    for p in (p for p in paths if p.kind == "button"):
        first_buttons.setdefault((p.language, p.question), p)
    rest = [p for p in paths if p not in first_buttons.values()]
    sample = list(first_buttons.values()) + rng.sample(rest, int(len(rest) * SAMPLE))
    return sample, len(paths)


def test_every_path_holds(assistant, today, capsys):
    from walk.walker import Walk

    paths, total = chosen_paths(today)
    failures, turns, started = [], 0, time.time()
    per_language = {}
    for number, path in enumerate(paths):
        walk = Walk(assistant, path, f"walk-{number}", today)
        failures += walk.run()
        turns += walk.turns
        per_language[path.language] = per_language.get(path.language, 0) + 1
    with capsys.disabled():
        print(f"\nwalked {len(paths)} of {total} paths {per_language}, {turns} turns, in {time.time() - started:.0f} s")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:60])
