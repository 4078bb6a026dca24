"""What every action needs from the tracker: the language, today, and the Situation so far."""
from __future__ import annotations

import datetime
import os
from typing import Any, Dict, List, Optional, Tuple

from babel import Locale
from pydantic import ValidationError
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot import i18n
from bot import language as languages
from bot.routing import SITUATION_FIELDS, Situation, text_constants


def today() -> datetime.date:
    """The date the law is applied on; BOT_TODAY pins it (tests, staff training)."""
    pinned = os.environ.get("BOT_TODAY")
    return datetime.date.fromisoformat(pinned) if pinned else datetime.date.today()


def language(tracker: Tracker) -> Tuple[str, List[EventType]]:
    """The conversation's language and the event that records it when it changed.

    bot.language.choose decides: a language asked for in this message (button or typed), the
    channel's metadata.language, the language the message is written in when it says enough,
    else the current one.
    """
    current = tracker.get_slot("language")
    message = tracker.latest_message or {}
    said = [event for event in tracker.events if event.get("event") == "user"]
    previous = (said[-2].get("metadata") or {}).get("language") if len(said) > 1 else None
    chosen = i18n.normalise_language(languages.choose(
        message.get("text") or "", current=current,
        metadata_language=(message.get("metadata") or {}).get("language"),
        intent=(message.get("intent") or {}).get("name"), entities=message.get("entities"),
        previous_metadata_language=previous))
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
    return situation_from(values)


def situation_from(values: Dict[str, Any]) -> Situation:
    values = {k: v for k, v in values.items() if v is not None and k in SITUATION_FIELDS}
    try:
        return Situation(**values)
    except ValidationError as error:
        bad = {str(e["loc"][0]) for e in error.errors()}
        return Situation(**{k: v for k, v in values.items() if k not in bad})


# --- The conversation's own state (issue 6) ------------------------------------------------
#: Who the application is for; questions are worded for that person. Not a Situation field.
APPLICANT = "applicant"
#: The pseudo-question "So: ... Right?" that confirms facts read from free text.
CONFIRM = "confirm_facts"
#: One slot for the rest: how often each question was asked, facts awaiting confirmation,
#: questions the person could not answer (asked without them), answers they wanted to change.
STATE = "conversation_state"
SUBJECTS = ("self", "child", "wife", "husband", "parent", "relative", "employee")


def state(tracker: Tracker) -> Dict[str, Any]:
    return new_state(tracker.get_slot(STATE) or {})


def new_state(saved: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    saved = saved or {}
    return {"asked": dict(saved.get("asked") or {}), "pending": dict(saved.get("pending") or {}),
            "unsure": list(saved.get("unsure") or []), "unknown": list(saved.get("unknown") or []),
            "back_from": dict(saved.get("back_from") or {}), "which": bool(saved.get("which")),
            "shown": saved.get("shown"), "kept": saved.get("kept"), "read_latest": bool(saved.get("read_latest"))}


def open_questions(tracker: Tracker, rec: Any) -> List[str]:
    """The questions still to be asked before the answer: facts awaiting confirmation, then what the
    engine waits for, leaving out what the person could not say (the answer marks those)."""
    saved = state(tracker)
    if "procedure" in saved["unknown"] and not tracker.get_slot("procedure"):
        return []  # the questions ended without it: the checklist marks what is missing
    waiting = [CONFIRM] if saved["pending"] else []
    return waiting + [field for field in rec.ask_next if field not in saved["unknown"]]


def applicant(tracker: Tracker) -> str:
    """The person the questions are about; "self" until someone else is named."""
    value = tracker.get_slot(APPLICANT)
    return value if value in SUBJECTS else "self"


def value_before_message(tracker: Tracker, name: str) -> Any:
    """The slot's value before the latest user message (what action_extract_slots may have overwritten)."""
    last_user = max((i for i, e in enumerate(tracker.events) if e.get("event") == "user"), default=len(tracker.events))
    value = None
    for event in tracker.events[:last_user]:
        if event.get("event") == "slot" and event.get("name") == name:
            value = event.get("value")
        elif event.get("event") in ("reset_slots", "restart"):
            value = None
    return value


def country_name(code: str, lang: str) -> str:
    return Locale.parse(i18n.normalise_language(lang)).territories.get(code, code)


def display(field: str, value: Any, lang: str) -> str:
    """A Situation value as the person reads it: a country name, an option title, a date, yes/no."""
    if value is None:
        return i18n.t("conversation.unknown_value", lang)
    if field == "citizenship":
        return country_name(str(value), lang)
    if field == APPLICANT:
        return i18n.t(f"conversation.applicant.{value}", lang)
    if isinstance(value, bool):
        return i18n.raw("options.bool", lang)["true" if value else "false"]
    if field in ("procedure", "purpose"):
        options = i18n.raw(f"options.{field}", lang)
        return options.get(value, value) if isinstance(options, dict) else str(value)
    try:
        return str(i18n.format_value(datetime.date.fromisoformat(str(value)), lang))
    except ValueError:
        return str(value)


def fact_phrase(field: str, value: Any, lang: str) -> str:
    """How one fact reads in the confirmation line ("citizen of Georgia", "in Poland now")."""
    entry = i18n.raw(f"conversation.fact.{field}", lang) if i18n.has(f"conversation.fact.{field}", lang) else None
    if isinstance(entry, dict):
        return say(f"conversation.fact.{field}.{'true' if value else 'false'}", lang)
    if isinstance(entry, str):
        return say(f"conversation.fact.{field}", lang, value=display(field, value, lang))
    return f"{say(f'conversation.labels.{field}', lang)}: {display(field, value, lang)}"


def stored(value: Any) -> Any:
    """A value as a slot keeps it (dates as ISO strings)."""
    return value.isoformat() if isinstance(value, datetime.date) else value
