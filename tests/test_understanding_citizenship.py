"""Citizenship (bot/understanding/citizenship.py): the country one is from over countries passed
through, lived in or that issued a permit. Each row: message, language, field asked, expected facts."""

import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 11, 23)


def facts(text, lang, asking=None, known=None):
    return {k: f.value for k, f in understand(text, lang, asking, TODAY, known).facts.items()}


@pytest.mark.parametrize(
    "text, lang, asking, expected",
    [
        ("from Syria, through Belarus", "en", "citizenship", {"citizenship": "SY"}),
        ("I'm Georgian", "en", "citizenship", {"citizenship": "GE"}),
        ("US citizen with an ICT permit issued by Germany", "en", None, {"citizenship": "US", "purpose": "ict"}),
        ("jestem z Ukrainy", "pl", "citizenship", {"citizenship": "UA"}),
        ("я з Грузії", "uk", "citizenship", {"citizenship": "GE"}),
        ("я из Беларуси", "ru", "citizenship", {"citizenship": "BY"}),
        ("my wife is Ukrainian", "en", "citizenship", {}),
    ],
)
def test_citizenship(text, lang, asking, expected):
    assert facts(text, lang, asking) == expected
