"""What one message answers: the facts it gives, whom it is about, "I don't know", "why?", a correction.

A button sets exactly what it says; typed text goes through `bot.understanding.understand`, and the
entities the NLU may have put in slots from typed text are not trusted. The answer to the question
asked is taken at once; other facts read from free text are to be confirmed first.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from bot import i18n
from bot.conversation.parsing import contains, normal, parse, parse_bool, typed_goal, typed_in_latin, year_only
from bot.conversation.state import APPLICANT, CONFIRM, SUBJECTS, Message
from bot.conversation.text import situation_from, stored
from bot.questions import BOOL_FIELDS, DATE_FIELDS, decides_alike
from bot.routing import SITUATION_FIELDS
from bot.understanding import understand


@dataclass
class Reading:
    """What a message gives: facts (`given`), those to confirm first, and how it answers."""

    given: Dict[str, Any] = field(default_factory=dict)
    to_confirm: set = field(default_factory=set)
    subject: Optional[str] = None
    dont_know: bool = False
    asks_why: bool = False
    corrects: bool = False


def says_changed(text: str, lang: str) -> bool:
    """The person says a fact changed or was wrong ("actually", "not Vietnam", "I mean")."""
    words, latin = normal(text), lang in ("uk", "ru") and text.isascii()
    # "naspravdi robota" typed for "насправді робота"
    return any(
        contains(words, w) or (latin and typed_in_latin(w, text)) for w in i18n.raw("conversation.change_words", lang)
    )


def is_question(text: str, lang: str) -> bool:
    """The message asks something: a question mark, or it opens with (or holds) a question phrase."""
    if "?" in text:
        return True
    words = normal(text)
    phrases = i18n.raw("conversation.question_words", lang)
    return any(words.startswith(p + " ") for p in phrases) or any(" " in p and contains(words, p) for p in phrases)


def statement_before_question(text: str) -> bool:
    """The message opens with a sentence that is no question, and a question follows it."""
    parts = re.split(r"(?<=[.!;])\s+", text.strip(), maxsplit=1)
    return len(parts) == 2 and "?" not in parts[0] and bool(parts[1].strip())


def subject_of(understood_subject: Optional[str], text: str, lang: str) -> Optional[str]:
    """The applicant slot's value for what the understanding step says the message is about."""
    if understood_subject == "spouse":
        words = normal(text)
        for who in ("wife", "husband"):
            if any(contains(words, w) for w in i18n.raw(f"conversation.subject_words.{who}", lang)):
                return who
        return "relative"
    return understood_subject if understood_subject in SUBJECTS else None


def chosen_subject(text: str, lang: str) -> Optional[str]:
    """The answer to "who is it for?": a typed button title ("My wife"), or one person named."""
    words = normal(text)
    for subject, title in i18n.raw("conversation.applicant", lang).items():
        if words in (normal(title), subject):
            return subject
    named = {
        subject
        for subject, names in i18n.raw("conversation.subject_words", lang).items()
        if any(contains(words, name) for name in names)
    }
    if {"wife", "husband"} <= named:
        named -= {"wife", "husband"}  # "he" and "she" together name nobody
    return named.pop() if len(named) == 1 else None


def year_if_it_decides(raw: Any, values: Dict[str, Any], today: datetime.date) -> Optional[datetime.date]:
    """'Since 2022' is enough when any day of that year gives the same CUKR answer.

    The last day of the year is kept (fewer days of status, never more); when the first and
    the last day disagree (2025, around 4 June), the exact date has to be asked.
    """
    year = year_only(raw)
    if year is None:
        return None
    first, last = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    if first > today:
        return None
    return last if decides_alike(situation_from(values), "ukr_status_since", [first, last], today) else None


def typed_answer(question: str, message: Message, lang: str, values: Dict[str, Any], today: datetime.date) -> Any:
    """The older one-question parsers, for what the understanding step leaves: yes/no and dates."""
    text, intent = message.text, message.intent
    if question in BOOL_FIELDS:
        return parse_bool(text, lang, intent)
    if question == "ukr_status_since":
        return stored(parse(question, text, lang, today, intent) or year_if_it_decides(text, values, today))
    if question == "permit_expires":
        return stored(parse(question, text, lang, today, intent))
    return None


def asked_question(requested: Optional[str], pending: Dict[str, Any], message: Message, next_question: Any) -> Optional[str]:
    """The question this message answers: the one asked, the one date waiting at "Right?", or, for a
    first message or typing past "who is it for?", the question that comes next (`next_question()`)."""
    asking = requested if requested in SITUATION_FIELDS else None
    if requested == CONFIRM:
        # "no, since 10.03.2022": a bare date in the answer to "Right?" is the one date waiting there
        waiting_dates = [f for f in pending if f in DATE_FIELDS]
        asking = waiting_dates[0] if len(waiting_dates) == 1 else None
    if not message.payload and requested in (None, APPLICANT):
        asking = next_question()
    return asking


def read_payload(message: Message) -> Reading:
    """A button: exactly the values its payload sets."""
    chosen = message.slots_set.get(APPLICANT)
    return Reading(
        given={f: v for f, v in message.slots_set.items() if f in SITUATION_FIELDS},
        subject=chosen if chosen in SUBJECTS else None,
    )


def read_typed(
    message: Message, lang: str, requested: Optional[str], asking: Optional[str], slots: Dict[str, Any], today: datetime.date
) -> Reading:
    """Typed text as the understanding step reads it, knowing what is known and what was asked."""
    text = message.text
    known: Dict[str, Any] = {k: v for k, v in slots.items() if k in SITUATION_FIELDS and v is not None}
    if slots.get(APPLICANT):
        known["subject"] = {"wife": "spouse", "husband": "spouse"}.get(slots[APPLICANT], slots[APPLICANT])
    understood = understand(text, lang, asking=asking, today=today, known=known)
    reading = Reading(given={f: stored(fact.value) for f, fact in understood.facts.items() if f in SITUATION_FIELDS})
    # Inferred facts, and facts about another question than the one asked, are confirmed first.
    reading.to_confirm = {
        f for f, fact in understood.facts.items() if getattr(fact, "inferred", False) or (requested and f != asking)
    }
    if requested in (None, APPLICANT) and len(reading.given) > 1:
        # a first message telling several things: what they apply for is in the "Right?" line too,
        # so a misread procedure is seen before it decides everything
        reading.to_confirm |= set(reading.given)
    reading.subject = subject_of(understood.subject, text, lang) or (
        chosen_subject(text, lang) if requested == APPLICANT else None
    )
    reading.dont_know, reading.asks_why = bool(understood.dont_know), bool(understood.asks_why)
    reading.corrects = bool(getattr(understood, "correction", False))
    return reading


def complete_typed(
    reading: Reading, message: Message, lang: str, question: Dict[str, Any], values: Dict[str, Any], today: datetime.date
) -> Reading:
    """What the understanding step leaves: a typed aim's title, "China" at "who is it for?", the change
    a "kept" reply asked for, and the one-question parsers. `question` holds requested, asking, kept, unsure."""
    requested, asking, kept = question["requested"], question["asking"], question["kept"]
    # at the aims question, or at the procedure question when the message names no procedure
    # ("zhit s semjoj, ja zhe pisala": an aim's title typed there too)
    aims_asked = "procedure" in question["unsure"] or "procedure" not in reading.given
    goal = typed_goal(message.text, lang) if requested == "procedure" and aims_asked else None
    if goal:
        # an aim's title typed instead of pressed ("Работа"): what its button stands for
        reading.given, reading.to_confirm = {f: v for f, v in goal.items() if f in SITUATION_FIELDS}, set()
    if requested == APPLICANT and not reading.subject and reading.given:
        reading.subject = "self"  # "China" at "who is it for?": they are telling about themselves
    if kept and kept not in reading.given and says_changed(message.text, lang):
        value = typed_answer(kept, message, lang, values, today)
        if value is not None:
            reading.given[kept] = value  # the change the "kept" reply asked them to type
            reading.corrects = True
    if asking and not reading.given and not reading.dont_know and not reading.asks_why:
        # only for a message that says nothing else: "yes, I have a PESEL" does not answer
        # "do you have a Trusted Profile?"
        fallback = typed_answer(asking, message, lang, values, today)
        if fallback is not None:
            reading.given[asking] = fallback
    return reading
