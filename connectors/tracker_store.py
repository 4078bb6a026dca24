"""Rasa's SQL tracker store (SQLite or PostgreSQL), plus forgetting and retention.

Why a subclass: Rasa saves a conversation at the end of each turn by appending the events it does
not find in the database yet. If the action server deleted the rows during the "forget me" turn,
that save would write the whole conversation back. So `action_forget_me` only answers, and this
store, seeing that action in the turn it is asked to save, deletes every stored event of that
sender instead. The same class runs `python -m bot purge` (conversations idle for longer than the
retention period).

endpoints.yml: `tracker_store: {type: connectors.tracker_store.ForgettingSQLTrackerStore, ...}`
with the same keys as Rasa's `type: SQL`.
"""
from __future__ import annotations

import contextvars
import logging
import time
from typing import Any, Dict, Optional

import sqlalchemy as sa
import sqlalchemy.orm
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget_me"

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
    """True when `action_forget_me` ran after the latest user message."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == FORGET_ACTION:
            return True
    return False


class ForgettingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, host: Optional[str] = None, **kwargs: Any) -> None:
        # Rasa passes a custom store's `url` as `host`, the name SQLTrackerStore expects
        super().__init__(*args, host=host, **kwargs)
        # Test each pooled connection before use: after a database restart the next turn then
        # reconnects instead of failing on a dead connection.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            if asked_to_forget(tracker):
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

    def forget(self, sender_id: str) -> int:
        """Delete every stored event of one conversation, in all its sessions."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete(
                synchronize_session=False)
            session.commit()
        return deleted

    def purge(self, older_than_seconds: float, now: Optional[float] = None) -> int:
        """Delete the conversations whose latest event is older than the cut-off; returns how many."""
        cutoff = (now if now is not None else time.time()) - older_than_seconds
        event = self.SQLEvent
        with self.session_scope() as session:
            stale = (session.query(event.sender_id).group_by(event.sender_id)
                     .having(sa.func.max(event.timestamp) < cutoff).subquery())
            senders = [row[0] for row in session.query(stale.c.sender_id).all()]
            if senders:
                session.query(event).filter(event.sender_id.in_(senders)).delete(synchronize_session=False)
            session.commit()
        return len(senders)
