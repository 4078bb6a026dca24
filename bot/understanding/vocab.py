"""The per-language vocabulary files, compiled once per message language.

Content sections (procedures, purposes, facts, countries, places) of all four files are used
for every message because people mix languages ("карта побиту", "profil zaufany" in English);
function words (yes/no, negation, clause breaks, cues) come from the message's own language,
with Ukrainian and Russian sharing theirs, since they are mixed too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List

import yaml

from bot.understanding.latin import LatinIndex
from bot.understanding.lexicon import Lexicon, compile_phrase
from bot.understanding.text import fold

LANGUAGES = ("en", "pl", "uk", "ru")
_DIR = Path(__file__).parent / "vocab"

#: sections whose phrases mean the same whatever the message's language
CONTENT = (
    "procedure",
    "purpose",
    "subject",
    "in_poland",
    "minor",
    "ukr_status",
    "ukr_status_on_2025_06_04",
    "pesel",
    "trusted_profile",
    "qualified_signature",
    "dont_know",
    "asks_why",
    "language_request",
    "poland_places",
    "foreign_places",
    "role",
    "polish_sponsor",
)
#: which files' function words a message in each language uses
FUNCTION_FROM = {"en": ("en",), "pl": ("pl",), "uk": ("uk", "ru"), "ru": ("ru", "uk")}


@lru_cache(maxsize=None)
def raw(lang: str) -> dict:
    with open(_DIR / f"{lang}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@dataclass
class Vocab:
    lexicon: Lexicon
    clause_breaks: FrozenSet[str]
    months: FrozenSet[str]
    time_units: Lexicon
    number_words: Dict[str, float]
    age_units: Lexicon
    fuzzy_words: List[str] = field(default_factory=list)
    keep_surface: FrozenSet[str] = frozenset()
    age_gap: FrozenSet[str] = frozenset()
    interjections: FrozenSet[str] = frozenset()
    month_in_english: Dict[str, str] = field(default_factory=dict)

    @cached_property
    def latin(self) -> LatinIndex:
        """Built on the first Latin-typed Ukrainian or Russian word (about 1.5 s), not at start."""
        words = set(self.lexicon.words) | self.time_units.words | self.age_units.words | set(self.number_words)
        words |= {m for m in self.months if not m.endswith("*")}
        return LatinIndex(words, self.keep_surface)


def _add_content(lex: Lexicon, data: dict) -> None:
    for section in ("procedure", "purpose"):
        for value, levels in (data.get(section) or {}).items():
            if value == "ignore":
                lex.add(levels, (section, "ignore", "ignore"))
                continue
            for level, phrases in (levels or {}).items():
                lex.add(phrases, (section, value, level))
    for section in ("subject", "in_poland", "role"):
        for value, phrases in (data.get(section) or {}).items():
            lex.add(phrases, (section, value))
    for section in ("minor", "ukr_status", "ukr_status_on_2025_06_04", "pesel", "trusted_profile", "qualified_signature"):
        for value, phrases in (data.get(section) or {}).items():
            lex.add(phrases, (section, str(value)))
    lex.add(data.get("dont_know"), ("dont_know",))
    lex.add(data.get("asks_why"), ("asks_why",))
    for code, phrases in (data.get("language_request") or {}).items():
        lex.add(phrases, ("lang_marker",) if code == "markers" else ("lang", code))
    lex.add(data.get("poland_places"), ("place", "pl"))
    lex.add(data.get("foreign_places"), ("place", "foreign"))
    lex.add(data.get("polish_sponsor"), ("polish_sponsor",))


def _add_function(lex: Lexicon, data: dict) -> None:
    for section, label in (
        ("affirm", "affirm"),
        ("negate", "negate"),
        ("question_words", "question"),
        ("possession", "possession"),
        ("aim", "aim"),
        ("locative", "locative"),
        ("staying", "staying"),
        ("correction", "correction"),
        ("role_self", "role_self"),
        ("possessives", "possessive"),
        ("holding", "holding"),
        ("held_after", "held_after"),
        ("held_before", "held_before"),
    ):
        lex.add(data.get(section), (label,))
    # "without a break", "без перерви": a negation word that says no "no" ("ignore" cancels it)
    lex.add(data.get("not_negation"), ("not_negation", "ignore"))
    lex.add(data.get("alternatives"), ("alternative",))
    lex.add(data.get("together"), ("person", "self", "together"))
    for value, phrases in (data.get("person") or {}).items():
        lex.add(phrases, ("person", value))
    for fact, phrases in (data.get("date_cues") or {}).items():
        lex.add(phrases, ("date_cue", fact))
    for kind, phrases in (data.get("citizenship_cues") or {}).items():
        lex.add(phrases, ("cue", kind))
    lex.add(data.get("age_verbs"), ("age_verb",))
    lex.add(data.get("age_copula"), ("age_copula",))
    lex.add(data.get("age_future"), ("age_future",))


@lru_cache(maxsize=None)
def vocab(lang: str) -> Vocab:
    lang = lang if lang in LANGUAGES else "en"
    lex = Lexicon()
    for code in LANGUAGES:
        _add_content(lex, raw(code))
    breaks, months, numbers, keep, gap, interjections = set(), set(), {}, set(), set(), set()
    month_in_english: Dict[str, str] = {}
    age_units, units = Lexicon(), Lexicon()
    for code in FUNCTION_FROM[lang]:
        data = raw(code)
        _add_function(lex, data)
        breaks.update(fold(w) for w in data.get("clause_breaks") or ())
        months.update(p for m in data.get("months") or () for p in compile_phrase(m))
        for unit, phrases in (data.get("time_units") or {}).items():
            units.add(phrases, ("unit", unit))
        units.add(data.get("relative_future"), ("future",))
        units.add(data.get("relative_past"), ("past",))
        numbers.update({fold(str(k)): v for k, v in (data.get("number_words") or {}).items()})
        age_units.add(data.get("age_units"), ("age_unit",))
        age_units.add(data.get("months_old"), ("months_old",))
        keep.update(p[0] for w in data.get("negate") or () for p in [compile_phrase(w)] if len(p) == 1)
        gap.update(fold(w) for w in data.get("age_gap") or ())
        keep.update(fold(w) for w in data.get("no_lemma") or ())
        interjections.update(fold(w) for w in data.get("interjections") or ())
        month_in_english.update({fold(str(k)): v for k, v in (data.get("month_in_english") or {}).items()})
    fuzzy = sorted(w for w in lex.words if len(w) >= 5 and w.isalpha())
    return Vocab(
        lex,
        frozenset(breaks),
        frozenset(months),
        units,
        numbers,
        age_units,
        fuzzy,
        frozenset(keep),
        frozenset(gap),
        frozenset(interjections),
        month_in_english,
    )
