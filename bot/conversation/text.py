"""How the conversation words things: catalog texts with the rules' constants, values as a person reads them."""

from __future__ import annotations

import datetime
from typing import Any, Dict

from babel import Locale
from pydantic import ValidationError

from bot import i18n
from bot.conversation.state import APPLICANT
from bot.routing import SITUATION_FIELDS, Situation, text_constants


def say(key: str, lang: str, **params: Any) -> str:
    return i18n.t(key, lang, **{**text_constants(), **params})


def label(field: str, lang: str) -> str:
    return say(f"conversation.labels.{field}", lang)


def situation_from(values: Dict[str, Any]) -> Situation:
    """The Situation in these values; a value that does not validate counts as unknown."""
    values = {k: v for k, v in values.items() if v is not None and k in SITUATION_FIELDS}
    try:
        return Situation(**values)
    except ValidationError as error:
        bad = {str(e["loc"][0]) for e in error.errors()}
        return Situation(**{k: v for k, v in values.items() if k not in bad})


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
    return f"{label(field, lang)}: {display(field, value, lang)}"


def stored(value: Any) -> Any:
    """A value as a slot keeps it (dates as ISO strings)."""
    return value.isoformat() if isinstance(value, datetime.date) else value
