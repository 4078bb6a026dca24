"""Each question, worded for the person it is about, with buttons, in the person's language.

Besides the Situation fields: who the application is for (`applicant`) and the one line that
confirms facts read from free text (`confirm_facts`).
"""

from __future__ import annotations

import datetime
from typing import Optional

from bot import i18n
from bot.conversation.reply import Say
from bot.conversation.state import APPLICANT, CONFIRM, SUBJECTS, State
from bot.conversation.text import fact_phrase, situation_from
from bot.questions import applicant_question, confirm_question, question, which_is_wrong_question
from bot.routing import SITUATION_FIELDS


def about(state: State) -> str:
    """The person the questions are about; "self" until someone else is named."""
    value = state.answers.get(APPLICANT)
    return value if value in SUBJECTS else "self"


def ask(state: State, field: Optional[str], lang: str, today: datetime.date) -> Optional[Say]:
    """The question for `field` on this state, or None when there is no such question."""
    if field == APPLICANT:
        message = applicant_question(lang)
    elif field == CONFIRM:
        message = confirm_facts(state, lang)
    elif field in SITUATION_FIELDS:
        message = question(
            field,
            lang,
            today,
            situation_from(state.situation_values()),
            about=about(state),
            unsure=field in state.memo["unsure"],
        )
    else:
        return None
    return Say(message["text"], message["buttons"])


def confirm_facts(state: State, lang: str) -> dict:
    pending = state.memo["pending"]
    if state.memo["which"]:
        # after a plain "no": one button per fact, so the right ones are kept
        return which_is_wrong_question(lang, {field: fact_phrase(field, value, lang) for field, value in pending.items()})
    facts = ", ".join(fact_phrase(field, value, lang) for field, value in pending.items())
    return confirm_question(lang, facts, i18n.t(f"conversation.about.{state.answers.get(APPLICANT) or 'self'}", lang))
