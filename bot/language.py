"""Which language to answer in: the channel's, the one asked for, or the one the person writes.

Order (see `choose`):
1. a language asked for in this message: a button (`/change_language{"language": "pl"}`) or
   typed ("по-русски, пожалуйста", "czy możemy po polsku?", "can we speak English");
2. `metadata.language` when the channel sends one;
3. the language the message is written in, when the message says enough to tell: detected by
   lingua (built for short texts) restricted to en/pl/uk/ru, with Ukrainian and Russian told
   apart by their own letters and transliterated Ukrainian/Russian recognised by their words;
4. otherwise the current language ("ok", "tak", "да", a button payload, a date keep it).

The vocabulary lives in language_vocabulary.yml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml

from bot.understanding.latin import skeleton
from bot.understanding.vocab import vocab

LANGUAGES = ("en", "pl", "uk", "ru")
DEFAULT = "en"
VOCABULARY = Path(__file__).with_name("language_vocabulary.yml")

# A message switches an established language only when it says this much; a first message
# (no language yet) is detected with less.
MIN_WORDS_TO_SWITCH = 3
MIN_CONFIDENCE_TO_SWITCH = 0.9
MIN_CONFIDENCE_FIRST = 0.6
# A whole sentence in another language switches with less confidence when its words are that
# language's common words ("send me my checklist link" after Polish).
MIN_WORDS_SENTENCE = 4
MIN_SHARE_SENTENCE = 0.75

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")


@lru_cache(maxsize=None)
def vocabulary() -> Dict[str, Any]:
    with VOCABULARY.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=None)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(
            Language.ENGLISH,
            Language.POLISH,
            Language.UKRAINIAN,
            Language.RUSSIAN,
        )
        .with_preloaded_language_models()
        .build()
    )


def _normalise(text: str) -> str:
    return " " + " ".join(_WORD.findall((text or "").lower().replace("’", "'").replace("ʼ", "'"))) + " "


def _phrase_positions(text: str, phrases: Iterable[str]) -> List[int]:
    normalised = _normalise(text)
    return [m.start() for phrase in phrases for m in re.finditer(re.escape(_normalise(phrase)), normalised)]


def _negated(normalised: str, position: int) -> bool:
    before = normalised[:position].split()[-2:]
    return any(word in vocabulary()["negations"] for word in before)


def requested_language(text: str, intent: Optional[str] = None) -> Optional[str]:
    """The language a message asks for, or None.

    "po polsku"-like forms count in any message; bare names ("Polish", "русский") only when the
    intent is change_language. When several are named, the last one not negated wins
    ("nie rozumiem po angielsku, po polsku proszę" -> pl).
    """
    normalised = _normalise(text)
    kinds = ["requests"] + (["names"] if intent == "change_language" else [])
    found: List[Tuple[int, str]] = []
    for kind in kinds:
        for lang, phrases in vocabulary()[kind].items():
            for position in _phrase_positions(text, phrases):
                if not _negated(normalised, position):
                    found.append((position, lang))
    return max(found)[1] if found else None


def _strip_loanwords(text: str) -> str:
    normalised = _normalise(text)
    for phrase in sorted(vocabulary()["loanwords"], key=len, reverse=True):
        normalised = normalised.replace(_normalise(phrase), " ")
    return normalised.strip()


@lru_cache(maxsize=None)
def _skeletons(*lists: str) -> frozenset:
    vocab = vocabulary()
    return frozenset(skeleton(w) for name in lists for lang in ("uk", "ru") for w in vocab[name][lang])


@lru_cache(maxsize=16384)
def _typed_latin(word: str) -> bool:
    """A Ukrainian or Russian word typed in Latin letters, however spelt: a listed word's skeleton
    ("zdravstvujte" for "zdravstvuyte", bot.understanding.latin), or of four letters or more, a form of
    a word of the understanding's vocabulary ("grazhdanka", "pereehat") that is no Polish or English word."""
    if not re.fullmatch(r"[a-z]+", word) or word in _other_words() or _polish_or_english(word):
        return False  # "jest" would be "est" (есть), "kogo" "кого"
    if skeleton(word) in _skeletons("transliterated"):
        return True
    return len(word) >= 4 and any(vocab(lang).latin.readings(word) for lang in ("uk", "ru"))


def _polish_or_english(word: str) -> bool:
    """A word simplemma's dictionaries know ("kogo", "dobry"): Polish and Russian share many."""
    import simplemma

    return any(simplemma.is_known(word, lang=code) for code in ("pl", "en"))


@lru_cache(maxsize=None)
def _other_words() -> frozenset:
    v = vocabulary()
    return (
        frozenset(v["sentence_words"].get("pl", ()))
        | frozenset(v["sentence_words"].get("en", ()))
        | frozenset(v["shared_latin"])
    )


def _transliterated(words: List[str], current: Optional[str]) -> Optional[str]:
    """uk or ru for Ukrainian or Russian typed in Latin letters ("ya z Ukrainy, maju status")."""
    vocab = vocabulary()
    known = set(vocab["transliterated"]["uk"]) | set(vocab["transliterated"]["ru"])
    known |= {w for w in words if _typed_latin(w)}
    # half the words; a third is enough to go on in a Ukrainian or Russian conversation
    share = 3 if current in ("uk", "ru") else 2
    if not words or sum(w in known for w in words) * share < len(words):
        return None
    if current in ("uk", "ru") and len(words) < MIN_WORDS_TO_SWITCH:
        return current  # "dlja sebe" in a Ukrainian conversation: too short to switch between the two
    scores = {lang: sum(w in vocab["transliterated_only"][lang] for w in words) for lang in ("uk", "ru")}
    if (
        current in ("uk", "ru")
        and all(w in known for w in words)
        and (not any(scores.values()) or len(words) < MIN_WORDS_TO_SWITCH)
    ):
        # "da verno", "tak, dobre" in a Ukrainian or Russian conversation: it goes on as it was
        return current
    if not any(scores.values()):
        # "vremennoe prozhivanie, karta pobytu" in a Russian conversation: no Polish or English word of its
        # own, so it goes on as it was ("jestem z Ukrainy, mam ..." is Polish)
        others = set(vocab["sentence_words"].get("pl", ())) | set(vocab["sentence_words"].get("en", ()))
        foreign = any(w in others and w not in known and w not in vocab["shared_latin"] for w in words)
        return current if current in ("uk", "ru") and not foreign else None
    if scores["uk"] == scores["ru"]:
        return current if current in ("uk", "ru") else "uk"
    return max(scores, key=scores.get)


def _cyrillic_by_letters(text: str) -> Optional[str]:
    letters = vocabulary()["letters"]
    has = {lang: any(ch in letters[lang] for ch in text.lower()) for lang in ("uk", "ru")}
    if has["uk"] != has["ru"]:
        return "uk" if has["uk"] else "ru"
    return None


def _cyrillic_by_words(words: List[str]) -> Optional[str]:
    """uk or ru by words only one of them uses, when no telling letter is there ("а сколько стоит")."""
    lists = vocabulary()["cyrillic_words"]
    scores = {lang: sum(w in lists[lang] for w in words) for lang in ("uk", "ru")}
    if scores["uk"] == scores["ru"]:
        return None
    return max(scores, key=scores.get)


def _a_sentence_in(guess: str, words: List[str]) -> bool:
    """Whether the words make a whole sentence of `guess` (mostly its common words)."""
    common = vocabulary()["sentence_words"].get(guess) or ()
    return len(words) >= MIN_WORDS_SENTENCE and sum(w in common for w in words) >= MIN_SHARE_SENTENCE * len(words)


def _cyrillic_language(stripped: str, words: List[str], current: Optional[str]) -> Optional[str]:
    by_letters = _cyrillic_by_letters(stripped)
    if by_letters:
        return by_letters
    letters = vocabulary()["letters"]
    mixed = all(any(ch in letters[lang] for ch in stripped.lower()) for lang in ("uk", "ru"))
    # letters of both ("я з Україны, працюю в Польше"): a mix, not a switch
    by_words = None if mixed and current in ("uk", "ru") else _cyrillic_by_words(words)
    if by_words:
        return by_words
    if current in ("uk", "ru"):
        return current  # Ukrainian-Russian mix without telling letters or words: keep going as we were
    return None


def detect(text: str, current: Optional[str] = None) -> Optional[str]:
    """The language a message is written in, or None when it does not say enough."""
    if not text or text.lstrip().startswith("/"):
        return None
    stripped = _strip_loanwords(text)
    words = stripped.split()
    if not words:
        return None
    established = current in LANGUAGES
    cyrillic = sum(bool(re.match(r"[\u0400-\u04ff]", w)) for w in words)
    # Cyrillic in a Latin-script conversation (or the reverse) is a clear sign from two words on.
    script_changed = established and (cyrillic * 2 > len(words)) != (current in ("uk", "ru"))
    if established and len(words) < (2 if script_changed else MIN_WORDS_TO_SWITCH):
        return None
    if cyrillic * 2 < len(words):
        translit = _transliterated(words, current)
        if translit:
            return translit
    values = _detector().compute_language_confidence_values(stripped)
    if not values:
        return None
    best = values[0]
    guess = best.language.iso_code_639_1.name.lower()
    if guess in ("uk", "ru"):
        cyrillic_guess = _cyrillic_language(stripped, words, current)
        if cyrillic_guess:
            return cyrillic_guess
    sentence = _a_sentence_in(guess, words)
    # Latin letters after Ukrainian or Russian are as often the same language typed without Cyrillic
    # ("ja zh napysav") as a switch: only Cyrillic after Latin is the clear sign
    to_cyrillic = script_changed and current not in ("uk", "ru")
    threshold = MIN_CONFIDENCE_FIRST if not established or to_cyrillic or sentence else MIN_CONFIDENCE_TO_SWITCH
    return guess if best.value >= threshold else None


def asked_for(
    text: str, intent: Optional[str] = None, entities: Optional[List[Dict[str, Any]]] = None, current: Optional[str] = None
) -> Optional[str]:
    """The language this message asks for: a button's `language` entity, a typed request, or,
    for a change_language message that names none ("можна так?"), the language it is written in
    when that is not the current one ("change language" alone names nothing: None)."""
    for entity in entities or []:
        if entity.get("entity") == "language" and str(entity.get("value", ""))[:2].lower() in LANGUAGES:
            return str(entity["value"])[:2].lower()
    asked = requested_language(text, intent)
    if asked or intent != "change_language" or text.lstrip().startswith("/"):
        return asked
    written_in = detect(text, None)
    return written_in if written_in != current else None


def choose(
    text: str,
    current: Optional[str] = None,
    metadata_language: Optional[str] = None,
    intent: Optional[str] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    previous_metadata_language: Optional[str] = None,
) -> str:
    """The language to answer this message in.

    A channel that sends the same metadata.language with every message (the web widget sends its
    page's language) sets the language once; repeating it does not undo a switch the person asked for.
    """
    asked = asked_for(text, intent, entities, current)
    if asked:
        return asked
    channel = str(metadata_language or "")[:2].lower()
    if channel in LANGUAGES and (current not in LANGUAGES or channel != str(previous_metadata_language or "")[:2].lower()):
        return channel
    return detect(text, current) or (current if current in LANGUAGES else DEFAULT)
