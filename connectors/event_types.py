"""Rasa's look-up of an event class by its type name, without walking every subclass each time.

Rasa 3.6's `Event.resolve_by_type` (`rasa/shared/core/events.py`) calls
`rasa.shared.utils.common.all_subclasses(Event)` for every event it rebuilds: loading a tracker
from the store and reading the action server's answer. That walk (about 40 classes, each checked
with `inspect.isabstract`) took 24 of the 28 µs an event costs to deserialise, i.e. about 8 ms for
a 60-turn conversation on every one of its turns (bench/PROFILE.md). Here the first class with each
type name, in the order Rasa's walk finds them, is kept; an unknown name walks again (a subclass
defined later is still found) and then answers exactly as Rasa does.
"""

from __future__ import annotations

from typing import Dict, Optional, Text, Type

import rasa.shared.utils.common
from rasa.shared.core.events import Event

_RASA_RESOLVE = Event.resolve_by_type
_BY_NAME: Dict[Text, Type[Event]] = {}


def _index() -> None:
    found: Dict[Text, Type[Event]] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        found.setdefault(cls.type_name, cls)
    _BY_NAME.clear()
    _BY_NAME.update(found)


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    cls = _BY_NAME.get(type_name)
    if cls is None:
        _index()
        cls = _BY_NAME.get(type_name)
    if cls is not None:
        return cls
    return _RASA_RESOLVE(type_name, default)  # "topic", the default, or Rasa's ValueError


def install() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)


def installed() -> bool:
    return Event.__dict__["resolve_by_type"].__func__ is resolve_by_type
