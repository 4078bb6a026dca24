"""Who the application is about: the subject named ("for my son") and whether they are a minor.

Facts said about someone else than the applicant are dropped (`Reading.compatible`); an age goes to
the person it is said of ("our 2-year-old son").
"""
from __future__ import annotations

import re

from bot.understanding.lexicon import longest_first
from bot.understanding.reading import Reading

_AGE_EXCLUDE_AFTER = {"days", "day", "weeks", "week", "pln", "zl", "zloty", "euro", "eur", "usd", "percent", "dni",
                      "dzien", "tygodni", "tydzien", "днів", "дні", "день", "дней", "дня", "тижні", "недели"}


def read_subject(r: Reading) -> None:
    """The subject named in the message; it decides whose facts count, over the one known before."""
    subjects = [m for m in longest_first(r.kind("subject")) if m.label[1] != "ignore"]
    if subjects:
        r.subject = subjects[0].label[1]
    r.applicant = r.subject or r.known.get("subject")


def _age_at(r: Reading, k: int, units, verbs, futures) -> bool:
    """Reads an age said at token `k`; True when it decided the fact."""
    toks = r.tokens
    token = toks[k]
    if not token.surf.isdigit() or len(token.surf) > 3:
        return False
    n = int(token.surf)
    nxt = toks[k + 1].surf if k + 1 < len(toks) else ""
    if nxt in _AGE_EXCLUDE_AFTER or re.search(r"[./:-]\d|%", r.text[token.end:token.end + 2]):
        return False
    unit = any(m.start == k + 1 and m.label == ("age_unit",) for m in units)
    months_old = any(m.start == k + 1 and m.label == ("months_old",) for m in units)
    gap = k - 1 if k >= 1 and toks[k - 1].surf in r.v.age_gap else k
    # "our 2-year-old son": the person named right after the age
    after = [p for p in r.persons if k < p.start <= k + 4 and p.label[1] not in ("self",)]
    future = any(m.end in (k, gap) for m in futures)
    verb = future or any(m.end in (k, gap) for m in verbs)
    bare = r.asking == "minor" and len(toks) <= 3
    if not (unit or verb or bare or months_old) or n > 120:
        return False
    if after and unit:
        if not r.compatible(k, direct=r.asking == "minor", who=after[0].label[1]):
            return False
    elif not r.compatible(k, direct=r.asking == "minor"):
        return False
    # "she will be 18 in March" is 17 now
    minor = True if months_old else (n <= 18 if future else n < 18)
    r.put("minor", minor, f"age: {r.span_text(k, min(k + 3, len(toks)))}")
    return True


def _born(r: Reading) -> None:
    """born in 2015"""
    toks = r.tokens
    for m in r.kind("date_cue"):
        if m.label[1] != "birth":
            continue
        for k in range(m.end, min(m.end + 3, len(toks))):
            if re.fullmatch(r"(19|20)\d\d", toks[k].surf):
                age = r.today.year - int(toks[k].surf)
                if age < 17 or age > 18:
                    r.put("minor", age < 17, f"born: {toks[k].surf}")
                return


def read_age(r: Reading) -> None:
    units = r.v.age_units.find(r.tokens)
    # "is 5" after a person only ("my son is 5", not "room is 12")
    copulas = [m for m in r.kind("age_copula")
               if any(p.end == m.start and p.label[1] != "nobody" for p in r.persons)]
    verbs = r.kind("age_verb") + copulas
    futures = r.kind("age_future")
    for k in range(len(r.tokens)):
        if _age_at(r, k, units, verbs, futures):
            return
    _born(r)
