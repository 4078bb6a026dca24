"""One message being read: its tokens, phrase matches, the facts found so far, and whose words are whose.

Every concern module (wants, subject, citizenship, date_facts, yes_no, place) reads from a `Reading`
and adds facts with `put`; the first reading of a field wins, so the order in reader.py is a priority.
"""

from __future__ import annotations

import datetime
from functools import cached_property, lru_cache
from typing import Any, Dict, List, Optional, Tuple

from rapidfuzz import fuzz, process

from bot.understanding.countries import country_index
from bot.understanding.dates import DateMention, find_dates
from bot.understanding.latin import latin_surface, skeletons
from bot.understanding.lexicon import Match, longest_first
from bot.understanding.text import Token, tokenize
from bot.understanding.vocab import Vocab, vocab


@lru_cache(maxsize=None)
def _fuzzy_choices(lang: str) -> List[str]:
    names = country_index()[0]
    countries = {key[0] for key in names if len(key) == 1 and len(key[0]) >= 5}
    return sorted(set(vocab(lang).fuzzy_words) | countries)


@lru_cache(maxsize=8192)
def _fuzzy(word: str, lang: str) -> Optional[str]:
    choices = _fuzzy_choices(lang)
    cutoff = 90 if len(word) <= 6 else 85
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return best[0] if best else None


def _spell(tokens: List[Token], v: Vocab, lang: str) -> None:
    names = country_index()[0]
    for token in tokens:
        word = token.surf
        if len(word) < 5 or not word.isalpha() or word in v.lexicon.words or token.lemma in v.lexicon.words or token.alts:
            continue
        if (word,) in names or (token.lemma,) in names:
            continue
        token.fuzzy = _fuzzy(word, lang)


class Reading:
    """One message, its tokens, its phrase matches grouped by kind, and the facts read from it."""

    def __init__(self, text: str, lang: str, asking: Optional[str], today: datetime.date, known: Dict[str, Any]):
        self.text = text
        self.lang = lang
        self.asking = asking
        self.today = today
        self.known = known
        self.v = vocab(lang)
        self.tokens = tokenize(text, lang, self.v.clause_breaks)
        for token in self.tokens:
            # "dont" must stay a negation, not become "do"
            if token.surf in self.v.keep_surface:
                token.lemma = token.surf
            latin = latin_surface(token.raw) if lang in ("uk", "ru") else ""
            if latin:
                token.skels = skeletons(latin)
                token.alts = self.v.latin.readings(latin)
        _spell(self.tokens, self.v, lang)
        self.matches = self.v.lexicon.find(self.tokens)
        self.language_request: Optional[str] = None
        self.facts: Dict[str, Tuple[Any, str, bool]] = {}
        talk = longest_first(self.kind("negate", "not_negation", "affirm", "dont_know", "asks_why", "question"))
        self.negations = [m for m in talk if m.label[0] == "negate"]
        self.affirms = [m for m in talk if m.label[0] == "affirm"]
        self.dont_know = [m for m in talk if m.label[0] == "dont_know"]
        self.asks_why = any(m.label[0] == "asks_why" for m in talk)
        self.questions = [m for m in talk if m.label[0] == "question"]
        together = [m for m in self.kind("person") if m.label[2:] == ("together",)]
        # "I live with her": the her inside is not whose situation it is
        persons = [
            m for m in self.kind("person") if not any(t != m and t.start <= m.start and m.end <= t.end for t in together)
        ]
        # "syn studiuje", "zona pracuje": without diacritics the verb after a person is theirs, not "I"
        self.persons = [
            m
            for m in persons
            if not (
                m.label[1] == "self"
                and any(
                    p.end == m.start
                    and p.label[1] not in ("self", "nobody")
                    and self.tokens[p.start].clause == self.tokens[m.start].clause
                    for p in persons
                )
            )
        ]
        # "no he is an adult": the "no" answers; what follows is said as it stands
        self.interjections = [n for n in self.negations if self._interjection(n)]
        self.correction = bool(self.kind("correction"))
        self.subject: Optional[str] = None  # named in this message (subject.read_subject)
        self.applicant: Optional[str] = known.get("subject")  # who the facts are about

    # -- the message -------------------------------------------------------------------------------

    def kind(self, *names: str) -> List[Match]:
        return [m for m in self.matches if m.label[0] in names]

    @cached_property
    def dates(self) -> List[DateMention]:
        return find_dates(self.text, self.tokens, self.lang, self.today, self.v)

    def span_text(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        return self.text[self.tokens[start].start : self.tokens[end - 1].end]

    def clause_of(self, index: int) -> int:
        return self.tokens[min(index, len(self.tokens) - 1)].clause if self.tokens else 0

    def in_clause(self, matches: List[Match], clause: int) -> List[Match]:
        return [m for m in matches if self.clause_of(m.start) == clause]

    def _interjection(self, n: Match) -> bool:
        """A one-word "no" opening its clause and followed by a person or a correction ("no he is an
        adult", "нет он взрослый", "no I mean karta pobytu") answers; it does not negate the words after it."""
        if n.length != 1 or self.tokens[n.start].surf not in self.v.interjections:
            return False
        if n.start > 0 and self.clause_of(n.start - 1) == self.clause_of(n.start):
            return False
        return any(m.start == n.end for m in self.persons + self.kind("correction"))

    def negating(self) -> List[Match]:
        """The negations that negate the words after them (not the answering "no")."""
        return [n for n in self.negations if n not in self.interjections]

    def negated(self, clause: int, within: Optional[Match] = None) -> bool:
        """A negation in the clause, outside the phrase itself ("not in Poland" already says no)."""
        return any(
            not (within and within.start <= n.start and n.end <= within.end) for n in self.in_clause(self.negating(), clause)
        )

    def put(self, name: str, value: Any, how: str) -> None:
        if name not in self.facts:
            self.facts[name] = (value, how, self.asking != name)

    # -- whose words -------------------------------------------------------------------------------

    @property
    def applicant_other(self) -> bool:
        return self.applicant not in (None, "self")

    @cached_property
    def speaker_named(self) -> bool:
        """ "I", "я", "ja" said of oneself; the "my" of "my son" names the son."""
        starts = {m.start for m in self.persons}
        return any(m.label[1] == "self" and m.end not in starts for m in self.persons)

    def about(self, index: int) -> Optional[str]:
        """Who the words at `index` are about: the nearest person named before them in the sentence
        ("my husband is Ukrainian and has UKR")."""
        sentence = self.tokens[min(index, len(self.tokens) - 1)].sentence
        before = [m for m in self.persons if m.start <= index and self.tokens[m.start].sentence == sentence]
        if not before:
            return None
        # on one word both ways ("маю" -> lemma "мати", also "mother"), the speaker wins
        return max(before, key=lambda m: (m.start, m.label[1] == "self")).label[1]

    def compatible(self, index: int, direct: bool = False, who: Optional[str] = "?") -> bool:
        """Whether the words at `index` are about the applicant. `direct`: they answer our question,
        which was about the applicant, so "he", "she" and, while we do not know who it is, "my son" are."""
        who = self.about(index) if who == "?" else who
        if who is None:
            return True
        if who == "self":
            return not self.applicant_other
        if who == "nobody":
            return False
        if who == "other":  # he, she: someone else than the speaker
            return self.applicant_other or direct
        if self.applicant is None:
            # "yes I'm in Warsaw, my mama is in Lagos": whoever it is for, the mother's place is not the answer
            return direct and not self.speaker_named
        return who == self.applicant
