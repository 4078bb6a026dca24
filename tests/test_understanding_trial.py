"""Misreadings found in a user trial, each in the four languages (bot/understanding). Each row checks
the fields named and only those, since the rest of the message may hold other facts."""

import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 11, 23)
D = datetime.date
ABSENT = object()


def check(text, lang, asking, known, expected):
    got = {k: f.value for k, f in understand(text, lang, asking, TODAY, known).facts.items()}
    assert {k: got.get(k, ABSENT) for k in expected} == expected, got


# a month and an exact day for the same fact: the exact day wins, whichever comes first
@pytest.mark.parametrize(
    "text, lang, asking, expected",
    [
        ("у Вроцлаві з березня 2022, статус UKR маю з 10.03.2022", "uk", None, D(2022, 3, 10)),
        ("живу в Познані з квітня 2022, UKR з 02.04.2022", "uk", None, D(2022, 4, 2)),
        ("з вересня 2025 у Польщі, статус UKR з 15.09.2025", "uk", None, D(2025, 9, 15)),
        ("з березня 2022, точніше з 10.03.2022", "uk", "ukr_status_since", D(2022, 3, 10)),
        ("I live in Wroclaw since March 2022, I have UKR status since 10.03.2022", "en", None, D(2022, 3, 10)),
        ("since 10.03.2022, I mean since March 2022", "en", "ukr_status_since", D(2022, 3, 10)),
        ("mieszkam we Wrocławiu od marca 2022, status UKR mam od 10.03.2022", "pl", None, D(2022, 3, 10)),
        ("od kwietnia 2022, dokładnie od 02.04.2022", "pl", "ukr_status_since", D(2022, 4, 2)),
        ("живу во Вроцлаве с марта 2022, статус UKR у меня с 10.03.2022", "ru", None, D(2022, 3, 10)),
        ("с сентября 2025, статус UKR с 15.09.2025", "ru", "ukr_status", D(2025, 9, 15)),
        # another month is not the same date said more exactly; "for a month" is no start date
        ("since April 2022, but I left for a month in 2023", "en", "ukr_status_since", D(2022, 4, 1)),
    ],
)
def test_exact_day_wins_over_month(text, lang, asking, expected):
    check(text, lang, asking, None, {"ukr_status_since": expected})


# "without a break" says the status went on; it is no "no"
@pytest.mark.parametrize(
    "text, lang, asking",
    [
        ("так, з 10.03.2022 без перерви", "uk", "ukr_status"),
        ("маю UKR з 10.03.2022, не було перерви", "uk", None),
        ("да, с 10.03.2022 без перерыва", "ru", "ukr_status"),
        ("да, непрерывно с 10.03.2022", "ru", "ukr_status"),
        ("статус UKR с 10.03.2022 без перерывов", "ru", None),
        ("tak, od 10.03.2022 bez przerwy", "pl", "ukr_status"),
        ("mam status UKR od 10.03.2022 bez przerw", "pl", None),
        ("yes, since 10.03.2022 without a break", "en", "ukr_status"),
        ("yes, nonstop since 10.03.2022", "en", "ukr_status"),
        ("I have UKR status since 10.03.2022 without any interruption", "en", None),
    ],
)
def test_without_a_break_is_no_negation(text, lang, asking):
    check(text, lang, asking, None, {"ukr_status": True, "ukr_status_since": D(2022, 3, 10)})


def test_without_a_break_confirms_the_status_on_the_day_asked():
    for text, lang in (
        ("так, з 10.03.2022 без перерви", "uk"),
        ("да, без перерыва", "ru"),
        ("tak, bez przerwy", "pl"),
        ("yes, without a break", "en"),
    ):
        check(text, lang, "ukr_status_on_2025_06_04", None, {"ukr_status_on_2025_06_04": True})


def test_a_real_no_still_negates():
    check("ні, без статусу UKR", "uk", "ukr_status", None, {"ukr_status": False})
    check("no, without UKR status", "en", "ukr_status", None, {"ukr_status": False})


# procedures joined by "or" are the choice the person is unsure of
@pytest.mark.parametrize(
    "text, lang",
    [
        ("Не понимаю что мне нужно — виза, разрешение на работу или карта побыту?", "ru"),
        ("виза или вид на жительство, что лучше?", "ru"),
        ("I don't know what I need: a visa, a work permit or a residence card?", "en"),
        ("should I get a work permit or a residence card?", "en"),
        ("nie wiem czy potrzebuję wizy, zezwolenia na pracę czy karty pobytu", "pl"),
        ("zezwolenie na pracę albo karta pobytu?", "pl"),
        ("не знаю, що мені треба — віза, дозвіл на роботу чи карта побуту?", "uk"),
        ("мені потрібна віза або карта побуту?", "uk"),
    ],
)
def test_alternatives_set_no_procedure(text, lang):
    check(text, lang, None, None, {"procedure": ABSENT})


def test_one_procedure_with_or_elsewhere_still_counts():
    check("I want a residence card, for work or studies", "en", None, None, {"procedure": "temporary_residence"})


# a city of a usual country of origin is abroad
@pytest.mark.parametrize(
    "text, lang, known",
    [
        ("сейчас в Алматы", "ru", None),
        ("я сейчас в Астане", "ru", None),
        ("живу в Гродно", "ru", None),
        ("сейчас живу в Стамбуле", "ru", None),
        ("I'm in Almaty now", "en", None),
        ("I live in Samarkand", "en", None),
        ("I am in Dhaka", "en", None),
        ("we live in Ho Chi Minh City", "en", None),
        ("jestem teraz w Ałmaty", "pl", None),
        ("jestem teraz w Taszkencie", "pl", None),
        ("mieszkam w Grodnie", "pl", None),
        ("jestem w Kairze", "pl", None),
        ("я зараз у Бішкеку", "uk", None),
        ("мешкаю в Гродні", "uk", None),
        ("зараз я в Ташкенті", "uk", None),
        ("she is in Grodno now", "en", {"subject": "spouse"}),
        ("ona jest teraz w Grodnie", "pl", {"subject": "spouse"}),
        ("вона зараз у Гродні", "uk", {"subject": "spouse"}),
        ("она сейчас в Гродно", "ru", {"subject": "spouse"}),
    ],
)
def test_foreign_city_is_abroad(text, lang, known):
    check(text, lang, None, known, {"in_poland": False})


# the typer's spouse is an EU citizen living in Poland, and the typer lives with them
@pytest.mark.parametrize(
    "text, lang",
    [
        ("my wife is German and she works in Krakow, I live with her in Krakow. which residence card do I need?", "en"),
        ("moja żona jest Niemką, mieszkamy w Krakowie, jaką kartę pobytu potrzebuję?", "pl"),
        ("моя жена немка, живем в Кракове, какая карта побыту мне нужна?", "ru"),
        ("моя дружина німкеня, живемо в Кракові, яка карта побуту мені потрібна?", "uk"),
    ],
)
def test_spouse_of_eu_citizen_in_poland(text, lang):
    check(text, lang, None, None, {"purpose": "family_of_eu_citizen", "in_poland": True})


# the spouse joined is Polish, or the typer bringing them is
@pytest.mark.parametrize(
    "text, lang",
    [
        ("jestem Polakiem, chcę sprowadzić żonę", "pl"),
        ("jestem Polką, mój mąż chce do mnie przyjechać", "pl"),
        ("mój mąż jest Polakiem, chcę do niego dołączyć", "pl"),
        ("I am Polish, how can my wife join me?", "en"),
        ("my husband is Polish, I want to join him", "en"),
        ("я поляк, как моя жена может приехать ко мне?", "ru"),
        ("мой муж поляк, хочу приехать к нему", "ru"),
        ("я поляк, як моя дружина може приїхати до мене?", "uk"),
        ("мій чоловік поляк, хочу приїхати до нього", "uk"),
    ],
)
def test_family_of_polish_citizen(text, lang):
    check(text, lang, None, None, {"purpose": "family_of_polish_citizen"})


def test_not_polish_sponsor_stays_reunification():
    check("I am not Polish, how can my wife join me?", "en", None, None, {"purpose": "family_reunification"})
