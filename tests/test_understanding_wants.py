"""What the person wants (bot/understanding/wants.py): procedure and purpose, in four languages.
Each row: message, language, field asked, the exact facts expected (any other fact fails)."""

import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 11, 23)


def facts(text, lang, asking=None, known=None):
    return {k: f.value for k, f in understand(text, lang, asking, TODAY, known).facts.items()}


@pytest.mark.parametrize(
    "text, lang, asking, expected",
    [
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
    ],
)
def test_what_the_person_wants(text, lang, asking, expected):
    assert facts(text, lang, asking) == expected


# Renewing a card or staying on while here is temporary residence, not what one holds now
# ("work permit card", "work visa"); a legal name said beside it still wins ("stay forever").
@pytest.mark.parametrize(
    "text, lang, asking, expected",
    [
        (
            "my work permit card expires in 3 weeks… need to renew",
            "en",
            None,
            {"procedure": "temporary_residence", "permit_expires": datetime.date(2026, 12, 14)},
        ),
        ("I need to renew my card", "en", None, {"procedure": "temporary_residence"}),
        ("I need to extend my residence card", "en", None, {"procedure": "temporary_residence"}),
        ("can I stay longer?", "en", None, {"procedure": "temporary_residence"}),
        (
            "I have a work visa, I am in Poland, what do I do to stay",
            "en",
            None,
            {"procedure": "temporary_residence", "in_poland": True},
        ),
        ("I want to renew my visa", "en", None, {"procedure": "visa_extension"}),
        ("can i stay forever", "en", None, {"procedure": "permanent_residence"}),
        ("chcę przedłużyć pobyt", "pl", None, {"procedure": "temporary_residence"}),
        ("chcę przedłużyć kartę pobytu", "pl", None, {"procedure": "temporary_residence"}),
        (
            "mam wizę pracowniczą, jestem w Polsce, co mam zrobić żeby zostać",
            "pl",
            None,
            {"procedure": "temporary_residence", "in_poland": True},
        ),
        ("mam wize pracownicza... co mam zrobic zeby zostac", "pl", "procedure", {"procedure": "temporary_residence"}),
        ("chcę zostać w Polsce na stałe", "pl", None, {"procedure": "permanent_residence"}),
        ("jak zostać obywatelem", "pl", None, {"procedure": "citizenship"}),
        ("хочу продовжити перебування", "uk", None, {"procedure": "temporary_residence"}),
        ("треба продовжити карту побиту", "uk", None, {"procedure": "temporary_residence"}),
        (
            "маю робочу візу, я в Польщі, що робити щоб залишитися",
            "uk",
            None,
            {"procedure": "temporary_residence", "in_poland": True},
        ),
        ("як залишитися назавжди", "uk", None, {"procedure": "permanent_residence"}),
        ("хочу продлить карту", "ru", None, {"procedure": "temporary_residence"}),
        ("мне надо продлить пребывание", "ru", None, {"procedure": "temporary_residence"}),
        (
            "у меня рабочая виза, я в Польше, что делать чтобы остаться",
            "ru",
            None,
            {"procedure": "temporary_residence", "in_poland": True},
        ),
        ("как остаться навсегда", "ru", None, {"procedure": "permanent_residence"}),
    ],
)
def test_renewing_or_staying_on_is_temporary_residence(text, lang, asking, expected):
    assert facts(text, lang, asking) == expected


def _corrected(text, lang, asking=None):
    got = understand(text, lang, asking, TODAY)
    return got.correction, {k: f.value for k, f in got.facts.items()}


# An explicit correction gives the corrected fact and says it is one, so the form applies it at once.
@pytest.mark.parametrize(
    "text, lang, asking, expected",
    [
        ("thats wrong… i mean the karta pobytu card, temporary residence", "en", None, {"procedure": "temporary_residence"}),
        ("no I mean temporary residence", "en", "has_pesel", {"procedure": "temporary_residence"}),
        ("that is wrong, I mean Belarus", "en", "citizenship", {"citizenship": "BY"}),
        ("nie, chodzi mi o kartę pobytu", "pl", None, {"procedure": "temporary_residence"}),
        ("nie, chodzi mi o pobyt stały", "pl", None, {"procedure": "permanent_residence"}),
        ("ні, я маю на увазі карту побуту", "uk", None, {"procedure": "temporary_residence"}),
        ("ні, я мав на увазі постійне проживання", "uk", None, {"procedure": "permanent_residence"}),
        ("нет, я имею в виду вид на жительство", "ru", None, {"procedure": "temporary_residence"}),
        ("нет, я имел в виду гражданство", "ru", None, {"procedure": "citizenship"}),
    ],
)
def test_a_correction_gives_the_corrected_fact(text, lang, asking, expected):
    assert _corrected(text, lang, asking) == (True, expected)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("temporary residence", "en"),
        ("no", "en"),
        ("nie wiem", "pl"),
        ("не так давно приїхав", "uk"),
        ("хочу вид на жительство", "ru"),
    ],
)
def test_an_ordinary_answer_is_no_correction(text, lang):
    assert understand(text, lang, None, TODAY).correction is False


# Side questions and refusals: a negated wish is no wish, the wish beside it counts.
@pytest.mark.parametrize(
    "text, lang, asking, expected",
    [
        ("ale ja nie chcę nowej wizy, chcę kartę pobytu", "pl", None, {"procedure": "temporary_residence"}),
        ("ale ja nie chce nowej wizy, chce karte pobytu", "pl", "procedure", {"procedure": "temporary_residence"}),
        ("I do not want a visa, I want a residence card", "en", None, {"procedure": "temporary_residence"}),
        ("не хочу візу, хочу карту побиту", "uk", None, {"procedure": "temporary_residence"}),
        ("я не хочу визу, хочу вид на жительство", "ru", None, {"procedure": "temporary_residence"}),
        ("moge wyslac poczta?", "pl", "has_pesel", {}),
        ("czy mogę wysłać pocztą?", "pl", "procedure", {}),
        ("how long will it take?", "en", "has_pesel", {}),
        ("skolko vremeni eto zaimet?", "ru", None, {}),
        ("скільки часу це займе?", "uk", "procedure", {}),
        ("я не работодатель, я работник", "ru", None, {}),
    ],
)
def test_side_questions_and_refusals_give_no_wrong_fact(text, lang, asking, expected):
    assert facts(text, lang, asking) == expected
