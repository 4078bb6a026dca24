"""Ukrainian and Russian typed in Latin letters read as the Cyrillic they stand for.

The cases are generated: every Cyrillic phrase of the Ukrainian and Russian vocabulary files, typed
by each published transliteration scheme people follow (iuliia's Russian schemes, translitua's
Ukrainian ones, transliterate's reverse mode), must be matched with every label its Cyrillic
spelling gets. A phrase added to the vocabulary later is covered without editing this file.
"""

from __future__ import annotations

import datetime
import re
from typing import Callable, Dict, List, Set, Tuple

import iuliia
from answers import strings
from babel.dates import get_month_names
import pytest
import translitua
from transliterate import translit

from bot.understanding import understand
from bot.understanding.date_facts import DATE_FIELDS
from bot.understanding.reading import Reading
from bot.understanding.vocab import raw

TODAY = datetime.date(2026, 12, 3)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")

SCHEMES: Dict[str, Dict[str, Callable[[str], str]]] = {
    "uk": {
        "kmu2010": lambda s: translitua.translit(s, translitua.UkrainianKMU),
        "simple": lambda s: translitua.translit(s, translitua.UkrainianSimple),
        "transliterate": lambda s: translit(s, "uk", reversed=True),
    },
    "ru": {
        "wikipedia": iuliia.WIKIPEDIA.translate,
        "telegram": iuliia.TELEGRAM.translate,
        "mosmetro": iuliia.MOSMETRO.translate,
        "transliterate": lambda s: translit(s, "ru", reversed=True),
    },
}
CASES = [(lang, scheme) for lang, schemes in SCHEMES.items() for scheme in schemes]


def cyrillic_phrases(lang: str) -> List[str]:
    """Every whole-word Cyrillic phrase of the language's vocabulary file (stems have no Latin form)."""
    return sorted({p for p in strings(raw(lang)) if _CYRILLIC.search(p) and "*" not in p})


def whole_labels(text: str, lang: str) -> Set[Tuple[str, ...]]:
    reading = Reading(text, lang, None, TODAY, {})
    return {m.label for m in reading.matches if m.start == 0 and m.end == len(reading.tokens)}


@pytest.mark.parametrize("lang,scheme", CASES)
def test_every_vocabulary_phrase_typed_in_latin_is_the_same_phrase(lang, scheme):
    typed = SCHEMES[lang][scheme]
    misses, tried = [], 0
    for phrase in cyrillic_phrases(lang):
        latin = typed(phrase)
        if _CYRILLIC.search(latin):
            continue  # a letter of the other language the scheme does not know ("ы" in a Ukrainian file)
        tried += 1
        lost = whole_labels(phrase, lang) - whole_labels(latin, lang)
        if lost:
            misses.append(f"{phrase!r} -> {latin!r}: {sorted(lost)}")
    assert tried > 100, "the vocabulary has lost its Cyrillic phrases"
    assert not misses, f"{len(misses)} of {tried}:\n" + "\n".join(misses[:40])


def _month_forms(lang: str) -> List[str]:
    """The months as a date says them ("4 березня"), from the CLDR data Babel carries."""
    return [str(name) for name in get_month_names("wide", context="format", locale=lang).values()]


@pytest.mark.parametrize("lang,scheme", CASES)
@pytest.mark.parametrize("field", DATE_FIELDS)
def test_a_date_with_the_month_typed_in_latin(lang, scheme, field):
    typed = SCHEMES[lang][scheme]
    months = _month_forms(lang)
    assert len(months) >= 12
    for month in months:
        said = f"4 {month} 2027"
        want = understand(said, lang, field, TODAY).facts[field].value
        got = understand(typed(said), lang, field, TODAY).facts.get(field)
        assert got is not None and got.value == want, (said, typed(said))


# Sentences people typed in the trials (and variants of them), each in Latin letters.
SENTENCES = [
    ("ru", None, {}, "privet, ya iz Belarusi, zhivu v Varshave", {"citizenship": "BY", "in_poland": True}),
    ("ru", None, {}, "ia rabotaiu v Polshe po vize, hochu ostatsia", {"purpose": "work", "in_poland": True}),
    ("ru", None, {}, "ja rabotaju v Polʹše", {"purpose": "work", "in_poland": True}),
    ("uk", None, {}, "ja pracjuju u Polshchi, hochu prodovzhyty kartu pobytu", {"purpose": "work", "in_poland": True}),
    ("uk", "in_poland", {"subject": "spouse"}, "moja zhinka zaraz v Uzbekystani", {"in_poland": False}),
    ("ru", "in_poland", {"subject": "spouse"}, "zhena seichas v Uzbekistane", {"in_poland": False}),
    ("uk", "ukr_status_since", {}, "z 4 bereznja 2025", {"ukr_status_since": datetime.date(2025, 3, 4)}),
    ("ru", "permit_expires", {}, "do 4 marta 2027", {"permit_expires": datetime.date(2027, 3, 4)}),
    ("uk", "permit_expires", {}, "do chetverha? ni, do 14 travnja 2027", {"permit_expires": datetime.date(2027, 5, 14)}),
]


@pytest.mark.parametrize("lang,asking,known,text,want", SENTENCES)
def test_sentences_typed_in_latin(lang, asking, known, text, want):
    facts = understand(text, lang, asking, TODAY, known).facts
    assert {name: facts[name].value for name in want if name in facts} == want


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_dont_know_typed_in_latin_is_dont_know(lang):
    for phrase in raw(lang).get("dont_know") or ():
        if not _CYRILLIC.search(phrase) or "*" in phrase:
            continue
        for scheme, typed in SCHEMES[lang].items():
            latin = typed(phrase)
            if _CYRILLIC.search(latin):
                continue
            assert understand(latin, lang, "ukr_status_on_2025_06_04", TODAY).dont_know, (scheme, latin)


@pytest.mark.parametrize("lang,scheme", CASES)
@pytest.mark.parametrize("field", ["procedure", "purpose"])
def test_every_option_title_typed_in_latin_is_that_option(lang, scheme, field):
    """A button's title typed instead of pressed, on a phone without Cyrillic ("zhit s semjoj")."""
    from bot import i18n
    from bot.conversation.parsing import parse_choice

    typed = SCHEMES[lang][scheme]
    options = i18n.raw(f"options.{field}", lang)
    assert len(options) > 5
    assert {value: parse_choice(field, typed(title), lang) for value, title in options.items()} == {
        value: value for value in options
    }


@pytest.mark.parametrize("lang,scheme", CASES)
def test_every_aim_title_of_two_words_typed_in_latin_is_that_aim(lang, scheme):
    from bot import i18n
    from bot.conversation.parsing import typed_goal
    from bot.questions import goals

    typed = SCHEMES[lang][scheme]
    for goal, facts in goals().items():
        title = i18n.t(f"conversation.goals.{goal}", lang)
        if len(title.split()) > 1:
            assert typed_goal(f"{typed(title)}, ja zhe pisala", lang) == dict(facts), (goal, typed(title))
