"""Which language the assistant answers in (bot/language.py): asked for, sent by the channel,
detected from what people type, or kept."""

import re

import pytest
from answers import strings

from bot.language import asked_for, choose, detect, requested_language


@pytest.mark.parametrize(
    "text, current",
    [
        ("ok", "uk"),
        ("tak", "ru"),
        ("да", "en"),
        ("ні", "pl"),
        ("dzięki", "uk"),
        ('/inform{"has_pesel": true}', "pl"),
        ("/affirm", "uk"),
        ("14.03.2027", "ru"),
        ("31 12 2026", "uk"),
        ("Ukraina", "en"),
        ("PESEL", "uk"),
        ("karta pobytu", "en"),
        ("карта побиту", "en"),
    ],
)
def test_short_or_ambiguous_messages_keep_the_current_language(text, current):
    assert choose(text, current=current) == current


@pytest.mark.parametrize(
    "text, current, intent, expected",
    [
        ("по-русски, пожалуйста", "uk", "change_language", "ru"),
        ("по-русски, пожалуйста", "uk", "inform", "ru"),  # NLU missed it: the request still counts
        ("czy możemy po polsku?", "en", "change_language", "pl"),
        ("czy mozemy po polsku", "ru", None, "pl"),
        ("can we speak English", "ru", "change_language", "en"),
        ("Polish please", "en", "change_language", "pl"),
        ("українською, будь ласка", "ru", "change_language", "uk"),
        ("ukrainskoyu bud laska", "en", "change_language", "uk"),
        ("я не розумію англійською, українською будь ласка", "en", "change_language", "uk"),
        ("nie rozumiem po angielsku, po polsku proszę", "en", "change_language", "pl"),
    ],
)
def test_a_typed_request_switches_at_once(text, current, intent, expected):
    assert choose(text, current=current, intent=intent) == expected


def test_a_language_button_switches():
    entities = [{"entity": "language", "value": "uk"}]
    assert choose('/change_language{"language": "uk"}', current="en", intent="change_language", entities=entities) == "uk"


def test_a_nationality_is_not_a_language_request():
    assert requested_language("I'm Ukrainian", "inform") is None
    assert choose("I'm Ukrainian and I work in Warsaw", current="en", intent="inform") == "en"
    assert requested_language("Ukrainian please", "change_language") == "uk"


def test_a_negated_language_is_not_asked_for():
    assert requested_language("я не розумію англійською") is None


def test_change_language_without_a_language_names_none():
    assert asked_for("change language", "change_language", None, current="en") is None
    assert asked_for("можна так?", "change_language", None, current="en") == "uk"


def test_a_channel_repeating_its_language_does_not_undo_a_switch():
    # the widget sends its page's language with every message
    assert choose("tak", current="pl", metadata_language="en", previous_metadata_language="en") == "pl"
    assert (
        choose("jestem z Ukrainy i pracuję", current="en", metadata_language="en", previous_metadata_language="en") == "pl"
    )
    assert choose("tak", current="pl", metadata_language="uk", previous_metadata_language="en") == "uk"


def test_the_channel_language_wins_over_detection_but_not_over_a_request():
    assert choose("I am from Ukraine and need a card", current=None, metadata_language="pl") == "pl"
    assert choose("по-русски, пожалуйста", current="pl", metadata_language="pl", intent="change_language") == "ru"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("привіт", "uk"),
        ("привет", "ru"),
        ("dzień dobry", "pl"),
        ("czesc, mam status ukr", "pl"),
        ("hello, I need help", "en"),
        ("ya z Ukrainy, maju status UKR", "uk"),
        ("ya iz Belarusi, rabotayu v Polshe", "ru"),
        ("у мене є песель і карта побиту", "uk"),
        ("маю профіль zaufany", "uk"),
        ("у меня есть песель", "ru"),
    ],
)
def test_a_first_message_is_detected(text, expected):
    assert choose(text, current=None) == expected


@pytest.mark.parametrize(
    "text, current, expected",
    [
        ("I need a karta pobytu and a PESEL", "en", "en"),  # Polish office words are not Polish
        ("I am from Ukraine, I have a karta pobytu", "pl", "en"),
        ("jestem z Ukrainy, mam profil zaufany", "ru", "pl"),
        ("маю профіль zaufany", "en", "uk"),  # Cyrillic in an English conversation, from two words
        ("ya z Ukrainy, maju status UKR", "en", "uk"),
        ("у мене є песель і карта побиту", "ru", "uk"),  # Ukrainian letters decide between uk and ru
    ],
)
def test_a_message_that_says_enough_switches(text, current, expected):
    assert choose(text, current=current) == expected


def test_detection_says_nothing_for_payloads_and_numbers():
    assert detect("/start_application", None) is None
    assert detect("2027-06-30", None) is None


# -- the reply to a request to switch (actions/replies.py) ----------------------------------------


def _reply_to(text, current, entities=None):
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.replies import ActionReply

    message = {
        "text": text,
        "intent": {"name": "change_language", "confidence": 1.0},
        "entities": entities or [],
        "metadata": {},
    }
    tracker = Tracker(
        "t",
        {"language": current, "citizenship": "VN"},
        message,
        [{"event": "user", "text": text, "parse_data": message}],
        False,
        None,
        {},
        "action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionReply().run(dispatcher, tracker, {}))
    return events, dispatcher.messages


def test_the_reply_to_a_switch_is_already_in_the_new_language():
    from bot import i18n

    events, messages = _reply_to("по-русски, пожалуйста", "pl")
    assert messages[0]["text"] == i18n.t("chat.change_language", "ru")
    assert [e["value"] for e in events if e.get("name") == "language"] == ["ru"]
    assert not [e for e in events if e.get("name") == "citizenship"]  # the answers stay


def test_asking_for_another_language_without_naming_one_offers_buttons():
    events, messages = _reply_to("change language", "en")
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        f'/change_language{{"language": "{code}"}}' for code in ("en", "pl", "uk", "ru")
    ]
    assert not events
    events, messages = _reply_to('/change_language{"language": "uk"}', "en", [{"entity": "language", "value": "uk"}])
    assert [e["value"] for e in events if e.get("name") == "language"] == ["uk"]


# -- Russian and Ukrainian in Latin letters, a whole sentence in another language ---------------------


@pytest.mark.parametrize(
    "turns, start, expected",
    [
        (
            [
                "privet, ya iz Belarusi, rabotayu v Varshave",
                "skolko vremeni eto zaimet?",
                "a skolko eto stoit",
                "mne nuzhna karta pobytu",
            ],
            "en",
            "ru",
        ),
        (["privet, ya iz Belarusi, rabotayu v Varshave", "skolko vremeni eto zaimet?"], "pl", "ru"),
        (["pryvit, ya z Ukrainy, pratsyuyu u Varshavi", "skilky tse koshtuye?", "skilky chasu tse zaime?"], "pl", "uk"),
        (["pryvit, ya z Ukrainy, pratsyuyu u Varshavi", "skilky tse koshtuye?"], "ru", "uk"),
        (["skolko vremeni eto zaimet?", "a skolko eto stoit"], "uk", "ru"),
    ],
)
def test_transliterated_russian_and_ukrainian_hold_for_several_turns(turns, start, expected):
    current = start
    for text in turns:
        current = choose(text, current=current)
        assert current == expected, text


@pytest.mark.parametrize(
    "text, current, expected",
    [
        ("da verno", "ru", "ru"),
        ("da, vse verno", "ru", "ru"),
        ("net, ne pravilno", "ru", "ru"),
        ("tak, pravylno", "uk", "uk"),
        ("ni, ne virno", "uk", "uk"),
        ("tak, vse dobre", "uk", "uk"),
        ("da verno", "uk", "uk"),  # shared words only: the conversation's own language holds
        ("ja zh napysav, z 20.08.2025", "uk", "uk"),
        ("tak, ye profil zaufany, cherez bank zrobyv", "uk", "uk"),
        ("ya uzhe pisal, s 20.08.2025", "ru", "ru"),
        ("a po pochte mozhno otpravit?", "ru", "ru"),
        ("dlja menja. ja ne rabotodatel", "ru", "ru"),
        ("vremennoe prozhivanie (karta pobytu) na biznes", "ru", "ru"),
        ("daj link na cheklist", "uk", "uk"),
        ("dlja sebe", "uk", "uk"),
        ("dlya sebya", "uk", "uk"),
        ("tak, profil zaufanyj je", "uk", "uk"),
        ("a skilky chekaty?", "uk", "uk"),
        ("daj ssylku na spisok pozhaluysta", "ru", "ru"),
        ("a mozhna nadislaty poshtoyu?", "uk", "uk"),
        ("da, est profil zaufany, cherez bank sdelal", "ru", "ru"),
    ],
)
def test_a_short_transliterated_answer_keeps_the_language(text, current, expected):
    assert choose(text, current=current) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("seychas v kishineve polskaya firma uzhe zaregistrirovala dlya menya oswiadczenie chto mne teper delat", "ru"),
        ("zdravstvuyte, moya zhena grazhdanka Germanii, my zhivem vo Wroclawe", "ru"),
        ("dobryi den, moya druzhyna hromadyanka Nimechchyny, my zhyvemo u Lvovi", "uk"),
        ("pidkazhit bud laska, shcho robyty yakshcho karta zakinchuyetsya", "uk"),
        ("dzien dobry, moja zona jest z Ukrainy, mieszkamy w Krakowie", "pl"),
        ("mam karte pobytu do marca, co mam zrobic", "pl"),
    ],
)
def test_a_first_message_in_latin_letters(text, expected):
    assert choose(text, current=None) == expected


@pytest.mark.parametrize("current", ["pl", "uk", "ru"])
def test_asking_to_continue_in_english(current):
    assert choose("sorry can we continue in english?", current=current) == "en"


@pytest.mark.parametrize(
    "text, current, expected",
    [
        ("send me my checklist link", "pl", "en"),
        ("can you give me the link to my checklist please", "pl", "en"),
        ("please send me the link", "uk", "en"),
        ("send me my checklist link", "ru", "en"),
        ("I live in Warsaw", "pl", "en"),
        ("wyślij mi link do mojej listy", "en", "pl"),
        ("gdzie jest moja lista", "en", "pl"),
        ("moja żona jest w Uzbekistanie", "en", "pl"),
        ("дай мне ссылку на мой список", "uk", "ru"),
        ("дай мені посилання на мій список", "ru", "uk"),
        ("а сколько стоит", "uk", "ru"),  # no telling letter: Russian by its words
        ("скажите, сколько это стоит", "uk", "ru"),
        ("а скільки коштує", "ru", "uk"),
        ("надішліть мені посилання", "en", "uk"),
        ("пришлите мне ссылку", "pl", "ru"),
    ],
)
def test_a_whole_sentence_in_another_language_switches(text, current, expected):
    assert choose(text, current=current) == expected


@pytest.mark.parametrize(
    "text, current",
    [
        ("ok", "pl"),
        ("okej dzięki", "en"),
        ("thank you", "pl"),
        ("temporary residence", "pl"),
        ("karta pobytu", "en"),
        ("Karta pobytu, pobyt czasowy", "en"),
        ("tak, mam kartę pobytu", "en"),
        ("14.03.2027", "pl"),
        ('/inform{"procedure": "temporary_residence"}', "uk"),
        ("PESEL", "ru"),
        ("checklist", "pl"),
        ("link", "uk"),
    ],
)
def test_buttons_short_words_dates_and_legal_names_do_not_switch(text, current):
    assert choose(text, current=current) == current


def _catalog_sentences(lang):
    from bot import i18n

    return [re.sub(r"\{[^}]*\}", "", t) for t in strings(i18n.catalog(lang)) if len(t.split()) >= 4]


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_no_polish_or_english_catalog_text_is_taken_for_ukrainian_or_russian(lang):
    """Latin-typed Ukrainian and Russian are read by their skeleton (bot.understanding.latin), and
    Polish shares words with them ("jest" would be "est", "kogo" "кого"): "Dla kogo jest wniosek?"."""
    sentences = _catalog_sentences(lang)
    assert len(sentences) > 200
    assert [s for s in sentences if detect(s, None) in ("uk", "ru")] == []
    assert [s for s in sentences if len(s.split()) >= 6 and detect(s, None) != lang] == []


@pytest.mark.parametrize(
    "text,lang",
    [
        (
            "zdravstvujte. ja grazhdanka rossii, zhivu v kazani. moj muzh poliak, grazhdanin polshi, zhivet v gdanske. "
            "hochu k nemu pereehat, kak poluchit vid na zhitelstvo? mozhno podat onlajn?",
            "ru",
        ),
        ("dobryj vecher, ja gromadjanka Ukrajiny, zhyvu u Lodzi, pratsjuju na skladi, potribna karta pobytu", "uk"),
        ("zdrastvujte, my iz Uzbekistana, zhivem v Poznani, syn hodit v shkolu", "ru"),
    ],
)
def test_a_first_message_typed_in_latin_letters_however_spelt(text, lang):
    assert detect(text, None) == lang


def test_russian_no_is_but_in_a_russian_conversation_typed_in_latin():
    assert detect("ne znayu... kazhetsya delal v banke, no ne uveren", "ru") == "ru"
    assert detect("no, I am from India and I work here in Krakow", "ru") == "en"
