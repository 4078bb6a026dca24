"""Words of a message: normalised surface form, lemma, position and clause.

Matching happens on lower-case, diacritic-free forms so that "czesc, mam status ukr" meets
"cześć" and "Białoruś" meets "bialorus"; the lemma (simplemma for Polish and English,
pymorphy3 for Ukrainian and Russian) lets one vocabulary entry reach every inflected form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional, Tuple

# Letters NFKD does not decompose.
_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "đ": "d", "ß": "ss", "’": "'", "ʼ": "'", "`": "'"})
_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*", re.UNICODE)
# Punctuation that ends a clause.
_CLAUSE_PUNCT = re.compile(r"[,;:.!?()\n\u2014\u2013]|\s-\s")
_SENTENCE_END = re.compile(r"[.!?\n]")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """lower-case, no diacritics, no apostrophes: "Don't" -> "dont", "Łódź" -> "lodz", "й" -> "и"."""
    word = word.translate(_EXTRA).lower()
    word = unicodedata.normalize("NFKD", word)
    word = "".join(ch for ch in word if not unicodedata.combining(ch))
    return word.replace("'", "").replace("-", " ")


# How Ukrainian and Russian are typed in Latin letters ("skolko", "privet", "zhinka"); after fold(),
# so "й" and "ї" arrive as "и" and "і".
_ROMAN = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "ґ": "g",
        "д": "d",
        "е": "e",
        "є": "ye",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "і": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "h",
        "ц": "c",
        "ч": "ch",
        "ш": "sh",
        "щ": "sch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    }
)


@lru_cache(maxsize=65536)
def romanize(folded: str) -> str:
    """A folded word in Latin letters: "сколько" -> "skolko", "зміна" -> "zmina"; Latin stays."""
    return folded.translate(_ROMAN)


def fold_phrase(phrase: str) -> Tuple[str, ...]:
    return tuple(w for w in fold(" ".join(_WORD.findall(phrase.replace("*", "STARMARK")))).split())


@dataclass
class Token:
    raw: str
    surf: str  # folded surface form
    lemma: str  # folded lemma
    start: int  # character offsets in the message
    end: int
    clause: int
    sentence: int = 0
    fuzzy: Optional[str] = None  # the vocabulary word a typo most likely meant
    # Ukrainian or Russian typed in Latin letters: the Cyrillic vocabulary words it may be (latin.py)
    alts: Tuple[str, ...] = ()
    skels: Tuple[str, ...] = ()


_morph = {}


def _pymorphy(lang: str):
    if lang not in _morph:
        import pymorphy3

        _morph[lang] = pymorphy3.MorphAnalyzer(lang=lang)
    return _morph[lang]


_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@lru_cache(maxsize=65536)
def lemma(word: str, lang: str) -> str:
    """The dictionary form of one word in the message's language."""
    low = word.lower()
    if _CYRILLIC.search(low):
        # Ukrainian and Russian are mixed in practice: prefer the analyser that knows the word.
        order = ["uk", "ru"] if lang != "ru" else ["ru", "uk"]
        for code in order:
            parses = _pymorphy(code).parse(low)
            if parses and parses[0].is_known:
                return parses[0].normal_form
        return low
    if lang in ("pl", "en") or lang in ("uk", "ru"):
        import simplemma

        # Latin text written by a Ukrainian or Russian speaker is most often Polish-like.
        code = lang if lang in ("pl", "en") else "pl"
        try:
            # low_memory: the same lemmas (checked on 20,000 words of our data) for 62 MB instead of 397
            return simplemma.lemmatize(low, lang=code, low_memory=True).lower()
        except Exception:  # simplemma raises on odd input; the surface form still matches
            return low
    return low


def tokenize(text: str, lang: str, clause_breaks: frozenset) -> List[Token]:
    tokens: List[Token] = []
    clause = sentence = 0
    last_end = 0
    # apostrophes inside words ("сім’ї", "don’t"); one character each, so offsets stay those of `text`
    text = text.replace("’", "'").replace("ʼ", "'").replace("`", "'")
    for m in _WORD.finditer(text):
        between = text[last_end : m.start()]
        if _CLAUSE_PUNCT.search(between):
            clause += 1
        if _SENTENCE_END.search(between):
            sentence += 1
        last_end = m.end()
        raw = m.group(0)
        # "visa-free" -> "visa", "free"; offsets of the parts stay those of the whole word
        for piece in raw.split("-"):
            part = fold(piece).replace(" ", "")
            if not part:
                continue
            if part in clause_breaks and tokens:
                clause += 1
            lem = fold(lemma(piece, lang)).replace(" ", "") or part
            tokens.append(Token(piece, part, lem, m.start(), m.end(), clause, sentence))
            if part in clause_breaks:
                clause += 1
    return tokens
