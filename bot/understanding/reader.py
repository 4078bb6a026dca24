"""The rules that turn a message's matched phrases into Situation facts, composed from one module
per concern; each rule fixes a reported misunderstanding (see the module docstrings):

- wants: the procedure and purpose, only from a message about what the person wants;
- subject: who the application is for, and their age; facts about someone else are dropped;
- citizenship: the country one is from over countries passed through;
- date_facts: a date only to the date field asked or the one its words point to;
- yes_no: yes/no facts and the answer to the yes/no question asked, negation within the clause;
- place: whether the applicant is in Poland.
The order of the readers is a priority: the first reading of a field wins.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Dict, Optional

from bot.understanding.citizenship import read_citizenship
from bot.understanding.date_facts import DATE_FIELDS, read_dates
from bot.understanding.lexicon import longest_first
from bot.understanding.place import read_in_poland
from bot.understanding.reading import Reading
from bot.understanding.subject import read_age, read_role, read_subject
from bot.understanding.vocab import LANGUAGES, raw
from bot.understanding.wants import read_wants
from bot.understanding.yes_no import BOOL_FIELDS, read_answer, read_keyword_bools

__all__ = ["read", "BOOL_FIELDS", "DATE_FIELDS"]

_READERS = (read_wants, read_citizenship, read_dates, read_keyword_bools, read_in_poland, read_age, read_answer)


def _exact_value(text: str, asking: Optional[str]) -> Optional[Any]:
    """A button value typed or sent as text: "temporary_residence", "true", "UA", "2027-03-14"."""
    if not asking:
        return None
    if asking in ("procedure", "purpose"):
        allowed = raw("en").get(asking) or {}
        return text if text in allowed and text != "ignore" else None
    if asking in BOOL_FIELDS and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if asking == "citizenship" and re.fullmatch(r"[A-Z]{2}", text):
        import pycountry

        return text if pycountry.countries.get(alpha_2=text) else None
    if asking in DATE_FIELDS and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def _language_request(r: Reading) -> Optional[str]:
    requests = longest_first(r.kind("lang"))
    if not requests:
        return None
    if len({m.label[1] for m in requests}) > 1:
        return None  # "I speak Russian and a bit of Polish" tells, does not ask
    if r.kind("lang_marker"):
        return requests[0].label[1]
    if r.asking == "citizenship":
        return None  # "Polish" answers the question
    # a language's name alone ("Polish") asks for it only as the whole message
    bare = [m for m in requests if m.length >= 2 or len(r.tokens) == 1]
    if bare and len(r.tokens) <= 5:
        return bare[0].label[1]
    return None


def read(text: str, language: str, asking: Optional[str], today: datetime.date, known: Dict[str, Any], Understood, Fact):
    lang = language if language in LANGUAGES else "en"
    out = Understood()
    exact = _exact_value(text.strip(), asking)
    if exact is not None:
        out.facts[asking] = Fact(asking, exact, f"value: {text.strip()}", False)
        return out
    r = Reading(text, lang, asking, today, known)
    if not r.tokens:
        return out
    out.asks_why = r.asks_why
    out.language_request = r.language_request = _language_request(r)
    read_subject(r)
    out.subject = r.subject
    out.correction = r.correction
    out.role = read_role(r)
    for reader in _READERS:
        reader(r)
    for name, (value, how, inferred) in r.facts.items():
        out.facts[name] = Fact(name, value, how, inferred)
    out.dont_know = bool(r.dont_know) and (asking is None or asking not in r.facts)
    return out
