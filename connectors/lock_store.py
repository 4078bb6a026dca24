"""Rasa's Redis lock store with its ticket updates made atomic across servers.

Rasa 3.6's RedisLockStore issues a ticket by reading the conversation's lock from Redis, adding a
ticket and writing it back (rasa/core/lock_store.py, LockStore.issue_ticket); cleaning up reads,
removes and writes or deletes the same way. Two servers that receive a message for one
conversation at the same moment can both read "no tickets", both take ticket 0 and handle both
turns at once: the later save then drops the other turn (tests/test_scaled.py reproduces it).
Rasa added an atomic variant only outside the open-source edition (RasaHQ/rasa#11256). Here each
read-modify-write runs under a short Redis mutex (redis-py's Lock: SET NX PX, released by token).

endpoints.scaled.yml: `lock_store: {type: connectors.lock_store.AtomicRedisLockStore, url, port, ...}`.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Optional

from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

#: a read-modify-write takes a millisecond; the mutex expires by itself if its holder dies
MUTEX_TIMEOUT_S = 5
MUTEX_WAIT_S = 10


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # how Rasa builds a lock store named by its module path
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs}
        super().__init__(**kwargs)

    @contextmanager
    def _mutex(self, conversation_id: str) -> Iterator[None]:
        mutex = self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex", timeout=MUTEX_TIMEOUT_S, blocking_timeout=MUTEX_WAIT_S
        )
        if not mutex.acquire():
            raise LockError(f"Could not update the lock of a conversation within {MUTEX_WAIT_S} s.")
        try:
            yield
        finally:
            try:
                mutex.release()
            except Exception:  # noqa: BLE001 - expired meanwhile: nothing left to release
                pass

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
