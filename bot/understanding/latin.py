"""Ukrainian and Russian typed in Latin letters, read against the Cyrillic vocabulary.

People type "zhinka", "zhynka", "zinka", "skolko", "skol'ko", "szczo" for the same words: no one
transliteration standard is followed. So both sides are reduced to one lossy key, the skeleton
(digraphs to one symbol, "y"/"i"/"j" to "i", "g"/"h"/"kh" to one symbol, double letters to one),
and every inflected form of every Cyrillic vocabulary word (from pymorphy3's dictionaries) is
indexed by its skeleton. A Latin word then reads as the vocabulary words whose forms share its
skeleton: "zhinku" -> "жінка", "bereznja" -> "березня". The index holds only vocabulary words, a
few thousand, so a lossy key seldom meets a word it should not.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, Tuple

from bot.understanding.text import _CYRILLIC, _pymorphy, fold, romanize

_LATIN = re.compile(r"^[a-z]+$")
# longest first; upper-case letters are placeholders (the input is lower-case)
_DIGRAPHS = (
    ("szcz", "Q"),
    ("shch", "Q"),
    ("sch", "Q"),
    ("sc", "Q"),
    ("zh", "Z"),
    ("sh", "S"),
    ("sz", "S"),
    ("ch", "C"),
    ("cz", "C"),
    ("kh", "H"),
    ("ts", "c"),
    ("tz", "c"),
    ("tc", "c"),
)
_SINGLE = str.maketrans({"h": "H", "g": "H", "x": "H", "j": "i", "y": "i", "w": "v", "q": "k"})
# doubled consonants and "ii" ("Rossii", "Rosii", "Rossiyi"); not "ee" or "oo": "нее" is not "не"
_DOUBLE = re.compile(r"([^aeou])\1+")


@lru_cache(maxsize=65536)
def skeleton(latin: str, collapse: bool = True) -> str:
    """ "zhinku" -> "Zinku", "zhynku" -> "Zinku", "skol'ko" (folded: "skolko") -> "skolko".
    `collapse`: doubled letters as one; not for short words, where "ній" would meet "ni" (no)."""
    key = latin
    for digraph, symbol in _DIGRAPHS:
        key = key.replace(digraph, symbol)
    key = key.translate(_SINGLE)
    key = _DOUBLE.sub(r"\1", key) if collapse else key
    # "ye", "yo" after a consonant are "е", "ё" ("obucheniye", "stazhyor"); "ё" is folded to "е"
    key = key.replace("ie", "e").replace("io", "e")
    return _DOUBLE.sub(r"\1", key) if collapse else key


@lru_cache(maxsize=65536)
def skeletons(latin: str) -> Tuple[str, ...]:
    """The skeletons a Latin word may have: "j" is "й" to most and "ж" to some ("jena", "pmj")."""
    keys = [skeleton(latin)]
    if "j" in latin:
        keys.append(skeleton(latin.replace("j", "zh")))
    return tuple(dict.fromkeys(keys))


# Czech- and Polish-style letters keep what they stand for before fold() drops the diacritic
_MARKED = str.maketrans({"ž": "zh", "ż": "zh", "š": "sh", "č": "ch", "ʹ": "", "ʺ": "", "ǐ": "i"})


def latin_surface(raw: str) -> str:
    """The word as a Latin-typed Ukrainian or Russian word ("Polʹše" -> "polshe"), or "" if it is not one."""
    word = fold(raw.lower().translate(_MARKED)).replace(" ", "")
    return word if _LATIN.match(word) else ""


def _spellings(word: str) -> Iterable[str]:
    """The word as a dictionary may spell it: fold() made "й" "и" and "ї" "і" ("новыи" -> "новый")."""
    spots = [k for k, ch in enumerate(word) if ch in "иі"][:3]
    for choice in itertools.product((False, True), repeat=len(spots)):
        letters = list(word)
        for k, restore in zip(spots, choice):
            if restore:
                letters[k] = "й" if letters[k] == "и" else "ї"
        yield "".join(letters)


def _forms(word: str) -> Iterable[str]:
    """The forms a Cyrillic token may have to match `word` as a pattern: the word itself, and where it
    is a dictionary form, every inflection of it (a pattern matches a token's surface or lemma)."""
    yield word
    for spelling in _spellings(word):
        for code in ("uk", "ru"):
            for parse in _pymorphy(code).parse(spelling)[:3]:
                if parse.is_known and fold(parse.normal_form).replace(" ", "") == word:
                    yield from (fold(form.word).replace(" ", "") for form in parse.lexeme)


#: a Latin word this short is read only as a vocabulary word spelt so (and that word's lemma), never
#: as an inflection of another: Polish "mam" (I have) is not "мам" (of mothers) of "мама"
SHORT = 3


class LatinIndex:
    """Skeleton -> the Cyrillic vocabulary words (folded) one of whose forms has it. `keep_surface`:
    the words the vocabulary reads as spelt, never by their lemma (as for Cyrillic tokens)."""

    def __init__(self, words: Iterable[str], keep_surface: FrozenSet[str] = frozenset()) -> None:
        found: Dict[str, set] = {}
        exact: Dict[str, set] = {}
        words = {w for w in words if _CYRILLIC.search(w)}
        for word in sorted(words):
            exact.setdefault(skeleton(romanize(word), collapse=False), set()).add(word)
            for form in _forms(word):
                found.setdefault(skeleton(romanize(form)), set()).add(word)
                if form in words and form != word and form not in keep_surface:
                    # "mne": "мне", and "я" as its lemma
                    exact.setdefault(skeleton(romanize(form), collapse=False), set()).add(word)
        self.words = {key: tuple(sorted(ws)) for key, ws in found.items()}
        self.exact = {key: tuple(sorted(ws)) for key, ws in exact.items()}

    def readings(self, latin: str) -> Tuple[str, ...]:
        if len(latin) <= SHORT:
            return self._short(latin)
        found = [word for key in skeletons(latin) for word in self.words.get(key, ())]
        return tuple(dict.fromkeys(found))

    def _short(self, latin: str) -> Tuple[str, ...]:
        # "yij" for "їй", "yim" for "їм": a run of "i" typed for "ї" (+ "й") is two or one
        keys = [skeleton(latin, collapse=False)]
        if "j" in latin:
            keys.append(skeleton(latin.replace("j", "zh"), collapse=False))
        keys += [re.sub("i{3,}", "ii", k) for k in keys] + [re.sub("i{2,}", "i", k) for k in keys]
        found = [word for key in dict.fromkeys(keys) for word in self.exact.get(key, ())]
        return tuple(dict.fromkeys(found))


@lru_cache(maxsize=4096)
def stem_skeleton(stem: str) -> str:
    """The skeleton of a Cyrillic vocabulary stem ("карт" of "карт*"), or "" when it is too short
    to say anything in Latin letters or not Cyrillic at all."""
    if not _CYRILLIC.search(stem):
        return ""
    key = skeleton(romanize(stem))
    return key if len(key) >= 3 else ""
