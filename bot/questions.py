"""The question for each Situation field, with its buttons, in a language.

Buttons carry the contract's payload `/inform{"<field>": <value>}`; dates have none, because a
preset button would have to invent the person's date.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List

from bot import i18n
from bot.routing.models import Situation

BOOL_FIELDS = [name for name, f in Situation.__fields__.items() if f.outer_type_ is bool]
DATE_FIELDS = [name for name, f in Situation.__fields__.items() if f.outer_type_.__name__ == "date"]


def payload(field: str, value: Any) -> str:
    return "/inform" + json.dumps({field: value}, ensure_ascii=False, separators=(", ", ": "))


def buttons(field: str, language: str) -> List[Dict[str, str]]:
    if field in BOOL_FIELDS:
        labels = i18n.raw("options.bool", language)
        return [{"title": labels["true"], "payload": payload(field, True)},
                {"title": labels["false"], "payload": payload(field, False)}]
    if field in DATE_FIELDS:
        return []
    options = i18n.raw(f"options.{field}", language)
    return [{"title": title, "payload": payload(field, value)} for value, title in options.items()]


def question(field: str, language: str) -> Dict[str, Any]:
    """The message asking for `field`: its text and buttons."""
    return {"text": i18n.t(f"questions.{field}", language), "buttons": buttons(field, language)}
