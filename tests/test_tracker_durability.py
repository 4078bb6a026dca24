"""The faster tracker store keeps every turn: WAL-mode SQLite, saves of only the new events, and a
Rasa server killed with SIGKILL mid-conversation loses no turn it had answered.
Also: the action server's answers are still checked against Rasa's schema (connectors/action_results.py)."""

import asyncio
import json
import os
import signal
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from typing import Dict, List, Tuple

import pytest
import sqlalchemy as sa
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from connectors import action_results, event_types
from connectors.tracker_store import ForgettingSQLTrackerStore
from tools.stack import ROOT, Stack

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def _store(tmp_path) -> ForgettingSQLTrackerStore:
    return ForgettingSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))


def _turn(text: str) -> list:
    return [
        UserUttered(text, {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"),
        BotUttered(f"answer to {text}"),
        ActionExecuted("action_listen"),
    ]


def _rows(db) -> List[Tuple[str, str]]:
    with sqlite3.connect(str(db)) as connection:
        return connection.execute("SELECT sender_id, type_name FROM events ORDER BY id").fetchall()


def _statements(store) -> List[str]:
    seen: List[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *args: seen.append(args[2].lower()))
    return seen


def test_sqlite_runs_in_wal_mode_with_normal_sync_on_every_pooled_connection(tmp_path):
    store = _store(tmp_path)
    with store.engine.connect() as first, store.engine.connect() as second:
        for connection in (first, second):
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_a_loaded_conversation_is_saved_by_appending_its_new_events_without_counting(tmp_path):
    store = _store(tmp_path)
    asyncio.run(store.save(DialogueStateTracker.from_events("a", [ActionExecuted("action_listen"), *_turn("hi")])))
    tracker = asyncio.run(store.retrieve("a"))
    for event in _turn("second"):
        tracker.update(event)
    statements = _statements(store)
    asyncio.run(store.save(tracker))
    assert not [s for s in statements if "count(" in s]
    assert len(_rows(tmp_path / "tracker.db")) == 9
    assert [e.text for e in asyncio.run(store.retrieve("a")).events if isinstance(e, UserUttered)] == ["hi", "second"]


def test_a_tracker_the_store_did_not_load_is_counted_as_rasa_does_and_never_duplicated(tmp_path):
    store = _store(tmp_path)
    events = [ActionExecuted("action_listen"), *_turn("hi")]
    asyncio.run(store.save(DialogueStateTracker.from_events("b", events)))
    asyncio.run(store.retrieve("b"))  # loaded, then replaced by another tracker (the HTTP API's PUT)
    replaced = DialogueStateTracker.from_events("b", [*events, SlotSet("language", "pl"), *_turn("again")])
    statements = _statements(store)
    asyncio.run(store.save(replaced))
    asyncio.run(store.save(replaced))  # a second save of the same tracker adds nothing
    assert [s for s in statements if "count(" in s]
    assert len(_rows(tmp_path / "tracker.db")) == 10


def test_importing_the_tracker_store_installs_the_compiled_action_answer_check():
    assert action_results.installed()


def test_event_classes_are_found_by_type_name_as_rasa_finds_them():
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    assert event_types.installed()
    walk = rasa.shared.utils.common.all_subclasses(Event)
    for name in {cls.type_name for cls in walk}:
        assert Event.resolve_by_type(name) is next(cls for cls in walk if cls.type_name == name)
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_an_event_class_defined_later_is_found_too():
    from rasa.shared.core.events import Event

    assert Event.resolve_by_type("slot") is SlotSet  # the index is built before the new class exists

    class LateEvent(SlotSet):
        type_name = "late_event_for_the_test"

    assert Event.resolve_by_type("late_event_for_the_test") is LateEvent


@pytest.mark.parametrize(
    "answer",
    [
        {
            "events": [{"event": "slot", "name": "language", "value": "pl", "timestamp": None}],
            "responses": [{"text": "Cześć", "buttons": [{"title": "Tak", "payload": "/affirm"}]}],
        },
        {"events": [], "responses": []},
        {"events": [{"event": "slot"}]},  # a slot event without a name
        {"events": [{"event": "no_such_event"}]},
        {"events": [{"name": "language"}]},  # no event type
        {"events": {"event": "slot"}},  # not a list
        {"responses": ["text"]},
    ],
)
def test_action_answers_get_the_same_verdict_as_rasas_own_check(answer):
    schema = RemoteAction.action_response_format_spec()
    try:
        validate(answer, schema)
        expected = None
    except ValidationError as error:
        expected = error.message
    action = RemoteAction("action_x", None)
    if expected is None:
        assert action._validate_action_result(answer) is True
    else:
        with pytest.raises(ValidationError) as raised:
            action._validate_action_result(answer)
        assert raised.value.message.startswith(expected + ". Failed to validate Action server response")


# ------------------------------------------------------------------------------------------ SIGKILL
USERS = 4
MESSAGES = [
    "Hello",
    "How do I apply for a residence permit?",
    '/inform{"procedure": "temporary_residence"}',
    "India",
    '/inform{"purpose": "work"}',
    "yes",
    "31.12.2026",
    "no",
    "yes",
    "yes",
    "what is MOS?",
    "how much does it cost?",
]


def _chat(url: str, sender: str, acknowledged: List[str], stop: threading.Event) -> None:
    """Sends the messages in order until Rasa stops answering; records each one answered."""
    for message in MESSAGES:
        if stop.is_set():
            return
        body = json.dumps({"sender": sender, "message": message, "metadata": {"language": "en"}}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                if answer.status == 200 and json.loads(answer.read()):
                    acknowledged.append(message)
        except (urllib.error.URLError, OSError, ValueError):
            return


def _stored_user_texts(db) -> Dict[str, List[str]]:
    with sqlite3.connect(str(db)) as connection:
        rows = connection.execute("SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id")
        texts: Dict[str, List[str]] = {}
        for sender, data in rows:
            texts.setdefault(sender, []).append(json.loads(data).get("text"))
    return texts


@pytest.mark.slow
def test_rasa_killed_mid_conversation_loses_no_acknowledged_turn(tmp_path):
    db = tmp_path / "tracker.db"
    with Stack.running(tmp_path / "run", {"TRACKER_DB": str(db)}) as stack:
        url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
        acknowledged: Dict[str, List[str]] = {f"crash-{n}": [] for n in range(USERS)}
        stop = threading.Event()
        threads = [threading.Thread(target=_chat, args=(url, sender, done, stop)) for sender, done in acknowledged.items()]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 240
        while sum(map(len, acknowledged.values())) < 2 * USERS + 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(stack.process("rasa").pid, signal.SIGKILL)  # while other turns are under way
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
        answered = {sender: list(done) for sender, done in acknowledged.items()}
        assert sum(map(len, answered.values())) > 2 * USERS
        stored = _stored_user_texts(db)
        for sender, done in answered.items():
            # every answered turn is stored, in order; at most the one under way at the kill as well
            assert stored.get(sender, [])[: len(done)] == done, sender
            assert len(stored.get(sender, [])) <= len(done) + 1, sender

        stack.restart("rasa")  # and Rasa itself reads them all back after the crash
        for sender, done in answered.items():
            with urllib.request.urlopen(
                f"http://127.0.0.1:{stack.rasa_port}/conversations/{sender}/tracker", timeout=60
            ) as answer:
                events = json.loads(answer.read())["events"]
            assert [e.get("text") for e in events if e["event"] == "user"][: len(done)] == done
