"""Reading the REST channel's answer: which field the assistant asks next, and the recommendation."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Optional

Answer = List[Dict[str, Any]]


def asked(answer: Answer) -> str:
    """The field the last message's buttons collect ("confirm_facts" for the one-line confirmation),
    or its text for a question answered by typing."""
    last = answer[-1]
    for button in last.get("buttons") or []:
        if button["payload"] == "/affirm":
            return "confirm_facts"
        if button["payload"].startswith("/inform"):
            return next(iter(json.loads(button["payload"][len("/inform") :])))
    return last.get("text", "")


def outcome(answer: Answer) -> Optional[Dict[str, Any]]:
    """The recommendation the answer carries in custom.recommendation, or None."""
    found = [m["custom"]["recommendation"] for m in answer if "recommendation" in (m.get("custom") or {})]
    return found[0] if found else None


def strings(node: Any) -> Iterator[str]:
    """Every string in a loaded YAML tree (a catalog, a vocabulary file)."""
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def own_question(field: str, lang: str = "en") -> str:
    """A question as worded for one's own application (bot.questions: questions_for.self first)."""
    from bot import i18n
    from bot.routing import text_constants

    key = f"conversation.questions_for.self.{field}"
    return i18n.t(key if i18n.has(key, lang) else f"questions.{field}", lang, **text_constants())
