"""The question for each Situation field, with its buttons, in a language.

Buttons carry the contract's payload `/inform{"<field>": <value>}`. A date button must never
invent the person's date: it stands for a range of days, and is only offered when every day in
that range gives the same answer, so the exact date can still be typed but need not be.
"""

from __future__ import annotations

import datetime
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from bot import i18n
from bot.routing import recommend, text_constants
from bot.routing.models import Situation

from bot.routing.models import BOOL_FIELDS, DATE_FIELDS  # noqa: E402  (re-exported for the actions)


def payload(field: str, value: Any) -> str:
    return facts_payload({field: value})


def facts_payload(facts: Dict[str, Any]) -> str:
    return "/inform" + json.dumps(facts, ensure_ascii=False, separators=(", ", ": "))


@lru_cache(maxsize=1)
def goals() -> Dict[str, Dict[str, str]]:
    """Plain-word aims and the procedure (and purpose) each stands for (bot/goals.yml)."""
    with (Path(__file__).parent / "goals.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def decides_alike(situation: Situation, field: str, days: List[datetime.date], today: datetime.date) -> bool:
    """True when `field` set to any of `days` gives the same decision (texts aside)."""
    answers = {
        recommend(situation.copy(update={field: day}), today).json(exclude={"today", "warnings", "steps"}) for day in days
    }
    return len(answers) == 1


def date_choices(field: str, today: datetime.date, situation: Situation) -> List[tuple]:
    """(catalog key, date) pairs for the date buttons that decide as well as the exact date would."""
    one_day = datetime.timedelta(days=1)
    if field == "permit_expires":
        # "already ended": any past day gives the same answer; the warning names no date
        return [("options.dates.ended", today - one_day), ("options.dates.today", today)]
    if field == "ukr_status_since":
        reference = text_constants()["ukr_reference_day"]
        choices = []
        earlier = [reference.replace(year=reference.year - 4), reference]
        if reference <= today and decides_alike(situation, field, earlier, today):
            choices.append(("options.dates.ukr_on_or_before", reference))
        # No button for "after 4 June 2025": the 365 days then count from the real day, which must be typed.
        return choices
    return []


def buttons(
    field: str, language: str, today: Optional[datetime.date] = None, situation: Optional[Situation] = None
) -> List[Dict[str, str]]:
    if field in BOOL_FIELDS:
        labels = i18n.raw("options.bool", language)
        return [
            {"title": labels["true"], "payload": payload(field, True)},
            {"title": labels["false"], "payload": payload(field, False)},
        ]
    if field in DATE_FIELDS:
        today = today or datetime.date.today()
        return [
            {"title": i18n.t(key, language, **text_constants()), "payload": payload(field, day.isoformat())}
            for key, day in date_choices(field, today, situation or Situation())
        ]
    options = i18n.raw(f"options.{field}", language)
    return [{"title": title, "payload": payload(field, value)} for value, title in options.items()]


def question(
    field: str,
    language: str,
    today: Optional[datetime.date] = None,
    situation: Optional[Situation] = None,
    about: str = "self",
    unsure: bool = False,
) -> Dict[str, Any]:
    """The message asking for `field`, worded for the person it is about (`about`), with buttons.

    `unsure`: the person said they don't know; the question comes again with where to find the
    answer, and the procedure question becomes "what do you want to do in Poland?" in plain words.
    """
    if field == "procedure" and unsure:
        return {
            "text": i18n.t("conversation.goal_question", language),
            "buttons": [
                {"title": i18n.t(f"conversation.goals.{goal}", language), "payload": facts_payload(facts)}
                for goal, facts in goals().items()
            ],
        }
    key = f"conversation.questions_for.{about}.{field}"
    text = i18n.t(key if i18n.has(key, language) else f"questions.{field}", language, **text_constants())
    if unsure:
        text = i18n.t(f"conversation.dont_know.{field}", language, **text_constants()) + "\n" + text
    return {"text": text, "buttons": buttons(field, language, today, situation)}


def applicant_question(language: str) -> Dict[str, Any]:
    """Who the application is for: the questions and who signs depend on it."""
    return {
        "text": i18n.t("conversation.applicant_question", language),
        "buttons": [
            {"title": title, "payload": facts_payload({"applicant": subject})}
            for subject, title in i18n.raw("conversation.applicant", language).items()
        ],
    }


def confirm_question(language: str, facts: str, about: str) -> Dict[str, Any]:
    """One line confirming facts read from free text, with yes and no buttons."""
    return {
        "text": i18n.t("conversation.confirm", language, facts=facts, about=about),
        "buttons": [
            {"title": i18n.t("conversation.confirm_yes", language), "payload": "/affirm"},
            {"title": i18n.t("conversation.confirm_no", language), "payload": "/deny"},
        ],
    }


def which_is_wrong_question(language: str, phrases: Dict[str, str]) -> Dict[str, Any]:
    """After a plain "no" to several facts: a button for each fact that is wrong, and yes for all right."""
    buttons = [
        {"title": i18n.t("conversation.wrong_button", language, fact=phrase), "payload": '/deny{"change": "%s"}' % field}
        for field, phrase in phrases.items()
    ]
    buttons.append({"title": i18n.t("conversation.confirm_yes", language), "payload": "/affirm"})
    return {"text": i18n.t("conversation.confirm_which", language), "buttons": buttons}
