"""Country names in the four languages (pycountry and Babel), demonyms and aliases from the vocabulary.

One index serves every message: a Ukrainian may write "z Ukrainy", "з України" or "ya z Ukrainy".
Inflected forms are reached by lemma, and single-word names also by stem ("Filipin", "Ukrainy",
"Грузії"), only for stems of at least five letters so that short words never become countries.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

import pycountry
from babel import Locale

from bot.understanding.lexicon import compile_phrase
from bot.understanding.text import Token
from bot.understanding.vocab import LANGUAGES, raw

_VOWELS = set("aeiouyаеиіїоуыэюяєьй")
#: Poland is where the person is going, never the citizenship asked about here.
_NEVER = {"PL"}


@dataclass(frozen=True)
class Mention:
    code: str
    start: int
    end: int
    kind: str  # "name" or "demonym"


@lru_cache(maxsize=None)
def english_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return Locale("en").territories.get(code, code)
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=None)
def country_index() -> Tuple[Dict[Tuple[str, ...], Tuple[str, str]], Dict[str, str], frozenset, Dict[str, str]]:
    stop = set()
    for lang in LANGUAGES:
        stop.update(" ".join(compile_phrase(w)) for w in raw(lang).get("country_stop") or ())
    names: Dict[Tuple[str, ...], Tuple[str, str]] = {}
    prefixes: Dict[str, str] = {}

    def put(text: str, code: str, kind: str) -> None:
        key = compile_phrase(text)
        if not key or code in _NEVER or " ".join(key) in stop:
            return
        if len(key) == 1 and key[0].endswith("*"):
            # "wietnamczy*": every form of a demonym
            prefixes[key[0][:-1]] = code
            return
        names.setdefault(key, (code, kind))

    valid = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    for lang in LANGUAGES:
        data = raw(lang)
        for text, code in (data.get("demonyms") or {}).items():
            put(str(text), str(code), "demonym")
        for text, code in (data.get("country_aliases") or {}).items():
            put(str(text), str(code), "name")
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(country, attr, None):
                put(getattr(country, attr), country.alpha_2, "name")
    for lang in LANGUAGES:
        for code, text in Locale(lang).territories.items():
            if code in valid:
                put(text, code, "name")
    stems: Dict[str, str] = {}
    for key, (code, kind) in names.items():
        if len(key) == 1 and kind == "name":
            stem = key[0]
            while stem and stem[-1] in _VOWELS:
                stem = stem[:-1]
            if len(stem) >= 5 and stems.get(stem, code) == code:
                stems[stem] = code
            elif len(stem) >= 5:
                stems[stem] = ""  # two countries share the stem: use neither
    return names, stems, frozenset(stop), prefixes


def _short_ok(token: Token) -> bool:
    # "US", "UK", "UAE" only in capitals: "us" is a pronoun
    return len(token.surf) > 3 or token.raw.isupper()


def find_countries(tokens: List[Token]) -> List[Mention]:
    names, stems, stop, prefixes = country_index()
    found: List[Mention] = []
    i = 0
    while i < len(tokens):
        hit: Optional[Mention] = None
        for size in (4, 3, 2, 1):
            if i + size > len(tokens):
                continue
            for form in ("surf", "lemma", "fuzzy"):
                key = tuple(getattr(t, form) for t in tokens[i : i + size])
                if key in names and (size > 1 or _short_ok(tokens[i])):
                    code, kind = names[key]
                    hit = Mention(code, i, i + size, kind)
                    break
            if hit:
                break
        if hit is None and tokens[i].surf not in stop:
            for word in (tokens[i].surf, tokens[i].lemma):
                for cut in range(len(word), 3, -1):
                    if word[:cut] in prefixes:
                        hit = Mention(prefixes[word[:cut]], i, i + 1, "demonym")
                        break
                if hit:
                    break
        if hit is None and tokens[i].surf not in stop:
            for word in dict.fromkeys((tokens[i].surf, tokens[i].lemma)):
                for cut in range(len(word), 4, -1):
                    code = stems.get(word[:cut])
                    if code is not None and len(word) - cut <= 3:
                        if code:
                            hit = Mention(code, i, i + 1, "name")
                        break
                if hit:
                    break
        if hit:
            found.append(hit)
            i = hit.end
        else:
            i += 1
    return found
