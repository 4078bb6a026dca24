"""Documents the person holds (bot/understanding/held.py) and people joining the typer in Poland
(purpose level "join" in bot/understanding/vocab, subject.py, wants.py), in four languages.
Each row is a first message (asking "procedure", today 2026-11-23): the exact facts expected, any other fact fails."""

import datetime

import pytest

from bot.understanding import understand

TODAY = datetime.date(2026, 11, 23)
MARCH = datetime.date(2027, 3, 31)  # a month alone, as an end date: its last day
MAY = datetime.date(2027, 5, 31)


def first_message(text, lang):
    got = understand(text, lang, "procedure", TODAY)
    return got.subject, {k: f.value for k, f in got.facts.items()}


# A visa or card named with its end date, or as something held, is what the person has: no visa
# procedure (it would send someone living in Poland to a consulate); its date is the end date.
# Staying on is read only when said ("хочу остаться"); "что делать" alone leaves the procedure to ask.
@pytest.mark.parametrize(
    "text, lang, expected",
    [
        (
            "здравствуйте я из Беларуси работаю в Варшаве, виза до марта, что делать",
            "ru",
            {"purpose": "work", "citizenship": "BY", "in_poland": True, "permit_expires": MARCH},
        ),
        (
            "hi, I'm from Belarus, I work in Warsaw, visa until March, what to do",
            "en",
            {"purpose": "work", "citizenship": "BY", "in_poland": True, "permit_expires": MARCH},
        ),
        (
            "dzień dobry, jestem z Białorusi, pracuję w Warszawie, wiza do marca, co robić",
            "pl",
            {"purpose": "work", "citizenship": "BY", "in_poland": True, "permit_expires": MARCH},
        ),
        (
            "добрий день, я з Білорусі, працюю у Варшаві, віза до березня, що робити",
            "uk",
            {"purpose": "work", "citizenship": "BY", "in_poland": True, "permit_expires": MARCH},
        ),
        ("виза до марта, что делать", "ru", {"permit_expires": MARCH}),
        ("мне виза заканчивается", "ru", {}),
        ("мне виза заканчивается в марте, что мне делать", "ru", {"permit_expires": MARCH}),
        (
            "у меня виза до 15 марта, я в Польше, хочу остаться",
            "ru",
            {"procedure": "temporary_residence", "permit_expires": datetime.date(2027, 3, 15), "in_poland": True},
        ),
        ("карта побыту до мая, хочу продлить", "ru", {"procedure": "temporary_residence", "permit_expires": MAY}),
        ("my visa ends in March", "en", {"permit_expires": MARCH}),
        ("my visa ends in March, what should I do", "en", {"permit_expires": MARCH}),
        (
            "visa until March, I am in Poland, I want to stay",
            "en",
            {"procedure": "temporary_residence", "permit_expires": MARCH, "in_poland": True},
        ),
        (
            "I have a residence card until May and I want to renew it",
            "en",
            {"procedure": "temporary_residence", "permit_expires": MAY},
        ),
        ("I live in Katowice, I work here on a karta pobytu", "en", {"purpose": "work", "in_poland": True}),
        ("mam wizę do marca, co robić", "pl", {"permit_expires": MARCH}),
        ("moja wiza kończy się w marcu", "pl", {"permit_expires": MARCH}),
        (
            "wiza do marca, jestem w Polsce, chcę zostać",
            "pl",
            {"procedure": "temporary_residence", "permit_expires": MARCH, "in_poland": True},
        ),
        ("mam kartę pobytu do maja", "pl", {"permit_expires": MAY}),
        ("у мене віза до березня, що робити", "uk", {"permit_expires": MARCH}),
        ("моя віза закінчується у березні", "uk", {"permit_expires": MARCH}),
        (
            "віза до березня, я в Польщі, хочу залишитися",
            "uk",
            {"procedure": "temporary_residence", "permit_expires": MARCH, "in_poland": True},
        ),
        (
            "я живу в Познані, маю карту побиту до травня, хочу продовжити",
            "uk",
            {"procedure": "temporary_residence", "permit_expires": MAY, "in_poland": True},
        ),
    ],
)
def test_a_document_held_is_no_procedure_and_gives_its_end_date(text, lang, expected):
    assert first_message(text, lang) == (None, expected)


def test_the_end_date_of_a_held_document_is_inferred():
    got = understand("виза до марта, что делать", "ru", "procedure", TODAY)
    assert got.facts["permit_expires"].inferred is True


# Asking for a visa is still a visa; "до Польщі", "do Polski" is where to, not an end date.
@pytest.mark.parametrize(
    "text, lang",
    [
        ("I need a visa to come to Poland", "en"),
        ("how do I get a national visa", "en"),
        ("national visa", "en"),
        ("мне нужна виза, чтобы приехать в Польшу", "ru"),
        ("как получить национальную визу", "ru"),
        ("potrzebuję wizy, żeby przyjechać do Polski", "pl"),
        ("jak dostać wizę krajową", "pl"),
        ("wiza do Polski", "pl"),
        ("мені потрібна віза, щоб приїхати до Польщі", "uk"),
        ("як отримати національну візу", "uk"),
        ("віза до Польщі", "uk"),
    ],
)
def test_a_visa_asked_for_stays_a_visa(text, lang):
    assert first_message(text, lang) == (None, {"procedure": "visa"})


JOINING = {"purpose": "family_reunification", "procedure": "temporary_residence", "in_poland": False}


# Someone abroad coming to join the typer in Poland is the applicant: the typer's own card, city and
# job are not the applicant's; the aim gives family reunification and, from it, temporary residence.
@pytest.mark.parametrize(
    "text, lang, subject",
    [
        (
            "hi my wife is in Cairo and I live in Katowice, I work here on a karta pobytu. how can she join me?",
            "en",
            "spouse",
        ),
        ("my son is in Nigeria, I am in Warsaw with a residence card, how can he come", "en", "child"),
        ("my husband is still in India, I work in Gdansk, how can he join me here?", "en", "spouse"),
        ("моя жена в Узбекистане, я работаю в Кракове по карте побыту, как ей приехать ко мне", "ru", "spouse"),
        ("мой муж в Индии, я живу в Гданьске, как ему приехать ко мне?", "ru", "spouse"),
        ("моя дочь в Казахстане, я в Варшаве по карте побыту, как она может приехать ко мне", "ru", "child"),
        ("mój mąż jest w Indiach, ja mam kartę pobytu we Wrocławiu, jak może do mnie dołączyć", "pl", "spouse"),
        ("moja żona mieszka w Wietnamie, ja pracuję w Poznaniu, jak może przyjechać do mnie", "pl", "spouse"),
        ("mój syn jest w Indiach, ja mieszkam w Łodzi, jak może do mnie dołączyć", "pl", "child"),
        ("мій чоловік у Грузії, я живу в Познані, працюю тут, як він може приїхати до мене", "uk", "spouse"),
        ("моя дружина в Єгипті, я працюю у Вроцлаві на карті побиту, як їй приїхати до мене", "uk", "spouse"),
    ],
)
def test_someone_joining_the_typer_is_the_applicant(text, lang, subject):
    assert first_message(text, lang) == (subject, JOINING)


def test_the_procedure_read_from_joining_is_inferred():
    got = understand("моя жена в Узбекистане, как ей приехать ко мне", "ru", "procedure", TODAY)
    assert got.facts["procedure"].inferred is True


# A purpose said beside the coming wins over joining; several people leave who applies to ask;
# living together already is no joining.
@pytest.mark.parametrize(
    "text, lang, subject, expected",
    [
        (
            "my daughter is in Georgia, can she come to Poland to study?",
            "en",
            "child",
            {"purpose": "studies", "in_poland": False},
        ),
        (
            "my wife and children are still in Pakistan, I want them to join me",
            "en",
            None,
            {"purpose": "family_reunification", "procedure": "temporary_residence"},
        ),
        ("asking for my dad who lives with us in Gdynia", "en", "parent", {"in_poland": True}),
        (
            "I want a residence card for work, I live in Katowice",
            "en",
            None,
            {"procedure": "temporary_residence", "purpose": "work", "in_poland": True},
        ),
        (
            "я живу в Кракове, работаю по карте побыту, хочу сменить работодателя",
            "ru",
            None,
            {"procedure": "permit_change", "purpose": "work", "in_poland": True},
        ),
        (
            "mieszkam w Krakowie, mam kartę pobytu, chcę ją przedłużyć",
            "pl",
            None,
            {"procedure": "temporary_residence", "in_poland": True},
        ),
    ],
)
def test_joining_only_where_said(text, lang, subject, expected):
    assert first_message(text, lang) == (subject, expected)
