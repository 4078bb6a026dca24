"""Misreadings found in the third user trial (16 new users), each with variants in the four languages
(bot/understanding). Each row checks the fields named and only those."""

import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 12, 3)
ABSENT = object()


def check(text, lang, asking, known, expected):
    got = {k: f.value for k, f in understand(text, lang, asking, TODAY, known).facts.items()}
    assert {k: got.get(k, ABSENT) for k in expected} == expected, got


# where a family member is, when the person typing says where they are: the typer's place answers
@pytest.mark.parametrize(
    "text, lang",
    [
        ("yes i dey warsaw. my mama is in lagos", "en"),
        ("I'm in Krakow, my mum is in Lagos", "en"),
        ("tak, jestem w Krakowie, moja mama jest w Hanoi", "pl"),
        ("я у Варшаві, а мама в Києві", "uk"),
        ("моя мама в Киеве, а я в Варшаве", "ru"),
    ],
)
def test_a_relatives_place_is_not_the_answer_to_are_you_in_poland(text, lang):
    check(text, lang, "in_poland", None, {"in_poland": True})


# a verb after a family member is theirs, also without diacritics ("syn studiuje" is not "I study")
@pytest.mark.parametrize(
    "text, lang",
    [
        ("moj syn studiuje w Hanoi, ale on nie sklada, tylko ja", "pl"),
        ("moja zona pracuje w Berlinie", "pl"),
        ("my son studies in Hanoi but he is not applying, only me", "en"),
        ("мій син навчається в Ханої, але подаю тільки я", "uk"),
        ("мой сын учится в Ханое, но подаю только я", "ru"),
    ],
)
def test_a_family_members_study_or_job_abroad_is_not_the_applicants(text, lang):
    check(text, lang, None, None, {"purpose": ABSENT, "in_poland": ABSENT})


# "for myself, of course" to "is it for a child under 18?" is a no, never a yes
@pytest.mark.parametrize(
    "text, lang",
    [
        ("для себя конечно", "ru"),
        ("для себе, звісно", "uk"),
        ("dla siebie oczywiscie", "pl"),
        ("for myself of course", "en"),
    ],
)
def test_for_oneself_is_not_for_a_child(text, lang):
    check(text, lang, "minor", None, {"minor": False})


# where a child was born is not where the child is now
@pytest.mark.parametrize(
    "text, lang",
    [
        ("українське звісно, він народився в Києві", "uk"),
        ("украинское, он родился в Киеве", "ru"),
        ("ukrainskie, urodzil sie w Kijowie", "pl"),
        ("ukrainian, he was born in Kyiv", "en"),
    ],
)
def test_born_in_a_city_abroad_is_no_answer_to_in_poland(text, lang):
    check(text, lang, "citizenship", {"subject": "child"}, {"citizenship": "UA", "in_poland": ABSENT})


# a work permit or declaration already registered is held: the next thing is the visa
@pytest.mark.parametrize(
    "text, lang",
    [
        ("oswiadczenie uzhe est, mne nado kak to priehat, viza navernoe? ya v moldove", "ru"),
        ("освядчение уже есть, нужна виза?", "ru"),
        ("pracodawca juz zarejestrowal oswiadczenie, potrzebuje wizy?", "pl"),
        ("the oswiadczenie is already registered, do I need a visa?", "en"),
        ("освідчення вже є, потрібна віза?", "uk"),
    ],
)
def test_a_declaration_already_registered_is_not_what_is_asked_for(text, lang):
    check(text, lang, "procedure", None, {"procedure": "visa"})


@pytest.mark.parametrize(
    "text, lang",
    [
        ("I need a work permit", "en"),
        ("pracodawca musi zarejestrowac oswiadczenie", "pl"),
        ("потрібен дозвіл на роботу", "uk"),
        ("нужно разрешение на работу", "ru"),
    ],
)
def test_a_work_permit_still_to_get_stays_the_wish(text, lang):
    check(text, lang, "procedure", None, {"procedure": "work_permit"})


# UKR status held on the reference day, lost, and got again: the day is that fact, the later date the current status
@pytest.mark.parametrize(
    "text, lang",
    [
        ("Статус UKR мав з 2022, і 4 червня 2025 теж мав. Потім статус пропав. Знову отримав UKR 20.11.2025", "uk"),
        ("у меня был UKR 4 июня 2025, потом пропал, снова получил 20.11.2025", "ru"),
        ("mialem UKR 4 czerwca 2025, potem stracilem i znowu dostalem 20.11.2025", "pl"),
        ("I had UKR on 4 June 2025 too, then lost it and got it again on 20.11.2025", "en"),
    ],
)
def test_a_status_regained_after_the_reference_day(text, lang):
    check(
        text,
        lang,
        None,
        None,
        {"ukr_status_on_2025_06_04": True, "ukr_status": True, "ukr_status_since": datetime.date(2025, 11, 20)},
    )


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("UKR mam od 4 czerwca 2025", "pl", {"ukr_status_since": datetime.date(2025, 6, 4)}),
        ("статус UKR з 4 червня 2025", "uk", {"ukr_status_since": datetime.date(2025, 6, 4)}),
        ("4 червня 2025 у мене не було статусу", "uk", {"ukr_status_on_2025_06_04": False}),
    ],
)
def test_the_reference_day_with_since_is_the_start(text, lang, expected):
    check(text, lang, "ukr_status_on_2025_06_04" if "не" in text.split() else None, None, expected)


# losing the job, or a new employer, is a change of permit (facts 10.3), also typed in Latin letters
@pytest.mark.parametrize(
    "text, lang",
    [
        (
            "ya iz Kazakhstana, karta pobytu do avgusta 2027. menya uvolili, uzhe nashel novogo rabotodatelya. chto delat?",
            "ru",
        ),
        ("меня уволили, нашёл нового работодателя, что делать?", "ru"),
        ("мене звільнили, знайшов нового роботодавця", "uk"),
        ("i lost my job last week and found a new employer, what now?", "en"),
        ("zwolnili mnie, mam nowego pracodawce, co robic?", "pl"),
        ("chodzi o zmiane pracodawcy", "pl"),
    ],
)
def test_a_lost_job_or_new_employer_is_a_change_of_permit(text, lang):
    check(text, lang, None, None, {"procedure": "permit_change"})


# a country denied is never the citizenship ("и нет, я не из Украины" changed Latvia to Ukraine)
@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("а PESEL мне нужен? и нет, я не из Украины, если что", "ru", ABSENT),
        ("nie jestem z Ukrainy", "pl", ABSENT),
        ("я не з України", "uk", ABSENT),
        ("I'm not from Ukraine, I'm from Latvia", "en", "LV"),
        ("I'm from Georgia, not Ukraine", "en", "GE"),
        ("нет, из Грузии", "ru", "GE"),
    ],
)
def test_a_denied_country_is_not_the_citizenship(text, lang, expected):
    check(text, lang, None, {"citizenship": "LV"}, {"citizenship": expected})


# a day with its year beats an earlier one whose year had to be guessed
@pytest.mark.parametrize(
    "text, lang",
    [
        ("90 days from 12 sept, so 10.12.2026 i think", "en"),
        ("90 dni od 12 wrzesnia, czyli 10.12.2026", "pl"),
        ("90 днів від 12 вересня, тобто 10.12.2026", "uk"),
        ("90 дней с 12 сентября, то есть 10.12.2026", "ru"),
    ],
)
def test_the_day_said_with_its_year_is_the_end_date(text, lang):
    check(text, lang, "permit_expires", None, {"permit_expires": datetime.date(2026, 12, 10)})


# a seasonal work permit asked for in Latin-typed Russian or Ukrainian (the fourth trial's all-null answer)
@pytest.mark.parametrize(
    "text, lang",
    [
        ("ne znayu, mne nuzhno razreshenie na sezonnuyu rabotu, rabotodatel est", "ru"),
        ("razreshenie na rabotu, sezonnoe. ya ne v Polshe", "ru"),
        ("potriben dozvil na sezonnu robotu", "uk"),
    ],
)
def test_a_seasonal_work_permit_in_latin_letters(text, lang):
    check(text, lang, "procedure", None, {"procedure": "work_permit", "purpose": "seasonal_work"})
