"""Whole REST conversations in Polish, Ukrainian, Russian and English, by buttons and by typing.

The real servers are started as `make run` starts them. No message sends metadata.language unless
the test says so: the language comes from what the person types (bot/language.py).
"""

import json
import re
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Union

import pytest

from bot import i18n
from bot.language import detect
import answers
from tools.stack import Stack

pytestmark = pytest.mark.slow

Answers = Dict[str, Union[str, List[str]]]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with Stack.running(tmp_path_factory.mktemp("run")) as s:
        yield s


class Chat:
    def __init__(self, stack: Stack, sender: str, metadata_language: Optional[str] = None):
        self.base = f"http://127.0.0.1:{stack.rasa_port}"
        self.sender = sender
        self.metadata = {"language": metadata_language} if metadata_language else {}
        self.texts: List[str] = []  # every text the assistant sent

    def say(self, message: str) -> List[Dict[str, Any]]:
        body = {"sender": self.sender, "message": message}
        if self.metadata:
            body["metadata"] = self.metadata
        request = urllib.request.Request(
            f"{self.base}/webhooks/rest/webhook",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        assert answer, f"no answer to {message!r}"
        self.texts += [m["text"] for m in answer if m.get("text")]
        return answer

    def slots(self) -> Dict[str, Any]:
        with urllib.request.urlopen(f"{self.base}/conversations/{self.sender}/tracker") as response:
            return json.loads(response.read())["slots"]

    asked = staticmethod(answers.asked)
    outcome = staticmethod(answers.outcome)


def converse_on(chat: Chat, answer: List[Dict[str, Any]], answers: Answers, limit: int = 16) -> Dict[str, Any]:
    """Answer each question as the person would type it; a list is said in turn (a second try)."""
    answers = {k: (list(v) if isinstance(v, list) else v) for k, v in answers.items()}
    for _ in range(limit):
        rec = chat.outcome(answer)
        if rec is not None:
            return rec
        field = chat.asked(answer)
        assert field in answers, f"{chat.sender}: asked {field!r}"
        reply = answers[field]
        if isinstance(reply, list):
            reply = reply.pop(0) if len(reply) > 1 else reply[0]
        answer = chat.say(reply)
    pytest.fail(f"{chat.sender}: no recommendation after {limit} answers")


def _prose(line: str) -> str:
    """A line without what stays in its original language: addresses, (legal citations), rule ids."""
    line = re.sub(r"https?://\S+", " ", line)
    while re.search(r"\([^()]*\)", line):
        line = re.sub(r"\([^()]*\)", " ", line)
    return re.sub(r"\bR-[A-Z0-9-]+:", " ", line)


def assert_written_in(chat: Chat, lang: str, since: int = 0) -> None:
    """Every line the assistant sent (from `since`) that says enough to tell is in `lang`."""
    lines = [_prose(line) for text in chat.texts[since:] for line in text.splitlines()]
    wrong = [
        (line, detect(line, None)) for line in lines if len(line.split()) >= 4 and detect(line, None) not in (None, lang)
    ]
    assert not wrong, wrong


def by_buttons(chat: Chat, first: str, pick: int = 0, limit: int = 16) -> Dict[str, Any]:
    answer = chat.say(first)
    answer = chat.say("/start_application") if chat.asked(answer) == answer[-1].get("text", "") else answer
    for _ in range(limit):
        rec = chat.outcome(answer)
        if rec is not None:
            return rec
        buttons = answer[-1].get("buttons") or []
        assert buttons, f"a question without buttons: {answer[-1].get('text')}"
        answer = chat.say(buttons[pick]["payload"])
    pytest.fail("no recommendation by buttons")


@pytest.mark.parametrize(
    "lang, hello",
    [
        ("pl", "Dzień dobry, potrzebuję pomocy z kartą pobytu"),
        ("uk", "Добрий день, мені потрібна допомога з картою побиту"),
        ("ru", "Здравствуйте, мне нужна помощь с картой побыту"),
        ("en", "Hello, I need help with my residence card"),
    ],
)
def test_by_buttons_entirely_in_the_language_they_greet_in(stack, lang, hello):
    chat = Chat(stack, f"lang-buttons-{lang}")
    rec = by_buttons(chat, hello)
    assert rec["missing"] == []
    assert chat.slots()["language"] == lang
    assert_written_in(chat, lang)


def test_the_channel_language_is_used_from_the_first_button(stack):
    chat = Chat(stack, "lang-buttons-metadata-uk", metadata_language="uk")
    rec = by_buttons(chat, "/start_application", pick=-1)
    assert rec["missing"] == []
    assert chat.slots()["language"] == "uk"
    assert_written_in(chat, "uk")


# -- typing ----------------------------------------------------------------------------------------


def test_ukrainian_cukr_applicant_typing_with_i_dont_know(stack):
    chat = Chat(stack, "lang-uk-cukr")
    answer = chat.say("Привіт! Я з України, маю статус УКР з березня 2022, хочу подати на карту CUKR")
    rec = converse_on(
        chat,
        answer,
        {
            "confirm_facts": "так",
            "applicant": "для себе",
            "citizenship": "Україна",
            "ukr_status": "так, маю статус УКР",
            "ukr_status_since": "з березня 2022",
            "ukr_status_on_2025_06_04": "так",
            "in_poland": "так, я в Польщі",
            "minor": "ні, мені 34",
            "has_pesel": "так, є песель",
            "has_trusted_profile": ["не знаю", "не знаю"],
            "has_qualified_signature": "ні",
        },
    )
    assert rec["cukr_eligible"] is True and rec["channel"] == "mos"
    slots = chat.slots()
    assert slots["language"] == "uk" and slots["citizenship"] == "UA"
    assert_written_in(chat, "uk")


def test_transliterated_ukrainian_gets_ukrainian(stack):
    chat = Chat(stack, "lang-uk-translit")
    answer = chat.say("ya z Ukrainy, maju status UKR z 2022 roku, hochu kartu CUKR")
    assert chat.slots()["language"] == "uk"
    rec = converse_on(
        chat,
        answer,
        {
            "confirm_facts": "tak",
            "applicant": "dlia sebe",
            "citizenship": "Ukraina",
            "ukr_status": "tak",
            "ukr_status_since": "z 2022",
            "ukr_status_on_2025_06_04": "tak",
            "in_poland": "tak, ya v Polshchi",
            "minor": "ni",
            "has_pesel": "tak",
            "has_trusted_profile": "tak",
            "has_qualified_signature": "ni",
        },
    )
    assert rec["cukr_eligible"] is True
    assert chat.slots()["language"] == "uk"
    assert_written_in(chat, "uk")


def test_mixed_ukrainian_and_polish_words(stack):
    chat = Chat(stack, "lang-uk-pl-mix")
    answer = chat.say("Добрий день, я з Грузії, працюю тут на umowa o pracę, потрібен pobyt czasowy")
    assert chat.slots()["language"] == "uk"
    rec = converse_on(
        chat,
        answer,
        {
            "confirm_facts": "так",
            "applicant": "для себе",
            "citizenship": "Грузія",
            "purpose": "робота",
            "procedure": "pobyt czasowy",
            "in_poland": "так",
            "permit_expires": "карта побиту дійсна до 20.01.2027",
            "minor": "ні",
            "has_pesel": "так, маю PESEL",
            "has_trusted_profile": "маю профіль zaufany",
        },
    )
    assert (rec["channel"], rec["employer_action"]) == ("mos", "annex_1_link")
    assert chat.slots()["citizenship"] == "GE"
    assert_written_in(chat, "uk")


def test_russian_speaker_corrects_a_fact(stack):
    chat = Chat(stack, "lang-ru-correction")
    answer = chat.say("Здравствуйте, я из Грузии, работаю в Польше, нужен временный побыт")
    assert chat.asked(answer) == "confirm_facts"
    answer = chat.say("нет, я из Беларуси")
    rec = converse_on(
        chat,
        answer,
        {
            "confirm_facts": "да",
            "applicant": "для себя",
            "citizenship": "Беларусь",
            "purpose": "работа",
            "procedure": "временное проживание",
            "in_poland": "да",
            "permit_expires": "виза до 31.03.2027",
            "minor": "нет",
            "has_pesel": "да",
            "has_trusted_profile": "да",
        },
    )
    assert rec["channel"] == "mos"
    slots = chat.slots()
    assert slots["citizenship"] == "BY" and slots["language"] == "ru"
    assert_written_in(chat, "ru")


def test_polish_without_diacritics_with_i_dont_know(stack):
    chat = Chat(stack, "lang-pl-no-diacritics")
    answer = chat.say("czesc, jestem z wietnamu, studiuje w warszawie i potrzebuje karty pobytu")
    assert chat.slots()["language"] == "pl"
    rec = converse_on(
        chat,
        answer,
        {
            "confirm_facts": "tak",
            "applicant": "dla siebie",
            "citizenship": "Wietnam",
            "purpose": "studia",
            "procedure": "pobyt czasowy",
            "in_poland": "tak",
            "permit_expires": ["nie wiem", "dalej nie wiem"],
            "minor": "nie",
            "has_pesel": "nie",
            "has_trusted_profile": "nie",
            "has_qualified_signature": "nie",
        },
    )
    assert (rec["channel"], rec["employer_action"]) == ("mos", "university_annex_link")
    assert "permit_expires" in rec["missing"]
    assert_written_in(chat, "pl")


def test_switching_language_in_the_middle_keeps_the_answers(stack):
    chat = Chat(stack, "lang-switch-mid-form")
    answer = chat.say("I'm from Vietnam, I study in Warsaw and need a residence card")
    assert chat.slots()["language"] == "en"
    answer = chat.say("yes") if chat.asked(answer) == "confirm_facts" else answer
    before = {k: v for k, v in chat.slots().items() if k in ("citizenship", "purpose")}
    assert before == {"citizenship": "VN", "purpose": "studies"}

    seen = len(chat.texts)
    answer = chat.say("czy możemy po polsku?")
    assert chat.texts[seen] == i18n.t("chat.change_language", "pl")  # the reply to THAT message
    assert chat.slots()["language"] == "pl"
    assert {k: chat.slots()[k] for k in before} == before  # the form keeps its answers
    assert_written_in(chat, "pl", since=seen)

    seen = len(chat.texts)
    answer = chat.say("по-русски, пожалуйста")
    assert chat.texts[seen] == i18n.t("chat.change_language", "ru")
    rec = converse_on(
        chat,
        answer,
        {
            "applicant": "для себя",
            "procedure": "временное проживание",
            "in_poland": "да",
            "permit_expires": "до 14.03.2027",
            "minor": "нет",
            "has_pesel": "нет",
            "has_trusted_profile": "нет",
            "has_qualified_signature": "нет",
            "confirm_facts": "да",
        },
    )
    assert rec["channel"] == "mos"
    assert chat.slots()["language"] == "ru"
    assert_written_in(chat, "ru", since=seen)

    seen = len(chat.texts)
    chat.say("can we speak English")
    assert chat.texts[seen] == i18n.t("chat.change_language", "en")


def test_change_language_without_a_name_offers_a_button_per_language(stack):
    chat = Chat(stack, "lang-choose")
    chat.say("hello")
    answer = chat.say("change language")
    payloads = [b["payload"] for b in answer[-1].get("buttons") or []]
    assert payloads == [f'/change_language{{"language": "{code}"}}' for code in ("en", "pl", "uk", "ru")]
    answer = chat.say(payloads[2])
    assert answer[0]["text"] == i18n.t("chat.change_language", "uk")
    assert chat.slots()["language"] == "uk"


@pytest.mark.parametrize("number, message", enumerate(["ok", "tak", "да", "/affirm", "14.03.2027"]))
def test_short_messages_keep_the_language(stack, number, message):
    chat = Chat(stack, f"lang-keep-{number}")
    chat.say("Добрий день, як подати на карту побиту?")
    assert chat.slots()["language"] == "uk"
    chat.say(message)
    assert chat.slots()["language"] == "uk"


def test_a_widget_repeating_its_page_language_does_not_undo_a_switch(stack):
    chat = Chat(stack, "lang-widget-repeats", metadata_language="en")
    chat.say("hello")
    assert chat.slots()["language"] == "en"
    seen = len(chat.texts)
    chat.say("czy możemy po polsku?")
    assert chat.texts[seen] == i18n.t("chat.change_language", "pl")
    chat.say("/start_application")
    chat.say("tak")
    assert chat.slots()["language"] == "pl"
    assert_written_in(chat, "pl", since=seen)
