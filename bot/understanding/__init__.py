"""What a message says about the applicant's Situation, in English, Polish, Ukrainian or Russian.

`understand(text, language, asking)` returns the facts stated, each with how it was recognised and
whether it answers the question being asked or was read from free text about something else.
Pure Python, no Rasa: the conversation decides what to do with the facts (confirm, store, ask again).
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from bot.understanding.reader import read


@dataclass(frozen=True)
class Fact:
    field: str  # a Situation field name, e.g. "citizenship"
    value: Any  # the contract value: enum string, bool, ISO alpha-2 upper case or datetime.date
    how: str  # how it was recognised: "country: Vietnam", "phrase: join my husband", "date: 14.12.2026"
    inferred: bool  # False when it answers the question asked (or is a button value); True from other free text


@dataclass
class Understood:
    facts: Dict[str, Fact] = field(default_factory=dict)
    dont_know: bool = False
    asks_why: bool = False
    subject: Optional[str] = None  # "self", "child", "spouse", "parent", "relative", "employee"
    language_request: Optional[str] = None  # "pl", "uk", "ru", "en"
    correction: bool = False  # "that's wrong, I mean ...": the facts read replace the earlier ones at once
    role: Optional[str] = None  # the typing person's own role: "employer", "employee" (negation respected)


MAX_CHARS = 1500


def _default_today() -> datetime.date:
    pinned = os.environ.get("BOT_TODAY")
    return datetime.date.fromisoformat(pinned) if pinned else datetime.date.today()


def understand(
    text: str,
    language: str,
    asking: Optional[str] = None,
    today: Optional[datetime.date] = None,
    known: Optional[Dict[str, Any]] = None,
) -> Understood:
    """Facts the message states. `asking` is the Situation field just asked (or None); `known` may hold
    facts already collected and "subject" (who the application is for), which decides whose facts count."""
    # a pasted document says nothing a message would not; the cap keeps every call fast
    return read((text or "")[:MAX_CHARS], language, asking, today or _default_today(), known or {}, Understood, Fact)


def warm_up() -> None:
    """Load the lemmatizers' and dateparser's data now (simplemma's Polish dictionary takes seconds),
    so that the first message of a conversation does not wait for it; call at server start."""
    for language, text in (
        ("en", "I am from India until 1 March 2027"),
        ("pl", "mam pesel do 1 marca 2027"),
        ("uk", "я з України до 1 березня 2027"),
        ("ru", "я из России до 1 марта 2027"),
        # the index of Latin-typed Ukrainian and Russian (latin.py) is built on its first use
        ("uk", "ja z Ukrajiny"),
        ("ru", "ya iz Rossii"),
    ):
        understand(text, language, None, datetime.date(2026, 1, 1))


__all__ = ["understand", "Understood", "Fact", "warm_up"]
