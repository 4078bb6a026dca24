"""Who the application is about: the subject named ("for my son") and whether they are a minor.

Facts said about someone else than the applicant are dropped (`Reading.compatible`); an age goes to
the person it is said of ("our 2-year-old son").
"""

from __future__ import annotations

import re
from typing import Iterator, Optional, Tuple

from bot.understanding.lexicon import longest_first
from bot.understanding.reading import Reading

_AGE_EXCLUDE_AFTER = {
    "days",
    "day",
    "weeks",
    "week",
    "pln",
    "zl",
    "zloty",
    "euro",
    "eur",
    "usd",
    "percent",
    "dni",
    "dzien",
    "tygodni",
    "tydzien",
    "днів",
    "дні",
    "день",
    "дней",
    "дня",
    "тижні",
    "недели",
}


#: people an application can be for when the message opens with them ("сина (7 років)")
_FAMILY = ("child", "spouse", "parent", "relative")


def _opening_person(r: Reading) -> Optional[str]:
    """A family member the message opens with ("my son, he is 7", "syn, 7 lat"), possessives skipped."""
    k = 0
    possessive = {m.start for m in r.kind("possessive")} | {m.start for m in r.persons if m.label[1] == "self"}
    while k < len(r.tokens) and k in possessive and k < 2:
        k += 1
    named = [m for m in r.persons if m.start == k and m.label[1] in _FAMILY]
    return named[0].label[1] if named else None


def _negated_subject(r: Reading, m) -> bool:
    """ "not for my wife", "я не работодатель": a negation right before; an opening "no" answers
    ("no for my wife")."""
    for n in r.negating():
        opening = n.start == 0 or r.clause_of(n.start - 1) != r.clause_of(n.start)
        if r.tokens[n.start].surf in r.v.interjections and opening and n.length == 1:
            continue
        if r.clause_of(n.start) == r.clause_of(m.start) and n.start < m.start and m.start - n.end <= 1:
            return True
    return False


def _joining_person(r: Reading) -> Optional[str]:
    """ "my wife is in Cairo ... how can she join me?": the family member who is to come is the applicant."""
    joining = [m for m in r.kind("purpose") if m.label[2] == "join" and not r.negated(r.clause_of(m.start), m)]
    if not joining:
        return None
    named = {m.label[1] for m in r.persons if m.label[1] in _FAMILY}
    # "my wife and children ... to join me": several people; who applies first is asked
    return named.pop() if len(named) == 1 else None


def read_subject(r: Reading) -> None:
    """The subject named in the message; it decides whose facts count, over the one known before.
    "not for my wife" names nobody; a family member who is to join the typer is the subject; while
    nobody is known, a family member the message opens with, with their age, is the subject."""
    subjects = [m for m in longest_first(r.kind("subject")) if m.label[1] != "ignore" and not _negated_subject(r, m)]
    joining = _joining_person(r)
    if subjects:
        r.subject = subjects[0].label[1]
    elif joining:
        r.subject = joining
    elif not r.known.get("subject"):
        opening = _opening_person(r)
        if opening and any(True for _ in _age_candidates(r)):
            r.subject = opening
    r.applicant = r.subject or r.known.get("subject")


def read_role(r: Reading) -> Optional[str]:
    """The typing person's own role, "employer" or "employee", said of themselves ("я работник"); a
    negated one ("я не работодатель") is not taken; naming one's employee says one is the employer."""
    stated = []
    for m in longest_first(r.kind("role")):
        clause = r.clause_of(m.start)
        before = m.start - 1
        if before >= 0 and any(p.start == before for p in r.kind("possessive")):
            continue  # "my employer", "наш работник"
        if not any(s.end <= m.start and r.clause_of(s.start) == clause for s in r.kind("role_self")):
            continue
        if not r.negated(clause, m):
            stated.append(m.label[1])
    if stated:
        return stated[-1]
    return "employer" if r.subject == "employee" else None


def _years_after_person(r: Reading, k: int, years) -> bool:
    """ "сина (7 років)", "syn, 7 lat", "сын, 7 лет": years right after a person named."""
    return any(m.start == k + 1 for m in years) and any(
        p.label[1] not in ("self", "nobody") and k - 2 <= p.end - 1 < k for p in r.persons
    )


def _age_candidates(r: Reading) -> Iterator[Tuple[int, bool, bool]]:
    """Ages said in the message: (token index, minor, unit given)."""
    toks = r.tokens
    units = r.v.age_units.find(toks)
    years = [m for m in r.v.time_units.find(toks) if m.label == ("unit", "years")]
    # "is 5" after a person only ("my son is 5", not "room is 12")
    copulas = [m for m in r.kind("age_copula") if any(p.end == m.start and p.label[1] != "nobody" for p in r.persons)]
    verbs = r.kind("age_verb") + copulas
    futures = r.kind("age_future")
    for k, token in enumerate(toks):
        if not token.surf.isdigit() or len(token.surf) > 3 or int(token.surf) > 120:
            continue
        nxt = toks[k + 1].surf if k + 1 < len(toks) else ""
        if nxt in _AGE_EXCLUDE_AFTER or re.search(r"[./:-]\d|%", r.text[token.end : token.end + 2]):
            continue
        unit = any(m.start == k + 1 and m.label == ("age_unit",) for m in units) or _years_after_person(r, k, years)
        months_old = any(m.start == k + 1 and m.label == ("months_old",) for m in units)
        gap = k - 1 if k >= 1 and toks[k - 1].surf in r.v.age_gap else k
        future = any(m.end in (k, gap) for m in futures)
        verb = future or any(m.end in (k, gap) for m in verbs)
        bare = r.asking == "minor" and len(toks) <= 3
        if unit or verb or bare or months_old:
            n = int(token.surf)
            # "she will be 18 in March" is 17 now
            yield k, True if months_old else (n <= 18 if future else n < 18), unit


def _age_fits(r: Reading, k: int, unit: bool) -> bool:
    # "our 2-year-old son": the person named right after the age
    after = [p for p in r.persons if k < p.start <= k + 4 and p.label[1] not in ("self",)]
    if after and unit:
        return r.compatible(k, direct=r.asking == "minor", who=after[0].label[1])
    return r.compatible(k, direct=r.asking == "minor")


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
    for k, minor, unit in _age_candidates(r):
        if _age_fits(r, k, unit):
            r.put("minor", minor, f"age: {r.span_text(k, min(k + 3, len(r.tokens)))}")
            return
    _born(r)
    if r.asking == "minor" and r.subject == "self":
        # "для себя конечно" to "is it for a child under 18?": for oneself, not for a child
        r.put("minor", False, "subject: for oneself")
