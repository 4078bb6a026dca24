"""Yes/no facts and answers (bot/understanding/yes_no.py); a negated statement never sets the
opposite value. Each row: message, language, field asked, expected facts."""

import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 11, 23)


def facts(text, lang, asking=None, known=None):
    return {k: f.value for k, f in understand(text, lang, asking, TODAY, known).facts.items()}


@pytest.mark.parametrize(
    "text, lang, asking, expected",
    [
        ("yes", "en", "has_pesel", {"has_pesel": True}),
        ("no, I don't have one", "en", "has_pesel", {"has_pesel": False}),
        ("I have a PESEL", "en", None, {"has_pesel": True}),
        ("nie mam profilu zaufanego", "pl", None, {"has_trusted_profile": False}),
        ("tak", "pl", "has_trusted_profile", {"has_trusted_profile": True}),
        ("ні", "uk", "has_pesel", {"has_pesel": False}),
        ("у меня нет песеля", "ru", None, {"has_pesel": False}),
    ],
)
def test_yes_no(text, lang, asking, expected):
    assert facts(text, lang, asking) == expected


# A yes or no to the yes/no question asked, with a side question appended: still the answer.
@pytest.mark.parametrize(
    "text, lang, asking, expected",
    [
        ("ні, немає. а скільки коштує", "uk", "has_pesel", {"has_pesel": False}),
        ("так, є. а скільки чекати?", "uk", "has_pesel", {"has_pesel": True}),
        ("nie, nie mam. a ile to kosztuje?", "pl", "has_pesel", {"has_pesel": False}),
        ("tak, mam. a jak długo to trwa?", "pl", "has_pesel", {"has_pesel": True}),
        ("no I don't. how much does it cost?", "en", "has_pesel", {"has_pesel": False}),
        ("no I have not. is it expensive?", "en", "has_trusted_profile", {"has_trusted_profile": False}),
        ("нет, нету. а сколько стоит", "ru", "has_pesel", {"has_pesel": False}),
        ("да, есть. а сколько ждать?", "ru", "has_pesel", {"has_pesel": True}),
    ],
)
def test_an_answer_with_a_side_question(text, lang, asking, expected):
    assert facts(text, lang, asking) == expected


def test_no_i_mean_is_a_correction_not_an_answer():
    assert facts("no I mean temporary residence", "en", "has_pesel") == {"procedure": "temporary_residence"}
