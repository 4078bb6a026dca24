"""Whether the applicant is in Poland (bot/understanding/place.py). Each row: message, language,
field asked, known, expected facts."""

import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 11, 23)


def facts(text, lang, asking=None, known=None):
    return {k: f.value for k, f in understand(text, lang, asking, TODAY, known).facts.items()}


@pytest.mark.parametrize(
    "text, lang, asking, known, expected",
    [
        ("I live in Wroclaw", "en", None, None, {"in_poland": True}),
        ("my employer in Turkey", "en", None, None, {}),
        ("mieszkam w Krakowie", "pl", None, None, {"in_poland": True}),
        ("jestem za granicą", "pl", "in_poland", None, {"in_poland": False}),
        ("я живу у Львові", "uk", "in_poland", None, {"in_poland": False}),
        ("я в Варшаве", "ru", None, None, {"in_poland": True}),
    ],
)
def test_in_poland(text, lang, asking, known, expected):
    assert facts(text, lang, asking, known) == expected


# Facts about the person typing and about the applicant are kept apart (known["subject"]).
@pytest.mark.parametrize(
    "text, lang, applicant, expected",
    [
        ("my husband is in Nigeria and I live in Wroclaw", "en", "spouse", {"in_poland": False}),
        ("my husband is in Nigeria and I live in Wroclaw", "en", "self", {"in_poland": True}),
        ("mój mąż jest w Nigerii, a ja mieszkam we Wrocławiu", "pl", "spouse", {"in_poland": False}),
        ("mój mąż jest w Nigerii, a ja mieszkam we Wrocławiu", "pl", "self", {"in_poland": True}),
        ("мій чоловік у Нігерії, а я живу у Вроцлаві", "uk", "spouse", {"in_poland": False}),
        ("мій чоловік у Нігерії, а я живу у Вроцлаві", "uk", "self", {"in_poland": True}),
        ("мой муж в Нигерии, а я живу во Вроцлаве", "ru", "spouse", {"in_poland": False}),
        ("мой муж в Нигерии, а я живу во Вроцлаве", "ru", "self", {"in_poland": True}),
        ("Моя жена в Узбекистане", "ru", "spouse", {"in_poland": False}),
        ("Моя жена в Узбекистане", "ru", "self", {}),
        ("Моя дружина в Узбекистані", "uk", "spouse", {"in_poland": False}),
        ("moja żona jest w Uzbekistanie", "pl", "spouse", {"in_poland": False}),
        ("my wife is in Uzbekistan", "en", "spouse", {"in_poland": False}),
    ],
)
def test_whose_place(text, lang, applicant, expected):
    assert facts(text, lang, None, {"subject": applicant}) == expected
