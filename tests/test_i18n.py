"""Catalog look-ups: a language without a text falls back to English, dates follow the sentence."""
import datetime

from bot import i18n


def test_supported_languages_are_kept_even_before_their_catalog_exists():
    assert i18n.normalise_language("pl") == "pl"
    assert i18n.normalise_language("PL-pl") == "pl"
    assert i18n.normalise_language("de") == "en"
    assert i18n.normalise_language(None) == "en"


def test_missing_texts_fall_back_to_english_with_english_dates():
    text = i18n.t("warning.submit_before", "uk", permit_expires=datetime.date(2026, 12, 31))
    assert "December 31, 2026" in text


def test_unknown_key_is_an_error_not_silence():
    try:
        i18n.t("chat.no_such_text", "en")
    except KeyError:
        return
    raise AssertionError("an unknown key must raise")
