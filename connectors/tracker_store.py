"""Rasa's SQL tracker store (SQLite or PostgreSQL), plus forgetting and retention.

Why a subclass: Rasa saves a conversation at the end of each turn by appending the events it does
not find in the database yet. If the action server deleted the rows during the "forget me" turn,
that save would write the whole conversation back. So `action_forget_me` only answers, and this
store, seeing that action in the turn it is asked to save, deletes every stored event of that
sender instead. The same class runs `python -m bot purge` (conversations idle for longer than the
retention period).

Faster on the Rasa server's one event-loop thread, where Rasa's SQL store runs synchronously
(bench/PROFILE.md): SQLite keeps its connections open and runs in WAL mode with synchronous=NORMAL
(a commit is a write to the log, not an fsync; a crash of Rasa, even SIGKILL, loses no committed
turn, only a power cut may lose the last ones; tests/test_tracker_durability.py), and a save
appends the events after those the same turn loaded without counting the stored rows again.

endpoints.yml: `tracker_store: {type: connectors.tracker_store.ForgettingSQLTrackerStore, ...}`
with the same keys as Rasa's `type: SQL`.
"""

from __future__ import annotations

import collections
import contextvars
import itertools
import json
import logging
import time
import weakref
from typing import Any, Dict, Iterator, Optional, Tuple

import sqlalchemy as sa
import sqlalchemy.orm
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import ActionExecuted, AllSlotsReset, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from connectors import action_results, event_types

# Every Rasa server imports this module (endpoints.yml) before its first turn.
action_results.install()
event_types.install()

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget_me"
#: conversations loaded and not yet saved, whose stored event count is remembered meanwhile
LOADED_CAP = 10000
SQLITE_POOL_SIZE = 5

#: One turn's storage status. Rasa wraps every tracker store in FailSafeTrackerStore, which on a
#: database error silently starts a new, empty conversation in memory (rasa/core/agent.py,
#: _create_tracker_store): the user would be asked everything again and the turn would be lost.
#: The channel calls begin_turn() before handing a message to Rasa and answers with an apology
#: when the store failed during that turn; the user sends the message again once it is back.
_TURN: contextvars.ContextVar = contextvars.ContextVar("tracker_store_turn", default=None)


def begin_turn() -> Dict[str, bool]:
    status = {"stored": True}
    _TURN.set(status)
    return status


def _store_failed() -> None:
    status = _TURN.get()
    if status is not None:
        status["stored"] = False


def asked_to_forget(tracker: DialogueStateTracker) -> bool:
    """True when `action_forget_me` ran after the latest user message and reset the slots (Rasa logs
    an action's events after it): a typed message that named no deleting is only answered."""
    reset = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, AllSlotsReset):
            reset = True
        if isinstance(event, ActionExecuted) and event.action_name == FORGET_ACTION:
            return reset
    return False


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: Any) -> sa.engine.Engine:
    """Connections checked before use (after a database restart the next turn reconnects); for a
    SQLite file, a pool that keeps them open, in WAL mode (closing the last connection of a WAL
    database checkpoints it with an fsync: with SQLAlchemy 1.4's default NullPool, every turn)."""
    url = sa.engine.make_url(url)
    kwargs = create_engine_kwargs(url)
    on_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if on_file:
        kwargs.update(poolclass=sa.pool.QueuePool, pool_size=SQLITE_POOL_SIZE, connect_args={"check_same_thread": False})
    engine = sa.create_engine(url, pool_pre_ping=True, **kwargs)
    if on_file:
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class ForgettingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, host: Optional[str] = None, **kwargs: Any) -> None:
        # Rasa passes a custom store's `url` as `host`, the name SQLTrackerStore expects
        super().__init__(*args, host=host, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = create_engine(url)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        #: sender -> (the tracker a turn loaded, how many rows it was made of)
        self._loaded: "collections.OrderedDict[str, Tuple[weakref.ref, int]]" = collections.OrderedDict()

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            if asked_to_forget(tracker):
                self._loaded.pop(tracker.sender_id, None)
                deleted = self.forget(tracker.sender_id)
                logger.info("Forgot a conversation on request (%d events deleted)", deleted)
                return
            await super().save(tracker)
        except Exception:
            _store_failed()
            raise

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve(sender_id)
        except Exception:
            _store_failed()
            raise

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        """Rasa's, plus remembering how many rows of the latest session it read (see `_additional_events`)."""
        self._loaded.pop(sender_id, None)
        with self.session_scope() as session:
            # the data column alone: no ORM object per row (0.8 instead of 1.2 ms for 60 events)
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            rows = query.with_entities(self.SQLEvent.data).all()
            events = [json.loads(data) for (data,) in rows]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            self._loaded[sender_id] = (weakref.ref(tracker), len(rows))
            while len(self._loaded) > LOADED_CAP:
                self._loaded.popitem(last=False)
        return tracker

    def _additional_events(self, session: sa.orm.Session, tracker: DialogueStateTracker) -> Iterator:
        """The events after those this turn loaded: the lock store keeps any other server off the
        conversation from load to save, so the rows read then are still all there are. Any other
        tracker (one sent through the HTTP API, or saved twice) counts the rows as Rasa does."""
        loaded, stored = self._loaded.pop(tracker.sender_id, (None, 0))
        if loaded is None or loaded() is not tracker or stored > len(tracker.events):
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    def forget(self, sender_id: str) -> int:
        """Delete every stored event of one conversation, in all its sessions."""
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete(synchronize_session=False)
            )
            session.commit()
        return deleted

    def purge(self, older_than_seconds: float, now: Optional[float] = None) -> int:
        """Delete the conversations whose latest event is older than the cut-off; returns how many."""
        cutoff = (now if now is not None else time.time()) - older_than_seconds
        event = self.SQLEvent
        with self.session_scope() as session:
            stale = (
                session.query(event.sender_id)
                .group_by(event.sender_id)
                .having(sa.func.max(event.timestamp) < cutoff)
                .subquery()
            )
            senders = [row[0] for row in session.query(stale.c.sender_id).all()]
            if senders:
                session.query(event).filter(event.sender_id.in_(senders)).delete(synchronize_session=False)
            session.commit()
        return len(senders)
