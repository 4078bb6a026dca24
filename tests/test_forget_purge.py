"""Forgetting and retention on the SQL tracker store (connectors/tracker_store.py, bot/purge.py)."""

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rasa.shared.core.events import ActionExecuted, AllSlotsReset, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from bot import purge
from connectors.tracker_store import ForgettingSQLTrackerStore

ROOT = Path(__file__).resolve().parents[1]
DAY = 86400.0


def _store(tmp_path) -> ForgettingSQLTrackerStore:
    return ForgettingSQLTrackerStore(dialect="sqlite", db=str(tmp_path / "tracker.db"))


def _conversation(sender: str, at: float, *extra) -> DialogueStateTracker:
    events = [
        ActionExecuted("action_listen", timestamp=at),
        UserUttered("hello", {"name": "greet"}, timestamp=at),
        ActionExecuted("action_reply", timestamp=at),
        BotUttered("Hi", timestamp=at),
        *extra,
    ]
    return DialogueStateTracker.from_events(sender, events)


def _stored(store, sender):
    return asyncio.run(store.retrieve_full_tracker(sender))


def test_purge_deletes_only_conversations_idle_longer_than_the_cut_off(tmp_path):
    store = _store(tmp_path)
    now = time.time()
    asyncio.run(store.save(_conversation("old", now - 31 * DAY)))
    asyncio.run(store.save(_conversation("recent", now - 29 * DAY)))
    assert store.purge(30 * DAY, now=now) == 1
    assert _stored(store, "old") is None
    assert len(_stored(store, "recent").events) == 4


def test_forget_me_deletes_the_whole_conversation_when_the_turn_is_saved(tmp_path):
    store = _store(tmp_path)
    tracker = _conversation("me", time.time())
    asyncio.run(store.save(tracker))
    for event in [
        ActionExecuted("action_listen"),
        UserUttered("forget me", {"name": "forget_me"}),
        ActionExecuted("action_forget_me"),
        AllSlotsReset(),
        BotUttered("Done"),
    ]:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    assert _stored(store, "me") is None
    # the next turn starts a new, empty conversation that is stored as usual
    asyncio.run(store.save(_conversation("me", time.time())))
    assert len(_stored(store, "me").events) == 4


def test_a_forget_me_that_kept_the_answers_deletes_nothing(tmp_path):
    """A typed message the model took for "forget me" but that names no deleting ("как не удалось?")."""
    store = _store(tmp_path)
    tracker = _conversation("me", time.time())
    for event in [
        UserUttered("как не удалось?", {"name": "forget_me"}),
        ActionExecuted("action_forget_me"),
        BotUttered("Kept"),
    ]:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    assert len(_stored(store, "me").events) == 7


def test_an_earlier_forget_does_not_delete_a_later_turn(tmp_path):
    store = _store(tmp_path)
    tracker = _conversation(
        "me", time.time(), ActionExecuted("action_forget_me"), UserUttered("hello again", {"name": "greet"})
    )
    asyncio.run(store.save(tracker))
    assert _stored(store, "me") is not None


@pytest.mark.parametrize("text,expected", [("30d", 30 * DAY), ("12h", 12 * 3600), (" 7d ", 7 * DAY)])
def test_durations(text, expected):
    assert purge.parse_duration(text).total_seconds() == expected


@pytest.mark.parametrize("text", ["30", "0d", "-1d", "30 days", "1w", ""])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError):
        purge.parse_duration(text)


def test_purge_command_uses_the_endpoints_file_and_the_environment(tmp_path):
    db = tmp_path / "tracker.db"
    store = ForgettingSQLTrackerStore(dialect="sqlite", db=str(db))
    asyncio.run(store.save(_conversation("old", time.time() - 40 * DAY)))
    asyncio.run(store.save(_conversation("new", time.time())))
    env = {**os.environ, "TRACKER_DB": str(db), "RETENTION_DAYS": "30"}
    env.pop("ACTION_ENDPOINT_URL", None)
    run = subprocess.run(
        [sys.executable, "-m", "bot", "purge"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Deleted 1 " in run.stdout
    assert _stored(store, "old") is None and _stored(store, "new") is not None
    bad = subprocess.run(
        [sys.executable, "-m", "bot", "purge", "--older-than", "soon"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 2 and "30d" in bad.stderr


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.scaled.yml"])
def test_endpoints_without_their_variables_stop_rasa_and_create_no_file(endpoints, tmp_path, monkeypatch):
    """The stray `${TRACKER_DB}` file: a missing variable must be an error, never a file name."""
    from rasa.core.utils import read_endpoints_from_path

    for name in ("ACTION_ENDPOINT_URL", "TRACKER_DB", "TRACKER_DB_HOST", "REDIS_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RasaException, match="environment variables"):
        read_endpoints_from_path(str(ROOT / endpoints))
    assert list(tmp_path.iterdir()) == []


def test_a_database_error_marks_the_turn_as_not_stored(tmp_path):
    """Rasa's FailSafeTrackerStore hides store errors; the channel reads this mark to apologise."""
    import sqlalchemy as sa

    from connectors.tracker_store import begin_turn

    store = _store(tmp_path)
    status = begin_turn()
    asyncio.run(store.save(_conversation("ok", time.time())))
    assert status["stored"] is True
    store.engine = sa.create_engine(f"sqlite:///{tmp_path}/missing/dir/tracker.db")
    store.sessionmaker = sa.orm.sessionmaker(bind=store.engine)

    async def turn():
        status = begin_turn()
        with pytest.raises(Exception):
            await store.retrieve("ok")
        return status

    assert asyncio.run(turn())["stored"] is False
