"""Citizenship: the country the person is from or a citizen of, over countries passed through,
lived in or that issued a permit."""

from __future__ import annotations

from typing import List, Optional, Tuple

from bot.understanding.countries import Mention, english_name, find_countries
from bot.understanding.lexicon import Match
from bot.understanding.reading import Reading

_ARTICLES = {"a", "an", "the"}


def _cue_labels(r: Reading, cues: List[Match], index: int, before: bool) -> set:
    """Citizenship cue kinds that end right before (or start right after) token `index`, articles skipped."""
    toks = r.tokens
    k = index
    if before:
        k -= 1
        while k >= 0 and toks[k].surf in _ARTICLES:
            k -= 1
        # "nationality - Algerian": a cue right before counts across the dash
        return {
            m.label[1] for m in cues if m.end - 1 == k and (k == index - 1 or r.clause_of(m.start) == r.clause_of(index))
        }
    while k < len(toks) and toks[k].surf in _ARTICLES:
        k += 1
    return {m.label[1] for m in cues if m.start == k and r.clause_of(m.start) == r.clause_of(index - 1)}


def _inside_phrase(r: Reading, mention: Mention, phrases: List[Match]) -> bool:
    """A country inside a procedure or purpose phrase ("polish citizen husband") is not the applicant's."""
    inside = [p for p in phrases if p.start <= mention.start and mention.end <= p.end]
    return any(
        (p.label[0] == "lang" and r.language_request)
        or (p.label[0] != "lang" and p.length > mention.end - mention.start and p.label[2] in ("aim", "name"))
        for p in inside
    )


def _cue_score(r: Reading, mention: Mention, cues: List[Match], travel: List[Match]) -> int:
    before = _cue_labels(r, cues, mention.start, True)
    after = _cue_labels(r, cues, mention.end, False)
    clause = r.clause_of(mention.start)
    travelled = any(r.clause_of(t.start) == clause and t.start < mention.start for t in travel)
    if "weak_after" in after or "weak_before" in before and "strong_before" not in before:
        return 0
    if "strong_after" in after or ("strong_before" in before and not travelled):
        return 3
    if "strong_before" in before and travelled:
        return 0
    if "copula" in before:
        # "my wife is Ukrainian", "my boss is Italian": whose citizenship depends on who is named
        return 3 if r.compatible(mention.start) and mention.kind == "demonym" and r.about(mention.start) else 0
    return 1


def _denied(r: Reading, mention: Mention) -> bool:
    """ "я не из Украины", "I'm not from Ukraine": a negation shortly before the country in its clause."""
    clause = r.clause_of(mention.start)
    return any(
        r.clause_of(n.start) == clause and n.end <= mention.start and mention.start - n.end <= 3 for n in r.negating()
    )


def _score(r: Reading, mention: Mention, cues: List[Match], travel: List[Match]) -> int:
    if _denied(r, mention):
        return 0
    score = _cue_score(r, mention, cues, travel)
    named_after = [p for p in r.kind("person") if p.start == mention.end and p.label[1] not in ("self", "other")]
    if named_after:
        # "a Filipino welder", "our new Indian engineer", "my Ukrainian wife"
        fits = r.compatible(mention.start, who=named_after[0].label[1])
        return 3 if fits and score else 0
    if not r.compatible(mention.start, direct=r.asking == "citizenship"):
        return 0
    return score


def _choose(r: Reading, scored: List[Tuple[int, Mention]]) -> Optional[Mention]:
    strong = [m for s, m in scored if s >= 2]
    if strong:
        return strong[0]
    if r.asking in ("citizenship", None):
        # outside the question, a bare "Italian" may describe anything; a country's name is kept
        neutral = [m for s, m in scored if s == 1 and (r.asking == "citizenship" or m.kind == "name")]
        return neutral[0] if neutral else None
    return None


def read_citizenship(r: Reading) -> None:
    mentions = find_countries(r.tokens)
    if not mentions:
        return
    cues = r.kind("cue")
    travel = [m for m in cues if m.label[1] == "travel_verbs"]
    phrases = r.kind("procedure", "purpose", "lang")
    scored = [(_score(r, m, cues, travel), m) for m in mentions if not _inside_phrase(r, m, phrases)]
    chosen = _choose(r, scored)
    if chosen:
        r.put("citizenship", chosen.code, f"country: {english_name(chosen.code)}")
