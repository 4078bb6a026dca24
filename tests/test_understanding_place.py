"""Whether the applicant is in Poland (bot/understanding/place.py). Each row: message, language,
field asked, known, expected facts."""
import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 11, 23)


def facts(text, lang, asking=None, known=None):
    return {k: f.value for k, f in understand(text, lang, asking, TODAY, known).facts.items()}


@pytest.mark.parametrize("text, lang, asking, known, expected", [
    ("I live in Wroclaw", "en", None, None, {"in_poland": True}),
    ("my employer in Turkey", "en", None, None, {}),
    ("mieszkam w Krakowie", "pl", None, None, {"in_poland": True}),
    ("jestem za granicą", "pl", "in_poland", None, {"in_poland": False}),
    ("я живу у Львові", "uk", "in_poland", None, {"in_poland": False}),
    ("я в Варшаве", "ru", None, None, {"in_poland": True}),
])
def test_in_poland(text, lang, asking, known, expected):
    assert facts(text, lang, asking, known) == expected
