"""What every action needs from the tracker: the language, today, and the Situation so far."""
from __future__ import annotations

import datetime
import os
from typing import Any, Dict, List, Optional, Tuple

from langdetect import DetectorFactory, LangDetectException, detect_langs
from pydantic import ValidationError
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot import i18n
from bot.routing import SITUATION_FIELDS, Situation, text_constants

DetectorFactory.seed = 0  # langdetect is random unless seeded
MIN_DETECT_CHARS = 12
MIN_DETECT_PROBABILITY = 0.9


def today() -> datetime.date:
    """The date the law is applied on; BOT_TODAY pins it (tests, staff training)."""
    pinned = os.environ.get("BOT_TODAY")
    return datetime.date.fromisoformat(pinned) if pinned else datetime.date.today()


def detect_language(text: str) -> Optional[str]:
    """A supported language for a long enough text, or None when unsure."""
    if not text or len(text) < MIN_DETECT_CHARS or text.startswith("/"):
        return None
    try:
        guesses = detect_langs(text)
    except LangDetectException:
        return None
    for guess in guesses:
        if guess.lang in i18n.SUPPORTED_LANGUAGES and guess.prob >= MIN_DETECT_PROBABILITY:
            return guess.lang
    return None


def language(tracker: Tracker) -> Tuple[str, List[EventType]]:
    """The conversation's language and the event that records it when it changed.

    Order: the channel's metadata.language, then the language slot, then detection, then English.
    """
    current = tracker.get_slot("language")
    message = tracker.latest_message or {}
    requested = (message.get("metadata") or {}).get("language")
    if requested:
        chosen = i18n.normalise_language(requested)
    elif current:
        chosen = current
    else:
        chosen = detect_language(message.get("text") or "") or i18n.DEFAULT_LANGUAGE
    return chosen, ([] if chosen == current else [SlotSet("language", chosen)])


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message or {}).get("intent", {}).get("name")


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def say(key: str, lang: str, **params: Any) -> str:
    return i18n.t(key, lang, **{**text_constants(), **params})


def situation(tracker: Tracker, overrides: Optional[Dict[str, Any]] = None) -> Situation:
    """The Situation in the slots; a value that does not validate counts as unknown."""
    values = {name: tracker.get_slot(name) for name in SITUATION_FIELDS}
    values.update(overrides or {})
    values = {k: v for k, v in values.items() if v is not None}
    try:
        return Situation(**values)
    except ValidationError as error:
        bad = {str(e["loc"][0]) for e in error.errors()}
        return Situation(**{k: v for k, v in values.items() if k not in bad})
