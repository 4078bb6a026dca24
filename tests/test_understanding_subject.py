"""Who the application is about (bot/understanding/subject.py): the subject named and the minor
fact from an age. Each row: message, language, field asked, known, expected subject and facts."""
import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 11, 23)


def read(text, lang, asking=None, known=None):
    got = understand(text, lang, asking, TODAY, known)
    return got.subject, {k: f.value for k, f in got.facts.items()}


@pytest.mark.parametrize("text, lang, asking, known, subject, expected", [
    ("for my son", "en", None, None, "child", {}),
    ("my son is 5", "en", None, None, "child", {"minor": True}),
    ("she is 19 years old", "en", "minor", {"subject": "child"}, None, {"minor": False}),
    ("born in 2015", "en", None, {"subject": "child"}, None, {"minor": True}),
    ("dla córki", "pl", None, None, "child", {}),
    ("для сина", "uk", None, None, "child", {}),
    ("для жены", "ru", None, None, "spouse", {}),
])
def test_subject_and_age(text, lang, asking, known, subject, expected):
    assert read(text, lang, asking, known) == (subject, expected)
