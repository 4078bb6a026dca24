"""Dates in a message: numeric (day first), with month names (dateparser, four languages), relative.

dateparser is slow on whole sentences, so only the few words that make up a date are given to it
(and cached); numeric dates are read directly, day first, as people in Poland write them.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional, Tuple

from dateutil.relativedelta import relativedelta

from bot.understanding.lexicon import token_matches
from bot.understanding.text import Token
from bot.understanding.vocab import Vocab

_ISO = re.compile(r"(?<![\d.])(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?![\d])")
_DMY = re.compile(r"(?<![\d.])(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?![\d])")
_DAY = re.compile(r"^(\d{1,2})(st|nd|rd|th|go|ogo|e|ego|a|го|е|ого|-?го)?$")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class DateMention:
    value: datetime.date
    start: int  # token indexes
    end: int
    text: str
    day_given: bool  # False for "March 2027": the field decides which end of the month
    bare: bool = False  # a month name alone ("May"): a date only when a date is asked

    def for_field(self, field: str) -> datetime.date:
        if self.day_given:
            return self.value
        if field == "permit_expires":
            last = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=last)
        return self.value.replace(day=1)


def _safe_date(year: int, month: int, day: int) -> Optional[datetime.date]:
    if year < 100:
        year += 2000
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _dateparser(text: str, lang: str, today: datetime.date) -> Optional[datetime.date]:
    import dateparser

    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": datetime.datetime.combine(today, datetime.time()),
    }
    # Ukrainian and Russian are mixed in practice, and English month names turn up everywhere
    languages = list(dict.fromkeys([lang] + {"uk": ["ru"], "ru": ["uk"]}.get(lang, []) + ["en"]))
    parsed = dateparser.parse(text, languages=languages, settings=settings)
    return parsed.date() if parsed else None


def _token_span(tokens: List[Token], start: int, end: int) -> Tuple[int, int]:
    idx = [i for i, t in enumerate(tokens) if t.start < end and t.end > start]
    return (idx[0], idx[-1] + 1) if idx else (len(tokens), len(tokens))


def _is_month(token: Token, vocab: Vocab) -> bool:
    return any(token_matches(p, token) for p in vocab.months)


def _number(token: Token, vocab: Vocab) -> Optional[float]:
    if token.surf.isdigit():
        return float(token.surf)
    return next((vocab.number_words[w] for w in (token.surf,) + token.alts if w in vocab.number_words), None)


def find_dates(text: str, tokens: List[Token], lang: str, today: datetime.date, vocab: Vocab) -> List[DateMention]:
    found: List[DateMention] = []
    used = set()
    for regex, order in ((_ISO, "ymd"), (_DMY, "dmy")):
        for m in regex.finditer(text):
            if any(m.start() < e and m.end() > s for s, e in used):
                continue
            a, b, c = (int(g) for g in m.groups())
            value = _safe_date(a, b, c) if order == "ymd" else _safe_date(c, b, a)
            if value:
                used.add((m.start(), m.end()))
                i, j = _token_span(tokens, m.start(), m.end())
                found.append(DateMention(value, i, j, m.group(0), True))
    taken = {k for d in found for k in range(d.start, d.end)}
    for k, token in enumerate(tokens):
        if k in taken or not _is_month(token, vocab) or (token.surf.isdigit()):
            continue
        start, end, day_given = k, k + 1, False
        # "14 March 2027", "14th of March", "March 14, 2027", "березня 2022"
        back = k - 1
        if back >= 0 and tokens[back].surf in ("of", "de"):
            back -= 1
        if back >= 0 and _DAY.match(tokens[back].surf) and int(_DAY.match(tokens[back].surf).group(1)) <= 31:
            start, day_given = back, True
        if end < len(tokens) and _DAY.match(tokens[end].surf) and not _YEAR.match(tokens[end].surf) and not day_given:
            if int(_DAY.match(tokens[end].surf).group(1)) <= 31:
                end, day_given = end + 1, True
        if end < len(tokens) and _YEAR.match(tokens[end].surf):
            end += 1
        words = [tokens[x].raw for x in range(start, end)]
        said = " ".join(words)
        value = _dateparser(said, lang, today)
        english = next((name for stem, name in vocab.month_in_english.items() if token_matches(stem + "*", token)), None)
        if value is None and english:
            # dateparser knows "марта" but not "в марте", "у березні"
            words[k - start] = english
            value = _dateparser(" ".join(words), lang, today)
        if value:
            found.append(DateMention(value, start, end, said, day_given, bare=end - start == 1))
            taken.update(range(start, end))
    found.extend(_relative(tokens, today, vocab, taken))
    return sorted(found, key=lambda d: d.start)


def _relative(tokens: List[Token], today: datetime.date, vocab: Vocab, taken: set) -> List[DateMention]:
    """ "in 3 months", "2 weeks left", "за 2 тижні", "3 роки тому": a number, a unit and a direction."""
    marks = {}
    for m in vocab.time_units.find(tokens):
        for k in range(m.start, m.end):
            marks.setdefault(k, m.label)
    found = []
    for k, label in sorted(marks.items()):
        if label[0] != "unit" or k in taken:
            continue
        amount, direction, start, end = None, None, k, k + 1
        if k >= 1 and _number(tokens[k - 1], vocab) is not None:
            amount, start = _number(tokens[k - 1], vocab), k - 1
        if amount is None:
            continue
        before = marks.get(start - 1, ("",))[0] if start >= 1 else ""
        after = marks.get(end, ("",))[0]
        if before == "future" or after == "future":
            direction = 1
        if before == "past" or after == "past":
            direction = -1
        if direction is None:
            continue
        unit = label[1]
        n = int(amount)
        delta = {
            "days": relativedelta(days=n),
            "weeks": relativedelta(weeks=n),
            "months": relativedelta(months=n),
            "years": relativedelta(years=n),
        }[unit]
        value = today + delta if direction > 0 else today - delta
        words = " ".join(t.raw for t in tokens[max(0, start - 1) : end + 1])
        found.append(DateMention(value, start, end, words, True))
    return found
