"""Catalogs: every English text exists in Polish, Ukrainian and Russian with the same {fields};
a text missing in one language falls back to English; dates follow the sentence's language."""

import datetime
import re
import string
from typing import Any, Dict, Set

import pytest

from bot import i18n
from bot.routing import load_rules, text_constants

TRANSLATED = [lang for lang in i18n.SUPPORTED_LANGUAGES if lang != i18n.DEFAULT_LANGUAGE]
# Fields that carry a date besides the date constants of rules.yml (see engine._text_params).
DATE_FIELDS = {"permit_expires", "cukr_from", "ukr_status_since", "today"}


def leaves(node: Any, prefix: str = "") -> Dict[str, Any]:
    """'section.key' -> the text, list or scalar stored there."""
    if isinstance(node, dict):
        out: Dict[str, Any] = {}
        for key, value in node.items():
            out.update(leaves(value, f"{prefix}{key}."))
        return out
    return {prefix[:-1]: node}


def strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def fields(value: Any) -> Set[str]:
    return {name for text in strings(value) for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "text" if isinstance(value, str) else type(value).__name__


def rule_titles() -> Dict[str, str]:
    return {rule.id: rule.title for rule in load_rules().all_rules() if rule.title and not rule.silent}


def rule_legal_bases() -> Dict[str, str]:
    return {rule.id: rule.legal_basis for rule in load_rules().all_rules() if rule.legal_basis and not rule.silent}


def expected_keys() -> Dict[str, Any]:
    """English leaves, plus a translated title and legal basis for every shown rule (rules.yml holds the English)."""
    expected = leaves(i18n.catalog("en"))
    expected.update({f"rule_titles.{rid}": title for rid, title in rule_titles().items()})
    expected.update({f"rule_legal_basis.{rid}": basis for rid, basis in rule_legal_bases().items()})
    return expected


def sample_params() -> Dict[str, Any]:
    params: Dict[str, Any] = {name: datetime.date(2026, 12, 31) for name in DATE_FIELDS}
    params.update(text_constants())
    return params


def test_supported_languages_are_kept_even_before_their_catalog_exists():
    assert i18n.normalise_language("pl") == "pl"
    assert i18n.normalise_language("PL-pl") == "pl"
    assert i18n.normalise_language("de") == "en"
    assert i18n.normalise_language(None) == "en"


def test_missing_texts_fall_back_to_english_with_english_dates(monkeypatch):
    real = i18n.catalog
    without_warnings = {k: v for k, v in real("uk").items() if k != "warning"}
    monkeypatch.setattr(i18n, "catalog", lambda lang: without_warnings if lang == "uk" else real(lang))
    text = i18n.t("warning.submit_before", "uk", permit_expires=datetime.date(2026, 12, 31))
    assert text == i18n.t("warning.submit_before", "en", permit_expires=datetime.date(2026, 12, 31))
    assert "December 31, 2026" in text
    # the rest of the Ukrainian catalog is still used
    assert i18n.t("options.bool.true", "uk") == real("uk")["options"]["bool"]["true"]


def test_unknown_key_is_an_error_not_silence():
    with pytest.raises(KeyError):
        i18n.t("chat.no_such_text", "en")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_language_has_exactly_the_english_keys(lang):
    assert lang in i18n.available_languages()
    expected, actual = expected_keys(), leaves(i18n.catalog(lang))
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    assert not missing, f"{lang}.yml lacks {missing}"
    assert not extra, f"{lang}.yml has keys English does not: {extra}"
    wrong_kind = [k for k in expected if kind(expected[k]) != kind(actual[k])]
    assert not wrong_kind, f"{lang}.yml: not the same kind of entry as English: {wrong_kind}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_text_has_the_english_placeholders(lang):
    expected, actual = expected_keys(), leaves(i18n.catalog(lang))
    differ = {
        k: (sorted(fields(expected[k])), sorted(fields(actual[k])))
        for k in expected
        if k in actual and fields(expected[k]) != fields(actual[k])
    }
    assert not differ, f"{lang}.yml: {{fields}} differ from English (en, {lang}): {differ}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_texts_are_translated_not_copied(lang):
    """An English sentence left in a catalog is caught; names such as 'MOS' or 'UDSC' may stay."""
    expected, actual = expected_keys(), leaves(i18n.catalog(lang))
    untranslated = []
    for key, english in expected.items():
        if not isinstance(english, str) or key not in actual:
            continue
        words = re.findall(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}|\S+\.\S+", " ", english))
        if len(words) < 3:
            continue
        text = actual[key]
        if text == english or (lang in ("uk", "ru") and not re.search(r"[\u0400-\u04ff]", text)):
            untranslated.append(key)
    assert not untranslated, f"{lang}.yml: still English: {untranslated}"


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGUAGES)
def test_typed_answer_phrases_can_match(lang):
    """Phrases are matched as whole lower-case words: punctuation other than ' and - never survives."""
    bad = [
        (key, phrase)
        for key, value in leaves(i18n.raw("answers", lang)).items()
        for phrase in value
        if not isinstance(phrase, str) or phrase != phrase.lower() or not re.fullmatch(r"[\w' -]+", phrase)
    ]
    assert not bad, bad
    assert all(leaves(i18n.raw("answers", lang)).values())


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "December 31, 2026"),
        ("pl", "31 grudnia 2026"),
        ("uk", "31 грудня 2026 р."),
        ("ru", "31 декабря 2026 г."),
    ],
)
def test_dates_are_written_the_way_each_language_writes_them(lang, expected):
    # Babel joins the year and its abbreviation ("2026 р.") with a narrow no-break space
    text = i18n.t("warning.submit_before", lang, permit_expires=datetime.date(2026, 12, 31)).replace("\u202f", " ")
    assert expected in text
    button = i18n.t("options.dates.ukr_after", lang, ukr_reference_day=datetime.date(2025, 6, 4))
    assert {"en": "June 4, 2025", "pl": "4 czerwca 2025", "uk": "4 червня 2025", "ru": "4 июня 2025"}[lang] in button


@pytest.mark.parametrize("lang", i18n.SUPPORTED_LANGUAGES)
def test_a_date_ending_a_sentence_does_not_double_the_full_stop(lang):
    """Ukrainian and Russian dates end in 'р.' / 'г.': '{date}.' would print 'р..'."""
    params = sample_params()
    dates = {name for name, value in params.items() if isinstance(value, datetime.date)}
    doubled = []
    for key, text in leaves(i18n.catalog(lang)).items():
        for line in strings(text):
            for name in dates & fields(line):
                if i18n.format_value(params[name], lang).endswith(".") and "{%s}." % name in line:
                    doubled.append(key)
    for rule_id in rule_titles():
        title = i18n.t(f"rule_titles.{rule_id}", lang) if lang != "en" else rule_titles()[rule_id]
        if ".." in i18n.t("warning.unconfirmed", lang, title=title):
            doubled.append(f"rule_titles.{rule_id}")
    assert not doubled, f"{lang}: {doubled}"
