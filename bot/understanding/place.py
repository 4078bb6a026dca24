"""Whether the applicant is in Poland now: a stated phrase ("I live here", "za granicą") or a place
after "I am / live / work in"."""

from __future__ import annotations

from typing import List, Tuple

from bot.understanding.countries import find_countries
from bot.understanding.lexicon import longest_first
from bot.understanding.reading import Reading


def _stated(r: Reading, aim_clauses: set) -> Tuple[List[Tuple[int, bool, str]], set]:
    found = []
    stated = longest_first(r.kind("in_poland"))
    ignored = {k for m in stated if m.label[1] == "ignore" for k in range(m.start, m.end)}
    for m in stated:
        clause = r.clause_of(m.start)
        if m.label[1] == "ignore" or clause in aim_clauses:
            continue
        value = (m.label[1] == "here") != r.negated(clause, m)
        found.append((m.start, value, r.span_text(m.start, m.end)))
    return found, ignored


def _located(r: Reading, start: int, clause: int) -> bool:
    locatives = r.kind("locative")
    located = any(m.end == start for m in locatives)
    if located and r.asking != "in_poland":
        # "my employer in Turkey", "the office in Krakow" are not where the person is: a place
        # needs "I am / live / work in" shortly before it
        staying = r.kind("staying")
        located = any(
            m.end == start and any(m.start - 3 <= s.end <= m.start and r.clause_of(s.start) == clause for s in staying)
            for m in locatives
        )
    if not located:
        # "моя жена в Узбекистане", "my wife in Kyiv": a person right before the place is there
        located = any(
            m.end == start and any(p.end == m.start and p.label[1] != "nobody" for p in r.persons) for m in locatives
        )
    return located or (r.asking == "in_poland" and len(r.tokens) <= 4)


def _places(r: Reading, aim_clauses: set, ignored: set) -> List[Tuple[int, bool, str]]:
    found = []
    covered = {k for m in r.kind("in_poland") for k in range(m.start, m.end)}
    places = [(m.start, m.end, m.label[1] == "pl") for m in longest_first(r.kind("place"))]
    places += [(c.start, c.end, False) for c in find_countries(r.tokens)]
    for start, end, poland in places:
        # "born in Kazakhstan" is not where one is now; a child born in Gdansk is in Poland
        if start in covered or (start - 1 in ignored and not poland):
            continue
        clause = r.clause_of(start)
        if clause in aim_clauses or not _located(r, start, clause):
            continue
        found.append((start, poland != r.negated(clause), r.span_text(start, end)))
    return found


def read_in_poland(r: Reading) -> None:
    aim_clauses = {r.clause_of(m.start) for m in r.kind("aim")} if r.asking != "in_poland" else set()
    stated, ignored = _stated(r, aim_clauses)
    candidates = stated + _places(r, aim_clauses, ignored)
    if not candidates:
        return
    fitting = [c for c in candidates if r.compatible(c[0], direct=r.asking == "in_poland")]
    if not fitting and r.asking == "in_poland" and len({c[1] for c in candidates}) == 1 and not r.speaker_named:
        fitting = candidates  # "my son is in Kyiv" answering the question: whoever it is for is there
    if fitting and len({c[1] for c in fitting}) == 1:
        r.put("in_poland", fitting[0][1], f"place: {fitting[0][2]}")
