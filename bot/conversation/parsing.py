"""Typed answers to one question, turned into the contract's values.

Buttons send exact values; people type "yes", "Ukraine", "31.12.2026" or "since March 2022".
Each parser returns the value or None when the text does not answer the question.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Any, Optional

import dateparser
import pycountry

from bot import i18n
from rapidfuzz import fuzz

from bot.questions import BOOL_FIELDS, DATE_FIELDS, goals
from bot.understanding.latin import skeleton
from bot.understanding.text import fold, romanize
from bot.routing.models import Procedure, Purpose

ENUMS = {"procedure": Procedure, "purpose": Purpose}


def normal(text: str) -> str:
    # typographic apostrophes ("В’єтнам", "возз’єднання") are the same letter as the catalogs' '
    text = text.lower().replace("\u2019", "'").replace("\u02bc", "'")
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s'-]", " ", text)).strip()


def contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", text) is not None


@lru_cache(maxsize=None)
def contrast_words() -> frozenset:
    """Words that take back a yes said before them ("tak, ale data jest zła"), from every catalog:
    people mix languages ("da, no ...")."""
    return frozenset(w for lang in i18n.SUPPORTED_LANGUAGES for w in i18n.raw("answers.contrast", lang))


def _yes_no_in(text: str, lang: str) -> Optional[bool]:
    # negatives first: "no, I am not" holds "i am" too
    for answer in ("false", "true"):
        if any(contains(text, w) for w in i18n.raw(f"answers.{answer}", lang)):
            return answer == "true"
    return None


def parse_bool(value: Any, lang: str, intent: Optional[str] = None) -> Optional[bool]:
    if isinstance(value, bool):
        return value
    raw = str(value or "")
    text = normal(raw)
    if text in ("true", "false"):
        return text == "true"
    # "yes correct. and to be clear im not the worker": the answer opens the message; what follows is news
    opening = _yes_no_in(normal(re.split(r"[.,;:!?\n]", raw.strip(), maxsplit=1)[0]), lang)
    if opening is not None and not set(text.split()) & contrast_words():
        return opening
    found = _yes_no_in(text, lang)
    if found is not None:
        return found
    if intent in ("affirm", "deny"):
        return intent == "affirm"
    return None


def parse_choice(field: str, value: Any, lang: str) -> Optional[str]:
    allowed = [member.value for member in ENUMS[field]]
    text = normal(str(value or ""))
    if text in allowed:
        return text
    candidates = []
    for canonical, title in i18n.raw(f"options.{field}", lang).items():
        candidates.append((title.lower(), canonical))
    for canonical, phrases in i18n.raw(f"answers.{field}", lang).items():
        candidates.extend((p.lower(), canonical) for p in phrases)
    # the longest phrase found wins: "blue card" before "card", "visa extension" before "visa"
    # in Ukrainian and Russian also typed in Latin letters ("Mejdunarodnaia zascita")
    latin = lang in ("uk", "ru") and text.isascii()
    found = sorted(
        ((len(p), c) for p, c in candidates if contains(text, p) or (latin and typed_in_latin(p, text))), reverse=True
    )
    return found[0][1] if found else None


@lru_cache(maxsize=4096)
def latin_key(text: str, j_is_zh: bool = False) -> str:
    """Words as Ukrainian or Russian typed in any Latin spelling reduce to (bot.understanding.latin);
    `j_is_zh`: the "j" of "jena", "grajdanstvo" stands for "ж"."""
    words = [fold(word).replace(" ", "") for word in re.findall(r"[^\W\d_]+", re.sub("['\u2019\u02bc]", "", text))]
    return " ".join(skeleton(romanize(w).replace("j", "zh") if j_is_zh else romanize(w)) for w in words)


def typed_in_latin(phrase: str, text: str) -> bool:
    """Whether `text` holds `phrase` (Cyrillic) typed in Latin letters, as whole words."""
    wanted = f" {latin_key(phrase)} "
    return any(wanted in f" {latin_key(text, j)} " for j in (False, True))


def parse_country(value: Any, lang: str) -> Optional[str]:
    text = normal(str(value or ""))
    if not text:
        return None
    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()
    for code, title in i18n.raw("options.citizenship", lang).items():
        if text == title.lower():
            return code
    for country in pycountry.countries:
        names = {getattr(country, attr, "").lower() for attr in ("name", "common_name", "official_name")}
        if text in names or any(contains(text, n) for n in names if len(n) > 3):
            return country.alpha_2
    # demonyms: "ukrainian", "indian", "georgian" share their first letters with the country
    stem = text.split()[-1][:5]
    if len(stem) == 5:
        matches = {c.alpha_2 for c in pycountry.countries if c.name.lower().startswith(stem)}
        if len(matches) == 1:
            return matches.pop()
    return None


def parse_date(value: Any, lang: str, today: datetime.date, day_of_month: str = "first") -> Optional[datetime.date]:
    """A date from ISO or written forms; with only month and year, `day_of_month` picks the day.

    Callers pick the side that cannot harm: the first day for an end of stay (file earlier),
    the last day for a start of status (count fewer days).
    """
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": day_of_month,
        "RELATIVE_BASE": datetime.datetime.combine(today, datetime.time()),
        "REQUIRE_PARTS": ["month", "year"],
    }
    words = text.split()
    # "since March 2022", "it ends on 31.12.2026": drop a few leading words until a date reads
    for start in range(min(len(words), 4)):
        parsed = dateparser.parse(" ".join(words[start:]), languages=list(dict.fromkeys([lang, "en"])), settings=settings)
        if parsed:
            return parsed.date()
    return None


def year_only(value: Any) -> Optional[int]:
    """The year of an answer that names only a year ("since 2022"), else None."""
    numbers = re.findall(r"\d+", str(value or ""))
    if len(numbers) == 1 and len(numbers[0]) == 4 and 1900 < int(numbers[0]) < 2100:
        return int(numbers[0])
    return None


def parse(field: str, value: Any, lang: str, today: datetime.date, intent: Optional[str] = None) -> Any:
    """The contract value for `field` from a typed or button answer, or None."""
    if field in BOOL_FIELDS:
        return parse_bool(value, lang, intent)
    if field in DATE_FIELDS:
        return parse_date(value, lang, today, "last" if field == "ukr_status_since" else "first")
    if field == "citizenship":
        return parse_country(value, lang)
    if field in ENUMS:
        return parse_choice(field, value, lang)
    return None


def _plain(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", normal(text).replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def typed_goal(value: Any, lang: str) -> Optional[dict]:
    """The facts of the aim whose button title was typed ("Работа", "praca", "Wrok"), or None."""
    text = _plain(str(value or ""))
    if not text:
        return None
    titles = {goal: i18n.t(f"conversation.goals.{goal}", lang) for goal in goals()}
    scored = [(fuzz.ratio(text, _plain(title)), goal) for goal, title in titles.items()]
    if lang in ("uk", "ru"):
        # "zhit s semjoj, ja zhe pisala": a title of two words or more typed in Latin letters
        scored += [(100, goal) for goal, title in titles.items() if len(title.split()) > 1 and typed_in_latin(title, text)]
    best, goal = max(scored)
    return dict(goals()[goal]) if best >= 85 else None
