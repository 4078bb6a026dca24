"""`python -m bot purge [--older-than 30d]`: delete conversations idle for longer than the retention period.

The retention period comes from `--older-than` (`30d`, `12h`), else RETENTION_DAYS (default 30).
It reads the same endpoints file as Rasa (RASA_ENDPOINTS, default endpoints.yml) with the same
defaults as `make run`, so it purges the store the assistant writes to. Run it daily (cron, a
Kubernetes CronJob); each run deletes whole conversations whose latest event is older than the cut-off.
"""

from __future__ import annotations

import datetime
import os
import re

DEFAULT_RETENTION_DAYS = 30
_DURATION = re.compile(r"^\s*(\d+)\s*([dh])\s*$")


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=int(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)))


def parse_duration(text: str) -> datetime.timedelta:
    """'30d' or '12h' as a timedelta; anything else is a ValueError with the accepted forms."""
    match = _DURATION.match(text or "")
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"expected a whole number of days or hours, like 30d or 12h, not {text!r}")
    amount, unit = int(match.group(1)), match.group(2)
    return datetime.timedelta(days=amount) if unit == "d" else datetime.timedelta(hours=amount)


def purge(older_than: datetime.timedelta, endpoints: str = "") -> int:
    """Delete the conversations idle for longer than `older_than`; returns how many were deleted."""
    from tools.stack import ROOT, Stack  # the defaults `make run` gives Rasa

    for name, value in Stack().env().items():
        os.environ.setdefault(name, value)
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    from connectors.tracker_store import ForgettingSQLTrackerStore

    path = endpoints or os.environ.get("RASA_ENDPOINTS", "endpoints.yml")
    config = read_endpoint_config(str(ROOT / path), "tracker_store")
    store = TrackerStore.create(config)
    if not isinstance(store, ForgettingSQLTrackerStore):
        raise SystemExit(
            f"{path}: the tracker store is {type(store).__name__}, not "
            "connectors.tracker_store.ForgettingSQLTrackerStore; nothing purged"
        )
    return store.purge(older_than.total_seconds())
