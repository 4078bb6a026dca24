"""What the person wants (bot/understanding/wants.py): procedure and purpose, in four languages.
Each row: message, language, field asked, the exact facts expected (any other fact fails)."""
import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 11, 23)


def facts(text, lang, asking=None, known=None):
    return {k: f.value for k, f in understand(text, lang, asking, TODAY, known).facts.items()}


@pytest.mark.parametrize("text, lang, asking, expected", [
    ("residence card", "en", "procedure", {"procedure": "temporary_residence"}),
    ("I have to check my visa sticker", "en", "permit_expires", {}),
    ("temporary residence for work", "en", None, {"procedure": "temporary_residence", "purpose": "work"}),
    ("I don't want to work, I want to study", "en", None, {"purpose": "studies"}),
    ("karta pobytu", "pl", "procedure", {"procedure": "temporary_residence"}),
    ("chcę pobyt stały", "pl", None, {"procedure": "permanent_residence"}),
    ("карта побиту CUKR", "uk", "procedure", {"procedure": "cukr"}),
    ("хочу отримати громадянство", "uk", None, {"procedure": "citizenship"}),
    ("хочу вид на жительство для работы", "ru", None, {"procedure": "temporary_residence", "purpose": "work"}),
    ("my friend got a residence card", "en", None, {}),
])
def test_what_the_person_wants(text, lang, asking, expected):
    assert facts(text, lang, asking) == expected
