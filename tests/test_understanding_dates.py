"""Which field a date goes to (bot/understanding/date_facts.py). Each row: message, language, field
asked, expected facts (today is 2026-11-23)."""

import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 11, 23)
D = datetime.date


def facts(text, lang, asking=None, known=None):
    return {k: f.value for k, f in understand(text, lang, asking, TODAY, known).facts.items()}


@pytest.mark.parametrize(
    "text, lang, asking, expected",
    [
        ("14.03.2027", "en", "permit_expires", {"permit_expires": D(2027, 3, 14)}),
        ("my card is valid until 14.03.2027", "en", None, {"permit_expires": D(2027, 3, 14)}),
        ("in 3 months", "en", "permit_expires", {"permit_expires": D(2027, 2, 23)}),
        ("karta ważna do 31 grudnia 2026", "pl", None, {"permit_expires": D(2026, 12, 31)}),
        ("я народився 01.02.1990", "uk", "permit_expires", {"minor": False}),  # a birth date is no end date
        ("статус укр с 10.03.2022", "ru", None, {"ukr_status": True, "ukr_status_since": D(2022, 3, 10)}),
    ],
)
def test_dates(text, lang, asking, expected):
    assert facts(text, lang, asking) == expected
