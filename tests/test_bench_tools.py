"""The benchmark's own logic: fresh conversations per level, and the profile's sorting of samples."""

import asyncio

from bench.profile import bucket_of, summarise
from tools import bench

LOOP = "serve (sanic/server/runners.py:155)"
ROOT_FRAMES = ["<module> (rasa/__main__.py:1)", "run (sanic/app.py:1)", LOOP]


def test_every_level_starts_conversations_of_its_own():
    senders = []

    async def conversation(session, url, n, tally):
        senders.append(n)
        await asyncio.sleep(0)

    async def levels():
        for users in (1, 10):
            await bench._load("http://127.0.0.1:9/", users, conversation, seconds=5, max_conversations=12)

    asyncio.run(levels())
    counted = [n for n in senders if n >= 0]  # -1: each level's warm-up
    assert len(counted) == 24 and len(set(counted)) == 24
    # the same mix of languages and of typing/buttons on every level
    assert [n % 16 for n in counted[:12]] == [n % 16 for n in counted[12:]] == list(range(12))


def test_a_sample_goes_to_the_narrowest_part_named_above_the_event_loop():
    turn = ROOT_FRAMES + [
        "handle_request (sanic/app.py:1)",
        "receive (connectors/rest.py:1)",
        "handle_message (rasa/core/processor.py:1)",
    ]
    assert (
        bucket_of(turn + ["save (rasa/core/tracker_store.py:1)", "do_commit (sqlalchemy/x.py:1)"], "rasa")
        == "tracker load/save"
    )
    assert (
        bucket_of(turn + ["run (rasa/core/actions/action.py:1)", "validate (jsonschema/v.py:1)"], "rasa")
        == "action call (HTTP to the action server)"
    )
    assert (
        bucket_of(turn + ["run (rasa/engine/graph.py:1)", "process (rasa/nlu/classifiers/diet.py:1)"], "rasa")
        == "NLU classify (DIET, fallback)"
    )
    assert bucket_of(ROOT_FRAMES, "rasa") == "idle (event loop waiting)"
    assert (
        bucket_of(ROOT_FRAMES + ["run (actions/form.py:1)", "read (bot/understanding/reader.py:1)"], "actions")
        == "understanding step"
    )


def test_the_summary_counts_only_the_main_thread(tmp_path):
    raw = tmp_path / "rasa.raw"
    main = "thread (0x7F01): MainThread;"  # as py-spy --threads writes it
    raw.write_text(
        f"{main}{';'.join(ROOT_FRAMES)} 30\n"
        f"{main}{';'.join(ROOT_FRAMES + ['save (rasa/core/tracker_store.py:1)'])} 70\n"
        f"thread (0x7F02): Thread-1;{';'.join(ROOT_FRAMES)} 500\n"
    )
    summary = summarise(raw, "rasa")
    assert summary["samples"] == 100
    assert summary["share_percent"] == {"tracker load/save": 70.0, "idle (event loop waiting)": 30.0}
